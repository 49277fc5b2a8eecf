import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.support import factories

pytestmark = pytest.mark.django_db(transaction=False)

URL = reverse("accounts:password_reset")


def _link(message) -> str:
    return re.search(r"http://testserver(/konto/aterstall/\S+)", message.body).group(1)


def test_login_page_offers_forgotten_password(client):
    response = client.get(reverse("login"))
    assert reverse("accounts:password_reset") in response.content.decode()
    assert "Glömt lösenordet?" in response.content.decode()


def test_reset_sends_swedish_link_that_sets_a_new_password(client, django_capture_on_commit_callbacks):
    user = factories.UserFactory(email="anna@example.se")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"email": "ANNA@example.se"})
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_reset_done")
    assert len(mail.outbox) == 1
    assert "Återställ ditt lösenord" in mail.outbox[0].subject
    response = client.get(_link(mail.outbox[0]), follow=True)
    assert response.status_code == 200
    response = client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "ett-nytt-langt-losen-42", "new_password2": "ett-nytt-langt-losen-42"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("ett-nytt-langt-losen-42")


def test_reset_answers_the_same_whether_or_not_the_address_has_an_account(
    client, django_capture_on_commit_callbacks
):
    factories.UserFactory(email="finns@example.se")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(URL, {"email": "finns@example.se"})
        unknown = client.post(URL, {"email": "finns-inte@example.se"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    assert [m.to for m in mail.outbox] == [["finns@example.se"]]


def test_reset_is_throttled_per_address(client, settings, django_capture_on_commit_callbacks):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 2
    factories.UserFactory(email="anna@example.se")
    with django_capture_on_commit_callbacks(execute=True):
        for _i in range(2):
            assert client.post(URL, {"email": "anna@example.se"}).status_code == 302
        refused = client.post(URL, {"email": "anna@example.se"})
    assert refused.status_code == 429
    assert "för många återställningar" in refused.content.decode()
    assert len(mail.outbox) == 2
    # Another address from elsewhere is not affected by this one's limit.
    assert client.post(URL, {"email": "bertil@example.se"}, REMOTE_ADDR="10.0.0.9").status_code == 302


def test_reset_is_throttled_per_client_even_for_unknown_addresses(client, settings):
    settings.PASSWORD_RESET_LIMIT_PER_CLIENT = 3
    for number in range(3):
        assert client.post(URL, {"email": f"x{number}@example.se"}).status_code == 302
    assert client.post(URL, {"email": "y@example.se"}).status_code == 429
    assert client.post(URL, {"email": "y@example.se"}, REMOTE_ADDR="10.1.1.1").status_code == 302


def test_reset_link_works_once(client, django_capture_on_commit_callbacks):
    factories.UserFactory(email="anna@example.se")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, {"email": "anna@example.se"})
    link = _link(mail.outbox[0])
    response = client.get(link, follow=True)
    client.post(
        response.redirect_chain[-1][0],
        {"new_password1": "ett-nytt-langt-losen-42", "new_password2": "ett-nytt-langt-losen-42"},
    )
    again = client.get(link, follow=True)
    assert "Länken fungerar inte längre" in again.content.decode()
