"""Examiner volunteers without an account: the public form, the e-mail confirmation, the
throttle, and SLK's acceptance that makes the account, the pool place and the invitation."""

import re

import pytest
from django.contrib.auth import SESSION_KEY, get_user_model
from django.core import mail
from django.urls import reverse

from accounts.models import Invitation, VolunteerRequest
from award.models import AuditEntry
from award.roles import Role, has_role
from examiners.models import PoolMember
from tests.support import factories

pytestmark = pytest.mark.django_db

FORM = reverse("examiners:volunteer")


def _form(organisation, email="ny.examinator@stockholm.se"):
    return {
        "name": "Nora Nyfiken",
        "email": email,
        "organisation": organisation.pk,
        "workplace": "Rinkebyskolan",
        "manager_name": "Karin Chef",
    }


def _link(message, name):
    return re.search(rf"http://testserver(/\S*{name}\S*)", message.body).group(1)


@pytest.fixture
def organisation(db):
    return factories.OrganisationFactory()


def test_someone_without_an_account_volunteers_confirms_and_is_accepted(
    client, cycle, organisation, slk, django_capture_on_commit_callbacks
):
    assert client.get(FORM).status_code == 200

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(FORM, _form(organisation))
    assert "Bekräfta din e-postadress" in response.content.decode()
    request = VolunteerRequest.objects.get()
    assert not request.is_confirmed
    assert [m.to for m in mail.outbox] == [["ny.examinator@stockholm.se"]]

    # Not in SLK's list until confirmed.
    staff = client.__class__()
    staff.force_login(slk)
    assert "Nora Nyfiken" not in staff.get(reverse("examiners:volunteer_requests")).content.decode()

    confirmed = client.get(_link(mail.outbox[0], "bekrafta"))
    assert "Din e-postadress är bekräftad" in confirmed.content.decode()
    assert "Nora Nyfiken" in staff.get(reverse("examiners:volunteer_requests")).content.decode()

    mail.outbox = []
    with django_capture_on_commit_callbacks(execute=True):
        staff.post(reverse("examiners:volunteer_request_decide", args=[request.pk]), {"decision": "accept"})
    person = get_user_model().objects.get(email="ny.examinator@stockholm.se")
    assert not person.has_usable_password()
    assert has_role(person, Role.EXAMINER)
    member = PoolMember.objects.get(profile__user=person, cycle=cycle)
    assert member.status == PoolMember.Status.ACCEPTED
    assert member.manager_name == "Karin Chef"
    assert member.profile.organisation == organisation
    assert AuditEntry.objects.filter(action="volunteer_request.accept").exists()

    # The invitation sets the password of the account made for them.
    invitation_path = _link(mail.outbox[0], "inbjudan")
    page = client.get(invitation_path).content.decode()
    assert "Skapa kontot" in page
    client.post(
        invitation_path,
        {
            "first_name": "Nora",
            "last_name": "Nyfiken",
            "password1": "ett-langt-losen-77",
            "password2": "ett-langt-losen-77",
        },
    )
    assert client.session[SESSION_KEY] == str(person.pk)
    person.refresh_from_db()
    assert person.check_password("ett-langt-losen-77")
    assert Invitation.objects.get(person=person).is_accepted


def test_only_city_addresses_and_nothing_stored_otherwise(client, cycle, organisation, settings):
    settings.VOLUNTEER_EMAIL_DOMAINS = ["stockholm.se"]
    response = client.post(FORM, _form(organisation, email="nora@gmail.com"))
    assert "Använd din e-postadress i staden (stockholm.se)" in response.content.decode()
    assert not VolunteerRequest.objects.exists()
    assert not mail.outbox
    client.post(FORM, _form(organisation, email="nora@edu.stockholm.se"))
    assert VolunteerRequest.objects.count() == 1


