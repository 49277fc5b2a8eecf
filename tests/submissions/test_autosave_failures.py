"""What the answer's autosave answers when it does not save (issue 12). htmx swaps only a
2xx answer into the status line and shows nothing for an error status, so every refusal
the server can explain is a 200 fragment; a session that has ended is answered 401 with
a short text, not the login page (which htmx would swap into the status line) nor a page
redirect (which would throw away the text). static/js/autosave.js shows the rest."""

import html
import time

import pytest
from django.urls import reverse

from config.middleware import SEEN_TIME_KEY
from submissions import services
from tests.support.applications import close_writing

pytestmark = pytest.mark.django_db

MESSAGE = "Inte sparat: %(reason)s; din text finns kvar i rutan. Kopiera den innan du laddar om sidan."


def _answer(application):
    return application.answers.select_related("criterion").order_by("criterion__number").first()


def _edit_url(application, answer):
    return reverse("submissions:answer_edit", args=[application.pk, answer.criterion_id])


def _conflict(application, answer, unit_contact):
    services.answer_save(
        application=application,
        criterion_id=answer.criterion_id,
        text="Först.",
        base_version=0,
        by=unit_contact,
    )
    return "Från en gammal flik."


REFUSALS = {
    "conflict": (_conflict, "sparade det här svaret medan du skrev"),
    "too long": (lambda application, answer, user: "x" * (answer.criterion.max_length + 1), "högst"),
    "control character": (lambda application, answer, user: "Mål\x00", "osynligt styrtecken"),
    "after the deadline": (
        lambda application, answer, user: close_writing(application.track.cycle) or "Sent.",
        "Bidraget är låst",
    ),
}


@pytest.mark.parametrize("refusal", list(REFUSALS))
def test_every_refusal_is_a_200_fragment_for_the_status_line(client, application, unit_contact, refusal):
    answer = _answer(application)
    make_text, says = REFUSALS[refusal]
    text = make_text(application, answer, unit_contact)
    client.force_login(unit_contact)

    response = client.post(
        _edit_url(application, answer), {"text": text, "version": 0}, HTTP_HX_REQUEST="true"
    )

    content = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert says in content and '<span class="errors">' in content
    assert "<html" not in content and "hx-swap-oob" not in content


def test_an_autosave_after_logout_is_answered_401_not_with_the_login_page(client, application, unit_contact):
    answer = _answer(application)

    response = client.post(
        _edit_url(application, answer),
        {"text": "Skrivet efter utloggningen.", "version": 0},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 401
    assert response.content.decode() == "Du är utloggad. Det du skrev är inte sparat."
    assert "Location" not in response and "HX-Redirect" not in response
    answer.refresh_from_db()
    assert answer.text == ""


def test_an_autosave_after_the_session_went_idle_is_answered_401(client, application, unit_contact, settings):
    answer = _answer(application)
    client.force_login(unit_contact)
    session = client.session
    session[SEEN_TIME_KEY] = int(time.time()) - settings.SESSION_COOKIE_AGE - 60
    session.save()

    response = client.post(
        _edit_url(application, answer), {"text": "Efter lunch.", "version": 0}, HTTP_HX_REQUEST="true"
    )

    assert response.status_code == 401
    answer.refresh_from_db()
    assert answer.text == ""


def test_without_htmx_a_logged_out_request_still_goes_to_the_login_page(client, application):
    answer = _answer(application)

    response = client.post(_edit_url(application, answer), {"text": "Knappen.", "version": 0})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login") + "?next=")


def test_the_answer_page_loads_the_autosave_messages(client, application, unit_contact):
    client.force_login(unit_contact)

    content = html.unescape(client.get(_edit_url(application, _answer(application))).content.decode())

    assert content.count(" data-autosave ") == 1
    assert '/static/js/autosave.js" defer' in content
    assert f'data-message="{MESSAGE}"' in content
    assert f'data-login-path="{reverse("login")}"' in content
    assert "<script>" not in content  # no inline script (the Content-Security-Policy forbids it)
