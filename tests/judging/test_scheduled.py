"""The release-date notice (issue 15): the scheduler's tick announces signed decisions on
the feedback release date, once, however often it runs (two workers, a rerun)."""

import datetime as dt

import pytest
import time_machine
from django.core import mail

from award.models import OutboxMessage, end_of_day
from award.tasks import tick
from judging import services as judging_services
from judging.models import Decision
from tests.support import factories
from tests.support.decisions import final_meeting, winner

pytestmark = pytest.mark.django_db


def _at(day):
    return time_machine.travel(end_of_day(day) - dt.timedelta(hours=12), tick=False)


def _decision_rows():
    # The tick also sends the cycle's reminders (reports to approve); only decisions count here.
    return OutboxMessage.objects.filter(key__startswith="decision:")


def _decision_mail():
    return [m for m in mail.outbox if "beslut för" in m.subject]


def test_decisions_are_announced_on_the_release_date_once(
    scored, cycle, committee, slk, django_capture_on_commit_callbacks
):
    application = scored["b1"]
    application.unit.contacts.add(factories.UserFactory(email="kontakt@example.se"))
    decision = judging_services.decision_save(
        meeting=final_meeting(cycle, committee, slk),
        track=scored["track"],
        competition_class=application.competition_class,
        no_award=False,
        rationale="Bäst",
        outcomes=[winner(application)],
        by=committee["chair"],
    )
    judging_services.decision_sign(decision=decision, by=committee["chair"])

    with _at(cycle.feedback_release - dt.timedelta(days=1)), django_capture_on_commit_callbacks(execute=True):
        tick.call()
    assert not _decision_rows().exists() and _decision_mail() == []

    with _at(cycle.feedback_release), django_capture_on_commit_callbacks(execute=True):
        tick.call()
    sent = len(_decision_mail())
    assert sent > 0 and "kontakt@example.se" in [m.to[0] for m in _decision_mail()]
    assert _decision_rows().sent().count() == sent

    # A second worker's tick, the next day's, and a job retried after it had queued its
    # e-mail (notified_at lost) send nothing more.
    with _at(cycle.feedback_release), django_capture_on_commit_callbacks(execute=True):
        tick.call()
    with _at(cycle.feedback_release + dt.timedelta(days=1)), django_capture_on_commit_callbacks(execute=True):
        tick.call()
    Decision.objects.filter(pk=decision.pk).update(notified_at=None)
    with _at(cycle.feedback_release + dt.timedelta(days=2)), django_capture_on_commit_callbacks(execute=True):
        tick.call()
    assert len(_decision_mail()) == sent
    assert _decision_rows().count() == sent