def test_anonymous_submissions_are_throttled(client, cycle, organisation, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 2
    settings.PASSWORD_RESET_LIMIT_PER_CLIENT = 100
    for _ in range(2):
        assert client.post(FORM, _form(organisation)).status_code == 200
    refused = client.post(FORM, _form(organisation))
    assert refused.status_code == 429
    assert "för många intresseanmälningar" in refused.content.decode()
    assert VolunteerRequest.objects.count() == 2


def test_a_wrong_link_confirms_nothing(client, cycle):
    response = client.get(reverse("examiners:volunteer_confirm", args=["fel"]))
    assert response.status_code == 404
    assert "Länken är inte giltig" in response.content.decode()


def test_an_address_with_an_account_is_told_by_e_mail_and_the_page_tells_nobody(
    client, cycle, organisation, settings, django_capture_on_commit_callbacks
):
    factories.UserFactory(email="finns@stockholm.se")
    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(FORM, _form(organisation, email="finns@stockholm.se"))
    unknown = client.post(FORM, _form(organisation, email="ny@stockholm.se"))

    # The same page whether or not the address has an account.
    assert known.status_code == unknown.status_code == 200
    sent = "accounts/volunteer_request_sent.html"
    assert sent in [t.name for t in known.templates] and sent in [t.name for t in unknown.templates]
    assert "finns redan ett konto" not in known.content.decode()
    assert VolunteerRequest.objects.get().email == "ny@stockholm.se"
    (message,) = [m for m in mail.outbox if m.to == ["finns@stockholm.se"]]
    assert "Det finns redan ett konto för adressen" in message.body
    assert _link(message, "intresseanmalan") == FORM


def test_probing_an_address_with_an_account_is_throttled_too(client, cycle, organisation, settings):
    settings.PASSWORD_RESET_LIMIT_PER_ADDRESS = 2
    settings.PASSWORD_RESET_LIMIT_PER_CLIENT = 100
    factories.UserFactory(email="finns@stockholm.se")
    for _ in range(2):
        assert client.post(FORM, _form(organisation, email="finns@stockholm.se")).status_code == 200
    assert client.post(FORM, _form(organisation, email="finns@stockholm.se")).status_code == 429


def test_logged_in_people_keep_the_examiners_form(client, cycle, unit_contact):
    client.force_login(unit_contact)
    page = client.get(FORM).content.decode()
    assert "Jag kan avsätta tid under bedömningsperioden" in page


def test_slk_declines_with_a_reason_and_nobody_gets_an_account(client, cycle, organisation, slk):
    request = VolunteerRequest.objects.create(
        cycle=cycle,
        name="Nej Tack",
        email="nej@stockholm.se",
        organisation=organisation,
        workplace="X",
        manager_name="Y",
        token_hash="x" * 64,
        status=VolunteerRequest.Status.CONFIRMED,
    )
    client.force_login(slk)
    url = reverse("examiners:volunteer_request_decide", args=[request.pk])
    client.post(url, {"decision": "decline", "reason": ""})
    request.refresh_from_db()
    assert request.is_waiting
    client.post(url, {"decision": "decline", "reason": "Inte i år"})
    request.refresh_from_db()
    assert request.status == VolunteerRequest.Status.DECLINED
    assert not get_user_model().objects.filter(email="nej@stockholm.se").exists()


@pytest.mark.parametrize("count", [1, 3])
def test_the_requests_page_takes_a_constant_number_of_queries(
    client, cycle, organisation, slk, count, django_assert_max_num_queries
):
    for i in range(count):
        VolunteerRequest.objects.create(
            cycle=cycle,
            name=f"Volontär {i}",
            email=f"v{i}@stockholm.se",
            organisation=organisation,
            workplace="Skolan",
            manager_name="Chef",
            token_hash=f"{i:064d}",
            status=VolunteerRequest.Status.CONFIRMED,
        )
    client.force_login(slk)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("examiners:volunteer_requests"))
    assert response.status_code == 200
    assert f"Volontär {count - 1}" in response.content.decode()
