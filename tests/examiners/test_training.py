"""The training rules: enrolment with a waiting list that moves up on its own, e-mail when
a session changes, attendance per day, and who is qualified to be placed in a team."""

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from examiners import services
from examiners.models import Attendance, Enrolment, PoolMember, TrainingDay, TrainingSession
from examiners.training import queries as queries_training
from examiners.training.forms import SessionForm, parse_days
from tests.support import factories

pytestmark = pytest.mark.django_db

DAY_1, DAY_2 = dt.date(2030, 3, 4), dt.date(2030, 3, 5)


def make_session(cycle, slk, *, kind=TrainingSession.Kind.BASIC, capacity=10, days=(DAY_1, DAY_2), **kwargs):
    values = {"title": f"{TrainingSession.Kind(kind).label} {len(days)} dagar", "place": "Stadshuset"}
    values.update(kwargs)
    session = TrainingSession(cycle=cycle, kind=kind, capacity=capacity, trainer="Utbildare", **values)
    return services.session_save(session=session, days=list(days), by=slk)


def new_member(cycle, **kwargs):
    return factories.pool_member(cycle, experienced=False, qualified=False, **kwargs)


def status_of(member):
    return PoolMember.objects.get(pk=member.pk).training_status()


# --- Enrolment and the waiting list ---------------------------------------------------


def test_enrol_fills_the_places_then_puts_people_on_the_waiting_list(cycle, slk):
    session = make_session(cycle, slk, capacity=2)
    statuses = [services.enrol(session=session, member=new_member(cycle), by=slk).status for _ in range(3)]
    assert statuses == [Enrolment.Status.ENROLLED, Enrolment.Status.ENROLLED, Enrolment.Status.WAITING]


def test_enrol_twice_is_refused(cycle, slk):
    session = make_session(cycle, slk)
    member = new_member(cycle)
    services.enrol(session=session, member=member, by=slk)
    with pytest.raises(ValidationError, match="redan anmäld"):
        services.enrol(session=session, member=member, by=slk)


def test_enrol_in_another_cycles_session_is_refused(cycle, slk):
    other = factories.complete_cycle(open=True)
    session = make_session(other, slk)
    with pytest.raises(ValidationError, match="annan omgång"):
        services.enrol(session=session, member=new_member(cycle), by=slk)


def test_only_slk_enrols_someone_else(cycle, slk, committee_member):
    session = make_session(cycle, slk)
    with pytest.raises(PermissionDenied):
        services.enrol(session=session, member=new_member(cycle), by=committee_member)


def test_cancel_promotes_the_first_waiting_and_mails_them(cycle, slk, django_capture_on_commit_callbacks):
    session = make_session(cycle, slk, capacity=1)
    first, second, third = (new_member(cycle) for _ in range(3))
    place = services.enrol(session=session, member=first, by=slk)
    services.enrol(session=session, member=second, by=slk)
    services.enrol(session=session, member=third, by=slk)

    with django_capture_on_commit_callbacks(execute=True):
        promoted = services.enrolment_cancel(enrolment=place, by=slk)

    assert [e.member for e in promoted] == [second]
    statuses = dict(Enrolment.objects.filter(session=session).values_list("member_id", "status"))
    assert statuses == {
        first.pk: Enrolment.Status.CANCELLED,
        second.pk: Enrolment.Status.ENROLLED,
        third.pk: Enrolment.Status.WAITING,
    }
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [second.profile.user.email]
    assert session.title in mail.outbox[0].subject
    assert "flyttats från väntelistan" in mail.outbox[0].body
    assert "2030" in mail.outbox[0].body


def test_leaving_the_waiting_list_promotes_nobody(cycle, slk, django_capture_on_commit_callbacks):
    session = make_session(cycle, slk, capacity=1)
    services.enrol(session=session, member=new_member(cycle), by=slk)
    waiting = services.enrol(session=session, member=new_member(cycle), by=slk)
    later = services.enrol(session=session, member=new_member(cycle), by=slk)

    with django_capture_on_commit_callbacks(execute=True):
        assert services.enrolment_cancel(enrolment=waiting, by=slk) == []

    later.refresh_from_db()
    assert later.status == Enrolment.Status.WAITING
    assert mail.outbox == []


