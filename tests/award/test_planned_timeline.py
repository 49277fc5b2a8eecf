"""The cycle's planned timeline (issue 12): closing phases early or extending them moves
the dates but not the plan, so next year's copy is laid out from the plan; and a cycle
whose dates are out of order does not open, each refusal naming the dates."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from award import queries, services
from award.models import AwardCycle, Phase
from tests.support import factories

pytestmark = pytest.mark.django_db

fill_planned_timeline = importlib.import_module(
    "award.migrations.0003_fill_planned_timeline"
).fill_planned_timeline


def dates_of(cycle):
    return cycle.timeline_dates()


def one_year_later(dates):
    return {name: day.replace(year=day.year + 1) for name, day in dates.items()}


# --- The planned timeline ------------------------------------------------------------------


def test_copy_after_closing_phases_early_lays_out_the_planned_dates(slk):
    cycle = services.cycle_open(cycle=factories.complete_cycle(year=2040), by=slk)
    planned = dates_of(cycle)
    while cycle.phase != Phase.FEEDBACK:
        services.phase_close_early(cycle=cycle, by=slk, reason="Klart tidigt")
        cycle.refresh_from_db()
    assert dates_of(cycle) != planned  # the actual dates collapsed onto today

    copy = services.cycle_copy(cycle=cycle, by=slk)

    assert dates_of(copy) == one_year_later(planned)
    assert copy.planned_dates() == one_year_later(planned)
    assert len(set(dates_of(copy).values())) == len(set(planned.values()))
    assert queries.cycle_opening_errors(copy) == []


def test_extending_a_phase_moves_the_dates_but_not_the_plan(slk):
    cycle = services.cycle_open(cycle=factories.complete_cycle(year=2040), by=slk)
    planned = dates_of(cycle)

    services.phase_extend(
        cycle=cycle,
        by=slk,
        until=cycle.registration_closes + dt.timedelta(days=50),
        reason="Fler anmälningar",
    )

    cycle.refresh_from_db()
    assert cycle.registration_closes != planned["registration_closes"]
    assert cycle.planned_dates() == planned
    assert dates_of(services.cycle_copy(cycle=cycle, by=slk)) == one_year_later(planned)


def test_opening_freezes_the_plan_and_a_draft_plans_with_its_dates(slk):
    draft = factories.complete_cycle(year=2040)
    assert draft.planned_timeline == {} and draft.planned_dates() == dates_of(draft)

    opened = services.cycle_open(cycle=draft, by=slk)

    opened.refresh_from_db()
    assert opened.planned_timeline == {name: day.isoformat() for name, day in dates_of(draft).items()}


def test_migration_fills_the_plan_from_the_audit_trail_or_the_dates(slk):
    moved = factories.complete_cycle(year=2040, open=True)
    untouched = factories.complete_cycle(year=2041, open=True)
    draft = factories.complete_cycle(year=2042)
    planned = dates_of(moved)
    services.phase_extend(
        cycle=moved, by=slk, until=moved.registration_closes + dt.timedelta(days=5), reason="Förlängt"
    )
    services.phase_close_early(cycle=moved, by=slk, reason="Klart")
    services.phase_close_early(cycle=moved, by=slk, reason="Klart igen")
    AwardCycle.objects.update(planned_timeline={})  # as before the migration

    fill_planned_timeline(apps, None)

    for cycle in (moved, untouched, draft):
        cycle.refresh_from_db()
    assert moved.planned_dates() == planned != dates_of(moved)
    assert untouched.planned_timeline == {name: day.isoformat() for name, day in dates_of(untouched).items()}
    assert draft.planned_timeline == {}


# --- Opening with dates out of order -------------------------------------------------------


def test_opening_is_refused_while_dates_are_out_of_order_naming_them(client, slk):
    draft = factories.complete_cycle(year=2040)
    early = draft.assessment_deadline - dt.timedelta(days=3)
    # Written past the model's validation, as an import or a script could.
    AwardCycle.objects.filter(pk=draft.pk).update(consensus_deadline=early)
    draft.refresh_from_db()
    expected = (
        f"Sista dag för konsensus ({early.isoformat()}) får inte ligga före "
        f"sista dag för individuell bedömning ({draft.assessment_deadline.isoformat()})."
    )

    assert queries.cycle_opening_errors(draft) == [expected]
    with pytest.raises(ValidationError) as error:
        services.cycle_open(cycle=draft, by=slk)

    assert error.value.messages == [expected]
    draft.refresh_from_db()
    assert draft.status == AwardCycle.Status.DRAFT
    client.force_login(slk)
    assert expected in client.get(reverse("award:cycle_detail", args=[2040])).content.decode()


def test_dates_that_fall_on_the_same_day_do_not_stop_opening(slk):
    draft = factories.complete_cycle(year=2040)
    AwardCycle.objects.filter(pk=draft.pk).update(site_visits_end=draft.site_visits_start)

    assert services.cycle_open(cycle=draft, by=slk).status == AwardCycle.Status.OPEN
