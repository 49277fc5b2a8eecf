"""What SLK's deadline page reads: each confirmed team of the cycle with its last day for
the individual assessment and how many of its members' assessments are still out."""

from dataclasses import dataclass

from examiners.models import Team
from scoring.models import Assessment, Consensus


@dataclass
class TeamDeadline:
    team: Team
    deadline: object  # date
    extended: bool
    waiting: int  # assessments not submitted, on applications whose consensus has not started


def team_deadlines(cycle) -> list[TeamDeadline]:
    """Every confirmed team of `cycle`, by name, in four queries however many teams."""
    teams = list(
        Team.objects.confirmed()
        .filter(cycle=cycle)
        .order_by("name")
        .prefetch_related("members", "assignments")
    )
    applications = [a.application_id for team in teams for a in team.assignments.all()]
    started = set(
        Consensus.objects.filter(application__in=applications).values_list("application_id", flat=True)
    )
    submitted = set(
        Assessment.objects.filter(
            application__in=applications, status=Assessment.Status.SUBMITTED
        ).values_list("application_id", "member_id")
    )
    rows = []
    for team in teams:
        waiting = sum(
            1
            for assignment in team.assignments.all()
            if assignment.application_id not in started
            for member in team.members.all()
            if (assignment.application_id, member.member_id) not in submitted
        )
        rows.append(
            TeamDeadline(
                team=team,
                deadline=team.assessment_deadline_extended_to or cycle.assessment_deadline,
                extended=team.assessment_deadline_extended_to is not None,
                waiting=waiting,
            )
        )
    return rows