def test_cancel_after_attending_is_refused(cycle, slk):
    session = make_session(cycle, slk)
    member = new_member(cycle)
    enrolment = services.enrol(session=session, member=member, by=slk)
    services.attendance_mark(day=session.days.first(), present_member_ids=[member.pk], by=slk)
    with pytest.raises(ValidationError, match="närvaro"):
        services.enrolment_cancel(enrolment=enrolment, by=slk)
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ENROLLED


def test_more_places_move_the_waiting_list_up(cycle, slk, django_capture_on_commit_callbacks):
    session = make_session(cycle, slk, capacity=1)
    services.enrol(session=session, member=new_member(cycle), by=slk)
    waiting = services.enrol(session=session, member=new_member(cycle), by=slk)
    session.capacity = 2
    with django_capture_on_commit_callbacks(execute=True):
        services.session_save(session=session, days=[DAY_1, DAY_2], by=slk, notify=False)
    waiting.refresh_from_db()
    assert waiting.status == Enrolment.Status.ENROLLED
    assert [m.to for m in mail.outbox] == [[waiting.member.profile.user.email]]


# --- Changing a session ---------------------------------------------------------------


def test_changing_a_session_mails_the_enrolled_and_the_waiting(
    cycle, slk, django_capture_on_commit_callbacks
):
    session = make_session(cycle, slk, capacity=1)
    enrolled, waiting, cancelled = (new_member(cycle) for _ in range(3))
    services.enrol(session=session, member=enrolled, by=slk)
    services.enrol(session=session, member=waiting, by=slk)
    services.enrolment_cancel(enrolment=services.enrol(session=session, member=cancelled, by=slk), by=slk)

    session.place = "Kulturhuset"
    with django_capture_on_commit_callbacks(execute=True):
        services.session_save(session=session, days=[DAY_1, dt.date(2030, 3, 6)], by=slk)

    # One e-mail per person (the outbox): nobody sees who else is enrolled.
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [enrolled.profile.user.email, waiting.profile.user.email]
    )
    message = mail.outbox[0]
    assert "Ändring" in message.subject
    assert "Kulturhuset" in message.body
    assert "6 mars 2030" in message.body
    assert "5 mars 2030" not in message.body
    assert list(session.days.values_list("date", flat=True)) == [DAY_1, dt.date(2030, 3, 6)]


