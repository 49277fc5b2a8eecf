"""The committee's consolidated view: every application of a track with its consensus
total, per-criterion scores, the spread of the examiners' individual scores, the total
after a site visit, its rank in its class, its eligibility marks, and a calibrated total
that corrects for examiner severity.

Everything is read in a fixed number of queries, so the page's query count does not grow
with the number of applications. The individual scores (about 40 per application) never
reach Python: the database aggregates them per application and criterion (spread and
calibrated mean, `_criterion_aggregates`), so Python handles one small row per application
and criterion.

Calibration: each examiner's individual scores are standardised against that examiner's
own mean and standard deviation across all their submitted assessments in the cycle, then
rescaled to the mean and standard deviation of all examiners' scores, so a harsh and a
lenient examiner who rank the same way give the same calibrated scores.
"""

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection

from award.models import Criterion, PastResult, Track
from judging.models import CommitteeConflict, DecisionOutcome
from scoring import queries, rules, totals
from scoring.models import Assessment, AssessmentItem, Consensus, ConsensusItem, SiteVisit
from submissions import eligibility
from submissions.models import Application

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
    flagged: set[int] = field(default_factory=set)  # criterion ids whose spread reaches the threshold (R11)
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
        """Per criterion, in order: (criterion, consensus, after visit, spread, calibrated,
        whether the spread is flagged)."""
        return [
            (
                c,
                self.consensus.get(c.pk),
                self.visit.get(c.pk),
                self.spreads.get(c.pk),
                self.calibrated.get(c.pk),
                c.pk in self.flagged,
            )
            for c in self.criteria
        ]


def calibrate(items) -> dict[int, float]:
    """item pk -> calibrated score, for (pk, examiner id, score) triples.

    The calibration written out in Python, as the reference for `_criterion_aggregates`,
    which does the same in SQL for the pages (the tests hold the two together); the pages
    never call this."""
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


def _scope(prefix: str, track: Track, class_id: int | None) -> dict:
    """Lookups for the submitted applications in view, seen from a related model. The
    queries filter by joins rather than by lists of ids, which would grow with the track."""
    scope = {"track": track, "status": Application.Status.SUBMITTED}
    if class_id is not None:
        scope["competition_class_id"] = class_id
    return {prefix + name: value for name, value in scope.items()}


