"""The committee's consolidated view: every application of a track with its consensus
total, per-criterion scores, the spread of the examiners' individual scores, the total
after a site visit, its rank in its class, its eligibility marks, and a calibrated total
that corrects for examiner severity.

Everything is read in a fixed number of queries and combined in Python, so the page's
query count does not grow with the number of applications.

Calibration: each examiner's individual scores are standardised against that examiner's
own mean and standard deviation across all their submitted assessments in the cycle, then
rescaled to the mean and standard deviation of all examiners' scores, so a harsh and a
lenient examiner who rank the same way give the same calibrated scores.
"""

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from award.models import Criterion, PastResult, Track
from submissions import eligibility
from submissions.models import Application

from . import totals
from .models import AssessmentItem, CommitteeConflict, ConsensusItem, DecisionOutcome, SiteVisit

CALIBRATION_METHOD = (
    "Varje examinators poäng standardiseras mot examinatorns eget medelvärde och egen spridning "
    "över alla hens bedömningar i omgången och skalas sedan om till alla examinatorers gemensamma "
    "medelvärde och spridning. Det visar var ett strängt eller generöst lag kan ha flyttat en "
    "placering; kommittén beslutar utifrån konsensuspoängen."
)


@dataclass
class Row:
    application: Application
    class_name: str
    criteria: list[Criterion]
    consensus: dict[int, int | None] = field(default_factory=dict)  # criterion id -> score
    visit: dict[int, int | None] = field(default_factory=dict)  # criterion id -> revised score
    spreads: dict[int, int | None] = field(default_factory=dict)
    calibrated: dict[int, float] = field(default_factory=dict)
    total: Decimal | None = None
    visit_total: Decimal | None = None
    calibrated_total: Decimal | None = None
    rank: int | None = None
    calibrated_rank: int | None = None
    max_spread: int | None = None
    had_visit: bool = False
    visit_status: str = ""
    marks: list[str] = field(default_factory=list)
    conflict: bool = False
    outcome: str = ""

    @property
    def final_total(self) -> Decimal | None:
        return self.visit_total if self.visit_total is not None else self.total

    @property
    def cells(self):
        """Per criterion, in order: (criterion, consensus, after visit, spread, calibrated)."""
        return [
            (
                c,
                self.consensus.get(c.pk),
                self.visit.get(c.pk),
                self.spreads.get(c.pk),
                self.calibrated.get(c.pk),
            )
            for c in self.criteria
        ]


def calibrate(items) -> dict[int, float]:
    """item pk -> calibrated score, for (pk, examiner id, score) triples."""
    items = [(pk, examiner, score) for pk, examiner, score in items if score is not None]
    if len(items) < 2:
        return {pk: float(score) for pk, _e, score in items}
    all_scores = [score for _pk, _e, score in items]
    grand_mean, grand_sd = statistics.mean(all_scores), statistics.pstdev(all_scores)
    by_examiner: dict[int, list[int]] = {}
    for _pk, examiner, score in items:
        by_examiner.setdefault(examiner, []).append(score)
    stats = {e: (statistics.mean(s), statistics.pstdev(s)) for e, s in by_examiner.items()}
    result = {}
    for pk, examiner, score in items:
        mean, sd = stats[examiner]
        z = (score - mean) / sd if sd else 0.0
        result[pk] = min(100.0, max(0.0, grand_mean + z * grand_sd))
    return result


def _rank(rows: list[Row], key) -> dict[int, int]:
    """Competition ranking (1, 2, 2, 4) of rows by key, highest first; None sorts last."""
    scored = sorted((r for r in rows if key(r) is not None), key=key, reverse=True)
    ranks, previous, position = {}, None, 0
    for index, row in enumerate(scored, start=1):
        value = key(row)
        if value != previous:
            position, previous = index, value
        ranks[row.application.pk] = position
    return ranks


