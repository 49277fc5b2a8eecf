"""The admin's main pages (its index, a change list, a change form) pass axe-core's WCAG 2.1
A/AA rules with no serious or critical violation, at 1366 and at 390 px, as SLK sees them.
Screenshots go to test-artifacts/screens/ (`admin-<page>-<width>.png`)."""

import pytest

from tests.support import browser_world

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_admins_main_pages_have_no_serious_violation(open_session):
    world = browser_world.build()
    cycle = world["cycle"]
    pages = {
        "index": "/admin/",
        "changelist": "/admin/award/awardcycle/",
        "changeform": f"/admin/award/awardcycle/{cycle.pk}/change/",
    }
    session = open_session(world["slk"])
    violations = []
    for width, height in browser_world.WIDTHS:
        session.page.set_viewport_size({"width": width, "height": height})
        for name, url in pages.items():
            response = session.page.goto(url)
            assert response.status == 200, f"{url} answered {response.status}"
            session.shot(f"admin-{name}-{width}")
            for v in session.serious_violations():
                where = ", ".join(str(n["target"]) for n in v["nodes"][:3])
                violations.append(f"{url} at {width} px: [{v['impact']}] {v['id']} at {where}")
    assert not violations, "Serious accessibility violations:\n" + "\n".join(violations)
