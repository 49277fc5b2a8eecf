"""The unit contacts' reminders, sent by the scheduler's tick (registered in apps.py):

- an unsubmitted draft, on each of the cycle's `application_reminder_days` (7 and 2 by
  default) before the application's last day (its own extended day, if SLK gave one);
- an extension SLK granted, on the day it starts: the first day after the cycle's
  deadline (or the day it is granted, if later) while the draft is still unsubmitted.

Each is keyed by the application, its deadline and the day, so it goes once per person."""

import datetime as dt

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext as _

from award import reminders
from award.models import User
from submissions.models import Application


def _unsubmitted(cycle):
    return (
        Application.objects.filter(track__cycle=cycle, status=Application.Status.DRAFT)
        .exclude(registration_status=Application.RegistrationStatus.REJECTED)
        .select_related("unit", "track__cycle")
        .prefetch_related(Prefetch("unit__contacts", queryset=User.objects.filter(is_active=True)))
    )


def _lines(application, deadline: dt.date, today: dt.date, first: str) -> list[str]:
    return [
        first,
        _("Sista dag att lämna in är %(date)s (%(when)s). Bidraget låses vid dagens slut.")
        % {"date": deadline.isoformat(), "when": reminders.when(deadline, today)},
        _("Skriv klart och lämna in bidraget här:"),
    ]


def send_due(*, today: dt.date) -> int:
    """Every unit reminder due `today`, each once. Returns the e-mails newly queued."""
    sent = 0
    for cycle in reminders.cycles(today):
        for application in _unsubmitted(cycle):
            deadline = application.deadline
            if deadline < today:
                continue
            recipients = [contact.email for contact in application.unit.contacts.all()]
            if not recipients:
                continue
            name = {"code": application.code, "unit": application.unit.name, "year": cycle.year}
            path = reverse("submissions:application_detail", args=[application.pk])
            extended = application.deadline_extended_to
            if extended and cycle.application_deadline < today <= extended:
                sent += reminders.remind(
                    key=f"reminder:application:{application.pk}:extension:{extended.isoformat()}",
                    recipients=recipients,
                    subject=_("Kvalitetsutmärkelsen %(year)s: förlängd tid för %(code)s") % name,
                    lines=_lines(
                        application,
                        extended,
                        today,
                        _(
                            "Stadsledningskontoret har förlängt tiden för ert tävlingsbidrag %(code)s "
                            "(%(unit)s) till Kvalitetsutmärkelsen %(year)s."
                        )
                        % name,
                    ),
                    path=path,
                    reason=_("Påminnelse: förlängd tid för tävlingsbidrag"),
                    related=application,
                )
            if reminders.is_reminder_day(deadline, today, cycle.application_reminder_days):
                left = reminders.days_before(deadline, today)
                sent += reminders.remind(
                    key=f"reminder:application:{application.pk}:deadline:{deadline.isoformat()}:{left}",
                    recipients=recipients,
                    subject=_("Kvalitetsutmärkelsen %(year)s: lämna in %(code)s senast %(date)s")
                    % {**name, "date": deadline.isoformat()},
                    lines=_lines(
                        application,
                        deadline,
                        today,
                        _(
                            "Ert tävlingsbidrag %(code)s (%(unit)s) till Kvalitetsutmärkelsen %(year)s "
                            "är inte inlämnat ännu."
                        )
                        % name,
                    ),
                    path=path,
                    reason=_("Påminnelse: tävlingsbidrag inte inlämnat"),
                    related=application,
                )
    return sent
