"""The committee's result for an application, for the unit's pages in the apps below
judging (the application page, the start page, the feedback report), which cannot import
it. Shown only once announced: a signed decision of a cycle whose feedback release date
has come, as on the unit's history page (judging.queries.unit_history)."""

from django import template
from django.utils.translation import gettext as _

from judging.models import Decision, DecisionOutcome

register = template.Library()


@register.simple_tag
def committee_result(application, on=None) -> dict | None:
    """{"label", "citation", "winner", "signed_at"} of the decision that stands for the
    application's class, once announced; None before, or when the class has no decision.
    Reads `application.outcomes` prefetched (with their decisions) when the page did."""
    cycle = application.track.cycle
    if not cycle.feedback_released(on):
        return None
    cache = getattr(application, "_prefetched_objects_cache", {})
    if "outcomes" in cache:
        outcomes = [o for o in cache["outcomes"] if o.decision.is_signed and not o.decision.is_superseded]
    else:
        outcomes = list(
            DecisionOutcome.objects.signed().filter(application=application).select_related("decision")
        )
    if outcomes:
        outcome = outcomes[0]
        return {
            "label": outcome.get_outcome_display(),
            "citation": outcome.citation,
            "winner": outcome.outcome == DecisionOutcome.Outcome.WINNER,
            "signed_at": outcome.decision.signed_at,
        }
    decision = (
        Decision.objects.signed()
        .filter(track_id=application.track_id, competition_class_id=application.competition_class_id)
        .first()
    )
    if decision is None:
        return None
    return {
        "label": _("Ingen utmärkelse"),
        "citation": "",
        "winner": False,
        "signed_at": decision.signed_at,
        "no_award": decision.no_award,
    }
