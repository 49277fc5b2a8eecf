"""SLK approves several registrations at once from the overview, each as one approval
would be (its log entry, its e-mail), all or none; and the start page's count of drafts
whose last day is near links to exactly those."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from award.roles import Role
from submissions.models import Application
from tests.support import factories
from tests.support.applications import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    cycle = factories.complete_cycle(open=True)
    contact = factories.user_with_role(Role.UNIT_CONTACT)
    applications = []
    for _ in range(3):
        unit = factories.UnitFactory()
        unit.contacts.add(contact)
        applications.append(register(cycle, unit, contact))
    slk = factories.user_with_role(Role.SLK, is_staff=True)
    return cycle, applications, slk


def test_the_pending_list_offers_checkboxes_and_a_confirmation(client, world):
    cycle, applications, slk = world
    client.force_login(slk)
    html = client.get(
        reverse("submissions:overview"), {"year": cycle.year, "state": "pending"}
    ).content.decode()
    assert 'form="approve-form"' in html and "data-confirm=" in html
    assert "Godkänn markerade anmälningar" in html
    # Not on the other lists.
    html = client.get(reverse("submissions:overview"), {"year": cycle.year}).content.decode()
    assert 'form="approve-form"' not in html


def test_slk_approves_the_marked_ones_each_logged(client, world):
    from award.models import AuditEntry

    cycle, applications, slk = world
    client.force_login(slk)
    response = client.post(
        reverse("submissions:registrations_approve"),
        {"year": cycle.year, "application": [applications[0].pk, applications[1].pk]},
        follow=True,
    )
    assert "2 anmälningar är godkända." in response.content.decode()
    statuses = {a.pk: a.registration_status for a in Application.objects.all()}
    assert statuses[applications[0].pk] == Application.RegistrationStatus.APPROVED
    assert statuses[applications[1].pk] == Application.RegistrationStatus.APPROVED
    assert statuses[applications[2].pk] == Application.RegistrationStatus.PENDING
    assert AuditEntry.objects.filter(action="application.registration_approved").count() == 2


def test_one_decided_row_refuses_the_whole_batch(client, world):
    cycle, applications, slk = world
    Application.objects.filter(pk=applications[1].pk).update(
        registration_status=Application.RegistrationStatus.REJECTED
    )
    client.force_login(slk)
    response = client.post(
        reverse("submissions:registrations_approve"),
        {"year": cycle.year, "application": [applications[0].pk, applications[1].pk]},
        follow=True,
    )
    assert "väntar inte längre på godkännande" in response.content.decode()
    assert Application.objects.get(pk=applications[0].pk).registration_status == (
        Application.RegistrationStatus.PENDING
    )


def test_nothing_marked_is_refused(client, world):
    cycle, _applications, slk = world
    client.force_login(slk)
    response = client.post(reverse("submissions:registrations_approve"), {"year": cycle.year}, follow=True)
    assert "Markera minst en anmälan" in response.content.decode()


def test_drafts_near_their_deadline_are_counted_and_listed(client, world):
    cycle, applications, slk = world
    today = timezone.localdate()
    cycle.application_deadline = today + dt.timedelta(days=30)
    cycle.save(update_fields=["application_deadline"])
    Application.objects.filter(pk=applications[0].pk).update(
        deadline_extended_to=today + dt.timedelta(days=3)
    )
    client.force_login(slk)
    html = client.get(reverse("home")).content.decode()
    assert '<span class="todo-count">1</span> Utkast vars sista dag är inom 7 dagar' in html
    listed = client.get(reverse("submissions:overview"), {"year": cycle.year, "state": "due_soon"})
    assert [a.pk for a in listed.context["applications"]] == [applications[0].pk]
