"""Reads for SLK's training pages: sessions with their counts, a session's roster, and who
in the pool is qualified. Each function runs a fixed number of queries whatever the size
of the pool."""

from dataclasses import dataclass

from django.db.models import Count, Min, Prefetch, Q

from award.models import AwardCycle
from examiners.models import Enrolment, PoolMember, TrainingSession, TrainingStatus


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


def session_roster(session: TrainingSession) -> Roster:
    """Enrolled examiners by name, with their attendance prefetched, and the waiting list
    in the order places are offered."""
    enrolments = list(
        session.enrolments.filter(status__in=[Enrolment.Status.ENROLLED, Enrolment.Status.WAITING])
        .select_related("member__profile__user", "member__profile__organisation")
        .prefetch_related("attendance")
        .order_by("requested_at", "pk")
    )
    enrolled = sorted(
        (e for e in enrolments if e.status == Enrolment.Status.ENROLLED),
        key=lambda e: (e.member.profile.user.last_name, e.member.profile.user.first_name, e.pk),
    )
    waiting = [e for e in enrolments if e.status == Enrolment.Status.WAITING]
    return Roster(enrolled=enrolled, waiting=waiting)


@dataclass(frozen=True)
class QualificationRow:
    member: PoolMember
    status: TrainingStatus
    enrolled: list[TrainingSession]
    waiting: list[TrainingSession]

    @property
    def experienced(self) -> bool:
        return self.member.is_experienced


def qualification_overview(*, cycle: AwardCycle, qualified: bool | None = None) -> list[QualificationRow]:
    """Every accepted pool member of the cycle with their training status and the sessions
    they are enrolled in or waiting for, by name. `qualified` keeps only the qualified
    (True) or the not yet qualified (False). Five queries, however many members."""
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
        )
    )
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
            )
        )
    return rows
