"""SLK's training pages: what each form does, that a refused request changes nothing, and
that the lists run a fixed number of queries however many examiners there are."""

import datetime as dt
import io

import pytest
from django.contrib.messages import get_messages
from django.core import mail
from django.urls import reverse
from openpyxl import load_workbook

from examiners import services
from examiners.models import Attendance, Enrolment, TrainingDay, TrainingSession
from tests.support import factories

pytestmark = pytest.mark.django_db

DAY_1, DAY_2 = dt.date(2030, 3, 4), dt.date(2030, 3, 5)


def make_session(cycle, slk, *, capacity=10, days=(DAY_1, DAY_2), kind=TrainingSession.Kind.BASIC):
    session = TrainingSession(
        cycle=cycle,
        kind=kind,
        title="Grundutbildning vår",
        place="Stadshuset",
        capacity=capacity,
        trainer="Eva",
    )
    return services.session_save(session=session, days=list(days), by=slk)


def new_member(cycle):
    return factories.pool_member(cycle, experienced=False, qualified=False)


def texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


@pytest.fixture
def training(cycle, slk):
    session = make_session(cycle, slk)
    enrolment = services.enrol(session=session, member=new_member(cycle), by=slk)
    return {"cycle": cycle, "session": session, "day": session.days.first(), "enrolment": enrolment}


# --- Access ---------------------------------------------------------------------------

# That only SLK reaches the training pages (everyone else: 403) is the access walk's
# (tests/access); a refused request changes nothing:


def test_pool_member_who_is_an_examiner_cannot_enrol_others(client, training, cycle):
    member = new_member(cycle)
    client.force_login(member.profile.user)
    response = client.post(
        reverse("examiners:enrol", args=[training["session"].pk]), {"member": new_member(cycle).pk}
    )
    assert response.status_code == 403
    assert Enrolment.objects.count() == 1


# --- Sessions -------------------------------------------------------------------------


def test_list_shows_each_session_with_days_and_counts(client, slk, cycle):
    session = make_session(cycle, slk, capacity=1)
    for _ in range(3):
        services.enrol(session=session, member=new_member(cycle), by=slk)
    client.force_login(slk)
    content = client.get(reverse("examiners:training_list", args=[cycle.year])).content.decode()
    assert "Grundutbildning vår" in content
    assert "4 mars 2030, 5 mars 2030" in content
    assert '<td class="num">1</td>\n      <td class="num">1</td>\n      <td class="num">2</td>' in content


def test_create_a_session_with_days(client, slk, cycle):
    client.force_login(slk)
    response = client.post(
        reverse("examiners:session_create", args=[cycle.year]),
        {
            "kind": TrainingSession.Kind.BASIC,
            "title": "Grundutbildning höst",
            "place": "Stadshuset",
            "capacity": "24",
            "trainer": "Eva Utbildare",
            "notes": "",
            "days": "2030-09-02\n2030-09-03",
        },
    )
    session = TrainingSession.objects.get(title="Grundutbildning höst")
    assert response.status_code == 302
    assert response.url == reverse("examiners:session_roster", args=[session.pk])
    assert session.cycle == cycle
    assert [d.isoformat() for d in session.days.values_list("date", flat=True)] == [
        "2030-09-02",
        "2030-09-03",
    ]


def test_create_refuses_a_day_that_is_not_a_date(client, slk, cycle):
    client.force_login(slk)
    response = client.post(
        reverse("examiners:session_create", args=[cycle.year]),
        {"kind": "basic", "title": "T", "place": "P", "capacity": "5", "trainer": "U", "days": "2 sept"},
    )
    assert response.status_code == 200
    assert "”2 sept” är inte ett datum. Skriv datum som ÅÅÅÅ-MM-DD." in response.content.decode()
    assert not TrainingSession.objects.exists()


def test_edit_mails_the_enrolled(client, slk, training, django_capture_on_commit_callbacks):
    client.force_login(slk)
    session = training["session"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("examiners:session_edit", args=[session.pk]),
            {
                "kind": "basic",
                "title": session.title,
                "place": "Kulturhuset",
                "capacity": "10",
                "trainer": "Eva",
                "days": "2030-03-04, 2030-03-06",
                "notify": "on",
            },
        )
    assert response.status_code == 302
    assert [m.to for m in mail.outbox] == [[training["enrolment"].member.profile.user.email]]
    assert "Kulturhuset" in mail.outbox[0].body


