import pytest
from django.test import Client
from django.urls import reverse

from award.models import AuditEntry
from tests.support import factories

pytestmark = pytest.mark.django_db


def test_a_deactivated_persons_open_session_is_refused_on_its_next_request(client, slk, unit_contact):
    theirs = Client()
    theirs.force_login(unit_contact)
    assert theirs.get(reverse("home")).status_code == 200
    client.force_login(slk)
    response = client.post(
        reverse("accounts:person_deactivate", args=[unit_contact.pk]), {"reason": "Slutat"}
    )
    assert response.status_code == 302
    following = theirs.get(reverse("home"))
    assert following.status_code == 302 and following["Location"].startswith(reverse("login"))
    unit_contact.refresh_from_db()
    assert not unit_contact.is_active
    assert unit_contact.units.exists()  # still attributed: nothing of theirs is removed
    assert AuditEntry.objects.filter(action="person.deactivate", reason="Slutat").exists()


def test_deactivation_needs_a_reason_and_slk(client, slk, unit_contact, examiner):
    client.force_login(slk)
    client.post(reverse("accounts:person_deactivate", args=[unit_contact.pk]), {"reason": " "})
    unit_contact.refresh_from_db()
    assert unit_contact.is_active
    client.force_login(examiner)
    assert (
        client.post(
            reverse("accounts:person_deactivate", args=[unit_contact.pk]), {"reason": "x"}
        ).status_code
        == 403
    )


def test_reactivation(client, slk):
    person = factories.UserFactory(is_active=False)
    client.force_login(slk)
    client.post(
        reverse("accounts:person_deactivate", args=[person.pk]),
        {"reason": "Tillbaka", "action": "reactivate"},
    )
    person.refresh_from_db()
    assert person.is_active
