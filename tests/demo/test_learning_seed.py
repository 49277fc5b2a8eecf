"""The demo's two learning loops: the practice case of this year's basic training with the
trainees' assessments, and a unit that entered twice, whose draft answers last year's
released areas for improvement (demo/examiners.py, demo/learning.py)."""

import pytest
from django.urls import reverse

from examiners.models import PracticeAssessment, PracticeCase, TrainingSession
from examiners.training.queries import practice_flags
from judging.queries import unit_history
from scoring.models import FeedbackReport
from scoring.queries import earlier_improvements, report_released
from submissions.models import Application

pytestmark = pytest.mark.django_db


def test_the_basic_training_has_a_practice_case_with_a_reference(current):
    case = PracticeCase.objects.get(session__cycle=current, session__kind=TrainingSession.Kind.BASIC)
    assert case.source is not None and case.source.track.cycle.year == current.year - 1
    items = list(case.items.all())
    assert items and all(i.reference_score is not None and i.reference_strengths for i in items)
    # The unit's name is taken out of the copied texts.
    assert not any(case.source.unit.name in i.text for i in items)


def test_trainees_assessed_it_some_submitted_one_far_from_the_reference(current):
    assessments = PracticeAssessment.objects.filter(case__session__cycle=current)
    submitted = assessments.filter(status=PracticeAssessment.Status.SUBMITTED)
    assert submitted.count() >= 5
    assert assessments.filter(status=PracticeAssessment.Status.DRAFT).count() == 1
    assert len(practice_flags(current)) == 1
    first_day = submitted.first().case.session.days.order_by("date").first().date
    assert all(a.submitted_at.date() < first_day for a in submitted)


def test_a_unit_entered_twice_and_its_draft_answers_last_years_areas(current, previous):
    draft = Application.objects.get(
        track__cycle=current, unit__name="Vasa Real", status=Application.Status.DRAFT
    )
    report = FeedbackReport.objects.get(application__track__cycle=previous, application__unit=draft.unit)
    assert report_released(report) and any(i.improvements for i in report.items.all())
    areas = earlier_improvements(draft)
    noted = [a for a in draft.answers.select_related("criterion") if a.improvement_notes]
    assert noted
    for answer in noted:
        assert {n["area"] for n in answer.improvement_notes} <= set(areas[answer.criterion.number])
    history = unit_history(draft.unit)
    assert [e.year for e in history["entries"]][:2] == [current.year, previous.year]
    (profile,) = history["profiles"]
    assert profile.years == [previous.year]


def test_the_units_contact_reads_its_history(client, current):
    draft = Application.objects.get(track__cycle=current, unit__name="Vasa Real")
    client.force_login(draft.unit.contacts.first())
    response = client.get(reverse("judging:unit_history", args=[draft.unit_id]))
    assert response.status_code == 200
    assert str(current.year - 1) in response.content.decode()
