"""The feedback report saves as the leader writes (issue 13), in a real browser: typing in a
box saves after a pause and says so beside the save button; a save that someone else's
overtook is refused there and the text stays in the box; the save button then shows both."""

import pytest

from scoring import services
from scoring.models import FeedbackReport
from tests.support.teams import report_drafted

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def editing(team_world, open_session):
    """The team leader on the report's page."""
    report = report_drafted(team_world)
    session = open_session(team_world["leader"])
    session.page.goto(f"/bedomning/aterforing/{team_world['application'].pk}/")
    return session, report


def _saved() -> FeedbackReport:
    return FeedbackReport.objects.get()


def test_the_report_saves_as_the_leader_writes(editing):
    session, report = editing
    page = session.page
    summary = page.get_by_role("textbox", name="Sammanfattning")

    summary.fill("Ett genomarbetat bidrag med tydlig styrning.")

    page.locator("#save-status").get_by_text("Sparat automatiskt").wait_for()
    assert _saved().summary == "Ett genomarbetat bidrag med tydlig styrning."
    assert page.locator("#id_version").input_value() == str(report.version + 1)
    session.shot("report-autosaved")

    # The next autosave goes from the version the last one answered with: no conflict.
    summary.fill("Ett genomarbetat bidrag med tydlig styrning och uppföljning.")
    page.wait_for_function(
        "v => document.querySelector('#id_version').value === v", arg=str(report.version + 2)
    )
    assert _saved().summary == "Ett genomarbetat bidrag med tydlig styrning och uppföljning."


def test_a_save_overtaken_by_someone_else_keeps_the_text_and_then_shows_both(editing, slk):
    session, report = editing
    page = session.page
    services.report_save(
        report=report, summary="SLK:s sammanfattning", items=[], base_version=report.version, by=slk
    )
    summary = page.get_by_role("textbox", name="Sammanfattning")

    summary.fill("Ledarens sammanfattning")

    page.locator("#save-status").get_by_text("Inte sparat: någon annan har sparat rapporten").wait_for()
    assert summary.input_value() == "Ledarens sammanfattning"
    assert _saved().summary == "SLK:s sammanfattning"

    page.get_by_role("button", name="Spara rapporten").click()
    page.get_by_text("Sammanfattningen som den är sparad nu").wait_for()
    assert page.get_by_role("textbox", name="Sammanfattning").input_value() == "Ledarens sammanfattning"
    assert page.get_by_text("SLK:s sammanfattning").count() == 1
    session.shot("report-stale")
