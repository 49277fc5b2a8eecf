"""Which applications the judging committee's decision may name, for everyone alike:
an application with a deficit cannot win (R5), a winner waits two cycles (R6), and only
what was judged (a finalised consensus, and the site visit where one was chosen) can win
or be mentioned (R15); and who steps out of a decision (R13). Used by the decision
services and by the pages that explain them."""

from django.utils.translation import gettext as _

from judging.models import CommitteeConflict, DecisionOutcome
from scoring.models import SiteVisit
from submissions import eligibility
from submissions.models import Application


def decision_scope(track, class_id: int | None):
    """The submitted applications a decision for the class `class_id` (or, without one,
    for the whole `track`) decides on: every candidate, not only those it names."""
    scope = Application.objects.filter(track=track, status=Application.Status.SUBMITTED)
    if class_id is not None:
        scope = scope.filter(competition_class_id=class_id)
    return scope


def scope_conflicts(*, track, class_id: int | None, member=None) -> dict:
    """R13 for one decision: committee member -> the candidates in the decision's scope
    (`decision_scope`) they have declared a conflict with, by code; only `member` if given,
    and members without any are left out. A class decision decides on every candidate in
    the class, so a member with a conflict with any of them steps out of the whole
    decision: neither records, signs nor corrects it. The one place the decision services
    and pages ask."""
    declared = CommitteeConflict.objects.filter(cycle_id=track.cycle_id).select_related("member")
    if member is not None:
        declared = declared.filter(member=member)
    declared = list(declared)
    if not declared:
        return {}
    candidates = list(decision_scope(track, class_id).select_related("unit").order_by("code"))
    found: dict = {}
    for conflict in declared:
        hits = found.setdefault(conflict.member, {})
        hits.update((a.pk, a) for a in candidates if conflict.covers(a))
    return {user: sorted(hits.values(), key=lambda a: a.code) for user, hits in found.items() if hits}


def member_scope_conflicts(user, *, track, class_id: int | None) -> list:
    """The candidates of a decision's scope that `user` has declared a conflict with
    (`scope_conflicts` for one member); empty when they take part in the decision."""
    return scope_conflicts(track=track, class_id=class_id, member=user).get(user, [])


def chair_conflict_refusal(decision, user) -> str:
    """Why `user`, the chair, cannot sign `decision` for a conflict in its scope (empty when
    they can). The model has one chair per cycle and no acting chair, so the chair with a
    conflict is refused and the decision waits."""
    conflicted = member_scope_conflicts(user, track=decision.track, class_id=decision.competition_class_id)
    if not conflicted:
        return ""
    return _(
        "Ordföranden har jäv mot %(codes)s i %(scope)s och kan inte signera beslutet: ett beslut för "
        "klassen gäller alla dess bidrag."
    ) % {"codes": ", ".join(a.code for a in conflicted), "scope": decision.scope_label}


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
