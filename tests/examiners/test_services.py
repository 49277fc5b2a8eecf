"""The hard rules of assignment, refused in the services whatever calls them, and the
per-object permissions that confirming, removing and conflicts grant and revoke."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from award.models import Track
from award.roles import Role, has_role
from examiners import services
from examiners.models import Conflict, PoolMember, Team
from submissions.queries import applications_for_user
from tests.support import factories

pytestmark = pytest.mark.django_db

VIEW, ASSESS = "submissions.view_application", "submissions.assess_application"


@pytest.fixture
def quality(cycle):
    return cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)


@pytest.fixture
def application(quality):
    return factories.submitted_application(quality)


@pytest.fixture
def team(cycle, quality, slk):
    return services.team_create(cycle=cycle, track=quality, name="Lag A", by=slk)


def _full_team(team, cycle, slk, size=4):
    members = [factories.pool_member(cycle, led=(i == 0)) for i in range(size)]
    for i, member in enumerate(members):
        services.team_member_add(team=team, member=member, leader=(i == 0), by=slk)
    return members


def _assessable(user):
    return applications_for_user(user, ASSESS)


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def test_examiner_never_assigned_to_unit_of_own_organisation(team, cycle, slk, application):
    member = factories.pool_member(cycle, organisation=application.unit.organisation)
    services.team_assign(team=team, application=application, by=slk)
    with pytest.raises(ValidationError) as error:
        services.team_member_add(team=team, member=member, by=slk)
    assert "samma förvaltning" in _messages(error.value)
    assert not team.members.exists()


def test_examiner_never_assigned_to_own_workplace(team, cycle, slk, application):
    member = factories.pool_member(cycle)
    member.profile.employer_unit = application.unit
    member.profile.save()
    services.team_member_add(team=team, member=member, by=slk)
    with pytest.raises(ValidationError) as error:
        services.team_assign(team=team, application=application, by=slk)
    assert f"arbetar på {application.unit.name}" in _messages(error.value)
    assert not team.assignments.exists()


def test_declared_conflict_blocks_assignment_naming_it(team, cycle, slk, application):
    member = factories.pool_member(cycle)
    services.conflict_declare(
        member=member,
        target=application.unit,
        reason="Min syster är chef där",
        source=Conflict.Source.SLK,
        by=slk,
    )
    services.team_member_add(team=team, member=member, by=slk)
    with pytest.raises(ValidationError) as error:
        services.team_assign(team=team, application=application, by=slk)
    assert "Min syster är chef där" in _messages(error.value)


def test_unqualified_new_examiner_cannot_join(team, cycle, slk):
    member = factories.pool_member(cycle, experienced=False, qualified=False)
    with pytest.raises(ValidationError) as error:
        services.team_member_add(team=team, member=member, by=slk)
    assert "saknar grundutbildning" in _messages(error.value)


def test_refresher_rule_applies_to_experienced_when_cycle_asks(team, cycle, slk):
    cycle.refresher_required = True
    cycle.save()
    member = factories.pool_member(cycle, qualified=False)
    with pytest.raises(ValidationError) as error:
        services.team_member_add(team=team, member=member, by=slk)
    assert "repetitionsutbildning" in _messages(error.value)


def test_member_without_manager_approval_or_acceptance_refused(team, cycle, slk):
    member = factories.pool_member(cycle, manager_name="", status=PoolMember.Status.VOLUNTEERED)
    with pytest.raises(ValidationError) as error:
        services.team_member_add(team=team, member=member, by=slk)
    assert "chefens godkännande" in _messages(error.value)
    assert "inte antagen" in _messages(error.value)


def test_examiner_in_one_team_unless_slk_allows_more(team, cycle, quality, slk):
    member = factories.pool_member(cycle)
    other = services.team_create(cycle=cycle, track=quality, name="Lag B", by=slk)
    services.team_member_add(team=team, member=member, by=slk)
    with pytest.raises(ValidationError) as error:
        services.team_member_add(team=other, member=member, by=slk)
    assert "ingår redan i 1 lag" in _messages(error.value)
    services.pool_member_settings(member=member, max_teams=2, by=slk)
    services.team_member_add(team=other, member=member, by=slk)
    assert member.teams.count() == 2


def test_new_examiner_cannot_lead(team, cycle, slk):
    member = factories.pool_member(cycle, experienced=False)
    with pytest.raises(ValidationError) as error:
        services.team_member_add(team=team, member=member, leader=True, by=slk)
    assert "kan inte leda" in _messages(error.value)


def test_team_limit_and_track_are_enforced(team, cycle, quality, slk):
    for _ in range(cycle.max_applications_per_team):
        services.team_assign(team=team, application=factories.submitted_application(quality), by=slk)
    with pytest.raises(ValidationError) as error:
        services.team_assign(team=team, application=factories.submitted_application(quality), by=slk)
    assert "högsta omgången tillåter" in _messages(error.value)
    renewal = cycle.tracks.get(kind=Track.Kind.RENEWAL_PRIZE)
    other = services.team_create(cycle=cycle, track=quality, name="Lag B", by=slk)
    with pytest.raises(ValidationError) as error:
        services.team_assign(team=other, application=factories.submitted_application(renewal), by=slk)
    assert "annat spår" in _messages(error.value)


def test_draft_application_cannot_be_assigned(team, quality, slk):
    draft = factories.submitted_application(quality, status="draft")
    with pytest.raises(ValidationError) as error:
        services.team_assign(team=team, application=draft, by=slk)
    assert "inte inskickat" in _messages(error.value)


def test_confirm_needs_an_experienced_leader(team, cycle, slk, application):
    for _ in range(4):
        services.team_member_add(team=team, member=factories.pool_member(cycle, experienced=False), by=slk)
    services.team_assign(team=team, application=application, by=slk)
    with pytest.raises(ValidationError) as error:
        services.team_confirm(team=team, by=slk)
    assert "saknar lagledare" in _messages(error.value)
    assert "minst en erfaren" in _messages(error.value)
    team.refresh_from_db()
    assert team.status == Team.Status.DRAFT


def test_only_slk_changes_teams(team, cycle, examiner):
    with pytest.raises(PermissionDenied):
        services.team_member_add(team=team, member=factories.pool_member(cycle), by=examiner)


def test_confirm_grants_exactly_the_teams_applications(team, cycle, quality, slk, application):
    members = _full_team(team, cycle, slk)
    services.team_assign(team=team, application=application, by=slk)
    elsewhere = factories.submitted_application(quality)
    user = members[1].profile.user
    assert not user.has_perm(VIEW, application)
    services.team_confirm(team=team, by=slk)
    user = type(user).objects.get(pk=user.pk)
    assert user.has_perm(ASSESS, application)
    assert list(_assessable(user)) == [application]
    assert not user.has_perm(ASSESS, elsewhere)
    # Reading waits for the conflict question at first opening.
    assert not user.has_perm(VIEW, application)
    assert services.application_open(member=members[1], application=application, by=user)
    user = type(user).objects.get(pk=user.pk)
    assert list(applications_for_user(user)) == [application]
    assert not user.has_perm(VIEW, elsewhere)


def test_opening_an_application_of_another_team_is_refused(team, cycle, quality, slk, application):
    members = _full_team(team, cycle, slk)
    services.team_assign(team=team, application=application, by=slk)
    services.team_confirm(team=team, by=slk)
    elsewhere = factories.submitted_application(quality)
    with pytest.raises(PermissionDenied):
        services.application_open(member=members[1], application=elsewhere, by=members[1].profile.user)
    assert not members[1].profile.user.has_perm(VIEW, elsewhere)


def test_confirmed_team_keeps_its_leader_and_experience(team, cycle, slk, application):
    members = _full_team(team, cycle, slk)
    services.team_assign(team=team, application=application, by=slk)
    services.team_confirm(team=team, by=slk)
    with pytest.raises(ValidationError) as error:
        services.team_member_remove(team_member=team.members.get(member=members[0]), by=slk)
    assert "ny lagledare" in _messages(error.value)
    assert team.members.count() == 4


def test_max_teams_cannot_drop_below_current_placements(team, cycle, quality, slk):
    member = factories.pool_member(cycle, max_teams=2)
    other = services.team_create(cycle=cycle, track=quality, name="Lag B", by=slk)
    services.team_member_add(team=team, member=member, by=slk)
    services.team_member_add(team=other, member=member, by=slk)
    with pytest.raises(ValidationError) as error:
        services.pool_member_settings(member=member, max_teams=1, by=slk)
    assert "ingår redan i 2 lag" in _messages(error.value)


def test_removing_member_or_assignment_revokes_at_once(team, cycle, quality, slk, application):
    members = _full_team(team, cycle, slk)
    services.team_assign(team=team, application=application, by=slk)
    second = factories.submitted_application(quality)
    services.team_assign(team=team, application=second, by=slk)
    services.team_confirm(team=team, by=slk)
    services.team_member_remove(team_member=team.members.get(member=members[3]), by=slk)
    assert list(_assessable(members[3].profile.user)) == []
    services.team_unassign(assignment=second.assignment, by=slk)
    assert list(_assessable(members[2].profile.user)) == [application]


def test_adding_to_confirmed_team_grants(team, cycle, slk, application):
    _full_team(team, cycle, slk)
    services.team_assign(team=team, application=application, by=slk)
    services.team_confirm(team=team, by=slk)
    late = factories.pool_member(cycle)
    services.team_member_add(team=team, member=late, by=slk)
    assert list(_assessable(late.profile.user)) == [application]


def test_conflict_declared_after_assignment_removes_access_and_flags_team(team, cycle, slk, application):
    members = _full_team(team, cycle, slk)
    services.team_assign(team=team, application=application, by=slk)
    services.team_confirm(team=team, by=slk)
    user = members[2].profile.user
    services.conflict_declare(
        member=members[2],
        target=application.unit.organisation,
        reason="Ny tjänst där",
        source="examiner",
        by=user,
    )
    assert list(_assessable(user)) == []
    team.refresh_from_db()
    assert application.code in team.flag
    assert list(_assessable(members[1].profile.user)) == [application]


def test_first_opening_with_conflict_keeps_application_closed(team, cycle, slk, application):
    members = _full_team(team, cycle, slk)
    services.team_assign(team=team, application=application, by=slk)
    services.team_confirm(team=team, by=slk)
    user = members[1].profile.user
    assert not services.application_open(
        member=members[1], application=application, conflict_reason="Jag känner chefen", by=user
    )
    assert list(_assessable(user)) == []
    assert services.application_open(member=members[0], application=application, by=members[0].profile.user)


def test_accepting_into_pool_gives_the_examiner_role(cycle, slk):
    user = factories.UserFactory()
    member = services.pool_volunteer(
        cycle=cycle, user=user, data=services.VolunteerData(organisation=factories.OrganisationFactory())
    )
    assert not has_role(user, Role.EXAMINER)
    services.pool_decide(member=member, accept=True, by=slk)
    user = type(user).objects.get(pk=user.pk)
    assert has_role(user, Role.EXAMINER)


def test_proposal_is_saved_as_drafts_and_never_breaks_a_hard_rule(cycle, quality, slk):
    applications = [factories.submitted_application(quality) for _ in range(3)]
    for i in range(10):
        factories.pool_member(cycle, experienced=i % 2 == 0, led=i == 0)
    teams = services.proposal_apply(cycle=cycle, by=slk)
    assert teams
    placed = [a.application for t in teams for a in t.assignments.all()]
    assert sorted(a.pk for a in placed) == sorted(a.pk for a in applications)
    for team in teams:
        errors, _warnings = services.team_errors(team)
        assert errors == []
        assert team.reasons
    services.team_confirm(team=teams[0], by=slk)


def _confirmed(team, cycle, slk, application):
    members = _full_team(team, cycle, slk)
    services.team_assign(team=team, application=application, by=slk)
    services.team_confirm(team=team, by=slk)
    return members


def test_withdrawn_application_leaves_its_team_and_access_goes(team, cycle, slk, application, unit_contact):
    from submissions import services as submission_services

    application.unit.contacts.add(unit_contact)
    members = _confirmed(team, cycle, slk, application)
    submission_services.application_withdraw(
        application=application, reason="Vi hinner inte", by=unit_contact
    )
    assert not team.assignments.exists()
    assert list(_assessable(members[1].profile.user)) == []
    team.refresh_from_db()
    assert "har återtagits" in team.flag


def test_reopened_application_flags_the_team(team, cycle, slk, application):
    from submissions import services as submission_services

    _confirmed(team, cycle, slk, application)
    submission_services.application_reopen(application=application, reason="Fel bilaga", by=slk)
    team.refresh_from_db()
    assert "öppnats igen" in team.flag
    assert team.assignments.exists()


def test_attendance_corrected_to_absent_flags_the_team(team, cycle, slk, application):
    from examiners.models import Enrolment

    members = [factories.pool_member(cycle, led=True)] + [
        factories.pool_member(cycle, experienced=False) for _ in range(3)
    ]
    for i, member in enumerate(members):
        services.team_member_add(team=team, member=member, leader=i == 0, by=slk)
    services.team_assign(team=team, application=application, by=slk)
    services.team_confirm(team=team, by=slk)
    enrolment = Enrolment.objects.filter(member=members[1]).get()
    day = enrolment.session.days.get()
    present = [e.member_id for e in day.session.enrolments.all() if e.member_id != members[1].pk]
    services.attendance_mark(day=day, present_member_ids=present, by=slk)
    team.refresh_from_db()
    assert "inte kvalificerad" in team.flag
    assert str(members[1].profile) in team.flag


def test_profile_moved_into_the_units_organisation_loses_access(team, cycle, slk, application):
    members = _confirmed(team, cycle, slk, application)
    profile = members[2].profile
    profile.organisation = application.unit.organisation
    profile.save()
    services.recheck_members([members[2].pk], by=slk)
    assert list(_assessable(profile.user)) == []
    team.refresh_from_db()
    assert "samma förvaltning" in team.flag


def test_a_team_whose_work_has_started_cannot_be_dissolved(team, cycle, slk, application):
    from scoring import services as scoring_services

    members = _confirmed(team, cycle, slk, application)
    user = members[1].profile.user
    services.application_open(member=members[1], application=application, by=user)
    scoring_services.assessment_for(application=application, by=user)
    with pytest.raises(ValidationError) as error:
        services.team_delete(team=team, by=slk)
    assert "har redan bedömningar" in _messages(error.value)
    assert Team.objects.filter(pk=team.pk).exists()
    assert application.assignment.team == team


def test_assignment_conflicts_hold_when_a_superuser_assigns(team, cycle, application):
    superuser = factories.UserFactory(is_superuser=True, is_staff=True)
    member = factories.pool_member(cycle, organisation=application.unit.organisation)
    services.team_member_add(team=team, member=member, by=superuser)
    with pytest.raises(ValidationError) as error:
        services.team_assign(team=team, application=application, by=superuser)
    assert "samma förvaltning" in _messages(error.value)
