"""The durable outbox: every e-mail the platform sends is a row first, written in the same
transaction as the change that caused it, and sent by the worker afterwards.

    from award import outbox
    outbox.queue(key="invitation:42", recipients=[address], subject=..., template=..., context=...,
                 reason="Inbjudan", related=invitation)

`key` names the event. One row per (key, recipient) is kept, so a job that runs twice, or
two workers doing the same reminder, write one e-mail and send it once. Without a key each
call is an event of its own. Delivery (`deliver_due`) claims a row with one conditional
UPDATE (pending -> sending), so two workers never both send it; a failure leaves the row
pending with the error, to be tried again after a growing pause (1, 2, 4 … minutes, at most
an hour), and after AWARD_OUTBOX_MAX_ATTEMPTS it is left failed for SLK to resend. SMTP down
loses nothing. `award.notify.mail_after_commit` is the same thing under its older name.

The one case left is a worker that dies between the SMTP server's acceptance and marking the
row sent: after CLAIM_TIMEOUT another worker sends it again. Delivery is therefore at least
once, never lost; two live workers never both send a row."""

import datetime as dt
import logging
import os
import socket
import uuid

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from award.models import OutboxMessage

logger = logging.getLogger(__name__)

WORKER_ID = f"{socket.gethostname()}:{os.getpid()}"


def backoff(attempts: int) -> dt.timedelta:
    """How long to wait after the `attempts`-th failure: 1, 2, 4 … minutes, at most an hour."""
    return dt.timedelta(minutes=min(2 ** max(attempts - 1, 0), 60))


def queue(
    *,
    recipients,
    subject: str,
    body: str | None = None,
    template: str | None = None,
    context: dict | None = None,
    key: str | None = None,
    reason: str = "",
    related=None,
) -> list[OutboxMessage]:
    """Store one e-mail per recipient (blank addresses and duplicates dropped) and ask the
    worker to send them once the transaction commits. Returns the rows written now (none
    for a recipient who already has this event's e-mail)."""
    recipients = sorted({r.strip() for r in recipients if r and r.strip()})
    if not recipients:
        return []
    if body is None:
        body = render_to_string(template, context or {})
    key = key or f"once:{uuid.uuid4().hex}"
    content_type = object_id = None
    if related is not None and related.pk is not None:
        content_type, object_id = ContentType.objects.get_for_model(related), str(related.pk)
    rows = [
        OutboxMessage(
            key=key[:200],
            recipient=recipient,
            subject=str(subject)[:300],
            body=body,
            reason=str(reason)[:200],
            content_type=content_type,
            object_id=object_id or "",
        )
        for recipient in recipients
    ]
    existing = set(
        OutboxMessage.objects.filter(key=key[:200], recipient__in=recipients).values_list(
            "recipient", flat=True
        )
    )
    rows = [row for row in rows if row.recipient not in existing]
    # ignore_conflicts: a concurrent writer of the same event (a second worker) wins quietly.
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)
    if rows:
        keys = [key[:200]]
        transaction.on_commit(lambda: request_delivery(keys=keys))
    return rows


def request_delivery(*, keys: list[str] | None = None) -> None:
    """Queue the delivery of this event's e-mails on the task backend (at once, with the
    immediate backend). Everything else due (retries) is the scheduler's tick's."""
    from award.tasks import outbox_deliver

    try:
        outbox_deliver.enqueue(keys=keys)
    except Exception:  # the rows are safe; the scheduler's next tick delivers them
        logger.exception("Could not queue the outbox delivery; the next tick will.")


def claim(message_id: int, *, now: dt.datetime, worker: str = WORKER_ID) -> bool:
    """Make this worker the one that sends the message: one conditional UPDATE, so of two
    workers exactly one sees a row changed. A claim older than CLAIM_TIMEOUT (a worker
    that died mid-send) may be taken over."""
    return bool(
        OutboxMessage.objects.due(now)
        .filter(pk=message_id)
        .update(status=OutboxMessage.Status.SENDING, claimed_at=now, claimed_by=worker[:100])
    )


def deliver_due(
    *,
    now: dt.datetime | None = None,
    keys: list[str] | None = None,
    limit: int = 200,
    worker: str = WORKER_ID,
) -> dict:
    """Send what is due (only the events named in `keys`, if given). Returns {"sent": n,
    "failed": n} for this run."""
    now = now or timezone.now()
    sent = failed = 0
    candidates = OutboxMessage.objects.due(now).order_by("next_attempt_at", "id")
    if keys is not None:
        candidates = candidates.filter(key__in=keys)
    with transaction.atomic():
        # skip_locked: on PostgreSQL a second worker reading at the same moment passes over
        # the rows this one is looking at; the claim below is what makes sending exclusive.
        ids = list(candidates.select_for_update(skip_locked=True).values_list("id", flat=True)[:limit])
    for message_id in ids:
        # The moment of the claim, not of the run's start: a claim stamped with the start of
        # a long run (a slow SMTP server) would look stale to another worker at once.
        if not claim(message_id, now=max(now, timezone.now()), worker=worker):
            continue
        message = OutboxMessage.objects.get(pk=message_id)
        try:
            EmailMessage(
                message.subject, message.body, settings.DEFAULT_FROM_EMAIL, [message.recipient]
            ).send(fail_silently=False)
        except Exception as error:  # SMTP refusals, timeouts, a server that is down
            failed += 1
            _record_failure(message, error, now=now, worker=worker)
            continue
        OutboxMessage.objects.filter(pk=message.pk, claimed_by=worker[:100]).update(
            status=OutboxMessage.Status.SENT,
            sent_at=timezone.now(),
            attempts=message.attempts + 1,
            last_error="",
        )
        sent += 1
    return {"sent": sent, "failed": failed}


def _record_failure(message: OutboxMessage, error: Exception, *, now: dt.datetime, worker: str) -> None:
    attempts = message.attempts + 1
    gave_up = attempts >= settings.OUTBOX_MAX_ATTEMPTS
    # Only while the claim is still this worker's: one that was taken over is the other's.
    OutboxMessage.objects.filter(pk=message.pk, claimed_by=worker[:100]).update(
        status=OutboxMessage.Status.FAILED if gave_up else OutboxMessage.Status.PENDING,
        attempts=attempts,
        next_attempt_at=now + backoff(attempts),
        claimed_at=None,
        claimed_by="",
        last_error=f"{type(error).__name__}: {error}"[:2000],
    )
    logger.warning("E-mail %s to %s failed (attempt %s): %s", message.pk, message.recipient, attempts, error)
