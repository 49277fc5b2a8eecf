"""The durable outbox: stored first, sent by the worker, once per person and event, retried
with backoff when SMTP fails, and resent by SLK from its page."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from award import notify, outbox, services
from award.models import AuditEntry, OutboxMessage
from tests.support import factories
from tests.support.mail import BACKEND, Flaky


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = BACKEND
    settings.OUTBOX_MAX_ATTEMPTS = 4
    Flaky.down = False
    yield Flaky
    Flaky.down = False


def test_a_service_mail_is_stored_then_sent_once_its_change_commits(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify.mail_after_commit(
            subject="Ämne",
            template="award/email/reminder.txt",
            context={"lines": ["x"]},
            recipients=["a@example.se"],
        )
    row = OutboxMessage.objects.get()
    assert row.status == OutboxMessage.Status.PENDING and mail.outbox == []
    for callback in callbacks:
        callback()
    row.refresh_from_db()
    assert row.is_sent and row.sent_at is not None and row.attempts == 1
    assert [m.to for m in mail.outbox] == [["a@example.se"]]


def test_one_row_and_one_mail_per_person_and_event_however_often_it_is_queued(
    db, django_capture_on_commit_callbacks
):
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            outbox.queue(
                key="event:1",
                recipients=["a@example.se", "b@example.se", "a@example.se", ""],
                subject="S",
                body="B",
            )
    assert OutboxMessage.objects.count() == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["a@example.se", "b@example.se"]


def test_a_rolled_back_change_leaves_no_mail(db):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.queue(key="event:2", recipients=["a@example.se"], subject="S", body="B")
        raise RuntimeError
    assert not OutboxMessage.objects.exists()


def test_smtp_down_then_back_loses_nothing(db, flaky):
    for n in range(3):
        outbox.queue(key=f"event:{n}", recipients=["a@example.se"], subject=f"S{n}", body="B")
    start = timezone.now()
    flaky.down = True
    assert outbox.deliver_due(now=start) == {"sent": 0, "failed": 3}
    row = OutboxMessage.objects.first()
    assert row.status == OutboxMessage.Status.PENDING and row.attempts == 1
    assert "SMTPServerDisconnected" in row.last_error
    # Backoff: not tried again before a minute has passed, then after two more.
    assert outbox.deliver_due(now=start + dt.timedelta(seconds=30)) == {"sent": 0, "failed": 0}
    assert outbox.deliver_due(now=start + dt.timedelta(minutes=1, seconds=1)) == {"sent": 0, "failed": 3}
    assert outbox.deliver_due(now=start + dt.timedelta(minutes=2)) == {"sent": 0, "failed": 0}
    flaky.down = False
    assert outbox.deliver_due(now=start + dt.timedelta(minutes=4)) == {"sent": 3, "failed": 0}
    assert OutboxMessage.objects.sent().count() == 3
    assert sorted(m.subject for m in mail.outbox) == ["S0", "S1", "S2"]


def test_after_the_last_attempt_the_mail_is_failed_with_its_reason_and_slk_resends_it(db, flaky, slk):
    outbox.queue(key="event:x", recipients=["a@example.se"], subject="S", body="B")
    flaky.down = True
    now = timezone.now()
    for _ in range(4):
        now += dt.timedelta(hours=1)
        outbox.deliver_due(now=now)
    row = OutboxMessage.objects.get()
    assert row.is_failed and row.attempts == 4 and "Connection unexpectedly closed" in row.last_error
    assert outbox.deliver_due(now=now + dt.timedelta(days=1)) == {"sent": 0, "failed": 0}

    flaky.down = False
    services.outbox_resend(message=row, by=slk)
    outbox.deliver_due()
    row.refresh_from_db()
    assert row.is_sent
    assert AuditEntry.objects.filter(action="outbox.resend", actor=slk).exists()


def test_only_slk_resends(db, examiner):
    row = OutboxMessage.objects.create(key="k", recipient="a@example.se", subject="S", body="B")
    with pytest.raises(PermissionDenied, match="stadsledningskontoret"):
        services.outbox_resend(message=row, by=examiner)


def test_two_workers_claiming_one_mail_one_wins(db):
    row = OutboxMessage.objects.create(key="k", recipient="a@example.se", subject="S", body="B")
    now = timezone.now()
    assert outbox.claim(row.pk, now=now, worker="w1") is True
    assert outbox.claim(row.pk, now=now, worker="w2") is False
    # A claim left by a worker that died mid-send is taken over after the timeout.
    assert outbox.claim(row.pk, now=now + OutboxMessage.CLAIM_TIMEOUT + dt.timedelta(seconds=1), worker="w2")


def test_a_long_run_claims_each_mail_when_it_reaches_it(db, monkeypatch):
    """A run that started long ago (a slow SMTP server) stamps its claim with the moment it
    takes the mail, so another worker does not think the claim stale and send it too."""
    row = OutboxMessage.objects.create(key="k", recipient="a@example.se", subject="S", body="B")
    started = timezone.now()
    taken_over = []

    def send(self, fail_silently=False):
        # Another worker looks while this mail is being sent.
        taken_over.append(outbox.claim(row.pk, now=timezone.now() + dt.timedelta(seconds=1), worker="w2"))
        return 1

    monkeypatch.setattr(outbox.EmailMessage, "send", send)
    with time_machine.travel(started + OutboxMessage.CLAIM_TIMEOUT + dt.timedelta(minutes=1), tick=False):
        outbox.deliver_due(now=started, worker="w1")

    assert taken_over == [False]
    row.refresh_from_db()
    assert row.status == OutboxMessage.Status.SENT


def test_the_demo_seed_mails_nothing(db):
    with notify.silenced():
        notify.mail_after_commit(
            subject="S", template="award/email/reminder.txt", context={}, recipients=["a@example.se"]
        )
    assert not OutboxMessage.objects.exists()


@pytest.mark.parametrize("size", [1, 3])
def test_outbox_page_shows_every_status_with_the_reason(client, slk, size, django_assert_max_num_queries):
    for n in range(size):
        OutboxMessage.objects.create(key=f"k{n}", recipient=f"p{n}@example.se", subject=f"Ämne {n}", body="B")
    OutboxMessage.objects.create(
        key="bad",
        recipient="x@example.se",
        subject="Trasig",
        body="B",
        status=OutboxMessage.Status.FAILED,
        last_error="SMTPRecipientsRefused: okänd mottagare",
    )
    client.force_login(slk)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("award:outbox"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Ämne 0" in page and "okänd mottagare" in page and "Ingen bakgrundsprocess har hört av sig" in page
    failed = client.get(reverse("award:outbox") + "?status=failed").content.decode()
    assert "Trasig" in failed and "Ämne 0" not in failed


def test_the_page_shows_a_live_worker(client, slk):
    from award import schedule

    schedule.beat(worker_id="host:1", host="host", pid=1)
    client.force_login(slk)
    assert "Igång" in client.get(reverse("award:outbox")).content.decode()
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10), tick=False):
        assert "Tyst" in client.get(reverse("award:outbox")).content.decode()


def test_examiner_cannot_see_the_outbox(client, examiner):
    client.force_login(examiner)
    assert client.get(reverse("award:outbox")).status_code == 403


def test_queue_names_the_related_object(db):
    unit = factories.UnitFactory()
    (row,) = outbox.queue(
        key="k", recipients=["a@example.se"], subject="S", body="B", reason="Påminnelse", related=unit
    )
    assert row.related == unit and row.reason == "Påminnelse"
