"""Actions that cannot be undone ask first: closing a phase opens a dialog that says what
will happen; "Avbryt" leaves everything as it was, the dialog's own button goes ahead."""

import pytest

from award.models import AwardCycle
from tests.support import browser_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_closing_a_phase_asks_first_and_cancel_changes_nothing(open_session):
    world = browser_world.build()
    cycle = world["cycle"]
    phase = cycle.phase
    session = open_session(world["slk"])
    page = session.page
    page.goto(f"/omgang/{cycle.year}/")
    form = page.locator("form[data-confirm]").first
    form.locator("textarea").fill("Alla har lämnat in")
    form.get_by_role("button", name="Avsluta fasen").click()
    dialog = page.locator("dialog.confirm-dialog")
    dialog.wait_for()
    assert "Det går inte att ångra" in dialog.inner_text()
    session.shot("confirm-close-phase")
    dialog.get_by_role("button", name="Avbryt").click()
    dialog.wait_for(state="detached")  # closing is an event away: wait, do not race it
    assert AwardCycle.objects.get(pk=cycle.pk).phase == phase

    form.get_by_role("button", name="Avsluta fasen").click()
    page.locator("dialog.confirm-dialog").get_by_role("button", name="Avsluta fasen").click()
    page.wait_for_load_state()
    page.locator(".messages").wait_for()
    assert AwardCycle.objects.get(pk=cycle.pk).phase != phase
