"""Figures stored so that the committee's pages read them instead of computing them on
every request: each consensus's weighted totals (before and after the site visit) and each
application's spread and calibrated scores (`models.AssessmentFigures`).

Who writes them:
- `store_consensus_totals` when a consensus is finalised and when a score is revised after
  the site visit (`services.consensus_finalise`, `services.visit_score_revise`), in the same
  transaction.
- `store_calibration` when the cycle's submitted individual assessments change
  (`services.assessment_submit`, `services.assessment_reopen`). The calibration of any one
  score depends on every examiner's mean and deviation and on the cycle's grand mean, so the
  whole cycle is recomputed: one aggregate statement and one row written per application.

A withdrawn application changes nothing stored: its individual scores still count in its
examiners' means (as they always have), and the pages leave out what is not submitted.
Ranks are not stored: they follow from the stored totals of the applications shown, which
a withdrawal changes, and cost a sort of one class's rows.

`fresh_consensus_totals` and `fresh_calibration` compute the same figures from scratch; the
tests hold the stored figures to them after every kind of change, and `store_all` (also used
by the data migration and the generated benchmark load) rewrites everything.

The functions take the model classes from an app registry (`models`, Django's by default),
so the data migration can run them on its historical models.
"""

from decimal import Decimal

from django.apps import apps as global_apps
from django.db import connection

from scoring import totals
from scoring.models import Assessment as _Assessment
from scoring.models import Consensus as _Consensus
from submissions.models import Application as _Application

# The statuses by value, which historical models (the data migration's) share with these.
FINAL = _Consensus.Status.FINAL
SUBMITTED_ASSESSMENT = _Assessment.Status.SUBMITTED
SUBMITTED_APPLICATION = _Application.Status.SUBMITTED


def _model(models, label: str, name: str):
    return (models or global_apps).get_model(label, name)


# --- Consensus totals ----------------------------------------------------------------------


def _fresh_totals(consensuses, models=None) -> dict[int, tuple[Decimal | None, Decimal | None]]:
    """consensus id -> (total, total after the site visit or None) for a queryset of
    consensuses, over every criterion of each one's track: None while a criterion lacks a
    score; the visit total only where a score was revised, the other criteria counting with
    their consensus score. Three queries however many."""
    Criterion = _model(models, "award", "Criterion")
    ConsensusItem = _model(models, "scoring", "ConsensusItem")
    track_of = dict(consensuses.values_list("pk", "application__track_id"))
    weights: dict[int, dict[int, int]] = {}
    for track_id, criterion_id, weight in Criterion.objects.filter(
        track_id__in=set(track_of.values())
    ).values_list("track_id", "pk", "weight"):
        weights.setdefault(track_id, {})[criterion_id] = weight
    scores: dict[int, dict] = {pk: {} for pk in track_of}
    visits: dict[int, dict] = {pk: {} for pk in track_of}
    for consensus_id, criterion_id, score, visit_score in ConsensusItem.objects.filter(
        consensus__in=consensuses
    ).values_list("consensus_id", "criterion_id", "score", "visit_score"):
        scores[consensus_id][criterion_id] = score
        if visit_score is not None:
            visits[consensus_id][criterion_id] = visit_score
    result = {}
    for pk, track_id in track_of.items():
        w, score, visit = weights.get(track_id, {}), scores[pk], visits[pk]
        total = totals.weighted_total((w[c], score.get(c)) for c in w) if score else None
        visit_total = totals.weighted_total((w[c], visit.get(c, score.get(c))) for c in w) if visit else None
        result[pk] = (total, visit_total)
    return result


def fresh_consensus_totals(consensus, *, models=None) -> tuple[Decimal | None, Decimal | None]:
    """(total, total after the site visit or None) of one consensus, computed anew."""
    Consensus = _model(models, "scoring", "Consensus")
    return _fresh_totals(Consensus.objects.filter(pk=consensus.pk), models)[consensus.pk]


def store_consensus_totals(consensus, *, models=None) -> None:
    """Write the consensus's totals (`fresh_consensus_totals`) to its row."""
    total, visit_total = fresh_consensus_totals(consensus, models=models)
    _model(models, "scoring", "Consensus").objects.filter(pk=consensus.pk).update(
        total_points=total, visit_total_points=visit_total
    )


# --- Spread and calibration ----------------------------------------------------------------

