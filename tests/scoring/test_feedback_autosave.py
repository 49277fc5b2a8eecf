"""The feedback report saves as the leader writes (issue 13): its fifteen or so boxes used to
have one save button under a 30-minute idle logout. Now the report page is an autosaved
form like the answer, the assessment and the consensus (award/autosave.py), with the
report's version check; a refusal keeps the text in the box and the save button then
shows both texts."""

import html
import re

import pytest
from django.urls import reverse

from scoring import services
from scoring.models import FeedbackReport
from tests.support.teams import report_drafted

pytestmark = pytest.mark.django_db
SHARED_WORLD = ("cycle", "slk", "team_world")  # built once for the module (tests/support/world.py)

HTMX = {"HX-Request": "true"}


@pytest.fixture
def world(team_world):
    return {**team_world, "report": report_drafted(team_world)}


def _url(world):
    return reverse("scoring:report_edit", args=[world["application"].pk])


def _page(client, world):
    response = client.get(_url(world))
    assert response.status_code == 200
    return response


def _as_posted(form, **changes) -> dict:
    """The form's fields as the page would post them, with some boxes changed."""
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(changes)
    return data


def _saved(world) -> FeedbackReport:
    return FeedbackReport.objects.get(pk=world["report"].pk)


def _swapped_version(content: str) -> int | None:
    match = re.search(
        r'<input type="hidden" name="version" value="(\d+)" id="id_version" hx-swap-oob', content
    )
    return int(match.group(1)) if match else None


def test_the_report_form_autosaves_like_the_others(client, world):
    client.force_login(world["leader"])

    content = html.unescape(_page(client, world).content.decode())

    form_tag = re.search(r'<form method="post"[^>]*class="report-form"[^>]*>', content).group(0)
    assert f'hx-post="{_url(world)}"' in form_tag and "data-autosave" in form_tag
    assert 'hx-trigger="change, input delay:2s"' in form_tag and 'hx-sync="this:queue last"' in form_tag
    assert 'hx-target="#save-status"' in form_tag
    assert '<p id="save-status" class="help" role="status" aria-live="polite">' in content
    assert '/static/js/autosave.js" defer' in content and "<script>" not in content


def test_an_autosave_then_the_save_button_from_the_swapped_version(client, world):
    client.force_login(world["leader"])
    form = _page(client, world).context["form"]
    item = world["report"].items.order_by("criterion__number").first()
    strengths = f"strengths_{item.criterion_id}"

    autosaved = client.post(
        _url(world),
        _as_posted(form, summary="Ett första utkast.", **{strengths: "Tydlig styrning\nGott ledarskap"}),
        headers=HTMX,
    )

    content = html.unescape(autosaved.content.decode())
    assert "Sparat automatiskt" in content and "<html" not in content
    version = _swapped_version(content)
    assert version == world["report"].version + 1 == _saved(world).version
    item.refresh_from_db()
    assert item.strengths == ["Tydlig styrning", "Gott ledarskap"]
    assert _saved(world).summary == "Ett första utkast."

    # The button, from the version the autosave swapped in, is no conflict.
    button = client.post(
        _url(world), _as_posted(form, summary="Färdig sammanfattning.", version=str(version)), follow=True
    )
    assert "Återföringsrapporten för " in button.content.decode()
    assert _saved(world).summary == "Färdig sammanfattning."


def test_an_autosave_from_an_old_version_keeps_both_texts(client, world, slk):
    client.force_login(world["leader"])
    form = _page(client, world).context["form"]
    loaded = world["report"].version
    services.report_save(
        report=world["report"], summary="SLK:s sammanfattning", items=[], base_version=loaded, by=slk
    )

    autosaved = client.post(_url(world), _as_posted(form, summary="Ledarens sammanfattning"), headers=HTMX)

    content = html.unescape(autosaved.content.decode())
    assert (
        "Inte sparat: någon annan har sparat rapporten sedan du öppnade sidan. Din text står kvar: "
        "tryck på ”Spara rapporten” för att jämföra med den sparade versionen."
    ) in content
    assert _swapped_version(content) is None  # the page keeps its version, and the text its box
    assert _saved(world).summary == "SLK:s sammanfattning"

    # The save button from the same page shows both texts, the leader's still in the form.
    page = client.post(_url(world), _as_posted(form, summary="Ledarens sammanfattning"))
    shown = html.unescape(page.content.decode())
    assert page.status_code == 200
    assert "Ledarens sammanfattning" in shown and "SLK:s sammanfattning" in shown


def test_an_autosave_with_a_control_character_names_the_box(client, world):
    client.force_login(world["leader"])
    form = _page(client, world).context["form"]
    item = world["report"].items.order_by("criterion__number").first()

    autosaved = client.post(
        _url(world), _as_posted(form, **{f"improvements_{item.criterion_id}": "Mät\x07 oftare"}), headers=HTMX
    )

    content = html.unescape(autosaved.content.decode())
    assert (
        f"Förbättringsområden, kriterium {item.criterion.number}: Texten innehåller ett osynligt "
        "styrtecken (BEL, U+0007) efter ”Mät”. Ta bort det och spara igen."
    ) in content
    assert _swapped_version(content) is None
    assert _saved(world).version == world["report"].version


def test_an_autosave_of_an_approved_report_is_refused(client, world, slk):
    client.force_login(world["leader"])
    form = _page(client, world).context["form"]
    report = world["report"]
    services.report_save(report=report, summary="Klart.", items=[], base_version=report.version, by=slk)
    services.report_approve(report=_saved(world), by=slk)

    autosaved = client.post(
        _url(world),
        _as_posted(form, summary="Sent ändrat.", version=str(_saved(world).version)),
        headers=HTMX,
    )

    assert "Rapporten är godkänd och kan inte ändras." in html.unescape(autosaved.content.decode())
    assert _saved(world).summary == "Klart."


def test_a_team_member_who_does_not_lead_cannot_autosave(client, world):
    client.force_login(world["leader"])
    data = _as_posted(_page(client, world).context["form"], summary="Ett försök")
    client.force_login(world["examiner"])

    autosaved = client.post(_url(world), data, headers=HTMX)

    assert "Bara lagledaren eller stadsledningskontoret kan göra detta." in html.unescape(
        autosaved.content.decode()
    )
    assert _saved(world).summary == ""
