"""SLK's menu: at 1366 px the brand and the account's links share one row and the main menu
fits the next on one line; on a 390-px phone the menu folds behind "Meny" and opens on a
press, with aria-expanded telling a screen reader which it is."""

import pytest

from tests.support import browser_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_menu_is_one_line_at_1366_and_folds_on_a_phone(open_session):
    world = browser_world.build()
    session = open_session(world["slk"])
    page = session.page
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto("/hem/")
    menu = page.get_by_role("navigation", name="Huvudmeny")
    tops = {round(box["y"]) for box in (li.bounding_box() for li in menu.locator("li").all())}
    assert len(tops) == 1, f"the main menu wraps onto {len(tops)} lines"
    assert not page.get_by_role("button", name="Meny").is_visible()
    session.shot("navigation-slk-1366")

    page.set_viewport_size({"width": 390, "height": 844})
    toggle = page.get_by_role("button", name="Meny")
    assert toggle.is_visible() and toggle.get_attribute("aria-expanded") == "false"
    assert not menu.is_visible()
    session.shot("navigation-slk-390-closed")
    toggle.click()
    assert toggle.get_attribute("aria-expanded") == "true"
    assert menu.get_by_role("link", name="Anmälningar").is_visible()
    session.shot("navigation-slk-390-open")
