"""Accessibility in a real browser: the main pages of every role pass axe-core's WCAG 2.1
A/AA rules with no serious or critical violation, the assessment form works by keyboard
alone, and every chart has a text alternative."""

import re

import pytest

from scoring import services as scoring_services
from tests.support import browser_world

pytestmark = pytest.mark.django_db(transaction=True)

WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}
BLOCKING = {"serious", "critical"}


@pytest.fixture
def world(db):
    """An open cycle with something on every main page (tests/support/browser_world.py)."""
    return browser_world.build()


def _pages(w):
    year, track = w["cycle"].year, w["quality"].pk
    draft = w["draft"]
    criterion = draft.answers.order_by("criterion__number").first().criterion_id
    return [
        (None, ["/", "/logga-in/"]),
        (
            w["contact"],
            ["/hem/", "/bidrag/", f"/bidrag/{draft.pk}/", f"/bidrag/{draft.pk}/kriterium/{criterion}/"],
        ),
        (w["examiner"], ["/hem/", "/examinator/", f"/bedomning/bidrag/{w['being_assessed'].pk}/"]),
        (w["leader"], [f"/bedomning/konsensus/{w['in_consensus'].pk}/"]),
        (
            w["judge"],
            [
                "/hem/",
                f"/bedomning/kommitten/{year}/",
                f"/bedomning/kommitten/{year}/spar/{track}/",
                f"/bedomning/beslut/{year}/",
                f"/bedomning/diagram/{year}/spar/{track}/",
            ],
        ),
        (
            w["slk"],
            [
                "/hem/",
                f"/omgang/{year}/",
                "/bidrag/oversikt/",
                f"/examinator/lag/{year}/",
                f"/examinator/pool/{year}/",
                f"/examinator/utbildning/{year}/",
            ],
        ),
    ]


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


def test_main_pages_of_every_role_pass_axe(world, open_session):
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    found, checked = [], 0
    for user, urls in _pages(world):
        session = open_session(user)
        who = user.username if user else "anonymous"
        for url in urls:
            response = session.page.goto(url)
            assert response.status == 200, f"{url} as {who} answered {response.status}"
            results = axe.run(session.page, options=WCAG_21_AA)
            checked += 1
            found += [
                _describe(url, who, v) for v in results.response["violations"] if v["impact"] in BLOCKING
            ]
        session.close()
    assert checked >= 20
    message = f"{len(found)} serious or critical accessibility violations:\n\n" + "\n\n".join(found)
    if found:
        print(message)
    assert not found, message


def test_the_assessment_form_works_by_keyboard_alone(world, open_session):
    application, examiner = world["being_assessed"], world["examiner"]
    session = open_session(examiner)
    page = session.page
    page.goto(f"/bedomning/bidrag/{application.pk}/")
    form = page.locator("form.answer-form").first
    first_id = form.locator("[role=status]").get_attribute("id").removeprefix("status-")
    score_name = form.locator("input[type=radio]").first.get_attribute("name")

    def focused() -> dict:
        return page.evaluate(
            """() => { const e = document.activeElement;
                       return {tag: e.tagName.toLowerCase(), type: e.type || "", name: e.name || "",
                               text: (e.innerText || "").trim(), inForm: !!e.closest("form.answer-form")
                                 && e.closest("form.answer-form").querySelector("[role=status]").id}; }"""
        )

    def tab_until(predicate, limit=60):
        path = []
        for _ in range(limit):
            page.keyboard.press("Tab")
            now = focused()
            path.append(f"{now['tag']}[{now['name'] or now['text'][:20]}]")
            if predicate(now):
                return now
        raise AssertionError("Tab never reached the control; focus went " + " → ".join(path))

    # From the top of the page: the skip link, the menu, … then the first criterion's score.
    tab_until(lambda f: f["name"] == score_name)
    page.keyboard.press("ArrowDown")  # the next step of the scale: 0 %
    assert page.locator(f"input[name='{score_name}']:checked").get_attribute("value") == "0"
    strengths = tab_until(lambda f: f["tag"] == "textarea")
    assert strengths["name"].endswith("strengths"), strengths
    page.keyboard.type("Tydlig målstyrning")
    improvements = tab_until(lambda f: f["tag"] == "textarea")
    assert improvements["name"].endswith("improvements"), improvements
    page.keyboard.type("Mät resultaten oftare")
    save = tab_until(lambda f: f["tag"] == "button")
    assert save["text"].startswith("Spara") and save["inForm"] == f"status-{first_id}", save
    # Let the form's autosave ("input delay:2s", and "change" on leaving each field) finish
    # first: an explicit save racing it is refused as an edit from "another window" (a
    # known problem, reported: scoring.services.assessment_item_save raises StaleEdit even
    # when the posted values equal the saved ones).
    page.wait_for_timeout(2300)
    page.wait_for_function("() => !document.querySelector('.htmx-request')")
    page.keyboard.press("Enter")
    page.get_by_text(re.compile(r"Kriterium 1, .*, är sparat\.")).wait_for()

    item = scoring_services.assessment_for(application=application, by=examiner).items.get(
        criterion_id=first_id
    )
    assert item.score == 0
    assert item.strengths == ["Tydlig målstyrning"] and item.improvements == ["Mät resultaten oftare"]


def test_every_chart_has_a_text_alternative(world, open_session):
    year, track = world["cycle"].year, world["quality"].pk
    session = open_session(world["judge"])
    page = session.page
    missing = []
    for url in (
        f"/bedomning/diagram/{year}/spar/{track}/",
        f"/bedomning/diagram/bidrag/{world['in_consensus'].pk}/",
    ):
        assert page.goto(url).status == 200, url
        charts = page.locator("main img, main svg")
        assert charts.count() > 0, f"{url} has no chart"
        for i in range(charts.count()):
            chart = charts.nth(i)
            alternative = chart.evaluate(
                """e => e.tagName.toLowerCase() === "img" ? (e.getAttribute("alt") || "").trim()
                      : (e.getAttribute("aria-label") || (e.querySelector("title") || {}).textContent
                         || (e.getAttribute("aria-labelledby") && document.getElementById(
                              e.getAttribute("aria-labelledby")).textContent) || "").trim()"""
            )
            if not alternative:
                missing.append(f"{url}: {chart.evaluate('e => e.outerHTML.slice(0, 160)')}")
    assert not missing, "Charts without a text alternative:\n" + "\n".join(missing)
