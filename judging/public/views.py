"""The public good examples: the winners and honourable mentions of every cycle with the
committee's citations, the city's commitment to spread good examples. No login, no scores.

They can be searched (unit, organisation, nominee, citation and the consented summary) and
filtered by year, class and criterion, so a unit can find who did well on what it must
improve. The criterion filter keeps the examples whose score that counts on that criterion
(matched by number within the same kind of track) is at least STRONG_SCORE, without
showing any score."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_not_required
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Coalesce
from django.shortcuts import render

from award.models import Criterion, Track, today
from judging.models import DecisionOutcome
from judging.public.forms import GoodExampleSearchForm
from scoring.models import Consensus, ConsensusItem

# The scale's band "strong" (70–85 %) and above: what "did well on the criterion" means here.
STRONG_SCORE = 70


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


def _class_label(decision) -> str:
    return decision.competition_class.name if decision.competition_class else decision.track.name


def published_choices() -> dict:
    """The years, classes (by name: each cycle has its own) and criteria (kind of track and
    number, titled as in the latest published cycle) that the published examples hold."""
    rows = list(
        published_outcomes()
        .order_by()
        .values_list(
            "decision__meeting__cycle__year", "decision__competition_class__name", "decision__track__name"
        )
        .distinct()
    )
    years = sorted({year for year, _c, _t in rows}, reverse=True)
    classes = sorted({klass or track for _y, klass, track in rows})
    criteria: dict[str, str] = {}
    for kind, number, title, kind_label in (
        (kind, number, title, Track.Kind(kind).label)
        for kind, number, title in Criterion.objects.filter(
            track__cycle__year__in=years, track__decisions__outcomes__isnull=False
        )
        .distinct()
        .order_by("track__kind", "number", "track__cycle__year")
        .values_list("track__kind", "number", "title")
    ):
        criteria[f"{kind}:{number}"] = f"{kind_label}: {number}. {title}"  # the latest title wins
    return {"years": years, "classes": classes, "criteria": list(criteria.items())}


def search(outcomes, data: dict):
    """`published_outcomes` narrowed by the search form's cleaned data."""
    if data.get("year"):
        outcomes = outcomes.filter(decision__meeting__cycle__year=data["year"])
    if data.get("klass"):
        outcomes = outcomes.filter(
            Q(decision__competition_class__name=data["klass"])
            | Q(decision__competition_class__isnull=True, decision__track__name=data["klass"])
        )
    if data.get("q"):
        text = data["q"]
        outcomes = outcomes.filter(
            Q(application__unit__name__icontains=text)
            | Q(application__unit__organisation__name__icontains=text)
            | Q(application__nominee_name__icontains=text)
            | Q(citation__icontains=text)
            # Only a summary the unit consented to publish is searched, or a search could
            # tell what an unpublished one says.
            | Q(unit_consented=True, public_summary__icontains=text)
        )
    if data.get("criterion"):
        kind, _sep, number = data["criterion"].partition(":")
        strong = ConsensusItem.objects.annotate(counts=Coalesce("visit_score", "score")).filter(
            consensus__application=OuterRef("application"),
            consensus__status=Consensus.Status.FINAL,
            criterion__number=int(number),
            counts__gte=STRONG_SCORE,
        )
        # Scores are confidential: only a unit that consented to publication, in a cycle
        # that showed units their scores, may be found by how it scored on a criterion.
        outcomes = outcomes.filter(
            Exists(strong),
            decision__track__kind=kind,
            unit_consented=True,
            decision__meeting__cycle__show_scores_to_units=True,
        )
    return outcomes


@login_not_required
def good_examples(request):
    choices = published_choices()
    form = GoodExampleSearchForm(request.GET or None, **choices)
    outcomes = published_outcomes()
    searched = form.is_bound and form.is_valid()
    if searched:
        outcomes = search(outcomes, form.cleaned_data)
    years: list[dict] = []
    for outcome in outcomes:
        decision = outcome.decision
        year = decision.meeting.cycle.year
        if not years or years[-1]["year"] != year:
            years.append({"year": year, "scopes": []})
        scopes = years[-1]["scopes"]
        label = _class_label(decision)
        key = (decision.track_id, decision.competition_class_id)
        if not scopes or scopes[-1]["key"] != key:
            scopes.append({"key": key, "track": decision.track.name, "label": label, "examples": []})
        scopes[-1]["examples"].append(_example(outcome))
    for year in years:
        for scope in year["scopes"]:
            scope["examples"].sort(key=lambda e: OUTCOME_ORDER.get(e.outcome, 9))
    return render(
        request,
        "judging/public/good_examples.html",
        {
            "years": years,
            "form": form,
            "searched": searched and any(form.cleaned_data.values()),
            "count": sum(len(scope["examples"]) for year in years for scope in year["scopes"]),
        },
    )
