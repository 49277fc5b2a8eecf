"""Autosave of an examiner's assessment and of the consensus with an invisible control
character (issue 12): refused with the Swedish message naming the box and the character,
nothing saved, the page's version left alone (so the box keeps its text and saving again
works), and the save button's page shows the text as written."""

import html

import pytest
from django.urls import reverse

from scoring import services
from tests.support.teams import submit_all

pytestmark = pytest.mark.django_db
SHARED_WORLD = ("cycle", "slk", "team_world")  # built once for the module (tests/support/world.py)


def _own_item(world, user):
    assessment = services.assessment_for(application=world["application"], by=user)
    return assessment.items.select_related("criterion").order_by("criterion__number").first()


def _assessment_post(item, **values):
    prefix = f"k{item.criterion_id}"
    data = {"score": "", "strengths": "", "improvements": "", "notes": "", "version": str(item.version)}
    data.update(values)
    return {f"{prefix}-{key}": value for key, value in data.items()}


def _assessment_url(world, item):
    return reverse("scoring:assessment_item", args=[world["application"].pk, item.criterion_id])


def test_assessment_autosave_with_a_nul_names_the_box_and_saves_nothing(client, team_world):
    item = _own_item(team_world, team_world["examiner"])
    client.force_login(team_world["examiner"])

    response = client.post(
        _assessment_url(team_world, item),
        _assessment_post(item, score="60", strengths="Tydliga mål\nBra\x00 uppföljning"),
        headers={"HX-Request": "true"},
    )

    content = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert (
        "Styrkor: Texten innehåller ett osynligt styrtecken (NUL, U+0000) på rad 2, efter ”Bra”. "
        "Ta bort det och spara igen."
    ) in content
    assert "hx-swap-oob" not in content and "laddas om" not in content
    item.refresh_from_db()
    assert (item.score, item.strengths) == (None, [])


def test_assessment_save_button_with_a_control_character_keeps_the_text(client, team_world):
    item = _own_item(team_world, team_world["examiner"])
    client.force_login(team_world["examiner"])
    notes = "Fråga om\x07 rutinerna"

    response = client.post(_assessment_url(team_world, item), _assessment_post(item, notes=notes))

    content = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "(BEL, U+0007) efter ”Fråga om”" in content
    assert notes in content
    item.refresh_from_db()
    assert item.notes == ""


def _consensus_item(world):
    submit_all(world)
    consensus = services.consensus_start(application=world["application"], by=world["leader"])
    return consensus.items.select_related("criterion").order_by("criterion__number").first()


def _consensus_post(item, **values):
    data = {"score": "50", "strengths": "Tydliga mål", "improvements": "", "discussion_note": ""}
    data.update(values, version=str(item.version))
    return {f"c{item.pk}-{key}": value for key, value in data.items()}


def _consensus_url(world, item):
    return reverse("scoring:consensus_item_save", args=[world["application"].pk, item.pk])


def test_consensus_autosave_with_a_nul_says_what_and_where(client, team_world):
    item = _consensus_item(team_world)
    before = (item.score, item.strengths, item.discussion_note, item.version)
    client.force_login(team_world["leader"])

    response = client.post(
        _consensus_url(team_world, item),
        _consensus_post(item, discussion_note="Vi enades\x00 om 50"),
        HTTP_HX_REQUEST="true",
    )

    content = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert (
        "Slutsats av diskussionen: Texten innehåller ett osynligt styrtecken (NUL, U+0000) "
        "efter ”Vi enades”. Ta bort det och spara igen."
    ) in content
    assert "Kontrollera fälten" not in content and "hx-swap-oob" not in content
    item.refresh_from_db()
    assert (item.score, item.strengths, item.discussion_note, item.version) == before


def test_consensus_save_button_with_a_nul_keeps_the_text(client, team_world):
    item = _consensus_item(team_world)
    client.force_login(team_world["leader"])

    response = client.post(
        _consensus_url(team_world, item), _consensus_post(item, improvements="Mät\x00 oftare")
    )

    content = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "(NUL, U+0000) efter ”Mät”" in content
    assert "Mät\x00 oftare" in content
    item.refresh_from_db()
    assert item.improvements == []