AGGREGATES_SQL = """
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


def criterion_aggregates(
    cycle,
    *,
    track_id: int | None = None,
    class_id: int | None = None,
    submitted_only: bool = True,
    models=None,
) -> dict:
    """(application id, criterion id) -> (spread, calibrated mean rounded to 0.1) of the
    submitted individual scores, for the cycle's applications (only a track's, or one of its
    classes', if given; only the submitted applications unless `submitted_only` is off).

    Each examiner's mean and population standard deviation over all their submitted scores
    in the cycle, the cycle's grand mean and deviation, each score standardised and
    rescaled, clamped to 0–100, then averaged per application and criterion: the arithmetic
    of `judging.consolidation.calibrate`, done by the database."""
    tables = {
        "item": _model(models, "scoring", "AssessmentItem")._meta.db_table,
        "assessment": _model(models, "scoring", "Assessment")._meta.db_table,
        "application": _model(models, "submissions", "Application")._meta.db_table,
        "track": _model(models, "award", "Track")._meta.db_table,
    }
    quoted = {name: connection.ops.quote_name(table) for name, table in tables.items()}
    where, params = ["1 = 1"], []
    if submitted_only:
        where.append("ap.status = %s")
        params.append(SUBMITTED_APPLICATION)
    if track_id is not None:
        where.append("ap.track_id = %s")
        params.append(track_id)
    if class_id is not None:
        where.append("ap.competition_class_id = %s")
        params.append(class_id)
    sql = AGGREGATES_SQL.format(where=" AND ".join(where), **quoted)
    cycle_id = getattr(cycle, "pk", cycle)
    with connection.cursor() as cursor:
        cursor.execute(sql, [cycle_id, SUBMITTED_ASSESSMENT, *params])
        return {
            (application, criterion): (spread, round(float(mean), 1) if mean is not None else None)
            for application, criterion, spread, mean in cursor.fetchall()
        }


def fresh_calibration(cycle, *, models=None) -> dict[int, dict]:
    """application id -> {"spreads", "calibrated", "calibrated_total", "max_spread"} for
    every application of the cycle with a submitted individual score; criterion ids as
    text, as the stored JSON has them."""
    Criterion = _model(models, "award", "Criterion")
    Application = _model(models, "submissions", "Application")
    cycle_id = getattr(cycle, "pk", cycle)
    weights: dict[int, dict[int, int]] = {}
    for track_id, criterion_id, weight in Criterion.objects.filter(track__cycle_id=cycle_id).values_list(
        "track_id", "pk", "weight"
    ):
        weights.setdefault(track_id, {})[criterion_id] = weight
    track_of = dict(Application.objects.filter(track__cycle_id=cycle_id).values_list("pk", "track_id"))
    result: dict[int, dict] = {}
    for (application, criterion), (spread, mean) in criterion_aggregates(
        cycle_id, submitted_only=False, models=models
    ).items():
        figures = result.setdefault(application, {"spreads": {}, "calibrated": {}})
        figures["spreads"][str(criterion)] = spread
        if mean is not None:
            figures["calibrated"][str(criterion)] = mean
    for application, figures in result.items():
        track_weights = weights.get(track_of[application], {})
        # None until every criterion has a calibrated score; rounded as every total is.
        figures["calibrated_total"] = totals.weighted_total(
            (weight, figures["calibrated"].get(str(c))) for c, weight in track_weights.items()
        )
        figures["max_spread"] = max((s for s in figures["spreads"].values() if s is not None), default=None)
    return result


def store_calibration(cycle, *, models=None) -> None:
    """Rewrite the stored spreads and calibration of every application of the cycle. Inside
    a transaction: the cycle's row is locked first, so two examiners submitting at once
    rewrite one after the other, the second computing from what the first committed (on
    PostgreSQL's READ COMMITTED the two would otherwise collide on the rows they replace,
    or the second would store figures without the first's submission)."""
    AssessmentFigures = _model(models, "scoring", "AssessmentFigures")
    cycle_id = getattr(cycle, "pk", cycle)
    list(
        _model(models, "award", "AwardCycle")
        .objects.select_for_update()
        .filter(pk=cycle_id)
        .values_list("pk")
    )
    fresh = fresh_calibration(cycle_id, models=models)
    AssessmentFigures.objects.filter(application__track__cycle_id=cycle_id).delete()
    AssessmentFigures.objects.bulk_create(
        (AssessmentFigures(application_id=application, **figures) for application, figures in fresh.items()),
        batch_size=1000,
    )


def store_all(*, models=None) -> None:
    """Every stored figure of every cycle, from scratch: the totals of every final consensus
    and the calibration of every cycle."""
    Consensus = _model(models, "scoring", "Consensus")
    for cycle_id in _model(models, "award", "AwardCycle").objects.values_list("pk", flat=True):
        final = Consensus.objects.filter(application__track__cycle_id=cycle_id, status=FINAL)
        rows = [
            Consensus(pk=pk, total_points=total, visit_total_points=visit)
            for pk, (total, visit) in _fresh_totals(final, models).items()
        ]
        Consensus.objects.bulk_update(rows, ["total_points", "visit_total_points"], batch_size=1000)
        store_calibration(cycle_id, models=models)
