"""A trainee's practice assessments on SLK's personal-data page: exported, and deleted
when the person is anonymised (training, not the award's record)."""

import pytest

from award.personal import data as personal_data
from examiners.models import PracticeAssessment, PracticeAssessmentItem
from tests.support.practice import practice_assessment, practice_case

pytestmark = pytest.mark.django_db


def test_the_export_holds_the_persons_practice_assessment(cycle, slk):
    case = practice_case(cycle, slk)
    own = practice_assessment(case, slk, 50, strength="Min egen styrka")
    other = practice_assessment(case, slk, 70, strength="Någon annans styrka")
    exported = personal_data.export(own.member.profile.user)["practice_assessments"]
    assert [(a["case"], a["status"]) for a in exported] == [("Förskolan Exempel", "Inlämnad")]
    assert exported[0]["items"][0]["score"] == 50
    assert exported[0]["items"][0]["strengths"] == ["Min egen styrka"]
    assert "Någon annans styrka" not in str(personal_data.export(own.member.profile.user))
    assert other.pk  # the other trainee's stays theirs


def test_anonymising_deletes_the_practice_assessment_and_nobody_elses(cycle, slk):
    case = practice_case(cycle, slk)
    own = practice_assessment(case, slk, 50)
    other = practice_assessment(case, slk, 70, submit=False)
    summary = personal_data.anonymise(user=own.member.profile.user, by=slk)
    assert not PracticeAssessment.objects.filter(pk=own.pk).exists()
    assert not PracticeAssessmentItem.objects.filter(assessment_id=own.pk).exists()
    assert PracticeAssessment.objects.filter(pk=other.pk).exists()
    assert summary["practice_assessments_deleted"] == 1
