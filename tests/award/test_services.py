import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from award import queries, services
from award.models import AuditEntry, AwardCycle, Criterion, Phase, today
from tests.support import factories

pytestmark = pytest.mark.django_db


def test_open_cycle_with_valid_setup(slk):
    cycle = factories.complete_cycle()
    services.cycle_open(cycle=cycle, by=slk)
    cycle.refresh_from_db()
    assert cycle.status == AwardCycle.Status.OPEN
    assert AuditEntry.objects.filter(action="cycle.open", actor=slk).count() == 1


def test_open_cycle_refuses_weights_not_summing_to_1000_naming_track_and_sum(slk):
    cycle = factories.complete_cycle()
    criterion = Criterion.objects.filter(track__cycle=cycle, track__kind="renewal_prize").first()
    criterion.weight += 50
    criterion.save()
    with pytest.raises(ValidationError) as error:
        services.cycle_open(cycle=cycle, by=slk)
    assert error.value.messages == [
        "Kriteriernas vikter i Förnyelsepriset summerar till 1050 poäng, inte 1000."
    ]
    cycle.refresh_from_db()
    assert cycle.status == AwardCycle.Status.DRAFT
    assert not AuditEntry.objects.exists()


def test_open_cycle_refuses_scale_with_gap(slk):
    cycle = factories.complete_cycle()
    cycle.scale.bands.filter(kind="approach", low=0).delete()
    with pytest.raises(ValidationError) as error:
        services.cycle_open(cycle=cycle, by=slk)
    assert "0 %" in error.value.messages[0]


def test_copy_cycle_moves_dates_one_year_and_copies_setup(slk):
    cycle = factories.complete_cycle(year=2040, open=True)
    cycle.discussion_threshold = 25
    cycle.save()
    copy = services.cycle_copy(cycle=cycle, by=slk)
    assert copy.year == 2041
    assert copy.status == AwardCycle.Status.DRAFT
    assert copy.registration_opens == cycle.registration_opens.replace(year=cycle.registration_opens.year + 1)
    assert copy.feedback_release == cycle.feedback_release.replace(year=cycle.feedback_release.year + 1)
    assert copy.discussion_threshold == 25
    assert sorted(copy.tracks.values_list("kind", flat=True)) == ["quality_award", "renewal_prize"]
    assert (
        Criterion.objects.filter(track__cycle=copy).count()
        == Criterion.objects.filter(track__cycle=cycle).count()
    )
    assert copy.scale.bands.count() == cycle.scale.bands.count()
    assert list(copy.tracks.get(kind="quality_award").classes.values_list("name", flat=True)) == [
        "Förskola",
        "Skola",
        "Äldreomsorg",
    ]
    assert not copy.committee.exists()
    assert queries.cycle_opening_errors(copy) == []


def test_copy_cycle_refuses_existing_year(slk):
    cycle = factories.complete_cycle(year=2040)
    factories.AwardCycleFactory(year=2041)
    with pytest.raises(ValidationError):
        services.cycle_copy(cycle=cycle, by=slk)


def test_copy_handles_leap_day(slk):
    dates = factories.timeline(dt.date(2040, 2, 9))
    assert dates["registration_closes"] == dt.date(2040, 2, 29)
    cycle = factories.complete_cycle(year=2040, **dates)
    copy = services.cycle_copy(cycle=cycle, by=slk)
    assert copy.registration_closes == dt.date(2041, 2, 28)


def test_close_phase_early_moves_to_next_phase_and_is_recorded(slk, cycle):
    assert cycle.phase == Phase.REGISTRATION
    new_phase = services.phase_close_early(cycle=cycle, by=slk, reason="Alla har anmält sig")
    assert new_phase == Phase.APPLICATION
    cycle.refresh_from_db()
    assert cycle.registration_closes == today() - dt.timedelta(days=1)
    entry = AuditEntry.objects.get(action="cycle.phase_closed_early")
    assert entry.actor == slk
    assert entry.reason == "Alla har anmält sig"
    assert "registration_closes" in entry.changes


def test_closing_phases_walks_the_whole_year_in_one_day(slk, cycle):
    seen = [cycle.phase]
    while cycle.phase != Phase.FEEDBACK:
        seen.append(services.phase_close_early(cycle=cycle, by=slk, reason="demo"))
        cycle.refresh_from_db()
    assert seen == list(Phase)[1:]
    with pytest.raises(ValidationError):
        services.phase_close_early(cycle=cycle, by=slk, reason="demo")


def test_extend_phase_pushes_later_dates_and_keeps_order(slk, cycle):
    until = cycle.registration_closes + dt.timedelta(days=40)
    changed = services.phase_extend(cycle=cycle, by=slk, until=until, reason="Fler anmälningar väntas")
    cycle.refresh_from_db()
    assert cycle.registration_closes == until
    assert cycle.application_deadline >= until
    assert "application_deadline" in changed
    cycle.full_clean()
    assert cycle.phase == Phase.REGISTRATION


def test_extend_refuses_date_before_current_end(slk, cycle):
    with pytest.raises(ValidationError):
        services.phase_extend(cycle=cycle, by=slk, until=cycle.registration_closes, reason="x")
    assert not AuditEntry.objects.exists()
