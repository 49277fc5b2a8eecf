"""Reads for SLK's training pages: sessions with their counts, a session's roster, and who
in the pool is qualified. Each function runs a fixed number of queries whatever the size
of the pool."""

from dataclasses import dataclass

from django.db.models import Count, Min, Prefetch, Q

from award.models import AwardCycle
from examiners.models import (
    Enrolment,
    PoolMember,
    PracticeAssessment,
    PracticeCase,
    PracticeCaseItem,
    TrainingSession,
    TrainingStatus,
)


def sessions_for_cycle(cycle: AwardCycle):
    """The cycle's sessions in date order, with their days, `enrolled_count` and `waiting_count`."""
    return (
        TrainingSession.objects.filter(cycle=cycle)
        .annotate(
            # Distinct: the join with the days would count each enrolment once per day.
            enrolled_count=Count(
                "enrolments", filter=Q(enrolments__status=Enrolment.Status.ENROLLED), distinct=True
            ),
            waiting_count=Count(
                "enrolments", filter=Q(enrolments__status=Enrolment.Status.WAITING), distinct=True
            ),
            first_day=Min("days__date"),
        )
        .prefetch_related("days")
        .order_by("first_day", "kind", "pk")
    )


@dataclass(frozen=True)
class Roster:
    enrolled: list[Enrolment]
    waiting: list[Enrolment]


ROSTER_ORDER = ["member__profile__user__last_name", "member__profile__user__first_name", "pk"]


def session_roster(session: TrainingSession, *, found: Q | None = None, order=None) -> Roster:
    """Enrolled examiners (those matching `found`, in `order`: by name unless told), with
    their attendance prefetched, and the whole waiting list in the order places are
    offered. Two queries, however many."""
    enrolled = Q(status=Enrolment.Status.ENROLLED) & (found or Q())
    enrolments = list(
        session.enrolments.filter(enrolled | Q(status=Enrolment.Status.WAITING))
        .select_related("member__profile__user", "member__profile__organisation")
        .prefetch_related("attendance")
        .order_by(*(order or ROSTER_ORDER))
    )
    waiting = sorted(
        (e for e in enrolments if e.status == Enrolment.Status.WAITING), key=lambda e: (e.requested_at, e.pk)
    )
    return Roster(enrolled=[e for e in enrolments if e.status == Enrolment.Status.ENROLLED], waiting=waiting)


@dataclass(frozen=True)
class QualificationRow:
    member: PoolMember
    status: TrainingStatus
    enrolled: list[TrainingSession]
    waiting: list[TrainingSession]
    #: the mean deviation of a submitted practice assessment at or beyond the threshold
    practice_flag: float | None = None

    @property
    def experienced(self) -> bool:
        return self.member.is_experienced

    @property
    def practice_done(self) -> bool:
        return self.member.practice_case_done


def qualification_overview(*, cycle: AwardCycle, qualified: bool | None = None) -> list[QualificationRow]:
    """Every accepted pool member of the cycle with their training status and the sessions
    they are enrolled in or waiting for, by name. `qualified` keeps only the qualified
    (True) or the not yet qualified (False); `practice_flag` marks a trainee far from the
    practice case's reference. Nine queries, however many members."""
    members = (
        PoolMember.objects.filter(cycle=cycle, status=PoolMember.Status.ACCEPTED)
        .select_related("cycle", "profile__user", "profile__organisation")
        .prefetch_related(
            Prefetch(
                "enrolments",
                # Cancelled places count for nothing in the training rule.
                queryset=Enrolment.objects.exclude(status=Enrolment.Status.CANCELLED)
                .select_related("session")
                .order_by("session__kind", "requested_at", "pk"),
            ),
            "enrolments__session__days",
            "enrolments__attendance",
            "practice_assessments",
        )
    )
    flags = practice_flags(cycle)
    rows = []
    for member in members:
        status = member.training_status()
        if qualified is not None and status.qualified != qualified:
            continue
        enrolments = member.enrolments.all()
        rows.append(
            QualificationRow(
                member=member,
                status=status,
                enrolled=[e.session for e in enrolments if e.status == Enrolment.Status.ENROLLED],
                waiting=[e.session for e in enrolments if e.status == Enrolment.Status.WAITING],
                practice_flag=flags.get(member.pk),
            )
        )
    return rows


# --- The practice case ------------------------------------------------------------------


@dataclass
class TraineeResult:
    """One trainee's submitted assessment of the practice case, numbered in the order of
    submission (the number is what the projected chart shows)."""

    number: int
    member: PoolMember
    scores: dict[int, int | None]  # criterion id -> score
    mean_deviation: float | None  # mean absolute distance from the reference, in points
    flagged: bool = False


