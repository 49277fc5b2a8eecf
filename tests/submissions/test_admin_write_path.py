"""A unit's contacts changed in the admin go through `unit_contacts_set`: the contact added
can open the unit's applications and the one removed gets 404, with the service's audit
entry, for SLK and superusers alike; a refusal keeps nothing of the change. Applications
themselves are read-only in the admin and link to their page."""

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.db import connection
from django.test import Client
from django.urls import reverse

from award.admin import ServiceAdminMixin
from award.models import AuditEntry, Unit
from award.roles import Role, has_role
from submissions.models import Application
from tests.support import factories
from tests.support.applications import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def slk_client(client, slk):
    client.force_login(slk)
    return client


@pytest.fixture
def newcomer(db):
    """Someone with no role yet: being made a contact is what makes them a unit contact."""
    return factories.UserFactory(username="ny-kontakt")


def unit_url(unit):
    return reverse("admin:award_unit_change", args=[unit.pk])


def unit_form(unit, **overrides):
    """Every field of the unit's admin form, as it stands, with `overrides`."""
    data = {
        "code": unit.code,
        "name": unit.name,
        "organisation": unit.organisation_id,
        "head_name": unit.head_name,
        "head_email": unit.head_email,
        "staff_count": unit.staff_count,
        "has_operational_plan": "on" if unit.has_operational_plan else "",
        "is_private_provider": "on" if unit.is_private_provider else "",
        "stockholmers_share": unit.stockholmers_share or "",
        "contacts": [user.pk for user in unit.contacts.all()],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value not in ("", None)}


def status_for(user, application) -> int:
    """What `user` gets on the application's page, in a client of their own."""
    client = Client()
    client.force_login(user)
    return client.get(reverse("submissions:application_detail", args=[application.pk])).status_code


def contact_entries(unit):
    return list(
        AuditEntry.objects.filter(action="unit.contacts_set", object_id=str(unit.pk)).values_list(
            "actor__username", "changes"
        )
    )


def reload(user):
    return type(user).objects.get(pk=user.pk)


def test_the_unit_admin_sets_contacts_through_the_service():
    assert isinstance(admin.site._registry[Unit], ServiceAdminMixin)


def test_changing_contacts_moves_access_to_the_units_applications(
    slk_client, unit, unit_contact, newcomer, application
):
    assert (status_for(unit_contact, application), status_for(newcomer, application)) == (200, 404)

    response = slk_client.post(unit_url(unit), unit_form(unit, contacts=[newcomer.pk]))

    assert response.status_code == 302
    assert list(unit.contacts.all()) == [newcomer]
    assert (status_for(unit_contact, application), status_for(newcomer, application)) == (404, 200)
    assert contact_entries(unit) == [("slk-admin", {"added": ["ny-kontakt"], "removed": ["enhetskontakt"]})]
    assert has_role(reload(newcomer), Role.UNIT_CONTACT)
    assert not has_role(reload(unit_contact), Role.UNIT_CONTACT), "no unit left"


def test_a_contact_of_another_unit_keeps_the_role(slk_client, unit, unit_contact, application):
    factories.UnitFactory().contacts.add(unit_contact)

    slk_client.post(unit_url(unit), unit_form(unit, contacts=[]))

    assert status_for(unit_contact, application) == 404
    assert has_role(reload(unit_contact), Role.UNIT_CONTACT)


def test_a_new_unit_with_contacts_makes_them_unit_contacts(slk_client, unit, newcomer):
    response = slk_client.post(
        reverse("admin:award_unit_add"), unit_form(unit, code="NY1", name="Ny enhet", contacts=[newcomer.pk])
    )

    assert response.status_code == 302
    unit = Unit.objects.get(code="NY1")
    assert list(unit.contacts.all()) == [newcomer]
    assert contact_entries(unit) == [("slk-admin", {"added": ["ny-kontakt"], "removed": []})]
    assert has_role(reload(newcomer), Role.UNIT_CONTACT)


def test_changing_other_fields_leaves_contacts_and_access_alone(slk_client, unit, unit_contact, application):
    response = slk_client.post(unit_url(unit), unit_form(unit, name="Nytt namn"))

    assert response.status_code == 302
    assert Unit.objects.get(pk=unit.pk).name == "Nytt namn"
    assert contact_entries(unit) == []
    assert status_for(unit_contact, application) == 200


def test_a_superuser_goes_through_the_service_too(admin_client, unit, unit_contact, newcomer, application):
    response = admin_client.post(unit_url(unit), unit_form(unit, contacts=[unit_contact.pk, newcomer.pk]))

    assert response.status_code == 302
    assert status_for(newcomer, application) == 200
    assert contact_entries(unit) == [("admin", {"added": ["ny-kontakt"], "removed": []})]


def test_staff_without_slks_role_are_refused_and_nothing_is_kept(
    client, django_user_model, unit, unit_contact, newcomer, application
):
    staff = django_user_model.objects.create_user("personal", password=factories.PASSWORD, is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename__in=["view_unit", "change_unit"]))
    client.force_login(staff)
    before = (AuditEntry.objects.count(), LogEntry.objects.count())

    response = client.post(unit_url(unit), unit_form(unit, name="Nytt namn", contacts=[newcomer.pk]))

    assert response.status_code == 200
    assert "Bara stadsledningskontoret kan göra detta." in response.content.decode()
    unit.refresh_from_db()
    assert list(unit.contacts.all()) == [unit_contact]
    assert unit.name != "Nytt namn", "the whole change is rolled back, not only the contacts"
    assert (status_for(unit_contact, application), status_for(newcomer, application)) == (200, 404)
    assert (AuditEntry.objects.count(), LogEntry.objects.count()) == before


# --- Outside a wrapping transaction (PostgreSQL's pass checks the row locks) -----------------


@pytest.mark.django_db(transaction=True)
def test_contacts_change_commits_on_its_own_transaction(cycle, slk, unit, unit_contact, newcomer):
    application = register(cycle, unit, unit_contact)
    client = Client()
    client.force_login(slk)

    response = client.post(unit_url(unit), unit_form(unit, contacts=[newcomer.pk]))

    assert response.status_code == 302, connection.vendor
    assert (status_for(unit_contact, application), status_for(newcomer, application)) == (404, 200)
    assert contact_entries(unit) == [("slk-admin", {"added": ["ny-kontakt"], "removed": ["enhetskontakt"]})]


# --- Applications are read-only ---------------------------------------------------------------


@pytest.mark.parametrize("who", ["slk", "admin_user"])
def test_applications_cannot_be_added_changed_or_deleted_here(client, request, who, application):
    client.force_login(request.getfixturevalue(who))
    change = reverse("admin:submissions_application_change", args=[application.pk])

    page = client.get(change)
    add = client.get(reverse("admin:submissions_application_add"))
    post = client.post(change, {"status": Application.Status.WITHDRAWN, "code": "X"})
    delete = client.post(
        reverse("admin:submissions_application_delete", args=[application.pk]), {"post": "yes"}
    )
    listing = client.get(reverse("admin:submissions_application_changelist"))

    assert (page.status_code, add.status_code, post.status_code, delete.status_code) == (200, 403, 403, 403)
    assert reverse("submissions:application_detail", args=[application.pk]) in page.content.decode()
    assert "delete_selected" not in listing.content.decode()
    assert (
        Application.objects.filter(pk=application.pk, status=Application.Status.DRAFT)
        .exclude(code="X")
        .exists()
    )
