"""The cycle report's log names a draft's timeline change in Swedish (issue 12), with the
dates it set, and such a change moves the plan rather than counting as a date kept late."""

import datetime as dt

import pytest

from award import services
from evaluation.report import timeline_kept
from tests.support import factories

pytestmark = pytest.mark.django_db


def test_a_drafts_timeline_change_is_named_and_moves_the_plan(slk):
    draft = factories.complete_cycle(year=2040)
    old_end = draft.site_visits_end
    new_end = old_end + dt.timedelta(days=2)
    services.cycle_timeline_set(cycle=draft, dates={"site_visits_end": new_end}, reason="Fler besök", by=slk)
    services.cycle_open(cycle=draft, by=slk)
    draft.refresh_from_db()

    timeline = timeline_kept(draft)

    change = next(c for c in timeline["changes"] if c.action == "cycle.timeline_set")
    assert change.label == "Tidplanen ändrades före öppnandet"
    assert change.phase == ""
    assert change.dates == [("platsbesök till", old_end.isoformat(), new_end.isoformat(), 2)]
    assert [c.label for c in timeline["changes"]] == [
        "Tidplanen ändrades före öppnandet",
        "Omgången öppnades",
    ]
    row = next(d for d in timeline["dates"] if d["label"] == "platsbesök till")
    assert (row["planned"], row["final"], row["days"]) == (new_end, new_end, 0)
    assert (timeline["closed_early"], timeline["extended"]) == (0, 0)
