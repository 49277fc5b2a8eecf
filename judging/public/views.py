"""The public good examples: the winners and honourable mentions of every cycle with the
committee's citations, the city's commitment to spread good examples. No login, no scores."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from award.models import Track, today
from judging.models import DecisionOutcome


@dataclass
class GoodExample:
    outcome: str
    outcome_label: str
    unit: str
    organisation: str
    nominee: str  # Förnyelsepriset: the person or team, as registered
    citation: str
    summary: str  # only with the unit's consent


def published_outcomes():
    """Outcomes of signed decisions (a superseded one is no longer signed) of cycles whose
    award ceremony is over.

    The committee decides weeks before the ceremony, and the winners are announced there:
    publishing a signed decision earlier would give the news away before the city does, so
    a cycle appears only from the day after its ceremony_date."""
    return (
        DecisionOutcome.objects.signed()
        .filter(decision__meeting__cycle__ceremony_date__lt=today())
        .select_related(
            "decision__meeting__cycle",
            "decision__track",
            "decision__competition_class",
            "application__unit__organisation",
        )
        .order_by(
            "-decision__meeting__cycle__year",
            "decision__track__kind",
            "decision__competition_class__order",
            "decision__competition_class__name",
            "application__unit__name",
        )
    )


OUTCOME_ORDER = {DecisionOutcome.Outcome.WINNER: 0, DecisionOutcome.Outcome.HONOURABLE_MENTION: 1}


def _example(outcome: DecisionOutcome) -> GoodExample:
    application = outcome.application
    renewal = outcome.decision.track.kind == Track.Kind.RENEWAL_PRIZE
    return GoodExample(
        outcome=outcome.outcome,
        outcome_label=outcome.get_outcome_display(),
        unit=application.unit.name,
        organisation=application.unit.organisation.name,
        nominee=(
            f"{application.nominee_name} ({application.get_nominee_kind_display().lower()})"
            if renewal and application.nominee_name
            else ""
        ),
        citation=outcome.citation,
        # Decided here rather than in the template, so an unconsented summary never
        # reaches the page.
        summary=outcome.public_summary if outcome.unit_consented else "",
    )


@login_not_required
def good_examples(request):
    years: list[dict] = []
    for outcome in published_outcomes():
        decision = outcome.decision
        year = decision.meeting.cycle.year
        if not years or years[-1]["year"] != year:
            years.append({"year": year, "scopes": []})
        scopes = years[-1]["scopes"]
        label = decision.competition_class.name if decision.competition_class else decision.track.name
        key = (decision.track_id, decision.competition_class_id)
        if not scopes or scopes[-1]["key"] != key:
            scopes.append({"key": key, "track": decision.track.name, "label": label, "examples": []})
        scopes[-1]["examples"].append(_example(outcome))
    for year in years:
        for scope in year["scopes"]:
            scope["examples"].sort(key=lambda e: OUTCOME_ORDER.get(e.outcome, 9))
    return render(request, "judging/public/good_examples.html", {"years": years})