@dataclass
class CriterionCalibration:
    item: PracticeCaseItem
    scores: list[tuple[int, int]]  # (trainee number, score)

    @property
    def criterion(self):
        return self.item.criterion

    @property
    def reference(self) -> int | None:
        return self.item.reference_score

    @property
    def mean(self) -> float | None:
        values = [s for _n, s in self.scores]
        return round(sum(values) / len(values), 1) if values else None

    @property
    def spread(self) -> int | None:
        values = [s for _n, s in self.scores]
        return max(values) - min(values) if values else None

    @property
    def mean_difference(self) -> float | None:
        """The group's mean minus the reference: above zero, the group scored higher."""
        if self.mean is None or self.reference is None:
            return None
        return round(self.mean - self.reference, 1)


@dataclass
class Calibration:
    case: PracticeCase
    criteria: list[CriterionCalibration]
    trainees: list[TraineeResult]
    not_submitted: list[PoolMember]
    threshold: int


def trainee_member(user, case: PracticeCase) -> PoolMember | None:
    """The pool member of `user` enrolled (not waiting) in the case's session, or None."""
    enrolment = (
        Enrolment.objects.filter(
            session_id=case.session_id, member__profile__user=user, status=Enrolment.Status.ENROLLED
        )
        .select_related("member")
        .first()
    )
    return enrolment.member if enrolment else None


def practice_items(case: PracticeCase) -> list[PracticeCaseItem]:
    return list(case.items.select_related("criterion").order_by("criterion__number"))


def mean_deviation(items: list[PracticeCaseItem], scores: dict[int, int | None]) -> float | None:
    """The mean absolute distance, in percentage points, between `scores` (criterion id ->
    score) and the reference, over the criteria where both have a score."""
    distances = [
        abs(scores[i.criterion_id] - i.reference_score)
        for i in items
        if i.reference_score is not None and scores.get(i.criterion_id) is not None
    ]
    return round(sum(distances) / len(distances), 1) if distances else None


def calibration(case: PracticeCase) -> Calibration:
    """The trainer's comparison: per criterion every submitted trainee's score against the
    reference, and each trainee's mean deviation from it, flagged at the cycle's
    threshold. Drafts count for nothing. Four queries, however many trainees."""
    cycle = case.session.cycle
    items = practice_items(case)
    assessments = list(
        case.assessments.submitted()
        .select_related("member__profile__user")
        .prefetch_related("items")
        .order_by("submitted_at", "pk")
    )
    trainees = []
    for number, assessment in enumerate(assessments, start=1):
        scores = {i.criterion_id: i.score for i in assessment.items.all()}
        deviation = mean_deviation(items, scores)
        trainees.append(
            TraineeResult(
                number=number,
                member=assessment.member,
                scores=scores,
                mean_deviation=deviation,
                flagged=deviation is not None and deviation >= cycle.practice_deviation_threshold,
            )
        )
    criteria = [
        CriterionCalibration(
            item=item,
            scores=[
                (t.number, t.scores[item.criterion_id])
                for t in trainees
                if t.scores.get(item.criterion_id) is not None
            ],
        )
        for item in items
    ]
    submitted = {t.member.pk for t in trainees}
    not_submitted = [e.member for e in session_roster(case.session).enrolled if e.member.pk not in submitted]
    return Calibration(
        case=case,
        criteria=criteria,
        trainees=trainees,
        not_submitted=not_submitted,
        threshold=cycle.practice_deviation_threshold,
    )


def practice_cases_for(user) -> list[PracticeCase]:
    """The practice cases of the sessions `user` is enrolled in (not waiting), of cycles
    in progress, each with `own` (the user's assessment or None)."""
    enrolments = list(
        Enrolment.objects.filter(
            member__profile__user=user,
            status=Enrolment.Status.ENROLLED,
            session__practice_case__isnull=False,
            session__cycle__in=AwardCycle.objects.in_progress(),
        ).select_related("session__practice_case", "member")
    )
    cases = [e.session.practice_case for e in enrolments]
    own = {
        a.case_id: a
        for a in PracticeAssessment.objects.filter(case__in=cases, member__in=[e.member for e in enrolments])
    }
    for case in cases:
        case.own = own.get(case.pk)
    return cases


def practice_flags(cycle: AwardCycle) -> dict[int, float]:
    """Pool member id -> mean deviation, for every trainee of the cycle whose submitted
    practice assessment lies at or beyond the threshold: they are due a talk."""
    items_by_case: dict[int, list[PracticeCaseItem]] = {}
    for item in PracticeCaseItem.objects.filter(case__session__cycle=cycle):
        items_by_case.setdefault(item.case_id, []).append(item)
    flagged: dict[int, float] = {}
    submitted = PracticeAssessment.objects.submitted().filter(case__session__cycle=cycle)
    for assessment in submitted.prefetch_related("items"):
        scores = {i.criterion_id: i.score for i in assessment.items.all()}
        deviation = mean_deviation(items_by_case.get(assessment.case_id, []), scores)
        if deviation is not None and deviation >= cycle.practice_deviation_threshold:
            flagged[assessment.member_id] = max(deviation, flagged.get(assessment.member_id, 0))
    return flagged
