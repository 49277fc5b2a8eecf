"""Read side of the judging committee's pages."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.http import Http404

from award.models import AwardCycle, PastResult, Track
from award.roles import Role, has_role
from judging.models import CommitteeConflict, DecisionOutcome
from scoring import totals
from scoring.models import FeedbackItem, FeedbackReport
from submissions.models import Application


def committee_or_slk(user, cycle) -> bool:
    """Whether `user` works on `cycle`'s committee side: SLK, or a member of that cycle's
    committee (`AwardCycle.has_committee_member`; the role alone is not enough)."""
    return has_role(user, Role.SLK) or cycle.has_committee_member(user)


def require_committee_or_slk(user, cycle) -> None:
    """The committee's pages: anyone but SLK and this cycle's members is told nothing exists."""
    if not committee_or_slk(user, cycle):
        raise Http404


def committee_conflicts_for(user, application) -> list:

    return [
        c
        for c in CommitteeConflict.objects.filter(cycle=application.track.cycle, member=user).select_related(
            "unit", "organisation"
        )
        if c.covers(application)
    ]


def outcome_facts(pks) -> dict[int, Application]:
    """The applications with these ids, freshly read with what `outcome_refusal` reads,
    in a fixed number of queries."""
    return (
        Application.objects.select_related("consensus", "site_visit", "unit", "track__cycle")
        .prefetch_related("unit__past_results")
        .in_bulk(list(pks))
    )


@dataclass
class HistoryEntry:
    """One cycle the unit took part in (an application), or a result of a year without one
    here (an imported PastResult)."""

    year: int
    track_kind: str
    track: str
    class_name: str = ""
    application: Application | None = None
    state: str = ""
    result: str = ""
    report_released: bool = False
    total: Decimal | None = None
    # criterion number -> score (%) of the released report, when the cycle showed scores
    scores: dict[int, int] = field(default_factory=dict)


@dataclass
class UnitProfile:
    """The unit's criterion scores over the cycles whose released reports showed them, for
    one kind of track (the criteria are each cycle's own, matched by number)."""

    track_kind: str
    track: str
    years: list[int]
    criteria: list[tuple[int, str]]  # (number, title of the latest cycle's criterion)
    scores: dict[int, dict[int, int]]  # year -> criterion number -> score

    @property
    def rows(self) -> list[dict]:
        """Per criterion: number, title and the score of each year (None where missing)."""
        return [
            {"number": n, "title": t, "scores": [self.scores[y].get(n) for y in self.years]}
            for n, t in self.criteria
        ]


def unit_history(unit, on=None) -> dict:
    """The unit's history in the award, newest first: each application with its state,
    its result once announced (a signed decision of a cycle whose feedback release date
    has come) and, where the unit's report is released and the cycle showed scores, its
    scores; and its imported earlier results. Also the criterion profiles over time.

    What is read is the unit's own and what it has been told, nothing more: the same rules
    as the unit's report page (scoring.queries.report_released) and the decision's notice.
    A fixed number of queries, whatever the history's length."""
    released_cycles = set(AwardCycle.objects.feedback_released(on).values_list("pk", flat=True))
    applications = list(
        Application.objects.filter(unit=unit)
        .select_related("track__cycle", "competition_class")
        .order_by("-track__cycle__year", "track__kind", "pk")
    )
    outcomes = dict(
        DecisionOutcome.objects.signed()
        .filter(application__unit=unit, decision__meeting__cycle__in=released_cycles)
        .values_list("application_id", "outcome")
    )
    released_reports = set(
        FeedbackReport.objects.filter(
            application__unit=unit,
            status=FeedbackReport.Status.APPROVED,
            application__track__cycle__in=released_cycles,
        ).values_list("application_id", flat=True)
    )
    items: dict[int, list[tuple[int, str, int, int]]] = {}
    for application_id, number, title, weight, score in (
        FeedbackItem.objects.filter(
            report__application_id__in=released_reports,
            report__application__track__cycle__show_scores_to_units=True,
        )
        .order_by("criterion__number")
        .values_list(
            "report__application_id", "criterion__number", "criterion__title", "criterion__weight", "score"
        )
    ):
        items.setdefault(application_id, []).append((number, title, weight, score))
    labels = dict(DecisionOutcome.Outcome.choices)
    past = list(PastResult.objects.filter(unit=unit))
    # A past result of a cycle held here counts only once that cycle's decisions are announced.
    held = dict(AwardCycle.objects.filter(year__in={p.year for p in past}).values_list("year", "pk"))

    entries = []
    covered = set()
    for application in applications:
        cycle = application.track.cycle
        covered.add((cycle.year, application.track.kind))
        entry = HistoryEntry(
            year=cycle.year,
            track_kind=application.track.kind,
            track=application.track.name,
            class_name=application.competition_class.name if application.competition_class else "",
            application=application,
            state=application.state_label,
            result=str(labels[outcomes[application.pk]]) if application.pk in outcomes else "",
            report_released=application.pk in released_reports,
        )
        scored = items.get(application.pk, [])
        if scored:
            entry.scores = {number: score for number, _t, _w, score in scored if score is not None}
            entry.total = totals.weighted_total((weight, score) for _n, _t, weight, score in scored)
        entries.append(entry)
    for result in past:
        if (result.year, result.track_kind) in covered:
            continue
        if result.year in held and held[result.year] not in released_cycles:
            continue
        entries.append(
            HistoryEntry(
                year=result.year,
                track_kind=result.track_kind,
                track=str(Track.Kind(result.track_kind).label),
                result=result.get_outcome_display(),
            )
        )
    entries.sort(key=lambda e: (-e.year, e.track_kind))

    profiles = []
    for kind in Track.Kind:
        scored = [e for e in entries if e.track_kind == kind and e.scores]
        if not scored:
            continue
        scored.sort(key=lambda e: e.year)
        titles = {}
        for entry in scored:  # the latest cycle's titles win
            titles.update({n: t for n, t, _w, _s in items[entry.application.pk]})
        profiles.append(
            UnitProfile(
                track_kind=kind.value,
                track=scored[-1].track,
                years=[e.year for e in scored],
                criteria=sorted(titles.items()),
                scores={e.year: e.scores for e in scored},
            )
        )
    return {"entries": entries, "profiles": profiles}
