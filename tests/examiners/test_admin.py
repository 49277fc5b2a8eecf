"""The examiners' admin: who gets in, the pool actions that call the services, what is
read-only, and the pool's XLSX/CSV import and export (upload, preview, "Bekräfta import")."""

import datetime as dt
import html
import io

import openpyxl
import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from import_export.formats.base_formats import CSV, XLSX

from award.audit import entries_for
from award.models import AuditEntry, Track
from award.roles import GROUP_NAMES, SLK_APP_LABELS, Role, has_role
from examiners import services
from examiners.models import (
    ApplicationOpening,
    Assignment,
    Conflict,
    ExaminerProfile,
    PoolMember,
    PracticeAssessment,
    PracticeCase,
    Team,
    TeamMember,
    TrainingSession,
)
from examiners.resources import PoolMemberResource
from tests.support import factories
from tests.support.practice import practice_assessment, practice_case
from tests.support.teams import confirmed_team

pytestmark = pytest.mark.django_db

CSV_FORMAT = "0"  # settings.IMPORT_FORMATS: CSV, then XLSX
XLSX_FORMAT = "1"

HEADERS = [
    "år",
    "användarnamn",
    "förnamn",
    "efternamn",
    "e-post",
    "förvaltning",
    "arbetsplats",
    "arbetsgivare",
    "befattning",
    "tidigare år som examinator",
    "tidigare år som lagledare",
    "kunskapsområden",
    "status",
    "tillgänglig",
    "kommentar om tillgänglighet",
    "chef",
    "chefens godkännande",
    "högst antal lag",
]


def changelist(model):
    return reverse(f"admin:examiners_{model._meta.model_name}_changelist")


@pytest.fixture
def slk_client(client, slk):
    client.force_login(slk)
    return client


@pytest.fixture
def district(db):
    return factories.OrganisationFactory(code="SDF01", name="Skärholmens stadsdelsförvaltning")


def volunteer(cycle, *, organisation=None, **kwargs):
    """Someone who has volunteered and not yet been decided on (no examiner role)."""
    user = factories.UserFactory()
    profile = ExaminerProfile.objects.create(
        user=user, organisation=organisation or factories.OrganisationFactory()
    )
    return PoolMember.objects.create(
        cycle=cycle, profile=profile, status=PoolMember.Status.VOLUNTEERED, **kwargs
    )


def staffed_team(cycle, slk, *, size=2):
    """A draft team with members, one application and the history around them."""
    track = cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    team = Team.objects.create(cycle=cycle, track=track, name=f"Lag {Team.objects.count() + 1}")
    members = [factories.pool_member(cycle) for _ in range(size)]
    for number, member in enumerate(members):
        TeamMember.objects.create(team=team, member=member, is_leader=number == 0)
    application = factories.submitted_application(track)
    Assignment.objects.create(team=team, application=application)
    Conflict.objects.create(
        member=members[0],
        organisation=factories.OrganisationFactory(),
        reason="Min syster är chef där.",
        source=Conflict.Source.JOINING,
        recorded_by=slk,
    )
    ApplicationOpening.objects.create(member=members[0], application=application)
    return team


@pytest.fixture
def history(cycle, slk):
    """One row of every examiners model: pool members with training, a team, a conflict."""
    team = staffed_team(cycle, slk)
    factories.pool_member(cycle, experienced=False)  # a new examiner, with a basic training
    practice_assessment(practice_case(cycle, slk), slk, 50)  # a trainee's practice case
    return team


def follow_messages(client, response):
    assert response.status_code == 302
    return [str(m) for m in client.get(response.url).context["messages"]]


# --- SLK's permissions -------------------------------------------------------------------


def test_slk_group_holds_every_model_permission_of_the_award_apps():
    slk = Group.objects.get(name=GROUP_NAMES[Role.SLK])
    held = set(slk.permissions.values_list("content_type__app_label", "codename"))

    for label in SLK_APP_LABELS:
        for model in apps.get_app_config(label).get_models():
            for action in ("add", "change", "delete", "view"):
                codename = f"{action}_{model._meta.model_name}"
                if codename in {"add_auditentry", "change_auditentry", "delete_auditentry"}:
                    continue
                assert (label, codename) in held, (label, codename)