def consolidated(track: Track, *, viewer=None) -> dict:
    """Rows of the track's submitted applications grouped by class, ranked within each."""
    cycle = track.cycle
    criteria = list(Criterion.objects.filter(track=track).order_by("number"))
    applications = list(
        Application.objects.filter(track=track, status=Application.Status.SUBMITTED)
        .select_related("unit__organisation", "competition_class")
        .order_by("code")
    )
    ids = [a.pk for a in applications]
    consensus_items = ConsensusItem.objects.filter(
        consensus__application_id__in=ids, consensus__status="final"
    ).values_list("consensus__application_id", "criterion_id", "score", "visit_score")
    individual = list(
        AssessmentItem.objects.filter(
            assessment__application__track__cycle=cycle, assessment__status="submitted"
        ).values_list("pk", "assessment__member_id", "assessment__application_id", "criterion_id", "score")
    )
    calibrated_items = calibrate((pk, member, score) for pk, member, _a, _c, score in individual)
    visits = dict(SiteVisit.objects.filter(application_id__in=ids).values_list("application_id", "status"))
    recent_wins = {
        (unit_id, year)
        for unit_id, year in PastResult.objects.filter(
            unit_id__in=[a.unit_id for a in applications],
            track_kind=track.kind,
            outcome=PastResult.Outcome.WINNER,
            year__gte=cycle.year - eligibility.WINNER_QUARANTINE_YEARS,
            year__lt=cycle.year,
        ).values_list("unit_id", "year")
    }
    conflicts = (
        list(CommitteeConflict.objects.filter(cycle=cycle, member=viewer)) if viewer is not None else []
    )
    outcomes = dict(
        DecisionOutcome.objects.filter(application_id__in=ids, decision__status="signed").values_list(
            "application_id", "outcome"
        )
    )
    outcome_labels = dict(DecisionOutcome.Outcome.choices)

    rows = {
        a.pk: Row(
            application=a,
            class_name=a.competition_class.name if a.competition_class else track.name,
            criteria=criteria,
        )
        for a in applications
    }
    for application_id, criterion_id, score, visit_score in consensus_items:
        row = rows[application_id]
        row.consensus[criterion_id] = score
        if visit_score is not None:
            row.visit[criterion_id] = visit_score
    scores: dict[tuple[int, int], list[int]] = {}
    calibrated: dict[tuple[int, int], list[float]] = {}
    for pk, _member, application_id, criterion_id, score in individual:
        if application_id in rows and score is not None:
            scores.setdefault((application_id, criterion_id), []).append(score)
            calibrated.setdefault((application_id, criterion_id), []).append(calibrated_items[pk])
    weights = {c.pk: c.weight for c in criteria}
    for row in rows.values():
        a = row.application
        for c in criteria:
            row.spreads[c.pk] = totals.spread(scores.get((a.pk, c.pk), []))
            values = calibrated.get((a.pk, c.pk))
            if values:
                row.calibrated[c.pk] = round(statistics.mean(values), 1)
        row.max_spread = max((s for s in row.spreads.values() if s is not None), default=None)
        if row.consensus:
            row.total = totals.weighted_total((weights[c], row.consensus.get(c)) for c in weights)
        if row.visit:
            row.visit_total = totals.weighted_total(
                (weights[c], row.visit.get(c, row.consensus.get(c))) for c in weights
            )
        if len(row.calibrated) == len(criteria):
            row.calibrated_total = sum(
                (Decimal(weights[c]) * Decimal(str(v)) / 100 for c, v in row.calibrated.items()), Decimal(0)
            ).quantize(Decimal("0.1"))
        row.had_visit = a.pk in visits
        row.visit_status = visits.get(a.pk, "")
        if not a.award_eligible:
            row.marks.append(a.eligibility_note or "Kan inte tilldelas utmärkelsen (underskott).")
        wins = sorted(year for unit_id, year in recent_wins if unit_id == a.unit_id)
        if wins:
            row.marks.append(
                f"Vann {wins[-1]}: får inte vinna förrän {eligibility.next_possible_win(wins[-1])}."
            )
        row.conflict = any(c.covers(a) for c in conflicts)
        row.outcome = str(outcome_labels.get(outcomes.get(a.pk), ""))

    groups: dict[str, list[Row]] = {}
    for row in rows.values():
        groups.setdefault(row.class_name, []).append(row)
    class_order = {c.name: c.order for c in track.classes.all()}
    result = []
    for name in sorted(groups, key=lambda n: (class_order.get(n, 0), n)):
        group = groups[name]
        ranks = _rank(group, lambda r: r.final_total)
        calibrated_ranks = _rank(group, lambda r: r.calibrated_total)
        for row in group:
            row.rank = ranks.get(row.application.pk)
            row.calibrated_rank = calibrated_ranks.get(row.application.pk)
        group.sort(key=lambda r: (r.rank is None, r.rank or 0, r.application.code))
        result.append({"name": name, "rows": group})
    return {"criteria": criteria, "classes": result, "method": CALIBRATION_METHOD}
