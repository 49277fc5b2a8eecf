"""An answer holding an invisible control character (issue 12): its autosave and its save
button are refused with the Swedish message that names the character, nothing is saved,
and the text stays where the person wrote it. "Sidan behöver laddas om." is kept for a page
that is really stale (it posts no version)."""

import html

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

DRAFT = "Vi arbetar med mål.\nVarje vecka\x00 följer vi upp."
MESSAGE = (
    "Texten innehåller ett osynligt styrtecken (NUL, U+0000) på rad 2, efter ”Varje vecka”. "
    "Ta bort det och spara igen."
)


def _first_answer(application):
    return application.answers.select_related("criterion").order_by("criterion__number").first()


def _edit_url(application, answer):
    return reverse("submissions:answer_edit", args=[application.pk, answer.criterion_id])


@pytest.mark.parametrize("char", ["\x00", "\x07"])
def test_autosave_with_a_control_character_says_what_to_remove(client, application, unit_contact, char):
    answer = _first_answer(application)
    client.force_login(unit_contact)

    response = client.post(
        _edit_url(application, answer),
        {"text": DRAFT.replace("\x00", char), "version": 0},
        HTTP_HX_REQUEST="true",
    )

    content = html.unescape(response.content.decode())
    # A 200, so htmx shows it in the status line; the text box is not part of the answer,
    # so what the person wrote stays in it.
    assert response.status_code == 200
    assert "osynligt styrtecken" in content and f"U+{ord(char):04X}" in content
    assert "efter ”Varje vecka”" in content
    assert "laddas om" not in content
    assert "sparades automatiskt" not in content
    assert "<textarea" not in content
    answer.refresh_from_db()
    assert (answer.text, answer.version) == ("", 0)


def test_autosave_message_is_exactly_ours(client, application, unit_contact):
    answer = _first_answer(application)
    client.force_login(unit_contact)

    response = client.post(
        _edit_url(application, answer), {"text": DRAFT, "version": 0}, HTTP_HX_REQUEST="true"
    )

    assert f'<span class="errors">Svar: {MESSAGE}</span>' in html.unescape(response.content.decode())


def test_save_button_with_a_nul_keeps_the_text_in_the_box(client, application, unit_contact):
    answer = _first_answer(application)
    client.force_login(unit_contact)

    response = client.post(_edit_url(application, answer), {"text": DRAFT, "version": 0})

    content = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert MESSAGE in content
    assert DRAFT.replace("\n", "\r\n") in content or DRAFT in content
    assert response.context["form"]["text"].value() == DRAFT
    answer.refresh_from_db()
    assert (answer.text, answer.version) == ("", 0)


def test_tabs_and_line_breaks_in_an_answer_are_saved(client, application, unit_contact):
    answer = _first_answer(application)
    client.force_login(unit_contact)
    text = "Mål:\r\n\tLäsa mer\r\n\tRöra sig mer"

    response = client.post(
        _edit_url(application, answer), {"text": text, "version": 0}, HTTP_HX_REQUEST="true"
    )

    assert "Sparat automatiskt" in response.content.decode()
    answer.refresh_from_db()
    assert answer.text.replace("\r\n", "\n") == text.replace("\r\n", "\n")


def test_a_page_without_its_version_is_still_asked_to_reload(client, application, unit_contact):
    answer = _first_answer(application)
    client.force_login(unit_contact)

    response = client.post(_edit_url(application, answer), {"text": "Utan version."}, HTTP_HX_REQUEST="true")

    assert "Sidan behöver laddas om." in response.content.decode()
