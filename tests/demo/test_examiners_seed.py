"""The demo's examiners (demo/examiners.py), seeded once for the module through the
seed_demo command."""

import pytest
from guardian.models import UserObjectPermission

from award.models import AuditEntry, AwardCycle
from examiners import queries, services
from examiners.models import (
    Assignment,
    Attendance,
    Conflict,
    Enrolment,
    ExaminerProfile,
    PoolMember,
    Team,
    TeamMember,
    TrainingDay,
    TrainingSession,
)
from submissions import queries as submission_queries
from submissions.models import Application, ApplicationUserObjectPermission
from tests.support.demo import model_counts, seed_demo_again

pytestmark = pytest.mark.django_db

SEEDED_MODELS = [
    ExaminerProfile,
    PoolMember,
    TrainingSession,
    TrainingDay,
    Enrolment,
    Attendance,
    Conflict,
    Team,
    TeamMember,
    Assignment,
    ApplicationUserObjectPermission,
    UserObjectPermission,
    AuditEntry,
]


def counts() -> dict[str, int]:
    return model_counts(SEEDED_MODELS)


def submitted(cycle):
    return Application.objects.filter(track__cycle=cycle, status=Application.Status.SUBMITTED)


def test_every_submitted_application_has_a_confirmed_team(current):
    applications = submitted(current)
    assert applications.count() >= 17
    for application in applications:
        assert application.assignment.team.status == Team.Status.CONFIRMED, application
    assert not queries.unassigned_applications(current).exists()
    assert not Team.objects.filter(cycle=current, status=Team.Status.DRAFT).exists()


def test_every_team_meets_the_hard_rules(current):
    teams = Team.objects.filter(cycle=current)
    assert teams.count() >= 9
    for team in teams:
        errors, _warnings = services.team_errors(team)
        assert errors == [], team
        assert team.confirmed_by.username == "slk"
    for team in queries.teams_with_checks(current):
        assert team.errors == [], team
        assert team.leader.is_experienced


def test_an_examiner_sees_exactly_their_teams_applications(current):
    for team_member in TeamMember.objects.filter(team__cycle=current).select_related("member__profile__user"):
        user = team_member.member.profile.user
        own = Application.objects.filter(assignment__team__members__member=team_member.member)
        # This cycle's applications only: the same person may have examined last year.
        assessable = set(
            submission_queries.applications_for_user(user, "submissions.assess_application").filter(
                track__cycle=current
            )
        )
        assert assessable == set(own), user
        # Reading needs the conflict question answered on first opening; the demo leaves
        # each team's last member with that still to do.
        readable = set(submission_queries.applications_for_user(user).filter(track__cycle=current))
        opened = set(Application.objects.filter(pk__in=team_member.member.openings.values("application")))
        assert readable == opened <= set(own)
    # Someone in the pool without a team sees nothing.
    idle = PoolMember.objects.filter(cycle=current, teams__isnull=True).first()
    assert (
        not submission_queries.applications_for_user(idle.profile.user).filter(track__cycle=current).exists()
    )


def test_the_pool_has_every_status_history_and_manager_approvals(current):
    pool = PoolMember.objects.filter(cycle=current)
    statuses = set(pool.values_list("status", flat=True))
    assert {PoolMember.Status.ACCEPTED, PoolMember.Status.VOLUNTEERED, PoolMember.Status.DECLINED} <= statuses
    for member in pool.filter(status=PoolMember.Status.ACCEPTED):
        assert member.manager_approved, member
        assert member.decided_by.username == "slk"
    assert pool.exclude(availability_note="").count() >= 3
    members = list(pool.select_related("profile", "cycle"))
    new = [m for m in members if not m.is_experienced]
    assert 8 <= len(new) <= 12
    assert any(m.has_led for m in members)
    previous = AwardCycle.objects.get(year=current.year - 1)
    last_year = PoolMember.objects.filter(cycle=previous).select_related("profile")
    assert last_year.exists()
    assert all(m.status == PoolMember.Status.ACCEPTED for m in last_year)
    assert all(previous.year in m.profile.years_served for m in last_year)
    areas = set(current.tracks.get(kind="quality_award").classes.values_list("name", flat=True))
    for profile in ExaminerProfile.objects.all():
        assert profile.areas and set(profile.areas) <= areas
        if profile.employer_unit:
            assert profile.employer_unit.organisation_id == profile.organisation_id


def test_training_one_new_examiner_missed_a_day_and_is_not_qualified(current):
    basic = TrainingSession.objects.get(cycle=current, kind=TrainingSession.Kind.BASIC)
    assert basic.days.count() == 2
    for day in TrainingDay.objects.filter(session__cycle=current):
        assert current.registration_closes < day.date <= current.application_deadline
    accepted = queries.pool_members(current).filter(status=PoolMember.Status.ACCEPTED)
    new = [m for m in accepted if not m.is_experienced]
    assert {e.member_id for e in basic.enrolments.all()} == {m.pk for m in new}
    unqualified = [m for m in new if not m.training_status().qualified]
    assert len(unqualified) == 1
    (missed,) = unqualified
    marks = Attendance.objects.filter(enrolment__member=missed).order_by("day__date")
    assert [a.present for a in marks] == [True, False]
    assert not TeamMember.objects.filter(member=missed).exists()


def test_the_refresher_is_full_with_a_waiting_list(current):
    refresher = TrainingSession.objects.exclude(kind=TrainingSession.Kind.BASIC).get(cycle=current)
    enrolled = refresher.enrolments.filter(status=Enrolment.Status.ENROLLED)
    assert enrolled.count() == refresher.capacity
    waiting = refresher.enrolments.filter(status=Enrolment.Status.WAITING)
    assert waiting.count() == 1
    assert waiting.get().requested_at > max(e.requested_at for e in enrolled)
    assert all(e.member.is_experienced for e in refresher.enrolments.select_related("member__profile"))


def test_declared_conflicts_from_different_sources(current):
    conflicts = Conflict.objects.filter(member__cycle=current)
    assert 3 <= conflicts.count() <= 5
    assert {Conflict.Source.JOINING, Conflict.Source.SLK} <= set(conflicts.values_list("source", flat=True))
    for conflict in conflicts.select_related("member__profile__user", "recorded_by"):
        assert conflict.reason.strip()
        expected = conflict.member.profile.user if conflict.source == Conflict.Source.JOINING else None
        assert conflict.recorded_by.username == (expected.username if expected else "slk")
        # Nobody assesses an application they declared a conflict with.
        for application in Application.objects.filter(assignment__team__members__member=conflict.member):
            assert not conflict.member.conflict_reasons(application)


def test_the_summary_counts_the_examiners_in_swedish(seeded, current):
    lines = [line.strip() for line in seeded.splitlines() if line.strip().startswith("Examinatorer")]
    assert len(lines) == 2
    teams = Team.objects.filter(cycle=current, status=Team.Status.CONFIRMED).count()
    pool = PoolMember.objects.filter(cycle=current).count()
    assert lines[0].startswith(f"Examinatorer {current.year}: {pool} i poolen (")
    assert f"{teams} lag fastställda, 0 bidrag utan lag." in lines[0]
    assert "2 utbildningar" in lines[0]


def test_seeding_again_changes_nothing(seeded):
    before = counts()
    teams = list(Team.objects.order_by("pk").values())
    again, writes = seed_demo_again()
    assert again == seeded
    assert counts() == before
    assert list(Team.objects.order_by("pk").values()) == teams
    assert writes == []
