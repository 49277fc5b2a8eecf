"""The award's admin: who gets in, the cycle actions that call the services, the read-only
audit trail, and the import flow (upload, preview, "Bekräfta import") over HTTP."""

import io

import openpyxl
import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from award.admin import ReadOnlyAdminMixin
from award.models import (
    AuditEntry,
    AwardCycle,
    CommitteeMembership,
    Criterion,
    ScaleBand,
    ScoringScale,
    Track,
    Unit,
)
from award.roles import Role
from tests.support import factories

pytestmark = pytest.mark.django_db

CSV_FORMAT = "0"  # settings.IMPORT_FORMATS: CSV, then XLSX
XLSX_FORMAT = "1"

UNIT_HEADERS = [
    "code",
    "name",
    "organisation",
    "head_name",
    "head_email",
    "staff_count",
    "has_operational_plan",
    "is_private_provider",
    "stockholmers_share",
]
GOOD_ROWS = [
    ["ENH1", "Förskolan Solen", "SDF01", "Eva Chef", "eva@example.se", "12", "ja", "nej", ""],
    ["ENH2", "Hemtjänst Väst", "SDF01", "Per Chef", "per@example.se", "30", "ja", "ja", "60"],
]


@pytest.fixture
def slk_client(client, slk):
    client.force_login(slk)
    return client


@pytest.fixture
def district(db):
    return factories.OrganisationFactory(code="SDF01", name="Skärholmens stadsdelsförvaltning")


def csv_upload(rows, name="enheter.csv"):
    text = "\n".join(",".join(row) for row in [UNIT_HEADERS, *rows]) + "\n"
    upload = io.BytesIO(text.encode("utf-8"))
    upload.name = name
    return upload


def xlsx_upload(rows, name="enheter.xlsx"):
    book = openpyxl.Workbook()
    book.active.append(UNIT_HEADERS)
    for row in rows:
        book.active.append(row)
    upload = io.BytesIO()
    book.save(upload)
    upload.seek(0)
    upload.name = name
    return upload


def follow_messages(client, response):
    assert response.status_code == 302
    return [str(m) for m in client.get(response.url).context["messages"]]


# --- Who gets in -------------------------------------------------------------------------


@pytest.mark.parametrize("model", [m for m in admin.site._registry if m._meta.app_label == "award"])
def test_slk_can_open_every_award_admin_list(slk_client, cycle, model):
    url = reverse(f"admin:award_{model._meta.model_name}_changelist")

    response = slk_client.get(url)

    assert response.status_code == 200, url


def test_every_award_model_is_registered():
    registered = set(admin.site._registry)
    # Scale bands are edited inside their scale.
    assert set(apps.get_app_config("award").get_models()) - registered == {ScaleBand}
    assert ScaleBand in {inline.model for inline in admin.site._registry[ScoringScale].inlines}


@pytest.mark.parametrize("name", ["awardcycle", "track", "unit", "criterion", "scoringscale"])
def test_slk_can_open_change_pages(slk_client, cycle, name):
    objects = {
        "awardcycle": cycle,
        "track": cycle.tracks.first(),
        "unit": factories.UnitFactory(),
        "criterion": Criterion.objects.first(),
        "scoringscale": cycle.scale,
    }

    response = slk_client.get(reverse(f"admin:award_{name}_change", args=[objects[name].pk]))

    assert response.status_code == 200


def test_cycle_change_page_groups_timeline_and_settings_and_shows_phase(slk_client, cycle):
    response = slk_client.get(reverse("admin:award_awardcycle_change", args=[cycle.pk]))

    content = response.content.decode()
    assert "Tidplan" in content
    assert "Inställningar" in content
    assert str(cycle.phase.label) in content
    assert "Tävlingsspår" in content


