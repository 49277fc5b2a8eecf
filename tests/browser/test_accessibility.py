"""Accessibility in a real browser: the assessment form works by keyboard alone, and every
chart has a text alternative. That every role's main pages pass axe-core's WCAG 2.1 A/AA
rules, at a phone's width and a laptop's, is tests/browser/test_page_widths.py."""

import re

import pytest

from scoring import services as scoring_services
from tests.support import browser_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(db):
    """An open cycle with something on every main page (tests/support/browser_world.py)."""
    return browser_world.build()


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
    # No waiting for the autosaves that leaving each box started: the save waits for them
    # (static/js/autosave.js; test_autosave_failures.py shows it with a held answer).
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


def test_the_accessibility_check_finds_what_it_is_there_to_find(open_session):
    """The width test's axe check (Session.serious_violations) is not blind: a picture with no
    text alternative and a field with no label are reported (critical); a moderate one (lang
    and xml:lang naming different languages) is not."""
    picture = "data:image/gif;base64,R0lGODlhAQABAAAAACw="
    session = open_session()
    session.page.set_content(
        '<html lang="sv" xml:lang="en"><head><title>Prov</title></head><body><main><h1>Prov</h1>'
        f'<img src="{picture}"><input type="text"></main></body></html>'
    )
    found = {v["id"] for v in session.serious_violations()}
    assert {"image-alt", "label"} <= found
    assert "html-xml-lang-mismatch" not in found