def test_edit_without_notice_mails_nobody(client, slk, training, django_capture_on_commit_callbacks):
    client.force_login(slk)
    session = training["session"]
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("examiners:session_edit", args=[session.pk]),
            {
                "kind": "basic",
                "title": "Ny rubrik",
                "place": "P",
                "capacity": "10",
                "trainer": "E",
                "days": "2030-03-04",
            },
        )
    assert TrainingSession.objects.get(pk=session.pk).title == "Ny rubrik"
    assert mail.outbox == []


def test_edit_refused_by_the_service_changes_nothing(client, slk, training):
    session, day = training["session"], training["day"]
    services.attendance_mark(day=day, present_member_ids=[training["enrolment"].member_id], by=slk)
    client.force_login(slk)
    response = client.get(reverse("examiners:session_edit", args=[session.pk]))
    assert "2030-03-04\n2030-03-05" in response.content.decode()

    response = client.post(
        reverse("examiners:session_edit", args=[session.pk]),
        {
            "kind": "basic",
            "title": "Ändrad",
            "place": "P",
            "capacity": "10",
            "trainer": "E",
            "days": "2030-03-05",
        },
    )

    assert response.status_code == 200
    assert "har redan närvaro registrerad och kan inte tas bort" in response.content.decode()
    session.refresh_from_db()
    assert session.title == "Grundutbildning vår"
    assert TrainingDay.objects.filter(pk=day.pk).exists()


# --- Roster, enrolment and attendance -------------------------------------------------


def test_roster_shows_enrolled_and_the_waiting_list_in_order(client, slk, cycle):
    session = make_session(cycle, slk, capacity=1)
    members = [new_member(cycle) for _ in range(3)]
    for member in members:
        services.enrol(session=session, member=member, by=slk)
    client.force_login(slk)
    content = client.get(reverse("examiners:session_roster", args=[session.pk])).content.decode()
    waiting = content.split('id="waiting-heading"')[1]
    assert str(members[0].profile) in content.split('id="waiting-heading"')[0]
    assert waiting.index(str(members[1].profile)) < waiting.index(str(members[2].profile))
    assert "0 lediga" in content


def test_enrol_through_the_roster(client, slk, cycle):
    session = make_session(cycle, slk, capacity=1)
    first, second = new_member(cycle), new_member(cycle)
    client.force_login(slk)
    url = reverse("examiners:enrol", args=[session.pk])

    response = client.post(url, {"member": first.pk})
    assert f"{first.profile} är anmäld" in texts(response)[0]
    response = client.post(url, {"member": second.pk})
    assert "står på väntelistan" in texts(response)[-1]
    assert list(Enrolment.objects.order_by("pk").values_list("status", flat=True)) == ["enrolled", "waiting"]


def test_enrol_offers_only_accepted_members_not_yet_enrolled(client, slk, training, cycle):
    free = new_member(cycle)
    volunteer = factories.pool_member(cycle, status="volunteered", qualified=False)
    other_cycle = new_member(factories.complete_cycle(open=True))
    client.force_login(slk)
    content = client.get(reverse("examiners:session_roster", args=[training["session"].pk])).content.decode()
    options = content.split('name="member"')[1].split("</select>")[0]
    assert str(free.profile) in options
    assert str(volunteer.profile) not in options
    assert str(other_cycle.profile) not in options
    assert str(training["enrolment"].member.profile) not in options

    response = client.post(
        reverse("examiners:enrol", args=[training["session"].pk]), {"member": volunteer.pk}
    )
    assert response.status_code == 302
    assert "Välj en antagen examinator" in texts(response)[0]
    assert Enrolment.objects.count() == 1


def test_cancel_asks_first_then_shows_who_moved_up(client, slk, cycle, django_capture_on_commit_callbacks):
    session = make_session(cycle, slk, capacity=1)
    place = services.enrol(session=session, member=new_member(cycle), by=slk)
    waiting = services.enrol(session=session, member=new_member(cycle), by=slk)
    client.force_login(slk)
    url = reverse("examiners:enrolment_cancel", args=[place.pk])

    confirm = client.get(url)
    assert confirm.status_code == 200
    assert f"Avanmäl {place.member.profile}" in confirm.content.decode()
    place.refresh_from_db()
    assert place.status == Enrolment.Status.ENROLLED

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)

    assert response.status_code == 302
    assert any(str(waiting.member.profile) in m and "fått en plats" in m for m in texts(response))
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.ENROLLED
    assert [m.to for m in mail.outbox] == [[waiting.member.profile.user.email]]
    assert client.get(url).status_code == 404


