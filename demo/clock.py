"""The demo seed's clock: the seed writes a year and a half of history through the real
services, each step at the moment it happened.

The services read the time in three ways: `timezone.now()` and `award.models.today()` when
they run, `auto_now` fields when they save, and fields whose default is the function
`timezone.now` itself, bound when the model class was built (the audit trail's `at`,
`registered_at`, `requested_at`…), which patching a name would miss. time-machine moves the
clock underneath all of them at once (it replaces the standard library's time sources), so
a service run at a moment stamps every row and audit entry it writes with that moment and
checks its deadlines against that day, exactly as it did on the day.
"""

import datetime as dt
from contextlib import contextmanager

import time_machine
from django.utils import timezone

from award.models import STOCKHOLM, today


def stockholm(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """A moment of `day` in Stockholm."""
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=STOCKHOLM)


class Clock:
    """The one clock the seed passes around. `today` is the day the seed runs, which the
    demo's dates are relative to; `run(at, service, **kwargs)` calls a service as if it were
    `at`. The clock stands still while a call runs (one moment per step, the same on every
    run) and refuses moments after the seed started: the demo writes history, never the
    future."""

    def __init__(self):
        self.started = timezone.now()
        self.today = today()

    @contextmanager
    def at(self, moment: dt.datetime):
        if moment > self.started:
            raise ValueError(f"The demo cannot write the future: {moment.isoformat()} is after now.")
        # In UTC: a zone-aware destination would make time-machine change the process's TZ too.
        with time_machine.travel(moment.astimezone(dt.UTC), tick=False):
            yield

    def run(self, at: dt.datetime, call, /, **kwargs):
        with self.at(at):
            return call(**kwargs)
