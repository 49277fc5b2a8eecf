"""The unit contacts' reminders (issue 15): an unsubmitted draft is reminded on the cycle's
days before its deadline and on the day an extension starts, each once, whatever the number
of ticks; the link in it is absolute."""

import datetime as dt

import pytest
from django.core import mail

from award import services as award_services
from award.models import OutboxMessage
from submissions import services
from tests.support import factories
from tests.support.applications import register
from tests.support.reminders import days, tick_on, walk

pytestmark = pytest.mark.django_db


def test_a_draft_is_reminded_7_and_2_days_before_the_deadline_once_each(cycle, application, unit_contact):
    deadline = cycle.application_deadline
    submitted = factories.submitted_application(cycle.tracks.get(kind=application.track.kind))
    submitted.unit.contacts.add(factories.UserFactory())

    added = walk(deadline - dt.timedelta(days=9), deadline + dt.timedelta(days=2), times=3)

    assert days(added, deadline) == [-7, -2]
    for rows in added.values():
        assert [recipient for _key, recipient in rows] == [unit_contact.email]
    assert OutboxMessage.objects.filter(key__startswith="reminder:application:").count() == 2


def test_the_reminder_says_what_by_when_with_an_absolute_link(
    cycle, application, unit_contact, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://kvalitet.example.se"
    tick_on(cycle.application_deadline - dt.timedelta(days=2), capture=django_capture_on_commit_callbacks)
    (message,) = [m for m in mail.outbox if m.to == [unit_contact.email] and "senast" in m.subject]
    assert application.code in message.subject and cycle.application_deadline.isoformat() in message.subject
    assert "inte inlämnat" in message.body and "om 2 dagar" in message.body
    assert f"https://kvalitet.example.se/bidrag/{application.pk}/" in message.body


def test_the_cycle_setting_decides_the_days(cycle, application, slk):
    award_services.cycle_reminders_set(cycle=cycle, by=slk, application_reminder_days="10, 3,0")
    deadline = cycle.application_deadline
    added = walk(deadline - dt.timedelta(days=12), deadline)
    assert days(added, deadline) == [-10, -3, 0]


def test_submitted_withdrawn_and_rejected_entries_are_not_reminded(cycle, unit, unit_contact, slk):
    rejected = register(cycle, unit, unit_contact)
    services.registration_decide(application=rejected, approve=False, reason="Uppfyller inte kraven", by=slk)
    factories.submitted_application(cycle.tracks.first(), unit=factories.UnitFactory())
    deadline = cycle.application_deadline
    assert walk(deadline - dt.timedelta(days=8), deadline) == {}


def test_an_extension_is_announced_on_its_first_day_and_its_own_deadline_reminded(
    cycle, application, unit_contact, slk
):
    deadline = cycle.application_deadline
    until = deadline + dt.timedelta(days=5)

    def grant(day):
        if day == deadline + dt.timedelta(days=1):
            services.application_extend(application=application, until=until, reason="Sjukdom", by=slk)

    added = walk(deadline - dt.timedelta(days=8), until + dt.timedelta(days=1), before_tick=grant)

    assert days(added, deadline) == [-7, -2, 1, 3]
    assert ":extension:" in added[deadline + dt.timedelta(days=1)][0][0]
    assert added[until - dt.timedelta(days=2)][0][0].endswith(f"deadline:{until.isoformat()}:2")
