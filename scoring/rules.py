"""The award's rules on scores and decisions that are not permissions: what must be in
place before an assessment is submitted or a consensus finalised (R11), and which
applications a decision may name (R5, R6, R15). One function per rule, used by the
services that enforce it and by the pages that explain it, for everyone alike."""

from django.utils.translation import gettext as _

from submissions import eligibility

from .models import Assessment, Consensus, SiteVisit


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


def winner_refusal(application) -> str:
    """Why the application may not win (empty when it may): the deficit mark and the rule
    that a winner waits two cycles."""
    if not application.award_eligible:
        return _("%(code)s kan inte tilldelas utmärkelsen: %(why)s") % {
            "code": application.code,
            "why": application.eligibility_note or _("enheten har redovisat underskott."),
        }
    cycle = application.track.cycle
    won = eligibility.recent_win(
        application.unit.past_results.all(), track_kind=application.track.kind, year=cycle.year
    )
    if won is not None:
        return _("%(code)s kan inte vinna: enheten vann %(year)s och får vinna igen tidigast %(next)s.") % {
            "code": application.code,
            "year": won,
            "next": eligibility.next_possible_win(won),
        }
    return ""


def outcome_refusal(application, outcome: str) -> str:
    """Why the application may not receive `outcome` (empty when it may). Only what was
    judged can be named: a winner or an honourable mention needs a finalised consensus
    and, where the committee chose a site visit for it, the visit done; a winner must
    also be allowed to win (`winner_refusal`). The one place the decision's services and
    pages ask; it reads `consensus`, `site_visit` and `unit.past_results`, so select and
    prefetch them when asking for many."""
    from .models import DecisionOutcome

    consensus = getattr(application, "consensus", None)
    if consensus is None or not consensus.is_final:
        return _(
            "%(code)s kan inte bli vinnare eller få hedersomnämnande: bidraget har ingen fastställd "
            "konsensus (%(status)s)."
        ) % {
            "code": application.code,
            "status": consensus.get_status_display().lower() if consensus else _("inte startad"),
        }
    visit = getattr(application, "site_visit", None)
    if visit is not None and visit.status != SiteVisit.Status.DONE:
        return _(
            "%(code)s kan inte bli vinnare eller få hedersomnämnande: kommittén valde platsbesök, "
            "och besöket är inte genomfört."
        ) % {"code": application.code}
    if outcome == DecisionOutcome.Outcome.WINNER:
        return winner_refusal(application)
    return ""


def report_coming(application) -> bool:
    """Whether the unit will get a feedback report: one is drafted when the consensus is
    finalised, and never without it."""
    consensus = getattr(application, "consensus", None)
    return consensus is not None and consensus.is_final