def test_creating_a_session_or_saving_without_notice_mails_nobody(
    cycle, slk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        session = make_session(cycle, slk)
        services.enrol(session=session, member=new_member(cycle), by=slk)
        services.session_save(session=session, days=[DAY_1], by=slk, notify=False)
    assert mail.outbox == []


def test_a_day_with_attendance_cannot_be_removed(cycle, slk):
    session = make_session(cycle, slk)
    member = new_member(cycle)
    services.enrol(session=session, member=member, by=slk)
    day = session.days.get(date=DAY_2)
    services.attendance_mark(day=day, present_member_ids=[member.pk], by=slk)

    session.place = "Någon annanstans"
    with pytest.raises(ValidationError, match="närvaro registrerad"):
        services.session_save(session=session, days=[DAY_1], by=slk)

    assert TrainingDay.objects.filter(pk=day.pk).exists()
    assert TrainingSession.objects.get(pk=session.pk).place == "Stadshuset"


def test_only_slk_changes_sessions(cycle, slk, examiner):
    session = make_session(cycle, slk)
    with pytest.raises(PermissionDenied):
        services.session_save(session=session, days=[DAY_1], by=examiner)


# --- Attendance and the training rule -------------------------------------------------


def mark(session, slk, present_by_date: dict):
    for day in session.days.all():
        services.attendance_mark(day=day, present_member_ids=present_by_date.get(day.date, []), by=slk)


def test_a_new_examiner_is_qualified_after_every_day_of_the_basic_training(cycle, slk):
    session = make_session(cycle, slk)
    member = new_member(cycle)
    services.enrol(session=session, member=member, by=slk)
    assert status_of(member) == (False, f"Anmäld till {session.title}, inte genomförd")

    mark(session, slk, {DAY_1: [member.pk], DAY_2: [member.pk]})

    status = status_of(member)
    assert status.qualified
    assert session.title in status.label


def test_a_new_examiner_missing_one_day_is_not_qualified(cycle, slk):
    session = make_session(cycle, slk)
    member, other = new_member(cycle), new_member(cycle)
    services.enrol(session=session, member=member, by=slk)
    services.enrol(session=session, member=other, by=slk)

    mark(session, slk, {DAY_1: [member.pk, other.pk], DAY_2: [other.pk]})

    assert not status_of(member).qualified
    assert status_of(other).qualified
    absent = Attendance.objects.get(enrolment__member=member, day__date=DAY_2)
    assert absent.present is False


def test_a_new_examiner_needs_the_basic_training_not_a_refresher(cycle, slk):
    session = make_session(cycle, slk, kind=TrainingSession.Kind.REFRESHER, days=[DAY_1])
    member = new_member(cycle)
    services.enrol(session=session, member=member, by=slk)
    mark(session, slk, {DAY_1: [member.pk]})
    assert status_of(member) == (False, "Ny examinator: saknar grundutbildning")


def test_attendance_only_for_enrolled_examiners(cycle, slk):
    session = make_session(cycle, slk, capacity=1)
    services.enrol(session=session, member=new_member(cycle), by=slk)
    waiting = services.enrol(session=session, member=new_member(cycle), by=slk)
    with pytest.raises(ValidationError, match="anmälda deltagare"):
        services.attendance_mark(day=session.days.first(), present_member_ids=[waiting.member_id], by=slk)
    assert not Attendance.objects.exists()


def test_experienced_examiners_need_nothing_when_the_cycle_asks_no_refresher(cycle):
    cycle.refresher_required = False
    cycle.save()
    member = factories.pool_member(cycle, experienced=True, qualified=False)
    assert status_of(member) == (True, "Erfaren, ingen repetition krävs i år")


@pytest.mark.parametrize("kind", [TrainingSession.Kind.REFRESHER, TrainingSession.Kind.BASIC])
def test_experienced_examiners_need_a_refresher_when_the_cycle_asks(cycle, slk, kind):
    cycle.refresher_required = True
    cycle.save()
    member = factories.pool_member(cycle, experienced=True, qualified=False)
    assert status_of(member) == (False, "Saknar repetitionsutbildning")

    session = make_session(cycle, slk, kind=kind, days=[DAY_1])
    services.enrol(session=session, member=member, by=slk)
    mark(session, slk, {DAY_1: [member.pk]})

    assert status_of(member).qualified


def test_a_calibration_workshop_does_not_qualify(cycle, slk):
    cycle.refresher_required = True
    cycle.save()
    member = factories.pool_member(cycle, experienced=True, qualified=False)
    session = make_session(cycle, slk, kind=TrainingSession.Kind.CALIBRATION, days=[DAY_1])
    services.enrol(session=session, member=member, by=slk)
    mark(session, slk, {DAY_1: [member.pk]})
    assert not status_of(member).qualified


# --- The qualification overview -------------------------------------------------------


def test_overview_lists_accepted_members_with_their_sessions(cycle, slk):
    basic = make_session(cycle, slk, capacity=1)
    done, waiting = new_member(cycle), new_member(cycle)
    experienced = factories.pool_member(cycle, experienced=True, qualified=False)
    factories.pool_member(cycle, status=PoolMember.Status.VOLUNTEERED)
    services.enrol(session=basic, member=done, by=slk)
    services.enrol(session=basic, member=waiting, by=slk)
    mark(basic, slk, {DAY_1: [done.pk], DAY_2: [done.pk]})

    rows = {row.member.pk: row for row in queries_training.qualification_overview(cycle=cycle)}

    assert set(rows) == {done.pk, waiting.pk, experienced.pk}
    assert rows[done.pk].status.qualified and rows[done.pk].enrolled == [basic]
    assert not rows[waiting.pk].status.qualified
    assert rows[waiting.pk].waiting == [basic] and rows[waiting.pk].enrolled == []
    assert rows[experienced.pk].experienced and rows[experienced.pk].status.qualified

    qualified = queries_training.qualification_overview(cycle=cycle, qualified=True)
    assert {r.member.pk for r in qualified} == {done.pk, experienced.pk}
    not_qualified = queries_training.qualification_overview(cycle=cycle, qualified=False)
    assert [r.member.pk for r in not_qualified] == [waiting.pk]


def test_a_cancelled_place_is_not_shown(cycle, slk):
    session = make_session(cycle, slk)
    member = new_member(cycle)
    services.enrolment_cancel(enrolment=services.enrol(session=session, member=member, by=slk), by=slk)
    (row,) = queries_training.qualification_overview(cycle=cycle)
    assert row.enrolled == [] and row.waiting == []


def test_roster_keeps_the_waiting_list_in_order(cycle, slk):
    session = make_session(cycle, slk, capacity=1)
    members = [new_member(cycle) for _ in range(4)]
    for member in members:
        services.enrol(session=session, member=member, by=slk)
    roster = queries_training.session_roster(session)
    assert [e.member for e in roster.enrolled] == members[:1]
    assert [e.member for e in roster.waiting] == members[1:]


def test_session_list_counts_enrolled_and_waiting_once_each(cycle, slk):
    session = make_session(cycle, slk, capacity=2, days=[DAY_1, DAY_2, dt.date(2030, 3, 6)])
    for _ in range(3):
        services.enrol(session=session, member=new_member(cycle), by=slk)
    (listed,) = queries_training.sessions_for_cycle(cycle)
    assert (listed.enrolled_count, listed.waiting_count) == (2, 1)
    assert len(listed.days.all()) == 3


# --- The session form -----------------------------------------------------------------


def test_days_may_be_given_one_a_line_or_with_commas():
    assert parse_days("2030-03-05\n2030-03-04") == [DAY_1, DAY_2]
    assert parse_days(" 2030-03-04, 2030-03-05 ") == [DAY_1, DAY_2]


@pytest.mark.parametrize("text", ["4 mars 2030", "2030-3-4", "2030-02-30", "20300304", "2030-03-04 09:00"])
def test_days_in_any_other_form_are_refused_in_swedish(text):
    with pytest.raises(ValidationError) as error:
        parse_days(text)
    assert error.value.messages == [f"”{text}” är inte ett datum. Skriv datum som ÅÅÅÅ-MM-DD."]


def test_the_same_day_twice_is_refused():
    with pytest.raises(ValidationError, match="två gånger"):
        parse_days("2030-03-04, 2030-03-04")


def test_session_form_saves_through_the_service(cycle, slk):
    form = SessionForm(
        {
            "kind": TrainingSession.Kind.BASIC,
            "title": "Grundutbildning vår",
            "place": "Stadshuset",
            "capacity": "20",
            "trainer": "Eva Utbildare",
            "days": "2030-03-04\n2030-03-05",
        },
        instance=TrainingSession(cycle=cycle),
    )
    assert form.is_valid(), form.errors
    session = form.save(by=slk)
    assert list(session.days.values_list("date", flat=True)) == [DAY_1, DAY_2]
    assert "notify" not in form.fields

    edit = SessionForm(instance=session)
    assert edit.initial["days"] == "2030-03-04\n2030-03-05"
    assert "notify" in edit.fields


def test_session_form_needs_at_least_one_place(cycle):
    form = SessionForm(
        {"kind": "basic", "title": "T", "place": "P", "capacity": "0", "trainer": "U", "days": "2030-03-04"},
        instance=TrainingSession(cycle=cycle),
    )
    assert not form.is_valid()
    assert "capacity" in form.errors
