"""The getting-in pages speak Swedish all through, Django's own strings included: the
password rules and their refusals, the reset form's labels, the login's refusal. The
project's strings are Swedish source text; Django's come from its Swedish catalogue
(LANGUAGE_CODE sv), so nothing here needs an entry in locale/sv."""

import re

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from accounts import services
from accounts.models import Invitation, token_digest
from tests.support import factories

pytestmark = pytest.mark.django_db

ENGLISH = re.compile(
    r"\b(password|This field|required|Enter a valid|didn.t match|too short|too common|entirely numeric"
    r"|New password|confirmation|Invalid|Please)\b"
)


def _words(response) -> str:
    return re.sub(r"<[^>]+>", " ", response.content.decode())


def test_the_reset_form_and_its_refusals_are_swedish(client):
    user = factories.UserFactory()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    opened = client.get(
        reverse("accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(user)]),
        follow=True,
    )
    form_url = opened.redirect_chain[-1][0]
    page = _words(client.post(form_url, {"new_password1": "123", "new_password2": "124"}))
    assert "Nytt lösenord" in page and "De två lösenordsfälten stämmer inte överens" in page
    assert not ENGLISH.search(page), ENGLISH.search(page)
    page = _words(client.post(form_url, {"new_password1": "123", "new_password2": "123"}))
    assert "Det här lösenordet är för kort" in page and "enbart numeriskt" in page
    assert not ENGLISH.search(page), ENGLISH.search(page)


def test_the_invitation_form_refuses_a_weak_password_in_swedish(client, slk, unit):
    services.invitation_send(
        kind=Invitation.Kind.UNIT_CONTACT,
        email="ny@example.se",
        name="Ny Person",
        unit=unit,
        by=slk,
        base_url="http://testserver/",
    )
    invitation = Invitation.objects.get()
    invitation.token_hash = token_digest("t")
    invitation.save()
    page = _words(
        client.post(
            reverse("accounts:invitation", args=["t"]),
            {"first_name": "Ny", "last_name": "Person", "password1": "12345", "password2": "12345"},
        )
    )
    assert "Det här lösenordet är för kort" in page
    assert not ENGLISH.search(page), ENGLISH.search(page)


@pytest.mark.parametrize(
    "url, data",
    [
        ("login", {"username": "finns-inte", "password": "fel"}),
        ("accounts:password_reset", {"email": "inte-en-adress"}),
        ("examiners:volunteer", {"email": "x"}),
    ],
)
def test_refusals_on_the_public_forms_are_swedish(client, cycle, url, data):
    page = _words(client.post(reverse(url), data))
    assert not ENGLISH.search(page), ENGLISH.search(page)
    assert "Detta fält måste fyllas i" in page or "Fyll i en giltig e-postadress" in page or "Ange" in page