def test_unit_contact_is_sent_away_from_the_admin(client, unit_contact):
    client.force_login(unit_contact)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_unit_contact_cannot_reach_the_unit_import(client, unit_contact):
    client.force_login(unit_contact)

    response = client.get(reverse("admin:award_unit_import"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_slk_cannot_open_groups(slk_client):
    assert slk_client.get("/admin/auth/group/").status_code == 403


def test_slk_cannot_change_a_superusers_account(slk_client, django_user_model):
    boss = django_user_model.objects.create_superuser("chef", "chef@example.se", factories.PASSWORD)

    password_page = slk_client.get(reverse("admin:auth_user_password_change", args=[boss.pk]))
    change = slk_client.post(reverse("admin:award_user_change", args=[boss.pk]), {"username": "kapad"})

    assert password_page.status_code == 403
    assert change.status_code == 403
    boss.refresh_from_db()
    assert boss.username == "chef"


def test_slk_cannot_give_anyone_permissions_roles_or_superuser(slk_client, slk, examiner):
    permission = Permission.objects.get(codename="change_group")
    url = reverse("admin:award_user_change", args=[examiner.pk])
    form = slk_client.get(url).context["adminform"].form

    response = slk_client.post(
        url,
        {
            "username": examiner.username,
            "first_name": "Ny",
            "last_name": examiner.last_name,
            "email": examiner.email,
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "groups": [g.pk for g in slk.groups.all()],
            "user_permissions": [permission.pk],
        },
    )

    assert {"is_superuser", "is_staff", "groups", "user_permissions"}.isdisjoint(form.fields)
    assert response.status_code == 302
    examiner.refresh_from_db()
    assert examiner.first_name == "Ny"
    assert not examiner.is_superuser and not examiner.is_staff
    assert list(examiner.user_permissions.all()) == []
    assert [g.name for g in examiner.groups.all()] == ["Examinatorer"]


def test_superuser_may_change_users_rights(admin_client, examiner):
    form = admin_client.get(reverse("admin:award_user_change", args=[examiner.pk])).context["adminform"].form

    assert {"is_superuser", "groups", "user_permissions"} <= set(form.fields)


def test_user_list_shows_roles_and_units(slk_client, unit_contact, unit):
    response = slk_client.get(reverse("admin:award_user_changelist"))

    content = response.content.decode()
    assert "Enhetskontakter" in content
    assert unit.name in content


# --- Cycle actions -----------------------------------------------------------------------


def run_action(client, action, *cycles):
    return client.post(
        reverse("admin:award_awardcycle_changelist"),
        {"action": action, "_selected_action": [c.pk for c in cycles]},
    )


def test_copy_action_creates_next_years_cycle_through_the_service(slk_client, slk, cycle):
    response = run_action(slk_client, "copy_to_next_year", cycle)

    copy = AwardCycle.objects.get(year=cycle.year + 1)
    assert copy.status == AwardCycle.Status.DRAFT
    assert copy.tracks.count() == 2
    assert Criterion.objects.filter(track__cycle=copy).count() == 9
    assert AuditEntry.objects.filter(action="cycle.copy", actor=slk).exists()
    assert f"Omgången {copy.year} har skapats från {cycle.year}." in " ".join(
        follow_messages(slk_client, response)
    )


def test_copy_action_reports_an_existing_next_year(slk_client, cycle):
    factories.AwardCycleFactory(year=cycle.year + 1)

    response = run_action(slk_client, "copy_to_next_year", cycle)

    assert f"Det finns redan en omgång för {cycle.year + 1}." in follow_messages(slk_client, response)
    assert AwardCycle.objects.filter(year=cycle.year + 1).count() == 1


def test_open_action_opens_a_complete_draft(slk_client, slk):
    draft = factories.complete_cycle(year=2040)

    response = run_action(slk_client, "open_cycle", draft)

    draft.refresh_from_db()
    assert draft.status == AwardCycle.Status.OPEN
    assert "Omgången 2040 är öppnad." in follow_messages(slk_client, response)
    assert AuditEntry.objects.filter(action="cycle.open", actor=slk).exists()


def test_open_action_refuses_weights_that_do_not_sum_to_1000(slk_client):
    draft = factories.complete_cycle(year=2040)
    criterion = draft.tracks.get(kind=Track.Kind.QUALITY_AWARD).criteria.get(number=1)
    criterion.weight += 50
    criterion.save()

    response = run_action(slk_client, "open_cycle", draft)

    draft.refresh_from_db()
    assert draft.status == AwardCycle.Status.DRAFT
    shown = follow_messages(slk_client, response)
    assert "Omgången 2040 kunde inte öppnas:" in shown
    assert "Kriteriernas vikter i Kvalitetsutmärkelsen summerar till 1050 poäng, inte 1000." in shown


def test_cycle_status_cannot_be_edited_in_the_form(slk_client, cycle):
    form = slk_client.get(reverse("admin:award_awardcycle_change", args=[cycle.pk])).context["adminform"].form

    assert "status" not in form.fields


# --- Audit trail -------------------------------------------------------------------------


def test_audit_admin_is_read_only_even_for_superusers(admin_client, slk_client, slk, cycle):
    entry = AuditEntry.objects.create(actor=slk, action="cycle.open", object_repr=str(cycle))

    for client in (admin_client, slk_client):
        listing = client.get(reverse("admin:award_auditentry_changelist"))
        assert listing.status_code == 200
        assert "delete_selected" not in listing.content.decode()
        assert client.get(reverse("admin:award_auditentry_add")).status_code == 403
        assert (
            client.post(
                reverse("admin:award_auditentry_delete", args=[entry.pk]), {"post": "yes"}
            ).status_code
            == 403
        )
        assert (
            client.post(
                reverse("admin:award_auditentry_change", args=[entry.pk]), {"action": "x"}
            ).status_code
            == 403
        )
    assert AuditEntry.objects.filter(pk=entry.pk, action="cycle.open").exists()


# --- Import over HTTP --------------------------------------------------------------------


def upload(client, file, file_format):
    return client.post(reverse("admin:award_unit_import"), {"import_file": file, "format": file_format})


def confirm(client, preview):
    form = preview.context["confirm_form"]
    return client.post(reverse("admin:award_unit_process_import"), {**form.initial})


@pytest.mark.parametrize(("make_file", "file_format"), [(csv_upload, CSV_FORMAT), (xlsx_upload, XLSX_FORMAT)])
def test_unit_import_previews_then_imports_on_confirm(slk_client, district, make_file, file_format):
    preview = upload(slk_client, make_file(GOOD_ROWS), file_format)

    assert preview.status_code == 200
    content = preview.content.decode()
    assert "Förhandsgranskning" in content
    assert "Bekräfta import" in content
    assert "Förskolan Solen" in content
    assert Unit.objects.count() == 0, "the preview is a dry run"

    done = confirm(slk_client, preview)

    assert done.status_code == 302
    assert done.url == reverse("admin:award_unit_changelist")
    assert set(Unit.objects.values_list("code", flat=True)) == {"ENH1", "ENH2"}
    assert Unit.objects.get(code="ENH2").stockholmers_share == 60
    assert (
        "Importen av enheter är klar: 2 nya, 0 uppdaterade, 0 raderade och 0 oförändrade (hoppades över)."
        in (follow_messages(slk_client, done))
    )


def test_import_page_is_swedish(slk_client):
    response = slk_client.get(reverse("admin:award_unit_import"))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Fil att importera" in content
    assert "Följande kolumner importeras" in content
    assert "head_email" in content


def test_unit_import_with_a_bad_row_shows_the_row_in_swedish_and_offers_no_confirm(slk_client, district):
    rows = [*GOOD_ROWS, ["ENH3", "Skolan", "SDF01", "Ann", "ann@example.se", "tolv", "ja", "nej", ""]]

    preview = upload(slk_client, csv_upload(rows), CSV_FORMAT)

    content = preview.content.decode()
    assert preview.status_code == 200
    assert "confirm_form" not in preview.context or preview.context["confirm_form"] is None
    assert "Bekräfta import" not in content
    assert "Några rader är felaktiga" in content
    assert "Kolumnen ”staff_count”: ”tolv” är inte ett heltal." in content
    invalid = preview.context["result"].invalid_rows
    assert [row.number for row in invalid] == [3]
    assert Unit.objects.count() == 0


def test_unit_import_with_an_unknown_organisation_names_it(slk_client, district):
    rows = [GOOD_ROWS[0], ["ENH3", "Skolan", "SDF99", "Ann", "ann@example.se", "5", "ja", "nej", ""]]

    preview = upload(slk_client, csv_upload(rows), CSV_FORMAT)

    assert "Det finns ingen förvaltning med kod ”SDF99”." in preview.content.decode()
    assert Unit.objects.count() == 0


def test_confirm_imports_nothing_when_the_data_went_bad_after_the_preview(slk_client, district):
    preview = upload(slk_client, csv_upload(GOOD_ROWS), CSV_FORMAT)
    # Someone takes the second unit's name in the administration before the confirm.
    factories.UnitFactory(code="ANNAN", organisation=district, name="Hemtjänst Väst")

    done = confirm(slk_client, preview)

    assert done.status_code == 302
    assert done.url == reverse("admin:award_unit_import")
    shown = follow_messages(slk_client, done)
    assert "Ingenting importerades. Rätta filen och försök igen." in shown
    assert "Rad 2: Enhet med samma Förvaltning och Namn finns redan." in shown
    assert not Unit.objects.filter(code__in=["ENH1", "ENH2"]).exists()


def test_import_needs_the_add_permission(client, django_user_model):
    viewer = django_user_model.objects.create_user("läsare", password=factories.PASSWORD, is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_unit"))
    client.force_login(viewer)

    assert client.get(reverse("admin:award_unit_changelist")).status_code == 200
    assert client.get(reverse("admin:award_unit_import")).status_code == 403
    assert client.post(reverse("admin:award_unit_process_import"), {}).status_code == 403


def test_unit_export_over_http_gives_a_file_that_reimports_unchanged(slk_client, district):
    factories.UnitFactory(code="ENH1", organisation=district)
    factories.UnitFactory(code="ENH2", organisation=district, is_private_provider=True, stockholmers_share=55)
    fields = {f"unitresource_{name}": "on" for name in UNIT_HEADERS}

    export = slk_client.post(
        reverse("admin:award_unit_export"), {"format": CSV_FORMAT, "resource": "0", **fields}
    )

    assert export.status_code == 200
    text = export.content.decode("utf-8")
    assert text.splitlines()[0].lstrip("\ufeff") == ",".join(UNIT_HEADERS)
    exported = io.BytesIO(export.content)
    exported.name = "export.csv"
    preview = upload(slk_client, exported, CSV_FORMAT)
    assert preview.context["result"].totals["skip"] == 2
    assert not preview.context["result"].has_validation_errors()


def test_export_page_names_columns_in_swedish_with_their_codes(slk_client):
    units = slk_client.get(reverse("admin:award_unit_export")).content.decode()
    criteria = slk_client.get(reverse("admin:award_criterion_export")).content.decode()

    assert "Exportera" in units
    assert "Enhetskod (code)" in units
    assert "Förvaltning (organisation)" in units
    assert "Omgång (år) (cycle)" in criteria
    assert "Spår (track)" in criteria


def test_slk_import_of_criteria_for_an_unknown_cycle_is_refused(slk_client, cycle):
    text = "cycle,track,number,title,kind,weight,max_length,applicant_guidance,examiner_guidance\n"
    text += "1999,quality_award,1,Ledarskap,approach,1000,6000,,\n"
    file = io.BytesIO(text.encode())
    file.name = "kriterier.csv"

    preview = slk_client.post(
        reverse("admin:award_criterion_import"), {"import_file": file, "format": CSV_FORMAT}
    )

    assert "Det finns ingen omgång för år 1999." in preview.content.decode()


READ_ONLY = [m for m, a in admin.site._registry.items() if isinstance(a, ReadOnlyAdminMixin)]


@pytest.mark.parametrize(
    "model",
    [m for m in admin.site._registry if m._meta.app_label == "award" and m not in READ_ONLY],
)
def test_slk_can_open_every_award_add_page(slk_client, model):
    response = slk_client.get(reverse(f"admin:award_{model._meta.model_name}_add"))

    assert response.status_code == 200


@pytest.mark.parametrize("model", [m for m in READ_ONLY if m._meta.app_label == "award"])
def test_the_records_only_services_write_can_be_read_but_not_added(slk_client, model):
    name = model._meta.model_name
    assert slk_client.get(reverse(f"admin:award_{name}_changelist")).status_code == 200
    assert slk_client.get(reverse(f"admin:award_{name}_add")).status_code == 403


LIST_ROWS = {
    "unit": lambda: factories.UnitFactory(),
    "organisation": lambda: factories.UnitFactory().organisation,
    "user": lambda: factories.UnitFactory().contacts.add(factories.user_with_role(Role.UNIT_CONTACT)),
    "awardcycle": lambda: factories.complete_cycle(),
    "track": lambda: factories.complete_cycle(),
    "competitionclass": lambda: factories.complete_cycle(),
    "criterion": lambda: factories.complete_cycle(),
    "scoringscale": lambda: factories.complete_cycle(),
    "committeemembership": lambda: CommitteeMembership.objects.create(
        cycle=factories.AwardCycleFactory(), user=factories.UserFactory()
    ),
    "pastresult": lambda: factories.PastResultFactory(),
    "auditentry": lambda: AuditEntry.objects.create(
        actor=factories.UserFactory(), action="cycle.open", object_repr="x"
    ),
}


def list_queries(client, url):
    """The queries of the admin's list at `url`, and the rows it counts."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    assert 'id="changelist"' in response.content.decode()
    return len(queries), response.context["cl"].result_count


@pytest.mark.parametrize("name", LIST_ROWS)
def test_admin_list_queries_do_not_grow_with_rows(slk_client, name):
    url = reverse(f"admin:award_{name}_changelist")
    add_row = LIST_ROWS[name]

    add_row()
    with_one, rows_one = list_queries(slk_client, url)
    add_row()
    add_row()
    with_three, rows_three = list_queries(slk_client, url)

    assert with_one == with_three
    assert rows_three > rows_one
