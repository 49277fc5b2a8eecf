"""Every role's main pages fit the screen: at 390 px (a phone) and at 1366 px (a city
laptop) no page is wider than the window, and nothing sticks out of it except inside a box
that scrolls sideways of its own (a wide table); at both widths axe-core finds no serious
or critical WCAG 2.1 A/AA violation. Screenshots of every page at both widths go to
test-artifacts/screens/ (`widths-<role>-<page>-<width>.png`)."""

import re

import pytest

from tests.support import browser_world

pytestmark = pytest.mark.django_db(transaction=True)

# Elements that reach past the window's right edge, unless a scrolling box (overflow-x
# auto or scroll, below <body>) holds them: such a table scrolls inside its own container.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const scrollsSideways = e => {
    for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
      const x = getComputedStyle(a).overflowX;
      if (x === "auto" || x === "scroll" || x === "hidden") return true;
    }
    return false;
  };
  const out = [];
  for (const e of document.body.querySelectorAll("*")) {
    const box = e.getBoundingClientRect();
    if (box.width === 0 || box.right <= width + 1) continue;
    if (getComputedStyle(e).position === "absolute" && box.width <= 1) continue;  // visually hidden
    if (scrollsSideways(e)) continue;
    out.push(`${e.tagName.toLowerCase()}${e.id ? "#" + e.id : ""}${e.className && typeof e.className === "string" ? "." + e.className.trim().replace(/\\s+/g, ".") : ""} ends at ${Math.round(box.right)} px`);
  }
  return {page: document.documentElement.scrollWidth, window: width, out: out.slice(0, 5)};
}"""


def _describe(url, who, violation) -> str:
    lines = [
        f"{url} (as {who}): [{violation['impact']}] {violation['id']}: {violation['help']}",
        f"    {violation['helpUrl']}",
    ]
    for node in violation["nodes"][:5]:
        lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:160]}")
        summary = (node.get("failureSummary") or "").replace("\n", " ")
        if summary:
            lines.append(f"       {summary[:300]}")
    if len(violation["nodes"]) > 5:
        lines.append(f"    … and {len(violation['nodes']) - 5} more elements")
    return "\n".join(lines)


def _slug(url: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", url.lower()).strip("-") or "start"


def test_every_roles_main_pages_fit_a_phone_and_a_laptop(open_session):
    world = browser_world.build(finalised=True)
    too_wide, violations, checked = [], [], 0
    for who, user, urls in browser_world.main_pages(world):
        session = open_session(user)
        for width, height in browser_world.WIDTHS:
            session.page.set_viewport_size({"width": width, "height": height})
            for url in urls:
                response = session.page.goto(url)
                assert response.status == 200, f"{url} as {who} answered {response.status}"
                found = session.page.evaluate(OVERFLOW)
                checked += 1
                session.shot(f"widths-{who}-{_slug(url)}-{width}")
                violations += [
                    _describe(url, f"{who} at {width} px", v) for v in session.serious_violations()
                ]
                if found["page"] > found["window"] or found["out"]:
                    too_wide.append(
                        f"{url} as {who} at {width} px: page {found['page']} px; " + "; ".join(found["out"])
                    )
        session.close()
    assert checked >= 48
    assert not too_wide, "Pages wider than the window:\n" + "\n".join(too_wide)
    assert not violations, (
        f"{len(violations)} serious or critical accessibility violations:\n\n" + "\n\n".join(violations)
    )
