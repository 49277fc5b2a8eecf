"""Reminders the scheduler's tick sends on their day (award/schedule.py). The apps that know
what is due write their own producers (submissions/reminders.py, scoring/reminders.py,
evaluation/scheduled.py) and register them in their `ready()`; this module gives them the
one shape every reminder has: what is due, by when, and an absolute link to the page (the
worker has no request to take the site's address from, so AWARD_SITE_URL).

Exactly once: each reminder's outbox key names the event (the thing, its deadline and the
day of the reminder), and the outbox keeps one e-mail per key and person, so a second worker
or a rerun of the tick writes nothing new."""

import datetime as dt

from django.conf import settings
from django.utils.translation import gettext as _

from award import notify, outbox
from award.models import AwardCycle, User, parse_day_list
from award.roles import GROUP_NAMES, Role


def absolute(path: str) -> str:
    """The page at `path` ("/bidrag/12/") on this site, for a link in an e-mail."""
    return f"{settings.SITE_URL}{path}"


def days_before(deadline: dt.date, today: dt.date) -> int:
    return (deadline - today).days


def is_reminder_day(deadline: dt.date | None, today: dt.date, days: str) -> bool:
    """Whether `today` is one of the cycle setting's days ("7,2") before `deadline`."""
    return deadline is not None and days_before(deadline, today) in parse_day_list(days)


def when(deadline: dt.date, today: dt.date) -> str:
    """ "i dag", "i morgon", "om 7 dagar" – for the e-mail's first line."""
    left = days_before(deadline, today)
    if left <= 0:
        return _("i dag")
    if left == 1:
        return _("i morgon")
    return _("om %(days)s dagar") % {"days": left}


def cycles(today: dt.date):
    """The opened cycles whose work is not finished: the only ones anyone is reminded of."""
    return AwardCycle.objects.in_progress(on=today)


def slk_addresses() -> list[str]:
    """The e-mail addresses of SLK's active administrators."""
    return list(
        User.objects.filter(groups__name=GROUP_NAMES[Role.SLK], is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def remind(
    *, key: str, recipients, subject: str, lines: list[str], path: str, reason: str, related=None
) -> int:
    """Queue one reminder to each recipient, once per `key` and person. Returns how many
    e-mails are new (0 when the event was already reminded)."""
    if notify.is_silenced():
        return 0
    rows = outbox.queue(
        recipients=recipients,
        subject=subject,
        template="award/email/reminder.txt",
        context={"lines": lines, "link": absolute(path)},
        key=key,
        reason=reason,
        related=related,
    )
    return len(rows)
