"""The one autosave (award/autosave.py, issue 13), as each of its four forms meets it: the
unit's answer, the examiner's assessment, the consensus and the feedback report. Each
saves and moves the page's version; refuses a save from an old version, saying so and
leaving the page's version (so the text in the box is neither lost nor saved over the
colleague's); and refuses a bad value with a Swedish message naming the box."""

import html
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from scoring import services as scoring_services
from scoring.models import ConsensusItem, FeedbackReport
from submissions import services as submission_services
from tests.support.teams import report_drafted, submit_all

pytestmark = pytest.mark.django_db
SHARED_WORLD = ("cycle", "slk", "team_world")  # built once for the module (tests/support/world.py)

HTMX = {"HX-Request": "true"}
NUL_REFUSAL = "Texten innehåller ett osynligt styrtecken (NUL, U+0000)"


@dataclass
class Autosave:
    """One autosaved form: where it posts, as whom, and how to read and change what it saves."""

    user: object
    url: str
    version_name: str
    label: str  # the label of the box `text` fills, as the refusal names it
    data: callable  # (text, version) -> the post
    saved_text: callable  # () -> the text as stored
    saved_version: callable  # () -> the version as stored
    save_elsewhere: callable  # (text) -> someone saves from the current version


def _answer(world) -> Autosave:
    application, contact = world["application"], world["unit_contact"]
    answer = application.answers.order_by("criterion__number").first()

    def stored():
        answer.refresh_from_db()
        return answer

    return Autosave(
        user=contact,
        url=reverse("submissions:answer_edit", args=[application.pk, answer.criterion_id]),
        version_name="version",
        label="Svar",
        data=lambda text, version: {"text": text, "version": str(version)},
        saved_text=lambda: stored().text,
        saved_version=lambda: stored().version,
        save_elsewhere=lambda text: submission_services.answer_save(
            application=application,
            criterion_id=answer.criterion_id,
            text=text,
            base_version=stored().version,
            by=contact,
        ),
    )


def _assessment(world) -> Autosave:
    examiner, application = world["examiner"], world["application"]
    item = (
        scoring_services.assessment_for(application=application, by=examiner)
        .items.select_related("criterion")
        .order_by("criterion__number")
        .first()
    )
    prefix = f"k{item.criterion_id}"

    def stored():
        item.refresh_from_db()
        return item

    return Autosave(
        user=examiner,
        url=reverse("scoring:assessment_item", args=[application.pk, item.criterion_id]),
        version_name=f"{prefix}-version",
        label="Styrkor",
        data=lambda text, version: {
            f"{prefix}-score": "50",
            f"{prefix}-strengths": text,
            f"{prefix}-improvements": "",
            f"{prefix}-notes": "",
            f"{prefix}-version": str(version),
        },
        saved_text=lambda: "\n".join(stored().strengths),
        saved_version=lambda: stored().version,
        save_elsewhere=lambda text: scoring_services.assessment_item_save(
            item=stored(),
            data=scoring_services.ItemData(score=50, strengths=text, improvements=""),
            base_version=stored().version,
            by=examiner,
        ),
    )


def _consensus(world) -> Autosave:
    leader, application = world["leader"], world["application"]
    submit_all(world)
    consensus = scoring_services.consensus_start(application=application, by=leader)
    item = consensus.items.order_by("criterion__number").first()
    prefix = f"c{item.pk}"

    def stored():
        return ConsensusItem.objects.get(pk=item.pk)

    return Autosave(
        user=leader,
        url=reverse("scoring:consensus_item_save", args=[application.pk, item.pk]),
        version_name=f"{prefix}-version",
        label="Slutsats av diskussionen",
        data=lambda text, version: {
            f"{prefix}-score": "50",
            f"{prefix}-strengths": "",
            f"{prefix}-improvements": "",
            f"{prefix}-discussion_note": text,
            f"{prefix}-version": str(version),
        },
        saved_text=lambda: stored().discussion_note,
        saved_version=lambda: stored().version,
        save_elsewhere=lambda text: scoring_services.consensus_item_save(
            item=stored(),
            data=scoring_services.ItemData(score=50, strengths=[], improvements=[]),
            discussion_note=text,
            base_version=stored().version,
            by=leader,
        ),
    )


