"""The committee's consolidated view: every application of a track with its consensus
total, per-criterion scores, the spread of the examiners' individual scores, the total
after a site visit, its rank in its class, its eligibility marks, and a calibrated total
that corrects for examiner severity.

Everything is read in a fixed number of queries, so the page's query count does not grow
with the number of applications, and nothing is computed that does not change between
requests: the consensus totals and the spreads and calibration are stored when they change
(`scoring.figures`), so the page reads one row of figures per application. Only ranks
are derived here, from the stored totals of the applications shown. The per-criterion
scores of the consensus are read only for the rows a page shows (`add_detail`).

Calibration: each examiner's individual scores are standardised against that examiner's
own mean and standard deviation across all their submitted assessments in the cycle, then
rescaled to the mean and standard deviation of all examiners' scores, so a harsh and a
lenient examiner who rank the same way give the same calibrated scores.
"""

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from award.models import Criterion, PastResult, Track
from judging.models import CommitteeConflict, DecisionOutcome
from scoring import figures, queries, rules
from scoring.models import AssessmentFigures, Consensus, ConsensusItem, SiteVisit
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
    withheld: bool = False  # the viewer serves in the team: nothing from the individual scores
    threshold: int | None = None  # the cycle's spread that calls for a discussion (R11)

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


ROW_FIELDS = (
    "code",
    "track",
    "unit",
    "competition_class",
    "award_eligible",
    "eligibility_note",
    "nominee_name",
    "status",
    "unit__name",
    "unit__code",
    "unit__head_name",
    "unit__organisation",
    "unit__organisation__name",
    "competition_class__name",
    "competition_class__order",
)
"""The application's fields a row of the table uses (shown, marked, anonymised)."""


def consolidated(track: Track, *, viewer=None, class_id: int | None = None, detail: bool = True) -> dict:
    """Rows of the track's submitted applications grouped by class, ranked within each;
    only the class `class_id` if given (its ranks are the same, since they are per class).
    The rows carry the per-criterion consensus scores only with `detail` (otherwise
    `add_detail` fills them for the rows that are shown)."""
    cycle = track.cycle
    criteria = list(Criterion.objects.filter(track=track).order_by("number"))
    applications = (
        Application.objects.filter(**_scope("", track, class_id))
        .select_related("unit__organisation", "competition_class")
        .order_by("code")
    )
    if not detail:
        # The table's rows: only what they show, mark and anonymise (a third of the time).
        applications = applications.only(*ROW_FIELDS)
    applications = list(applications)
    stored_totals = Consensus.objects.filter(
        **_scope("application__", track, class_id), status=Consensus.Status.FINAL
    ).values_list("application_id", "total_points", "visit_total_points")
    stored_figures = AssessmentFigures.objects.filter(**_scope("application__", track, class_id)).values_list(
        "application_id", "calibrated_total", "max_spread"
    )
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
            threshold=cycle.discussion_threshold,
        )
        for a in applications
    }
    for application_id, total, visit_total in stored_totals:
        row = rows[application_id]
        row.total, row.visit_total = total, visit_total
    for application_id, calibrated_total, max_spread in stored_figures:
        row = rows[application_id]
        if application_id not in withheld:
            row.calibrated_total, row.max_spread = calibrated_total, max_spread
    for row in rows.values():
        a = row.application
        row.withheld = a.pk in withheld
        row.had_visit = a.pk in visits
        row.visit_status = visits.get(a.pk, "")
        if not a.award_eligible:
            row.marks.append(a.eligibility_note or "Kan inte tilldelas utmärkelsen (underskott).")
        if a.unit_id in last_win:
            won = last_win[a.unit_id]
            row.marks.append(f"Vann {won}: får inte vinna förrän {eligibility.next_possible_win(won)}.")
        row.conflict = any(c.covers(a) for c in conflicts)
        row.outcome = str(outcome_labels.get(outcomes.get(a.pk), ""))
    if detail:
        add_detail(rows.values())

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


def add_detail(rows) -> None:
    """Fill the rows' per-criterion figures: the consensus scores (before and after the site
    visit), the spreads with their flags and the calibrated scores, in two queries however
    many rows: for the rows a page shows."""
    by_application = {row.application.pk: row for row in rows}
    if not by_application:
        return
    ids = list(by_application)
    for application_id, criterion_id, score, visit_score in ConsensusItem.objects.filter(
        consensus__application_id__in=ids, consensus__status=Consensus.Status.FINAL
    ).values_list("consensus__application_id", "criterion_id", "score", "visit_score"):
        row = by_application[application_id]
        row.consensus[criterion_id] = score
        if visit_score is not None:
            row.visit[criterion_id] = visit_score
    for application_id, spreads, calibrated in AssessmentFigures.objects.filter(
        application_id__in=ids
    ).values_list("application_id", "spreads", "calibrated"):
        row = by_application[application_id]
        if row.withheld:
            continue
        for criterion in row.criteria:
            key = str(criterion.pk)
            spread = spreads.get(key)
            row.spreads[criterion.pk] = spread
            if rules.flagged(spread, row.threshold):
                row.flagged.add(criterion.pk)
            if calibrated.get(key) is not None:
                row.calibrated[criterion.pk] = calibrated[key]


def _criterion_aggregates(cycle, *, track_id: int, class_id: int | None = None) -> dict:
    """(application id, criterion id) -> (spread, calibrated mean rounded to 0.1) of the
    submitted individual scores, for a track's (or one of its classes') submitted
    applications, computed now: what `scoring.figures` stores, and the SQL the tests hold
    against `calibrate`."""
    return figures.criterion_aggregates(cycle, track_id=track_id, class_id=class_id)
