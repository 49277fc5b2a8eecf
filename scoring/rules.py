"""The award's rules on scores and decisions that are not permissions: what must be in
place before an assessment is submitted or a consensus finalised (R11), and which
applications a decision may name (R5, R6, R15). One function per rule, used by the
services that enforce it and by the pages that explain it, for everyone alike."""

import datetime as dt

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from award.models import end_of_day
from scoring.models import Assessment, Consensus

_FROM_TEAM = object()


def assessment_deadline(application, *, extended_to=_FROM_TEAM) -> dt.date:
    """The last day an examiner of the application's team may change or submit their
    individual assessment: SLK's extension for the team, else the cycle's deadline.
    `extended_to`, the team's extension (or None) if the caller has read it, spares
    reading the assignment and the team."""
    if extended_to is _FROM_TEAM:
        assignment = getattr(application, "assignment", None)
        team = getattr(assignment, "team", None)
        extended_to = getattr(team, "assessment_deadline_extended_to", None)
    return extended_to or application.track.cycle.assessment_deadline


def assessment_closed(application, now: dt.datetime | None = None, *, extended_to=_FROM_TEAM) -> str:
    """Why the individual assessment of the application can no longer change ("" while it
    can): its deadline (the end of that day, Stockholm time) has passed."""
    deadline = assessment_deadline(application, extended_to=extended_to)
    if (now or timezone.now()) > end_of_day(deadline):
        return _(
            "Sista dag för den individuella bedömningen var %(date)s. Det du skrev är inte sparat; "
            "stadsledningskontoret kan förlänga tiden."
        ) % {"date": date_format(deadline)}
    return ""


def assessment_missing(assessment: Assessment, items=None) -> list[str]:
    """What stops the examiner from submitting, per criterion."""
    missing = []
    for item in items if items is not None else assessment.items.select_related("criterion"):
        if item.score is None:
            missing.append(_("Kriterium %(n)s saknar poäng.") % {"n": item.criterion.number})
        if not item.strengths and not item.improvements:
            missing.append(
                _("Kriterium %(n)s behöver minst en styrka eller ett förbättringsområde.")
                % {"n": item.criterion.number}
            )
    return missing


def flagged(spread_value: int | None, threshold: int) -> bool:
    """Whether a criterion's spread of individual scores reaches the cycle's discussion
    threshold (R11). The one comparison: the consensus, the assessment page, the
    committee's drill-down and consolidated view all take the flag from here."""
    return spread_value is not None and spread_value >= threshold


def consensus_missing(consensus: Consensus, spreads: dict[int, int | None]) -> list[str]:
    """What stops the consensus from being finalised. `spreads` maps criterion id to the
    spread of the individual scores."""
    threshold = consensus.application.track.cycle.discussion_threshold
    missing = []
    for item in consensus.items.select_related("criterion"):
        n = item.criterion.number
        if item.score is None:
            missing.append(_("Kriterium %(n)s saknar konsensuspoäng.") % {"n": n})
        if not item.strengths and not item.improvements:
            missing.append(
                _("Kriterium %(n)s behöver minst en styrka eller ett förbättringsområde.") % {"n": n}
            )
        if flagged(spreads.get(item.criterion_id), threshold) and not item.discussion_note:
            missing.append(
                _(
                    "Kriterium %(n)s har en spridning på %(spread)s procentenheter: skriv vad diskussionen kom fram till."
                )
                % {"n": n, "spread": spreads[item.criterion_id]}
            )
    return missing