def _report(world) -> Autosave:
    leader, application = world["leader"], world["application"]
    report = report_drafted(world)
    items = list(report.items.order_by("criterion__number"))

    def stored():
        return FeedbackReport.objects.get(pk=report.pk)

    def data(text, version):
        post = {"summary": text, "version": str(version)}
        for item in items:
            post[f"strengths_{item.criterion_id}"] = "\n".join(item.strengths)
            post[f"improvements_{item.criterion_id}"] = "\n".join(item.improvements)
        return post

    return Autosave(
        user=leader,
        url=reverse("scoring:report_edit", args=[application.pk]),
        version_name="version",
        label="Sammanfattning",
        data=data,
        saved_text=lambda: stored().summary,
        saved_version=lambda: stored().version,
        save_elsewhere=lambda text: scoring_services.report_save(
            report=stored(), summary=text, items=[], base_version=stored().version, by=leader
        ),
    )


@pytest.fixture(params=["answer", "assessment", "consensus", "report"])
def autosave(request, client):
    if request.param == "answer":
        world = {
            "application": request.getfixturevalue("application"),
            "unit_contact": request.getfixturevalue("unit_contact"),
        }
        case = _answer(world)
    else:
        world = request.getfixturevalue("team_world")
        case = {"assessment": _assessment, "consensus": _consensus, "report": _report}[request.param](world)
    client.force_login(case.user)
    return case


def _oob_version(content: str, name: str) -> int | None:
    """The version the page's field takes after htmx swaps the answer in, if any."""
    match = re.search(
        rf'<input type="hidden" name="{re.escape(name)}" value="(\d+)"[^>]*hx-swap-oob', content
    )
    return int(match.group(1)) if match else None


def _post(client, case, text, version):
    response = client.post(case.url, case.data(text, version), headers=HTMX)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def test_it_saves_and_moves_the_pages_version(client, autosave):
    version = autosave.saved_version()

    content = _post(client, autosave, "Tydligt och genomarbetat.", version)

    assert "Sparat automatiskt" in content and "<html" not in content
    assert _oob_version(content, autosave.version_name) == version + 1
    assert autosave.saved_text() == "Tydligt och genomarbetat."
    assert autosave.saved_version() == version + 1


def test_a_save_from_an_old_version_is_refused_and_the_colleagues_text_kept(client, autosave):
    loaded = autosave.saved_version()
    autosave.save_elsewhere("Kollegans text.")

    content = _post(client, autosave, "Min text från en gammal flik.", loaded)

    assert "Inte sparat" in content or "sparade det här svaret medan du skrev" in content
    assert 'class="errors"' in content
    # The page keeps the version its text was written from, so the box keeps the text
    # and no later autosave from it can overwrite the colleague's.
    assert _oob_version(content, autosave.version_name) is None
    assert autosave.saved_text() == "Kollegans text."
    assert autosave.saved_version() == loaded + 1


def test_a_save_of_what_is_saved_already_is_no_conflict(client, autosave):
    # The explicit save right after an autosave of the same text, from the page's old version.
    loaded = autosave.saved_version()
    autosave.save_elsewhere("Samma text.")

    content = _post(client, autosave, "Samma text.", loaded)

    assert "Sparat automatiskt" in content
    assert _oob_version(content, autosave.version_name) == autosave.saved_version() == loaded + 1


def test_a_bad_value_is_refused_in_swedish_naming_the_box(client, autosave):
    version = autosave.saved_version()
    before = autosave.saved_text()

    content = _post(client, autosave, "Vi enades\x00 om det", version)

    assert f"{autosave.label}: {NUL_REFUSAL} efter ”Vi enades”. Ta bort det och spara igen." in content
    assert "hx-swap-oob" not in content and "laddas om" not in content
    assert (autosave.saved_text(), autosave.saved_version()) == (before, version)


def test_a_post_without_a_version_asks_for_a_reload(client, autosave):
    data = autosave.data("Text utan version.", 1)
    data.pop(autosave.version_name)

    response = client.post(autosave.url, data, headers=HTMX)

    assert "Sidan behöver laddas om." in response.content.decode()


def test_every_autosaved_form_has_the_same_attributes_and_status_line():
    """One include for the form's htmx attributes, one for the status line: no template
    writes either by hand."""
    templates = Path(settings.BASE_DIR) / "templates"
    by_hand = [
        str(path.relative_to(templates))
        for path in templates.rglob("*.html")
        if path.name not in {"autosave_form.html", "autosave_status.html"}
        and re.search(r"data-autosave|hx-trigger=\"(?!every )|hx-swap-oob", path.read_text())
    ]
    status_lines = sorted(str(p.relative_to(templates)) for p in templates.rglob("*autosave_status*.html"))
    assert by_hand == []
    assert status_lines == ["includes/autosave_status.html"]