# --- Who gets in -------------------------------------------------------------------------

EXAMINER_ADMINS = [m for m in admin.site._registry if m._meta.app_label == "examiners"]


def test_every_examiners_model_is_in_the_admin():
    inlines = {inline.model for model in EXAMINER_ADMINS for inline in admin.site._registry[model].inlines}

    assert set(apps.get_app_config("examiners").get_models()) <= set(EXAMINER_ADMINS) | inlines


@pytest.mark.parametrize("model", EXAMINER_ADMINS, ids=lambda m: m._meta.model_name)
def test_slk_can_open_every_examiners_list_and_row(slk_client, history, model):
    listing = slk_client.get(changelist(model))
    row = model.objects.first()
    page = slk_client.get(reverse(f"admin:examiners_{model._meta.model_name}_change", args=[row.pk]))

    assert listing.status_code == 200
    assert page.status_code == 200


def test_slk_can_open_the_pool_import_and_export_pages(slk_client):
    imports = slk_client.get(reverse("admin:examiners_poolmember_import"))
    exports = slk_client.get(reverse("admin:examiners_poolmember_export"))

    assert imports.status_code == 200
    assert "Följande kolumner importeras" in imports.content.decode()
    assert "tidigare år som examinator" in imports.content.decode()
    assert exports.status_code == 200
    assert "Chefens godkännande" in exports.content.decode()


