"""Dated work: what the scheduler's tick does (reminders, notices on their date, the
outbox's retries, clearing old files).

Each app registers its own periodic work in its `ready()` (the apps above `award` know what
is due; `award` only runs it):

    from award import schedule
    schedule.register("submissions.reminders", reminders.send_due)

A registered function is called as `func(today=date)` and must be idempotent: it may run
twice for the same day (two workers, a retried tick) and must then send nothing new. The
reminders are, by their outbox keys (award/outbox.py)."""

import datetime as dt
import logging
from collections.abc import Callable

from django.conf import settings
from django.utils import timezone

from award.models import ScheduleSlot, WorkerHeartbeat, today

logger = logging.getLogger(__name__)

_registry: dict[str, Callable[..., object]] = {}


def register(name: str, func: Callable[..., object]) -> None:
    _registry[name] = func


def registered() -> dict[str, Callable[..., object]]:
    return dict(_registry)


def run_due_work(*, day: dt.date | None = None) -> dict[str, object]:
    """Every registered job for `day` (default today in Stockholm), each on its own: one
    failing does not stop the others, and the next tick tries it again."""
    day = day or today()
    results = {}
    for name, func in _registry.items():
        try:
            results[name] = func(today=day)
        except Exception:
            logger.exception("Scheduled work %s failed", name)
            results[name] = "error"
    return results


def take_slot(name: str, *, every: dt.timedelta, now: dt.datetime | None = None) -> bool:
    """Whether this process is the one to run `name` now: true for exactly one caller per
    period, however many workers ask (one conditional UPDATE)."""
    now = now or timezone.now()
    ScheduleSlot.objects.get_or_create(name=name, defaults={"next_due": now})
    return bool(
        ScheduleSlot.objects.filter(name=name, next_due__lte=now).update(next_due=now + every, last_run=now)
    )


def beat(*, worker_id: str, host: str, pid: int) -> None:
    """The worker is alive (the outbox page shows the last beat of each worker)."""
    now = timezone.now()
    updated = WorkerHeartbeat.objects.filter(worker_id=worker_id).update(last_seen=now)
    if not updated:
        WorkerHeartbeat.objects.create(worker_id=worker_id, host=host, pid=pid, started_at=now, last_seen=now)
    # Forget workers silent for a week: the page shows the living and the recently stopped.
    WorkerHeartbeat.objects.filter(last_seen__lt=now - dt.timedelta(days=7)).delete()


def tick_interval() -> dt.timedelta:
    return dt.timedelta(seconds=max(settings.TICK_SECONDS, 1))
