"""The scheduler's tick on moved days (issue 15's reminders): `walk` ticks every day of a
range, more than once a day (two workers, a rerun), and says which e-mails each day added."""

import datetime as dt

import time_machine

from award.models import OutboxMessage, end_of_day
from award.tasks import tick


def at(day: dt.date, hour: int = 12):
    """The clock moved to `hour` o'clock (Stockholm) on `day`."""
    return time_machine.travel(end_of_day(day) - dt.timedelta(hours=24 - hour), tick=False)


def tick_on(day: dt.date, *, times: int = 2, capture=None) -> None:
    """`times` ticks on `day`, at 06:00, 12:00… (two workers, a rerun the same day). With
    `capture` (pytest-django's django_capture_on_commit_callbacks) the outbox is delivered
    too, as after a real commit."""
    for n in range(times):
        with at(day, hour=6 + 6 * n):
            if capture is None:
                tick.call()
            else:
                with capture(execute=True):
                    tick.call()


def walk(
    first: dt.date, last: dt.date, *, prefix: str = "reminder:", times: int = 2, before_tick=None
) -> dict:
    """Tick each day from `first` to `last`; returns {day: [(key, recipient), ...]} of the
    outbox rows whose key starts with `prefix` that the day's ticks added (days with none
    left out). `before_tick(day)` runs first on each day, under that day's clock."""
    seen = set(OutboxMessage.objects.values_list("pk", flat=True))
    added = {}
    day = first
    while day <= last:
        if before_tick is not None:
            with at(day, hour=1):
                before_tick(day)
        tick_on(day, times=times)
        new = OutboxMessage.objects.exclude(pk__in=seen).filter(key__startswith=prefix)
        rows = sorted(new.values_list("key", "recipient"))
        seen |= set(OutboxMessage.objects.values_list("pk", flat=True))
        if rows:
            added[day] = rows
        day += dt.timedelta(days=1)
    return added


def days(added: dict, origin: dt.date) -> list[int]:
    """The days of `added` as offsets from `origin` (-7, -2 …)."""
    return [(day - origin).days for day in added]
