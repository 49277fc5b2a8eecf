"""The unit's improvement loop: while writing a new application the unit sees, beside each
criterion, the areas for improvement of its last released feedback report (only released
reports, only its own unit's) and notes what it has done; examiners read the notes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from award.models import AwardCycle, Track, today
from scoring.models import FeedbackItem, FeedbackReport
from scoring.queries import earlier_improvements
from submissions import services
from submissions.models import Answer, Application
from tests.support import factories
from tests.support.teams import confirmed_team

pytestmark = pytest.mark.django_db

AREA = "Följ upp resultaten systematiskt"


def quality(cycle) -> Track:
    return cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)


def with_answers(application):
    Answer.objects.bulk_create(
        Answer(
            application=application,
            criterion=c,
            text="Så här arbetar vi.",
            updated_by=application.registered_by,
        )
        for c in application.track.criteria.all()
    )
    return application


def earlier_report(unit, year, *, approved=True, released=True, area=AREA):
    """An application of `unit` in `year`'s cycle with a feedback report naming `area` on criterion 1."""
    cycle = AwardCycle.objects.filter(year=year).first() or factories.complete_cycle(year=year, open=True)
    AwardCycle.objects.filter(pk=cycle.pk).update(
        feedback_release=today() - dt.timedelta(days=10) if released else today() + dt.timedelta(days=10)
    )
    application = factories.submitted_application(quality(cycle), unit)
    report = FeedbackReport.objects.create(
        application=application,
        status=FeedbackReport.Status.APPROVED if approved else FeedbackReport.Status.DRAFT,
    )
    FeedbackItem.objects.create(
        report=report, criterion=quality(cycle).criteria.get(number=1), improvements=[area], strengths=["Bra"]
    )
    return report


@pytest.fixture
def draft(cycle, unit):
    application = factories.submitted_application(
        quality(cycle), unit, status=Application.Status.DRAFT, submitted_at=None
    )
    services.grant_unit_access(application)
    return with_answers(application)


def _answer_page(client, user, application, number=1):
    criterion = application.track.criteria.get(number=number)
    client.force_login(user)
    return client.get(
        reverse("submissions:answer_edit", args=[application.pk, criterion.pk])
    ).content.decode()


def test_the_unit_sees_last_released_areas_beside_the_criterion(client, unit_contact, draft, cycle):
    earlier_report(draft.unit, cycle.year - 1)
    content = _answer_page(client, unit_contact, draft)
    assert AREA in content
    assert "Förbättringsområden från er senaste återföring" in content
    # Criterion 2 had no areas.
    assert AREA not in _answer_page(client, unit_contact, draft, number=2)


def test_only_the_latest_released_report_counts(draft, cycle):
    earlier_report(draft.unit, cycle.year - 2, area="Gammalt område")
    earlier_report(draft.unit, cycle.year - 1, area="Nyare område")
    assert earlier_improvements(draft) == {1: ["Nyare område"]}


def test_a_report_not_approved_is_not_shown(draft, cycle):
    earlier_report(draft.unit, cycle.year - 1, approved=False)
    assert earlier_improvements(draft) == {}


def test_a_report_not_yet_released_is_not_shown(draft, cycle):
    earlier_report(draft.unit, cycle.year - 1, released=False)
    assert earlier_improvements(draft) == {}


def test_another_units_report_is_never_shown(client, unit_contact, draft, cycle):
    earlier_report(factories.UnitFactory(), cycle.year - 1, area="Den andra enhetens område")
    assert earlier_improvements(draft) == {}
    assert "Den andra enhetens område" not in _answer_page(client, unit_contact, draft)


def test_the_unit_notes_what_it_has_done(client, unit_contact, draft, cycle):
    earlier_report(draft.unit, cycle.year - 1)
    criterion = draft.track.criteria.get(number=1)
    client.force_login(unit_contact)
    response = client.post(
        reverse("submissions:improvement_notes", args=[draft.pk, criterion.pk]),
        {"note_0": "Vi mäter varje månad."},
    )
    assert response.status_code == 302
    answer = Answer.objects.get(application=draft, criterion=criterion)
    assert answer.improvement_notes == [{"area": AREA, "done": "Vi mäter varje månad."}]
    assert "Vi mäter varje månad." in _answer_page(client, unit_contact, draft)


def test_notes_without_earlier_areas_are_refused(unit_contact, draft):
    criterion = draft.track.criteria.get(number=1)
    with pytest.raises(ValidationError):
        services.answer_improvements_save(
            application=draft, criterion_id=criterion.pk, notes=["Något"], by=unit_contact
        )
    assert Answer.objects.get(application=draft, criterion=criterion).improvement_notes == []


def test_examiners_see_the_notes_with_the_answer(client, cycle, slk):
    track = quality(cycle)
    _team, members, (application,) = confirmed_team(cycle, track, slk)
    with_answers(application)
    criterion = track.criteria.get(number=1)
    Answer.objects.filter(application=application, criterion=criterion).update(
        improvement_notes=[{"area": AREA, "done": "Vi mäter varje månad."}]
    )
    examiner = members[1]
    client.force_login(examiner.profile.user)
    content = client.get(reverse("scoring:assessment", args=[application.pk])).content.decode()
    assert "Vi mäter varje månad." in content and AREA in content
