"""The unit's improvement notes on SLK's personal-data page: the person who wrote them
finds them in their export; anonymising keeps them (they are the unit's, like its answers)."""

import pytest

from award.models import Track
from award.personal import data as personal_data
from submissions import services
from submissions.models import Answer, Application
from tests.support import factories
from tests.support.history import earlier_entry

pytestmark = pytest.mark.django_db

AREA = "Följ upp resultaten systematiskt"
NOTE = "Vi mäter varje månad och går igenom resultaten i arbetslagen."


@pytest.fixture
def noted(cycle, unit, unit_contact):
    earlier_entry(unit, cycle.year - 1, area=AREA)
    track = cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    draft = factories.submitted_application(track, unit, status=Application.Status.DRAFT, submitted_at=None)
    services.grant_unit_access(draft)
    criterion = track.criteria.get(number=1)
    Answer.objects.create(application=draft, criterion=criterion, text="Svar", updated_by=unit_contact)
    services.answer_improvements_save(
        application=draft, criterion_id=criterion.pk, notes=[NOTE], by=unit_contact
    )
    return draft


def test_the_writer_finds_the_notes_in_their_export(noted, unit_contact, other_unit_contact):
    (row,) = personal_data.export(unit_contact)["improvement_notes_written"]
    assert row["criterion"] == 1
    assert row["notes"] == [{"area": AREA, "done": NOTE}]
    assert personal_data.export(other_unit_contact)["improvement_notes_written"] == []


def test_anonymising_the_writer_keeps_the_units_notes(noted, unit_contact, slk, cycle):
    personal_data.anonymise(user=unit_contact, by=slk)
    answer = Answer.objects.get(application=noted, criterion__number=1)
    assert answer.improvement_notes == [{"area": AREA, "done": NOTE}]
