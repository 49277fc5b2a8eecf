"""What a unit's application stands at and what happens next, in one sentence for the
unit's pages (the start page, the application page). It reads the application's own state
first and the cycle's phase only after: a draft whose deadline SLK extended is still a
draft to finish in the assessment phase, not an application being assessed."""

from django import template
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from award.models import Phase
from submissions.models import Application

register = template.Library()

_ORDER = list(Phase)


def _day(value) -> str:
    return date_format(value, "DATE_FORMAT")


def _missing(application) -> int:
    """Unanswered criteria: from the page's annotations (`answered`, `criteria_count`)
    when it has them, otherwise read."""
    if hasattr(application, "answered") and hasattr(application, "criteria_count"):
        return max(application.criteria_count - application.answered, 0)
    return application.answers.filter(text="").count()


@register.filter
def next_step(application: Application) -> str:
    cycle = application.track.cycle
    if application.is_withdrawn:
        return _("Bidraget är återtaget och bedöms inte.")
    if application.registration_status == Application.RegistrationStatus.REJECTED:
        return _("Anmälan avslogs. Kontakta stadsledningskontoret om ni har frågor.")
    if not application.is_submitted:
        if not application.is_editable:
            return _(
                "Sista dagen (%(date)s) passerade utan att bidraget lämnades in, så det bedöms inte. "
                "Kontakta stadsledningskontoret om ni behöver mer tid."
            ) % {"date": _day(application.deadline)}
        parts = []
        if application.registration_status == Application.RegistrationStatus.PENDING:
            parts.append(
                _("Anmälan väntar på stadsledningskontorets godkännande; ni kan skriva under tiden.")
            )
        if application.deadline_extended_to:
            parts.append(
                _("Stadsledningskontoret har förlängt er tid till och med %(date)s.")
                % {"date": _day(application.deadline)}
            )
        missing = _missing(application)
        if missing:
            parts.append(
                ngettext(
                    "%(count)s svar saknas. Skriv klart och lämna in bidraget senast %(date)s.",
                    "%(count)s svar saknas. Skriv klart och lämna in bidraget senast %(date)s.",
                    missing,
                )
                % {"count": missing, "date": _day(application.deadline)}
            )
        else:
            parts.append(
                _("Alla kriterier är besvarade. Lämna in bidraget senast %(date)s.")
                % {"date": _day(application.deadline)}
            )
        return " ".join(parts)
    phase = _ORDER.index(cycle.phase)
    if phase < _ORDER.index(Phase.ASSESSMENT):
        return _(
            "Bidraget är inlämnat. Examinatorerna börjar bedöma det efter sista dagen för bidrag, %(date)s."
        ) % {"date": _day(cycle.application_deadline)}
    if phase <= _ORDER.index(Phase.CONSENSUS):
        return _(
            "Bidraget är inlämnat och bedöms nu av ett lag examinatorer; det kan inte ändras. "
            "Domarkommittén väljer ut enheter för platsbesök %(date)s."
        ) % {"date": _day(cycle.first_committee_meeting)}
    if phase == _ORDER.index(Phase.SHORTLISTING):
        return _("Domarkommittén väljer ut enheter för platsbesök %(date)s. De utvalda får besked.") % {
            "date": _day(cycle.first_committee_meeting)
        }
    if phase == _ORDER.index(Phase.SITE_VISITS):
        return _("Platsbesöken görs %(start)s–%(end)s. Domarkommittén fattar beslut %(date)s.") % {
            "start": _day(cycle.site_visits_start),
            "end": _day(cycle.site_visits_end),
            "date": _day(cycle.final_committee_meeting),
        }
    if phase == _ORDER.index(Phase.FINAL_DECISION):
        return _("Domarkommittén fattar beslut %(date)s.") % {"date": _day(cycle.final_committee_meeting)}
    if not cycle.feedback_released():
        return _("Domarkommittén har beslutat. Beslutet och återföringsrapporten kommer %(date)s.") % {
            "date": _day(cycle.feedback_release)
        }
    return _("Domarkommitténs beslut är meddelat och återföringsrapporten släppt.")
