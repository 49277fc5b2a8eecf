"""The judging app's dated work, run by the scheduler's tick (award/schedule.py): on the
feedback release date the signed decisions are announced, what `notify_decisions` and
SLK's button do by hand. decisions_notify announces each decision once (notified_at,
under a row lock), so a second worker or a rerun sends nothing more."""

import datetime as dt

from award.models import AwardCycle
from judging import services


def announce_released_decisions(*, today: dt.date) -> int:
    sent = 0
    for cycle in AwardCycle.objects.filter(feedback_release__lte=today).order_by("year"):
        sent += services.decisions_notify(cycle=cycle, on=today)
    return sent
