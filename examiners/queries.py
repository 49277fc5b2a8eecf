"""Read side of the examiners app: the pool, the teams and an examiner's own page, each
in a constant number of queries."""

from django.db.models import Count, Prefetch, Q

from award.models import AwardCycle
from examiners import proposal as team_proposal
from examiners import rules
from examiners.models import ApplicationOpening, Assignment, Enrolment, PoolMember, Team, TeamMember
from submissions.models import Application


def _enrolments():
    return Enrolment.objects.select_related("session").prefetch_related("session__days", "attendance")


# What SLK finds a pool member by in the search box of a list (award.listing.search): the
# pool's and a training session's roster (there through the enrolment's `member__`).
POOL_MEMBER_SEARCH = (
    "profile__user__first_name",
    "profile__user__last_name",
    "profile__user__email",
    "profile__organisation__name",
)


def pool_members(cycle: AwardCycle):
    """Everyone in the cycle's pool, loaded for training status, conflicts and rules."""
    return pool_members_for_rules().filter(cycle=cycle)


def pool_members_for_rules():
    """Pool members with everything the rules read, in a fixed number of queries."""
    return (
        PoolMember.objects.select_related(
            "cycle", "profile__user", "profile__organisation", "profile__employer_unit"
        )
        .prefetch_related(
            "conflicts__unit",
            "conflicts__organisation",
            Prefetch("enrolments", queryset=_enrolments()),
            "practice_assessments",
        )
        .annotate(
            team_count=Count("teams", distinct=True),
            confirmed_team_count=Count(
                "teams", filter=Q(teams__team__status=Team.Status.CONFIRMED), distinct=True
            ),
        )
    )


def teams_with_checks(cycle: AwardCycle) -> list[Team]:
    """The cycle's teams, each with `.team_members`, `.applications`, `.errors` and
    `.warnings` attached."""
    members = {m.pk: m for m in pool_members(cycle)}
    teams = list(
        Team.objects.filter(cycle=cycle)
        .select_related("track")
        .prefetch_related(
            Prefetch("members", queryset=TeamMember.objects.order_by("-is_leader", "pk")),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related(
                    "application__unit__organisation", "application__competition_class"
                ),
            ),
        )
        .order_by("name")
    )
    for team in teams:
        team.team_members = [(tm, members[tm.member_id]) for tm in team.members.all()]
        team.applications = [a.application for a in team.assignments.all()]
        team.leader = next((m for tm, m in team.team_members if tm.is_leader), None)
        team.errors, team.warnings = rules.team_errors(
            members=[m for _tm, m in team.team_members],
            leader_ids={tm.member_id for tm in team.members.all() if tm.is_leader},
            applications=team.applications,
        )
    return teams


def unassigned_applications(cycle: AwardCycle):
    return (
        Application.objects.filter(
            track__cycle=cycle, status=Application.Status.SUBMITTED, assignment__isnull=True
        )
        .select_related("track", "unit__organisation", "competition_class")
        .order_by("code")
    )


def membership_for(user, cycle: AwardCycle | None) -> PoolMember | None:
    if cycle is None:
        return None
    return pool_members(cycle).filter(profile__user=user).first()


def examiner_page(member: PoolMember) -> dict:
    """An examiner's team, teammates and applications. An application whose access went
    with a declared conflict is listed as such, not as something to open."""
    team_rows = list(
        TeamMember.objects.filter(member=member, team__status=Team.Status.CONFIRMED)
        .select_related("team__track")
        .prefetch_related(
            Prefetch(
                "team__members",
                queryset=TeamMember.objects.select_related(
                    "member__profile__user", "member__profile__organisation"
                ),
            ),
            Prefetch(
                "team__assignments",
                queryset=Assignment.objects.select_related(
                    "application__unit", "application__competition_class", "application__track__cycle"
                ),
            ),
        )
    )
    opened = set(ApplicationOpening.objects.filter(member=member).values_list("application_id", flat=True))
    teams = []
    for row in team_rows:
        applications = []
        for assignment in row.team.assignments.all():
            application = assignment.application
            application.conflict = member.conflict_reasons(application)
            application.opened = application.pk in opened
            applications.append(application)
        teams.append(
            {
                "team": row.team,
                "is_leader": row.is_leader,
                "members": row.team.members.all(),
                "applications": applications,
            }
        )
    return {"teams": teams}


def proposal_inputs(cycle: AwardCycle):
    """The pool and the submitted applications without a confirmed team, as the proposal's
    plain data."""
    members = pool_members(cycle).filter(status=PoolMember.Status.ACCEPTED)
    candidates = [
        team_proposal.Candidate(
            id=m.pk,
            name=str(m.profile),
            organisation_id=m.profile.organisation_id,
            employer_unit_id=m.profile.employer_unit_id,
            experienced=m.is_experienced,
            has_led=m.has_led,
            qualified=not rules.member_errors(m),
            areas=frozenset(m.profile.areas),
            max_teams=max(m.max_teams - m.confirmed_team_count, 0),
            conflict_unit_ids=frozenset(c.unit_id for c in m.conflicts.all() if c.unit_id),
            conflict_organisation_ids=frozenset(
                c.organisation_id for c in m.conflicts.all() if c.organisation_id
            ),
        )
        for m in members
    ]
    # Confirmed teams stand; draft teams are what a new proposal replaces.
    applications = (
        Application.objects.filter(track__cycle=cycle, status=Application.Status.SUBMITTED)
        .exclude(assignment__team__status=Team.Status.CONFIRMED)
        .select_related("unit", "competition_class")
    )
    entries = [
        team_proposal.Entry(
            id=a.pk,
            code=a.code,
            track_id=a.track_id,
            unit_id=a.unit_id,
            organisation_id=a.unit.organisation_id,
            class_name=a.competition_class.name if a.competition_class else None,
        )
        for a in applications
    ]
    return candidates, entries


def proposal_make(cycle: AwardCycle) -> "team_proposal.Proposal":
    candidates, entries = proposal_inputs(cycle)
    team_rules = team_proposal.Rules(
        min_size=rules.MIN_TEAM_SIZE,
        max_size=rules.MAX_TEAM_SIZE,
        max_applications_per_team=rules.applications_limit(cycle),
    )
    return team_proposal.propose(candidates, entries, team_rules)
