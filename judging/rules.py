"""Which applications the judging committee's decision may name, for everyone alike:
an application with a deficit cannot win (R5), a winner waits two cycles (R6), and only
what was judged (a finalised consensus, and the site visit where one was chosen) can win
or be mentioned (R15). Used by the decision services and by the pages that explain them."""

from django.utils.translation import gettext as _

from judging.models import DecisionOutcome
from scoring.models import SiteVisit
from submissions import eligibility


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