def test_cancel_refused_by_the_service_is_shown(client, slk, training):
    enrolment = training["enrolment"]
    services.attendance_mark(day=training["day"], present_member_ids=[enrolment.member_id], by=slk)
    client.force_login(slk)
    response = client.post(reverse("examiners:enrolment_cancel", args=[enrolment.pk]))
    assert "kan inte avanmälas" in texts(response)[0]
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED


def test_attendance_form_has_a_labelled_checkbox_per_enrolled(client, slk, training, cycle):
    other = services.enrol(session=training["session"], member=new_member(cycle), by=slk)
    client.force_login(slk)
    url = reverse("examiners:attendance", args=[training["session"].pk, training["day"].pk])
    content = client.get(url).content.decode()
    assert "<fieldset" in content and "<legend" in content
    for enrolment in (training["enrolment"], other):
        assert f'value="{enrolment.member_id}"' in content
        assert str(enrolment.member.profile) in content

    response = client.post(url, {"present": [training["enrolment"].member_id]})

    assert response.status_code == 302
    assert "1 av 2 närvarande" in texts(response)[0]
    marks = dict(Attendance.objects.values_list("enrolment_id", "present"))
    assert marks == {training["enrolment"].pk: True, other.pk: False}
    again = client.get(url).content.decode()
    assert again.count("checked") == 1


def test_attendance_for_someone_not_enrolled_changes_nothing(client, slk, training, cycle):
    client.force_login(slk)
    url = reverse("examiners:attendance", args=[training["session"].pk, training["day"].pk])
    response = client.post(url, {"present": [new_member(cycle).pk]})
    assert response.status_code == 200
    assert not Attendance.objects.exists()


def test_attendance_day_must_belong_to_the_session(client, slk, training, cycle):
    other = make_session(cycle, slk, days=[DAY_1])
    client.force_login(slk)
    url = reverse("examiners:attendance", args=[other.pk, training["day"].pk])
    assert client.get(url).status_code == 404


def test_print_has_a_box_per_day_for_each_enrolled(client, slk, training, cycle):
    services.enrol(session=training["session"], member=new_member(cycle), by=slk)
    client.force_login(slk)
    content = client.get(reverse("examiners:session_print", args=[training["session"].pk])).content.decode()
    assert "css/print.css" in content
    assert content.count('class="box"') == 2 * 2
    assert str(training["enrolment"].member.profile) in content


# --- Qualification --------------------------------------------------------------------


def qualification_pool(cycle, slk, size):
    """`size` accepted members: half new and enrolled in a basic training (some with
    attendance), half experienced; and one volunteer who must not be listed."""
    session = make_session(cycle, slk, capacity=size)
    members = []
    for i in range(size):
        if i % 2:
            members.append(factories.pool_member(cycle, experienced=True, qualified=False))
        else:
            member = new_member(cycle)
            services.enrol(session=session, member=member, by=slk)
            members.append(member)
    enrolled = [m.pk for m in members[::2]]
    for day in session.days.all():
        services.attendance_mark(day=day, present_member_ids=enrolled, by=slk)
    factories.pool_member(cycle, status="volunteered", qualified=False)
    return members


# Session, user and roles (3), the cycle, then members, enrolments, days, attendance,
# practice assessments, and the practice cases' references and submitted assessments.
QUALIFICATION_QUERIES = 11


