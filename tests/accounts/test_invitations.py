import io
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import get_perms
from openpyxl import Workbook

from accounts import services
from accounts.models import Invitation
from award.models import AuditEntry
from award.roles import Role, has_role
from submissions.services import unit_contacts_set
from tests.support import factories

pytestmark = pytest.mark.django_db


def _invite(client, slk, unit, email="ny@example.se", capture=None):
    client.force_login(slk)
    with capture(execute=True):
        response = client.post(
            reverse("accounts:unit_invitations", args=[unit.pk]), {"name": "Nina Ny", "email": email}
        )
    assert response.status_code == 302, response.content.decode()
    return re.search(r"http://testserver(/konto/inbjudan/\S+/)", mail.outbox[-1].body).group(1)


def _accept(client, link):
    client.logout()
    return client.post(
        link,
        {
            "first_name": "Nina",
            "last_name": "Ny",
            "password1": "ett-langt-losen-77",
            "password2": "ett-langt-losen-77",
        },
    )


def test_accepting_makes_a_contact_with_the_units_permissions(
    client, slk, django_capture_on_commit_callbacks
):
    application = factories.submitted_application(factories.complete_cycle(open=True).tracks.first())
    unit = application.unit
    link = _invite(client, slk, unit, capture=django_capture_on_commit_callbacks)
    assert "Inbjudan till Kvalitetsutmärkelsen" in mail.outbox[-1].subject
    assert "7 dagar" in mail.outbox[-1].body
    response = _accept(client, link)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    person = get_user_model().objects.get(email="ny@example.se")
    assert unit.contacts.filter(pk=person.pk).exists() and has_role(person, Role.UNIT_CONTACT)
    assert "view_application" in get_perms(person, application)
    assert client.get(reverse("home")).status_code == 200  # logged in
    assert AuditEntry.objects.filter(action="invitation.accept").exists()
    # Removing the contact takes the permissions away at once.
    unit_contacts_set(unit=unit, contacts=[c for c in unit.contacts.all() if c != person], by=slk)
    assert get_perms(person, application) == []


def test_a_used_link_is_refused_and_offers_a_new_one(client, slk, unit, django_capture_on_commit_callbacks):
    link = _invite(client, slk, unit, capture=django_capture_on_commit_callbacks)
    _accept(client, link)
    client.logout()
    page = client.get(link).content.decode()
    assert "redan använd" in page


def test_an_expired_link_says_so_and_asks_slk_for_a_new_one(
    client, slk, unit, django_capture_on_commit_callbacks
):
    link = _invite(client, slk, unit, capture=django_capture_on_commit_callbacks)
    client.logout()
    with time_machine.travel(timezone.now() + timezone.timedelta(days=8)):
        page = client.get(link).content.decode()
        assert "har gått ut" in page and "Be stadsledningskontoret om en ny inbjudan" in page
        assert _accept(client, link).status_code == 200
        with django_capture_on_commit_callbacks(execute=True):
            client.post(link + "ny/")
    assert not get_user_model().objects.filter(email="ny@example.se").exists()
    assert mail.outbox[-1].to == [slk.email]


def test_another_persons_link_is_refused(client, slk, unit, examiner, django_capture_on_commit_callbacks):
    link = _invite(client, slk, unit, capture=django_capture_on_commit_callbacks)
    client.force_login(examiner)
    assert "Inbjudan gäller ny@example.se" in client.post(link).content.decode()
    assert not unit.contacts.filter(pk=examiner.pk).exists()


def test_unit_head_may_invite_a_second_contact_only(client, unit, django_capture_on_commit_callbacks):
    head = factories.UserFactory(email=unit.head_email)
    unit.contacts.add(head)
    link = _invite(client, head, unit, capture=django_capture_on_commit_callbacks)
    _accept(client, link)
    assert unit.contacts.count() == 2
    client.force_login(head)
    response = client.post(
        reverse("accounts:unit_invitations", args=[unit.pk]), {"name": "Tredje", "email": "tre@example.se"}
    )
    assert "redan två kontaktpersoner" in response.content.decode()


def test_a_contact_who_is_not_the_head_is_refused(client, unit_contact, unit):
    client.force_login(unit_contact)
    assert client.get(reverse("accounts:unit_invitations", args=[unit.pk])).status_code == 403


def _xlsx(rows) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    return SimpleUploadedFile("lista.xlsx", data.getvalue())


def test_bulk_invitations_from_xlsx(client, slk, django_capture_on_commit_callbacks):
    one, two = factories.UnitFactory(), factories.UnitFactory()
    client.force_login(slk)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("accounts:invitations"),
            {
                "file": _xlsx(
                    [
                        ("enhetskod", "namn", "e-post"),
                        (one.code, "A A", "a@example.se"),
                        (two.code, "B B", "b@example.se"),
                    ]
                )
            },
        )
    assert response.status_code == 302
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.se", "b@example.se"]


def test_a_malformed_list_imports_nothing_and_names_the_rows(client, slk):
    one = factories.UnitFactory()
    client.force_login(slk)
    response = client.post(
        reverse("accounts:invitations"),
        {
            "file": _xlsx(
                [
                    ("enhetskod", "namn", "e-post"),
                    (one.code, "A A", "a@example.se"),
                    ("NOPE", "", "inte-en-adress"),
                ]
            )
        },
    )
    page = response.content.decode()
    assert "Rad 3: det finns ingen enhet med koden ”NOPE”" in page
    assert "Rad 3: namnet saknas" in page and "ingen giltig e-postadress" in page
    assert not Invitation.objects.exists()
    response = client.post(
        reverse("accounts:invitations"), {"file": SimpleUploadedFile("x.xlsx", b"inte excel")}
    )
    assert "Excel" in response.content.decode()


def test_a_second_pending_invitation_for_the_same_person_is_refused(slk, unit):
    services.invitation_send(
        kind="unit_contact", email="x@example.se", name="X", unit=unit, by=slk, base_url="http://t/"
    )
    with pytest.raises(Exception, match="väntar redan"):
        services.invitation_send(
            kind="unit_contact", email="X@example.se", name="X", unit=unit, by=slk, base_url="http://t/"
        )