def consolidated(track: Track, *, viewer=None, class_id: int | None = None) -> dict:
    """Rows of the track's submitted applications grouped by class, ranked within each;
    only the class `class_id` if given (its ranks are the same, since they are per class)."""
    cycle = track.cycle
    criteria = list(Criterion.objects.filter(track=track).order_by("number"))
    applications = list(
        Application.objects.filter(**_scope("", track, class_id))
        .select_related("unit__organisation", "competition_class")
        .order_by("code")
    )
    consensus_items = ConsensusItem.objects.filter(
        **_scope("consensus__application__", track, class_id), consensus__status=Consensus.Status.FINAL
    ).values_list("consensus__application_id", "criterion_id", "score", "visit_score")
    aggregates = _criterion_aggregates(cycle, track_id=track.pk, class_id=class_id)
    in_scope = _scope("application__", track, class_id)
    visits = dict(SiteVisit.objects.filter(**in_scope).values_list("application_id", "status"))
    last_win: dict[int, int] = {}
    for unit_id, year in PastResult.objects.filter(
        **_scope("unit__applications__", track, class_id),
        track_kind=track.kind,
        outcome=PastResult.Outcome.WINNER,
        year__gte=cycle.year - eligibility.WINNER_QUARANTINE_YEARS,
        year__lt=cycle.year,
    ).values_list("unit_id", "year"):
        last_win[unit_id] = max(year, last_win.get(unit_id, year))
    conflicts = (
        list(CommitteeConflict.objects.filter(cycle=cycle, member=viewer)) if viewer is not None else []
    )
    # Independence binds a viewer who serves in a team: nothing derived from the
    # individual scores (spread, calibration) of their own team's applications yet.
    withheld = queries.withheld_assessments(viewer, cycle) if viewer is not None else frozenset()
    outcomes = dict(
        DecisionOutcome.objects.signed().filter(**in_scope).values_list("application_id", "outcome")
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
    weights = {c.pk: c.weight for c in criteria}
    for row in rows.values():
        a = row.application
        for c in criteria:
            spread, calibrated = (
                aggregates.get((a.pk, c.pk), (None, None)) if a.pk not in withheld else (None, None)
            )
            row.spreads[c.pk] = spread
            if rules.flagged(spread, cycle.discussion_threshold):
                row.flagged.add(c.pk)
            if calibrated is not None:
                row.calibrated[c.pk] = calibrated
        row.max_spread = max((s for s in row.spreads.values() if s is not None), default=None)
        if row.consensus:
            row.total = totals.weighted_total((weights[c], row.consensus.get(c)) for c in weights)
        if row.visit:
            row.visit_total = totals.weighted_total(
                (weights[c], row.visit.get(c, row.consensus.get(c))) for c in weights
            )
        # None until every criterion has a calibrated score; rounded as every total is.
        row.calibrated_total = totals.weighted_total((weights[c], row.calibrated.get(c)) for c in weights)
        row.had_visit = a.pk in visits
        row.visit_status = visits.get(a.pk, "")
        if not a.award_eligible:
            row.marks.append(a.eligibility_note or "Kan inte tilldelas utmärkelsen (underskott).")
        if a.unit_id in last_win:
            won = last_win[a.unit_id]
            row.marks.append(f"Vann {won}: får inte vinna förrän {eligibility.next_possible_win(won)}.")
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


_AGGREGATES_SQL = """
WITH items AS (
    SELECT a.member_id AS member_id, a.application_id AS application_id,
           i.criterion_id AS criterion_id, i.score AS score,
           CAST(i.score AS DOUBLE PRECISION) AS x
    FROM {item} i
    JOIN {assessment} a ON a.id = i.assessment_id
    JOIN {application} ap ON ap.id = a.application_id
    JOIN {track} t ON t.id = ap.track_id
    WHERE t.cycle_id = %s AND a.status = %s AND i.score IS NOT NULL
),
examiner AS (
    SELECT member_id, AVG(x) AS mean, STDDEV_POP(x) AS sd FROM items GROUP BY member_id
),
grand AS (
    SELECT AVG(x) AS mean, STDDEV_POP(x) AS sd, COUNT(*) AS n FROM items
),
calibrated AS (
    SELECT it.application_id, it.criterion_id, it.score,
           CASE WHEN g.n < 2 THEN it.x
                ELSE g.mean + CASE WHEN e.sd > 0 THEN (it.x - e.mean) / e.sd ELSE 0 END * g.sd
           END AS value
    FROM items it
    JOIN examiner e ON e.member_id = it.member_id
    CROSS JOIN grand g
    JOIN {application} ap ON ap.id = it.application_id
    WHERE {where}
)
SELECT application_id, criterion_id, MAX(score) - MIN(score),
       AVG(CASE WHEN value < 0 THEN 0 WHEN value > 100 THEN 100 ELSE value END)
FROM calibrated
GROUP BY application_id, criterion_id
"""


def _criterion_aggregates(cycle, *, track_id: int, class_id: int | None = None) -> dict:
    """(application id, criterion id) -> (spread, calibrated mean rounded to 0.1) of the
    submitted individual scores, for a track's (or one of its classes') submitted
    applications.

    The same arithmetic as `calibrate`, done by the database: each examiner's mean and
    population standard deviation over all their submitted scores in the cycle, the
    cycle's grand mean and deviation, each score standardised and rescaled, clamped to
    0–100, then averaged per application and criterion."""
    tables = {
        "item": AssessmentItem._meta.db_table,
        "assessment": Assessment._meta.db_table,
        "application": Application._meta.db_table,
        "track": Track._meta.db_table,
    }
    quoted = {name: connection.ops.quote_name(table) for name, table in tables.items()}
    where, params = ["ap.track_id = %s", "ap.status = %s"], [track_id, Application.Status.SUBMITTED]
    if class_id is not None:
        where.append("ap.competition_class_id = %s")
        params.append(class_id)
    sql = _AGGREGATES_SQL.format(where=" AND ".join(where), **quoted)
    cycle_id = getattr(cycle, "pk", cycle)
    with connection.cursor() as cursor:
        cursor.execute(sql, [cycle_id, Assessment.Status.SUBMITTED, *params])
        return {
            (application, criterion): (spread, round(float(mean), 1) if mean is not None else None)
            for application, criterion, spread, mean in cursor.fetchall()
        }