@pytest.mark.parametrize("size", [2, 20])
def test_qualification_page_runs_a_fixed_number_of_queries(
    client, slk, cycle, size, django_assert_max_num_queries
):
    qualification_pool(cycle, slk, size)
    client.force_login(slk)
    url = reverse("examiners:qualification", args=[cycle.year])
    with django_assert_max_num_queries(QUALIFICATION_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('<th scope="row">') == size
    with django_assert_max_num_queries(QUALIFICATION_QUERIES):
        export = client.get(reverse("examiners:qualification_export", args=[cycle.year]))
    assert export.status_code == 200
    assert load_workbook(io.BytesIO(export.content)).active.max_row == size + 1


@pytest.mark.parametrize("size", [1, 3])
def test_session_pages_run_a_fixed_number_of_queries(client, slk, cycle, size, django_assert_max_num_queries):
    session = make_session(cycle, slk, capacity=size)
    for _ in range(size):
        services.enrol(session=session, member=new_member(cycle), by=slk)
    for _ in range(size - 1):
        make_session(cycle, slk)
    client.force_login(slk)
    day = session.days.first()
    pages = [
        (6, reverse("examiners:training_list", args=[cycle.year])),
        (9, reverse("examiners:session_roster", args=[session.pk])),
        (7, reverse("examiners:session_print", args=[session.pk])),
        (6, reverse("examiners:attendance", args=[session.pk, day.pk])),
    ]
    for most, url in pages:
        with django_assert_max_num_queries(most):
            response = client.get(url)
        assert response.status_code == 200, url
        assert session.title in response.content.decode(), url


def test_qualification_page_filters(client, slk, cycle):
    session = make_session(cycle, slk)
    done, missing = new_member(cycle), new_member(cycle)
    services.enrol(session=session, member=done, by=slk)
    services.enrol(session=session, member=missing, by=slk)
    for day in session.days.all():
        services.attendance_mark(day=day, present_member_ids=[done.pk], by=slk)
    client.force_login(slk)
    url = reverse("examiners:qualification", args=[cycle.year])

    everyone = client.get(url).content.decode()
    assert str(done.profile) in everyone and str(missing.profile) in everyone
    assert "Anmäld till Grundutbildning vår, inte genomförd" in everyone

    qualified = client.get(url, {"qualified": "ja"}).content.decode()
    assert str(done.profile) in qualified and str(missing.profile) not in qualified

    not_qualified = client.get(url, {"qualified": "nej"}).content.decode()
    assert str(missing.profile) in not_qualified and str(done.profile) not in not_qualified
    assert "behorighet/excel/?qualified=nej" in not_qualified


def test_export_has_one_row_per_member(client, slk, cycle):
    members = qualification_pool(cycle, slk, 4)
    client.force_login(slk)
    response = client.get(reverse("examiners:qualification_export", args=[cycle.year]))
    assert response.status_code == 200
    assert (
        response["Content-Disposition"] == f'attachment; filename="examinatorsutbildning-{cycle.year}.xlsx"'
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:5] == ("Namn", "E-post", "Förvaltning eller bolag", "Ny eller erfaren", "Kvalificerad")
    assert len(rows) == 1 + len(members)
    assert {r[0] for r in rows[1:]} == {str(m.profile) for m in members}
    new = next(r for r in rows[1:] if r[0] == str(members[0].profile))
    assert new[3:5] == ("Ny", "Ja")
    assert new[6] == "Grundutbildning vår"


def test_export_follows_the_filter_and_cannot_run_formulas(client, slk, cycle):
    member = new_member(cycle)
    member.profile.user.first_name = "=HYPERLINK(1)"
    member.profile.user.save()
    factories.pool_member(cycle, experienced=True, qualified=False)
    client.force_login(slk)
    response = client.get(reverse("examiners:qualification_export", args=[cycle.year]), {"qualified": "nej"})
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) == 2
    cell = sheet.cell(row=2, column=1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK")


def _named(cycle, first, last):
    member = new_member(cycle)
    user = member.profile.user
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return member


def test_roster_searches_and_sorts_the_enrolled_and_keeps_the_waiting_list_whole(client, slk, cycle):
    session = make_session(cycle, slk, capacity=2)
    for first, last in [("Åsa", "Berg"), ("Nils", "Ek"), ("Karin", "Lind")]:
        services.enrol(session=session, member=_named(cycle, first, last), by=slk)
    client.force_login(slk)
    url = reverse("examiners:session_roster", args=[session.pk])

    enrolled = client.get(url, {"sortera": "-namn"}).content.decode().split('id="waiting-heading"')[0]
    assert enrolled.index("Nils Ek") < enrolled.index("Åsa Berg")
    assert 'aria-sort="descending"' in enrolled

    response = client.get(url, {"sok": "berg"})
    assert response.status_code == 200
    content = response.content.decode()
    enrolled, waiting = content.split('id="waiting-heading"')
    assert "Åsa Berg" in enrolled and "Nils Ek" not in enrolled
    assert "Sökning: ”berg”" in enrolled
    # The waiting list is the order places are offered in, whatever is searched.
    assert "Karin Lind" in waiting

    content = client.get(url, {"sok": "ingen-sådan"}).content.decode()
    assert "Ingen anmäld matchar ”ingen-sådan”." in content