@pytest.mark.parametrize("who", ["unit_contact", "examiner"])
def test_unit_contacts_and_examiners_get_no_admin(client, request, who):
    client.force_login(request.getfixturevalue(who))

    for url in [changelist(PoolMember), reverse("admin:examiners_poolmember_import"), changelist(Team)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(reverse("admin:login"))


def test_import_needs_the_add_permission_on_the_pool(client, django_user_model):
    viewer = django_user_model.objects.create_user("läsare", password=factories.PASSWORD, is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_poolmember"))
    client.force_login(viewer)

    assert client.get(changelist(PoolMember)).status_code == 200
    assert client.get(reverse("admin:examiners_poolmember_import")).status_code == 403


# --- Read-only where the services and pages decide -----------------------------------------


@pytest.mark.parametrize(
    "model",
    [Team, Conflict, TrainingSession, PracticeCase, PracticeAssessment],
    ids=lambda m: m._meta.model_name,
)
def test_teams_conflicts_and_training_cannot_be_changed_here(slk_client, history, model):
    row = model.objects.first()
    name = model._meta.model_name

    add = slk_client.get(reverse(f"admin:examiners_{name}_add"))
    change = slk_client.post(reverse(f"admin:examiners_{name}_change", args=[row.pk]), {"name": "Nytt"})
    delete = slk_client.post(reverse(f"admin:examiners_{name}_delete", args=[row.pk]), {"post": "yes"})

    assert (add.status_code, change.status_code, delete.status_code) == (403, 403, 403)
    assert model.objects.filter(pk=row.pk).exists()


def test_team_page_shows_members_and_applications_and_points_to_the_team_pages(slk_client, history):
    team = history
    page = slk_client.get(reverse("admin:examiners_team_change", args=[team.pk])).content.decode()

    assert "Lag ändras på lagsidorna" in page
    for team_member in team.members.select_related("member__profile__user"):
        assert str(team_member.member.profile) in page
    assert team.assignments.get().application.code in page
    assert reverse("examiners:team_detail", args=[team.pk]) in page


def test_training_page_points_to_the_training_pages(slk_client, history):
    session = TrainingSession.objects.first()

    page = slk_client.get(reverse("admin:examiners_trainingsession_change", args=[session.pk]))

    assert "Utbildningstillfällen skapas och ändras på utbildningssidorna" in page.content.decode()
    assert reverse("examiners:session_roster", args=[session.pk]) in page.content.decode()


def test_pool_rows_are_neither_added_nor_deleted_here(slk_client, cycle):
    member = factories.pool_member(cycle)

    assert slk_client.get(reverse("admin:examiners_poolmember_add")).status_code == 403
    delete = slk_client.post(reverse("admin:examiners_poolmember_delete", args=[member.pk]), {"post": "yes"})
    assert delete.status_code == 403
    assert "delete_selected" not in slk_client.get(changelist(PoolMember)).content.decode()


def test_manager_approval_and_team_limit_are_saved_through_the_services(slk_client, slk, cycle):
    member = volunteer(cycle)
    url = reverse("admin:examiners_poolmember_change", args=[member.pk])

    response = slk_client.post(
        url,
        {"manager_name": "Karin Chef", "manager_approved_on": "2025-02-03", "max_teams": "2", **no_inlines()},
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    member.refresh_from_db()
    assert (member.manager_name, member.manager_approved_on, member.max_teams) == (
        "Karin Chef",
        dt.date(2025, 2, 3),
        2,
    )
    assert member.status == PoolMember.Status.VOLUNTEERED, "the status only changes through the actions"
    actions = set(entries_for(member).values_list("action", flat=True))
    assert {"pool.manager_approval", "pool.max_teams"} <= actions


def test_pool_member_form_refuses_no_teams_and_a_manager_without_a_date(slk_client, cycle):
    member = volunteer(cycle)
    url = reverse("admin:examiners_poolmember_change", args=[member.pk])

    response = slk_client.post(url, {"manager_name": "Karin Chef", "max_teams": "0", **no_inlines()})

    errors = response.context["adminform"].form.errors
    assert errors["max_teams"] == ["En examinator måste kunna ingå i minst ett lag."]
    assert errors["manager_approved_on"] == ["Ange datum för chefens godkännande."]


def no_inlines(prefix="conflicts"):
    return {f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"}


def test_profile_years_and_areas_are_typed_with_commas(slk_client, cycle, district):
    member = factories.pool_member(cycle, organisation=district)
    unit = factories.UnitFactory(organisation=district)
    url = reverse("admin:examiners_examinerprofile_change", args=[member.profile.pk])
    form = slk_client.get(url).context["adminform"].form
    assert form["years_served"].value() == f"{cycle.year - 2}, {cycle.year - 1}"

    response = slk_client.post(
        url,
        {
            "organisation": district.pk,
            "employer_unit": unit.pk,
            "employer": "Stockholms stad",
            "job_title": "Förskollärare",
            "years_served": "2021, 2019,2021",
            "years_led": "",
            "areas": "Skola, Förskola",
            **no_inlines("memberships"),
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    member.profile.refresh_from_db()
    assert member.profile.years_served == [2019, 2021]
    assert member.profile.years_led == []
    assert member.profile.areas == ["Förskola", "Skola"]
    assert member.profile.employer_unit == unit


def test_profile_form_refuses_a_bad_year_and_a_unit_of_another_organisation(slk_client, cycle, district):
    member = factories.pool_member(cycle, organisation=district)
    url = reverse("admin:examiners_examinerprofile_change", args=[member.profile.pk])

    response = slk_client.post(
        url,
        {
            "organisation": district.pk,
            "employer_unit": factories.UnitFactory().pk,
            "years_served": "2021, tjugo",
            **no_inlines("memberships"),
        },
    )

    errors = response.context["adminform"].form.errors
    assert "”tjugo” är inte ett årtal" in errors["years_served"][0]
    assert "hör inte till Skärholmens stadsdelsförvaltning" in errors["employer_unit"][0]


# --- Pool actions ------------------------------------------------------------------------


def run_action(client, action, *members):
    return client.post(
        changelist(PoolMember), {"action": action, "_selected_action": [m.pk for m in members]}
    )


def test_accept_action_accepts_through_the_service(slk_client, slk, cycle):
    member = volunteer(cycle)
    assert not has_role(member.profile.user, Role.EXAMINER)

    response = run_action(slk_client, "accept", member)

    member.refresh_from_db()
    assert member.status == PoolMember.Status.ACCEPTED
    assert member.decided_by == slk
    user = type(member.profile.user).objects.get(pk=member.profile.user.pk)
    assert has_role(user, Role.EXAMINER)
    assert entries_for(member).filter(action="pool.accept", actor=slk).exists()
    assert f"1 examinator antogs till poolen: {member.profile}." in follow_messages(slk_client, response)


def test_decline_action_decides_each_row_on_its_own_and_reports_refusals(slk_client, slk, cycle):
    team = staffed_team(cycle, slk)
    in_team = team.members.first().member
    free = volunteer(cycle)

    response = run_action(slk_client, "decline", in_team, free)

    shown = follow_messages(slk_client, response)
    assert f"{in_team}: {in_team.profile} ingår i ett lag. Ta bort personen ur laget först." in shown
    assert f"1 intresseanmälan antogs inte: {free.profile}." in shown
    in_team.refresh_from_db()
    free.refresh_from_db()
    assert in_team.status == PoolMember.Status.ACCEPTED
    assert free.status == PoolMember.Status.DECLINED
    assert entries_for(free).filter(action="pool.decline").exists()


def test_accept_action_leaves_accepted_rows_alone(slk_client, cycle):
    member = factories.pool_member(cycle)

    response = run_action(slk_client, "accept", member)

    assert f"Har redan status ”antagen” och ändrades inte: {member.profile}." in follow_messages(
        slk_client, response
    )
    assert not entries_for(member).filter(action="pool.accept").exists()


# --- Import and export -------------------------------------------------------------------


def row(cycle, username="anna.a", **overrides):
    values = {
        "år": str(cycle.year),
        "användarnamn": username,
        "förnamn": "Anna",
        "efternamn": "Andersson",
        "e-post": f"{username}@example.se",
        "förvaltning": "SDF01",
        "arbetsplats": "",
        "arbetsgivare": "Stockholms stad",
        "befattning": "Rektor",
        "tidigare år som examinator": "2023, 2024",
        "tidigare år som lagledare": "2024",
        "kunskapsområden": "Förskola, Skola",
        "status": "Intresseanmäld",
        "tillgänglig": "ja",
        "kommentar om tillgänglighet": "",
        "chef": "Karin Chef",
        "chefens godkännande": "2025-02-03",
        "högst antal lag": "1",
    }
    values.update(overrides)
    return [values[h] for h in HEADERS]


def csv_upload(rows, headers=HEADERS, name="pool.csv"):
    out = io.StringIO()
    for line in [headers, *rows]:
        out.write(",".join(f'"{v}"' for v in line) + "\n")
    upload = io.BytesIO(out.getvalue().encode("utf-8"))
    upload.name = name
    return upload


def xlsx_upload(rows, name="pool.xlsx"):
    book = openpyxl.Workbook()
    book.active.append(HEADERS)
    for line in rows:
        book.active.append(line)
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = name
    return upload


def upload(client, file, file_format):
    return client.post(
        reverse("admin:examiners_poolmember_import"), {"import_file": file, "format": file_format}
    )


def confirm(client, preview):
    form = preview.context["confirm_form"]
    return client.post(reverse("admin:examiners_poolmember_process_import"), {**form.initial})


@pytest.mark.parametrize(("make_file", "file_format"), [(csv_upload, CSV_FORMAT), (xlsx_upload, XLSX_FORMAT)])
def test_pool_import_creates_user_profile_and_pool_row(
    slk_client, slk, cycle, district, make_file, file_format
):
    unit = factories.UnitFactory(code="ENH1", organisation=district)
    rows = [
        row(cycle, "anna.a", arbetsplats="ENH1"),
        row(cycle, "bo.b", förnamn="Bo", status="Antagen", tillgänglig="nej", **{"högst antal lag": "2"}),
    ]

    preview = upload(slk_client, make_file(rows), file_format)

    assert preview.status_code == 200
    assert "Bekräfta import" in preview.content.decode()
    assert not PoolMember.objects.exists(), "the preview is a dry run"

    done = confirm(slk_client, preview)

    assert "Importen av examinatorspool är klar: 2 nya" in " ".join(follow_messages(slk_client, done))
    anna = PoolMember.objects.select_related("profile__user").get(profile__user__username="anna.a")
    assert anna.cycle == cycle
    assert anna.status == PoolMember.Status.VOLUNTEERED
    assert not anna.profile.user.has_usable_password()
    assert (anna.profile.user.first_name, anna.profile.user.email) == ("Anna", "anna.a@example.se")
    assert anna.profile.organisation == district
    assert anna.profile.employer_unit == unit
    assert anna.profile.years_served == [2023, 2024]
    assert anna.profile.years_led == [2024]
    assert anna.profile.areas == ["Förskola", "Skola"]
    assert anna.manager_approved_on == dt.date(2025, 2, 3)
    bo = PoolMember.objects.get(profile__user__username="bo.b")
    assert (bo.status, bo.available, bo.max_teams, bo.decided_by) == (
        PoolMember.Status.ACCEPTED,
        False,
        2,
        slk,
    )
    assert has_role(bo.profile.user, Role.EXAMINER), "accepted through services.pool_decide"
    assert entries_for(bo).filter(action="pool.accept", actor=slk).exists()
    assert entries_for(anna).filter(action="pool.import").exists()


def test_pool_import_updates_the_same_person_and_year_and_keeps_the_profile_for_a_new_year(
    slk_client, cycle, district
):
    member = factories.pool_member(
        cycle, organisation=district, user=factories.UserFactory(username="anna.a")
    )
    later = factories.complete_cycle(year=cycle.year + 1)
    rows = [
        row(cycle, "anna.a", status="Antagen", befattning="Biträdande rektor"),
        row(later, "anna.a", status="Intresseanmäld"),
    ]

    preview = upload(slk_client, csv_upload(rows), CSV_FORMAT)
    confirm(slk_client, preview)

    assert preview.context["result"].totals["update"] == 1
    assert preview.context["result"].totals["new"] == 1
    assert ExaminerProfile.objects.count() == 1
    member.refresh_from_db()
    assert member.profile.job_title == "Rektor", "the later row's values win for the shared profile"
    assert PoolMember.objects.filter(profile=member.profile).count() == 2


@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_pool_export_reimports_without_changes(slk, cycle, district, file_format):
    unit = factories.UnitFactory(code="ENH1", organisation=district)
    factories.pool_member(cycle, organisation=district, max_teams=2)
    member = factories.pool_member(cycle, organisation=district, experienced=False, available=False)
    member.profile.employer_unit = unit
    member.profile.areas = ["Förskola", "Skola"]
    member.profile.save()
    volunteer(cycle, organisation=district, manager_approved_on=None)
    fmt = file_format()

    exported = fmt.export_data(PoolMemberResource().export(force_native_type=fmt.is_binary()))
    dataset = fmt.create_dataset(exported)
    result = PoolMemberResource().import_data(dataset, dry_run=False, user=slk)

    assert dataset.headers == HEADERS
    assert not result.has_errors() and not result.has_validation_errors(), [
        (r.number, r.error_dict) for r in result.invalid_rows
    ]
    assert result.totals["skip"] == 3
    assert result.totals["new"] == result.totals["update"] == 0


def test_pool_export_over_http_uses_swedish_columns_and_ja_nej(slk_client, cycle, district):
    member = factories.pool_member(cycle, organisation=district, available=False)
    fields = {f"poolmemberresource_{name}": "on" for name in PoolMemberResource.fields}

    export = slk_client.post(
        reverse("admin:examiners_poolmember_export"), {"format": CSV_FORMAT, "resource": "0", **fields}
    )

    assert export.status_code == 200
    dataset = CSV().create_dataset(export.content.decode("utf-8-sig"))
    assert dataset.headers == HEADERS
    line = dict(zip(dataset.headers, dataset[0], strict=True))
    assert line["användarnamn"] == member.profile.user.username
    assert line["förvaltning"] == "SDF01"
    assert line["status"] == "Antagen"
    assert line["tillgänglig"] == "nej"
    assert line["tidigare år som examinator"] == f"{cycle.year - 2}, {cycle.year - 1}"
    exported = io.BytesIO(export.content)
    exported.name = "export.csv"
    preview = upload(slk_client, exported, CSV_FORMAT)
    assert preview.context["result"].totals["skip"] == 1


def test_pool_import_with_an_unknown_organisation_imports_nothing_and_says_why(slk_client, cycle, district):
    rows = [row(cycle, "anna.a"), row(cycle, "bo.b", förvaltning="SDF99")]

    preview = upload(slk_client, csv_upload(rows), CSV_FORMAT)

    content = preview.content.decode()
    assert "Det finns ingen förvaltning med kod ”SDF99”." in content
    assert "Bekräfta import" not in content
    assert [r.number for r in preview.context["result"].invalid_rows] == [2]
    assert not PoolMember.objects.exists()
    assert not ExaminerProfile.objects.exists()
    assert not factories.UserFactory._meta.model.objects.filter(username__in=["anna.a", "bo.b"]).exists()


@pytest.mark.parametrize(
    ("bad", "column", "message"),
    [
        ({"år": "1999"}, "år", "Det finns ingen omgång för år 1999."),
        ({"arbetsplats": "ENH404"}, "arbetsplats", "Det finns ingen enhet med enhetskod ”ENH404”."),
        ({"tillgänglig": "kanske"}, "tillgänglig", "”kanske” är varken ja eller nej"),
        ({"status": "Klar"}, "status", "”Klar” är ingen status"),
        (
            {"tidigare år som examinator": "2023, i fjol"},
            "tidigare år som examinator",
            "”i fjol” är inte ett årtal",
        ),
        ({"chefens godkännande": "3 februari"}, "chefens godkännande", "”3 februari” är inte ett datum"),
        ({"högst antal lag": "0"}, "högst antal lag", "minst ett lag"),
        ({"e-post": "inte-en-adress"}, "e-post", "giltig e-postadress"),
        ({"användarnamn": ""}, "användarnamn", "Ange användarnamnet."),
    ],
)
def test_pool_file_with_one_bad_row_imports_nothing(slk, cycle, district, bad, column, message):
    rows = [row(cycle, "anna.a"), row(cycle, "bo.b", **bad), row(cycle, "cilla.c")]

    result = PoolMemberResource().import_data(
        CSV().create_dataset(csv_upload(rows).getvalue().decode()), dry_run=False, user=slk
    )

    assert not result.has_errors(), [e.error for _, errors in result.row_errors() for e in errors]
    assert [r.number for r in result.invalid_rows] == [2]
    texts = result.invalid_rows[0].error_dict.get(column, [])
    assert any(message in text for text in texts), result.invalid_rows[0].error_dict
    assert not PoolMember.objects.exists()
    assert not ExaminerProfile.objects.exists()


def test_pool_import_refuses_a_unit_of_another_organisation(slk, cycle, district):
    factories.UnitFactory(code="ENH9")

    result = PoolMemberResource().import_data(
        CSV().create_dataset(csv_upload([row(cycle, arbetsplats="ENH9")]).getvalue().decode()), user=slk
    )

    assert result.invalid_rows[0].error_dict["arbetsplats"] == [
        "Enheten ENH9 hör inte till förvaltningen SDF01."
    ]


def test_pool_import_cannot_decline_someone_in_a_team(slk_client, slk, cycle):
    team = staffed_team(cycle, slk)
    member = team.members.first().member
    user, organisation = member.profile.user, member.profile.organisation
    line = row(cycle, user.username, förvaltning=organisation.code, status="Inte antagen")

    result = PoolMemberResource().import_data(
        CSV().create_dataset(csv_upload([line]).getvalue().decode()), dry_run=False, user=slk
    )

    assert "ingår i ett lag" in result.invalid_rows[0].error_dict["status"][0]
    member.refresh_from_db()
    assert member.status == PoolMember.Status.ACCEPTED


def test_pool_import_may_not_change_a_superusers_account(slk, cycle, district, django_user_model):
    django_user_model.objects.create_superuser("chef", "chef@example.se", factories.PASSWORD)

    result = PoolMemberResource().import_data(
        CSV().create_dataset(csv_upload([row(cycle, "chef")]).getvalue().decode()), user=slk
    )

    assert "superanvändare" in result.invalid_rows[0].error_dict["användarnamn"][0]
    assert django_user_model.objects.get(username="chef").email == "chef@example.se"


# --- The import writes through the services, as the pool member's page does ------------------


def placed_twice(cycle, slk, **kwargs):
    """An accepted examiner allowed two teams and sitting in two."""
    track = cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    member = factories.pool_member(cycle, max_teams=2, **kwargs)
    for name in ("Lag A", "Lag B"):
        team = services.team_create(cycle=cycle, track=track, name=name, by=slk)
        services.team_member_add(team=team, member=member, by=slk)
    return member


def member_row(member, **overrides):
    """The examiner's row as the export writes it, with `overrides`."""
    user, profile = member.profile.user, member.profile
    values = {
        "förnamn": user.first_name,
        "efternamn": user.last_name,
        "e-post": user.email,
        "förvaltning": profile.organisation.code,
        "arbetsgivare": profile.employer,
        "befattning": profile.job_title,
        "tidigare år som examinator": ", ".join(str(year) for year in profile.years_served),
        "tidigare år som lagledare": ", ".join(str(year) for year in profile.years_led),
        "kunskapsområden": ", ".join(profile.areas),
        "status": str(PoolMember.Status(member.status).label),
        "chef": member.manager_name,
        "chefens godkännande": member.manager_approved_on.isoformat() if member.manager_approved_on else "",
        "högst antal lag": str(member.max_teams),
    }
    values.update(overrides)
    return row(member.cycle, user.username, **values)


def import_rows(rows, by):
    return PoolMemberResource().import_data(
        CSV().create_dataset(csv_upload(rows).getvalue().decode()), dry_run=False, user=by
    )


def test_pool_import_refuses_a_team_limit_below_the_teams_someone_is_in(slk_client, slk, cycle, district):
    member = placed_twice(cycle, slk)
    rows = [row(cycle, "anna.a"), member_row(member, **{"högst antal lag": "1"})]

    preview = upload(slk_client, csv_upload(rows), CSV_FORMAT)

    content = html.unescape(preview.content.decode())
    assert f"{member.profile} ingår redan i 2 lag. Ta bort personen ur ett lag först." in content
    assert "Bekräfta import" not in content
    assert [r.number for r in preview.context["result"].invalid_rows] == [2]
    result = import_rows(rows, slk)
    assert [r.number for r in result.invalid_rows] == [2]
    assert result.invalid_rows[0].error_dict == {
        "högst antal lag": [f"{member.profile} ingår redan i 2 lag. Ta bort personen ur ett lag först."]
    }
    member.refresh_from_db()
    assert member.max_teams == 2
    assert not PoolMember.objects.filter(profile__user__username="anna.a").exists(), "nothing imported"
    assert not AuditEntry.objects.filter(action__in=["pool.import", "pool.max_teams"]).exists()


def test_pool_import_refuses_more_teams_than_the_pool_page_allows(slk, cycle, district):
    result = import_rows([row(cycle, "anna.a", **{"högst antal lag": "6"})], slk)

    assert result.invalid_rows[0].error_dict == {"högst antal lag": ["En examinator kan ingå i högst 5 lag."]}
    assert not PoolMember.objects.exists()


def test_pool_import_writes_the_same_audit_entries_as_the_pool_page(slk, cycle, district):
    member = factories.pool_member(cycle, organisation=district)
    twin = factories.pool_member(cycle, organisation=district)
    approved_on = cycle.registration_opens + dt.timedelta(days=3)
    services.pool_member_settings(member=twin, max_teams=3, by=slk)
    services.manager_approval_record(member=twin, manager_name="Ny Chef", approved_on=approved_on, by=slk)

    result = import_rows(
        [
            member_row(
                member,
                chef="Ny Chef",
                **{"chefens godkännande": approved_on.isoformat(), "högst antal lag": "3"},
            ),
            row(cycle, "bo.b", **{"högst antal lag": "3"}),
        ],
        slk,
    )

    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    member.refresh_from_db()

    def entries(pool_member):
        # The import's own note of the row aside, the entries are the services'.
        return [
            (e.action, e.actor, e.changes)
            for e in entries_for(pool_member).exclude(action="pool.import").order_by("pk")
        ]

    assert entries(member) == entries(twin)
    assert (member.max_teams, member.manager_name, member.manager_approved_on) == (
        3,
        "Ny Chef",
        approved_on,
    )
    bo = PoolMember.objects.get(profile__user__username="bo.b")
    assert [e[0] for e in entries(bo)] == ["pool.max_teams", "pool.manager_approval"]
    assert entries(bo)[0][2] == {"max_teams": [1, 3]}


def test_pool_import_cannot_take_a_managers_approval_away(slk, cycle, district):
    member = factories.pool_member(cycle, organisation=district)

    result = import_rows([member_row(member, **{"chefens godkännande": ""})], slk)

    assert result.invalid_rows[0].error_dict == {
        "chefens godkännande": ["Ange datum för chefens godkännande."]
    }
    member.refresh_from_db()
    assert member.manager_approved_on == cycle.registration_opens


def test_pool_import_names_a_volunteers_manager_without_approving(slk, cycle, district):
    result = import_rows([row(cycle, "anna.a", **{"chefens godkännande": ""})], slk)

    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    anna = PoolMember.objects.get(profile__user__username="anna.a")
    assert (anna.manager_name, anna.manager_approved_on, anna.manager_approved) == ("Karin Chef", None, False)
    assert not entries_for(anna).filter(action="pool.manager_approval").exists()


def test_pool_import_of_a_conflicting_organisation_goes_through_the_profile_service(client, slk, cycle):
    track = cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    team, (_leader, member), (application,) = confirmed_team(cycle, track, slk, size=2)
    examiner, old = member.profile.user, member.profile.organisation
    client.force_login(examiner)
    page = reverse("submissions:application_detail", args=[application.pk])
    assert client.get(page).status_code == 200

    result = import_rows([member_row(member, förvaltning=application.unit.organisation.code)], slk)

    assert not result.has_validation_errors(), [r.error_dict for r in result.invalid_rows]
    assert client.get(page).status_code == 404
    entry = AuditEntry.objects.get(action="pool.profile_change")
    assert (entry.actor, entry.changes) == (
        slk,
        {"organisation": [old.name, application.unit.organisation.name]},
    )
    assert application.code in Team.objects.get(pk=team.pk).flag


def test_confirm_imports_nothing_when_the_data_went_bad_after_the_preview(slk_client, cycle, district):
    preview = upload(slk_client, csv_upload([row(cycle, "anna.a"), row(cycle, "bo.b")]), CSV_FORMAT)
    district.delete()

    done = confirm(slk_client, preview)

    assert done.url == reverse("admin:examiners_poolmember_import")
    shown = follow_messages(slk_client, done)
    assert "Ingenting importerades. Rätta filen och försök igen." in shown
    assert "Rad 1, förvaltning: Det finns ingen förvaltning med kod ”SDF01”." in shown
    assert not PoolMember.objects.exists()


def test_a_file_that_is_not_a_spreadsheet_gets_a_clear_message(slk_client):
    garbage = io.BytesIO(b"PK\x03\x04 detta ar ingen riktig arbetsbok")
    garbage.name = "pool.xlsx"

    response = upload(slk_client, garbage, XLSX_FORMAT)

    assert response.status_code == 200
    assert "Filen kunde inte läsas" in response.content.decode()
    assert "Kontrollera att du har valt rätt format för filen." in response.content.decode()
    assert not PoolMember.objects.exists()


def test_a_file_without_the_key_columns_names_them(slk_client, cycle):
    headers = ["förnamn", "efternamn"]

    response = upload(slk_client, csv_upload([["Anna", "Andersson"]], headers=headers), CSV_FORMAT)

    content = response.content.decode()
    assert (
        "Filen saknar kolumnerna ”år”, ”användarnamn”, som behövs för att känna igen raderna."
        in html.unescape(content)
    )
    assert "Bekräfta import" not in content


def test_an_empty_file_says_there_is_nothing_to_import(slk_client):
    response = upload(slk_client, csv_upload([]), CSV_FORMAT)

    assert "Filen innehåller inga data att importera." in response.content.decode()


# --- Lists stay cheap --------------------------------------------------------------------


def list_queries(client, url):
    """The queries of the admin's list at `url`, and the rows it shows."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert 'id="changelist"' in response.content.decode()
    return len(queries), response.context["cl"].result_count


@pytest.mark.parametrize("model", EXAMINER_ADMINS, ids=lambda m: m._meta.model_name)
def test_admin_list_queries_do_not_grow_with_rows(slk_client, slk, cycle, model):
    url = changelist(model)

    staffed_team(cycle, slk)
    with_one, rows_one = list_queries(slk_client, url)
    staffed_team(cycle, slk)
    staffed_team(cycle, slk)
    with_three, rows_three = list_queries(slk_client, url)

    assert with_one == with_three
    assert rows_three >= rows_one


def test_audit_entries_of_the_import_are_in_the_award_audit_admin(slk_client, slk, cycle, district):
    preview = upload(slk_client, csv_upload([row(cycle)]), CSV_FORMAT)
    confirm(slk_client, preview)

    assert AuditEntry.objects.filter(action="pool.import", actor=slk).count() == 1
