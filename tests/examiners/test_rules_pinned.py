"""Each place in examiners that enforces an award rule, pinned by a test that fails when
that place is disabled: what the team proposal is told about qualification (R7) and
declared conflicts (R8), and how it uses it; the checks made again when SLK confirms a
team (an experienced member, conflicts, qualification, the leader); and one or two
applications per team (R9) whatever the cycle's setting says."""

import pytest
from django.core.exceptions import ValidationError

from award.models import AwardCycle, Track
from examiners import proposal, queries, rules, services
from examiners.models import Attendance, Conflict, PoolMember, Team
from tests.support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def quality(cycle):
    return cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)


@pytest.fixture
def application(quality):
    return factories.submitted_application(quality)


@pytest.fixture
def team(cycle, quality, slk):
    return services.team_create(cycle=cycle, track=quality, name="Lag A", by=slk)


def _messages(error) -> str:
    return " ".join(error.value.messages)


def _declare(member, target, slk):
    return services.conflict_declare(
        member=member, target=target, reason="Jäv", source=Conflict.Source.SLK, by=slk
    )


# --- The proposal is told who is qualified and who has declared a conflict ----------------------


@pytest.fixture
def pool(cycle, application, slk):
    """Two examiners who may assess the application, and three who may not: a new one
    without training, one with a declared conflict with its unit, one with its
    administration. A team takes up to six, so the proposal would place all five if it
    were not told."""
    good = [factories.pool_member(cycle, led=True), factories.pool_member(cycle)]
    untrained = factories.pool_member(cycle, experienced=False, qualified=False)
    unit_conflict = factories.pool_member(cycle)
    organisation_conflict = factories.pool_member(cycle)
    _declare(unit_conflict, application.unit, slk)
    _declare(organisation_conflict, application.unit.organisation, slk)
    return {
        "good": good,
        "untrained": untrained,
        "unit_conflict": unit_conflict,
        "organisation_conflict": organisation_conflict,
    }


def test_the_proposal_inputs_carry_qualification_and_declared_conflicts(cycle, application, pool):
    candidates, entries = queries.proposal_inputs(cycle)
    by_id = {c.id: c for c in candidates}
    assert [e.id for e in entries] == [application.pk]
    assert not by_id[pool["untrained"].pk].qualified
    assert all(by_id[m.pk].qualified for m in pool["good"])
    assert by_id[pool["unit_conflict"].pk].conflict_unit_ids == frozenset({application.unit_id})
    assert by_id[pool["unit_conflict"].pk].conflict_organisation_ids == frozenset()
    assert by_id[pool["organisation_conflict"].pk].conflict_organisation_ids == frozenset(
        {application.unit.organisation_id}
    )
    assert by_id[pool["good"][0].pk].conflict_unit_ids == frozenset()


def test_the_proposal_places_neither_the_unqualified_nor_the_conflicted(cycle, application, pool):
    result = queries.proposal_make(cycle)
    (team,) = result.teams
    assert set(team.member_ids) == {m.pk for m in pool["good"]}
    assert team.entry_ids == [application.pk]
    assert {pool["untrained"].pk, pool["unit_conflict"].pk, pool["organisation_conflict"].pk} <= set(
        result.unused_candidate_ids
    )


def test_the_proposal_refuses_exactly_what_the_pool_member_refuses(cycle, quality, application, pool, slk):
    """R8 has one definition (examiners.conflicts.Ties): for every examiner and application
    the proposal's reasons and the pool member's are the same grounds, one for one."""
    elsewhere = factories.submitted_application(quality)
    colleague = factories.pool_member(cycle, organisation=application.unit.organisation)
    works_there = factories.pool_member(cycle)
    works_there.profile.employer_unit = application.unit
    works_there.profile.save(update_fields=["employer_unit"])
    both = factories.pool_member(cycle)
    _declare(both, application.unit, slk)
    _declare(both, application.unit.organisation, slk)
    candidates, entries = queries.proposal_inputs(cycle)
    by_candidate = {c.id: c for c in candidates}
    members = queries.pool_members(cycle).filter(status=PoolMember.Status.ACCEPTED)
    pairs = [(m, a) for m in members for a in (application, elsewhere)]
    assert len(pairs) == 2 * 8
    seen = set()
    for member, entry_application in pairs:
        entry = next(e for e in entries if e.id == entry_application.pk)
        expected = member.conflict_reasons(entry_application)
        assert len(proposal.conflicts(by_candidate[member.pk], entry)) == len(expected)
        seen.add(len(expected))
    assert seen == {0, 1, 2}
    assert proposal.conflicts(by_candidate[colleague.pk], next(e for e in entries if e.id == application.pk))


def _candidate(id, **kwargs):
    defaults = dict(
        name=f"Examinator {id}",
        organisation_id=100 + id,
        employer_unit_id=None,
        experienced=True,
        has_led=False,
        qualified=True,
        areas=frozenset(),
    )
    return proposal.Candidate(id=id, **(defaults | kwargs))


ENTRY = proposal.Entry(id=1, code="K30-001", track_id=1, unit_id=7, organisation_id=70, class_name=None)


def test_the_pure_proposal_never_places_an_unqualified_candidate():
    candidates = [_candidate(1, has_led=True), _candidate(2), _candidate(3, qualified=False)]
    (team,) = proposal.propose(candidates, [ENTRY]).teams
    assert set(team.member_ids) == {1, 2}


@pytest.mark.parametrize(
    "conflict",
    [
        {"conflict_unit_ids": frozenset({7})},
        {"conflict_organisation_ids": frozenset({70})},
        {"employer_unit_id": 7},
        {"organisation_id": 70},
    ],
)
def test_the_pure_proposal_never_places_a_conflicted_candidate(conflict):
    candidates = [_candidate(1, has_led=True), _candidate(2), _candidate(3, **conflict)]
    (team,) = proposal.propose(candidates, [ENTRY]).teams
    assert set(team.member_ids) == {1, 2}
    assert proposal.conflicts(candidates[2], ENTRY)
    assert not proposal.conflicts(candidates[0], ENTRY)


# --- The checks made again when SLK confirms a team -----------------------------------------------


def _team_of(team, slk, members, leader=None):
    for member in members:
        services.team_member_add(team=team, member=member, leader=member == leader, by=slk)


def test_confirm_refuses_a_team_without_an_experienced_member(team, cycle, slk, application):
    _team_of(team, slk, [factories.pool_member(cycle, experienced=False) for _ in range(4)])
    services.team_assign(team=team, application=application, by=slk)
    with pytest.raises(ValidationError) as error:
        services.team_confirm(team=team, by=slk)
    assert "Laget behöver minst en erfaren examinator." in error.value.messages


def test_team_errors_name_a_missing_experienced_member_even_with_a_leader_marked(cycle, application):
    # The leader check looks at the leader; this one at the whole team, which the page shows.
    members = [factories.pool_member(cycle, experienced=False) for _ in range(2)]
    loaded = list(queries.pool_members(cycle))
    errors, _warnings = rules.team_errors(
        members=loaded, leader_ids={members[0].pk}, applications=[application]
    )
    assert "Laget behöver minst en erfaren examinator." in errors
    assert any("kan inte leda" in e for e in errors)


def test_confirm_refuses_a_member_who_declared_a_conflict_after_joining(team, cycle, slk, application):
    leader, member = factories.pool_member(cycle, led=True), factories.pool_member(cycle)
    _team_of(team, slk, [leader, member], leader=leader)
    services.team_assign(team=team, application=application, by=slk)
    _declare(member, application.unit, slk)
    with pytest.raises(ValidationError) as error:
        services.team_confirm(team=team, by=slk)
    assert f"har anmält jäv mot {application.unit}" in _messages(error)
    team.refresh_from_db()
    assert team.status == Team.Status.DRAFT


def test_confirm_refuses_a_member_now_in_the_units_administration(team, cycle, slk, application):
    leader, member = factories.pool_member(cycle, led=True), factories.pool_member(cycle)
    _team_of(team, slk, [leader, member], leader=leader)
    services.team_assign(team=team, application=application, by=slk)
    type(member.profile).objects.filter(pk=member.profile.pk).update(
        organisation=application.unit.organisation
    )
    with pytest.raises(ValidationError) as error:
        services.team_confirm(team=team, by=slk)
    assert "arbetar i samma förvaltning" in _messages(error)


def test_confirm_refuses_a_member_whose_training_no_longer_counts(team, cycle, slk, application):
    leader, new = factories.pool_member(cycle, led=True), factories.pool_member(cycle, experienced=False)
    _team_of(team, slk, [leader, new], leader=leader)
    services.team_assign(team=team, application=application, by=slk)
    Attendance.objects.filter(enrolment__member=new).update(present=False)
    with pytest.raises(ValidationError) as error:
        services.team_confirm(team=team, by=slk)
    assert "är inte kvalificerad" in _messages(error)


def test_confirm_refuses_a_leader_who_is_not_experienced(team, cycle, slk, application):
    leader, member = factories.pool_member(cycle, led=True), factories.pool_member(cycle)
    _team_of(team, slk, [leader, member], leader=leader)
    services.team_assign(team=team, application=application, by=slk)
    type(leader.profile).objects.filter(pk=leader.profile.pk).update(years_served=[], years_led=[])
    with pytest.raises(ValidationError) as error:
        services.team_confirm(team=team, by=slk)
    assert "kan inte leda ett lag" in _messages(error)


def test_confirm_refuses_a_team_of_one(team, cycle, slk, application):
    leader = factories.pool_member(cycle, led=True)
    _team_of(team, slk, [leader], leader=leader)
    services.team_assign(team=team, application=application, by=slk)
    with pytest.raises(ValidationError) as error:
        services.team_confirm(team=team, by=slk)
    assert "Ett lag behöver minst två examinatorer." in error.value.messages


def test_confirm_refuses_a_team_without_an_application(team, cycle, slk):
    leader = factories.pool_member(cycle, led=True)
    _team_of(team, slk, [leader, factories.pool_member(cycle)], leader=leader)
    with pytest.raises(ValidationError) as error:
        services.team_confirm(team=team, by=slk)
    assert "Laget har inget bidrag." in error.value.messages


def test_the_confirm_checks_hold_for_a_superuser(team, cycle, slk, application):
    superuser = factories.UserFactory(is_superuser=True, is_staff=True)
    leader, member = factories.pool_member(cycle, led=True), factories.pool_member(cycle)
    _team_of(team, slk, [leader, member], leader=leader)
    services.team_assign(team=team, application=application, by=slk)
    _declare(member, application.unit, slk)
    with pytest.raises(ValidationError):
        services.team_confirm(team=team, by=superuser)


def test_a_sound_team_is_confirmed_with_only_soft_warnings(team, cycle, slk, application):
    organisation = factories.OrganisationFactory()
    leader = factories.pool_member(cycle, led=True, organisation=organisation)
    member = factories.pool_member(cycle, organisation=organisation)
    _team_of(team, slk, [leader, member], leader=leader)
    services.team_assign(team=team, application=application, by=slk)
    errors, warnings = services.team_errors(team)
    assert errors == []
    assert warnings == [
        "Laget har 2 medlemmar; rekommenderat är 4–6.",
        "Flera medlemmar kommer från samma förvaltning.",
        "Laget har inga nya examinatorer.",
    ]
    services.team_confirm(team=team, by=slk)


def test_a_recommended_team_has_no_warnings(team, cycle, slk, application):
    leader = factories.pool_member(cycle, led=True)
    others = [factories.pool_member(cycle, experienced=i == 0) for i in range(5)]
    _team_of(team, slk, [leader, *others], leader=leader)
    services.team_assign(team=team, application=application, by=slk)
    assert services.team_errors(team) == ([], [])
    services.team_member_add(team=team, member=factories.pool_member(cycle, experienced=False), by=slk)
    assert services.team_errors(team)[1] == ["Laget har 7 medlemmar; rekommenderat är 4–6."]


def test_the_recommended_size_starts_at_four(team, cycle, slk, application):
    leader = factories.pool_member(cycle, led=True)
    others = [factories.pool_member(cycle, experienced=False) for _ in range(3)]
    _team_of(team, slk, [leader, *others], leader=leader)
    services.team_assign(team=team, application=application, by=slk)
    assert services.team_errors(team) == ([], [])
    services.team_member_remove(team_member=team.members.get(member=others[0]), by=slk)
    assert services.team_errors(team)[1] == ["Laget har 3 medlemmar; rekommenderat är 4–6."]


def test_member_errors_name_each_missing_requirement(cycle):
    member = factories.pool_member(
        cycle, experienced=False, qualified=False, status="declined", available=False, manager_name=""
    )
    (loaded,) = [m for m in queries.pool_members(cycle) if m.pk == member.pk]
    name = loaded.profile
    assert rules.member_errors(loaded) == [
        f"{name} är inte antagen till årets pool.",
        f"{name} är inte tillgänglig i år.",
        f"{name} saknar chefens godkännande.",
        f"{name} är inte kvalificerad: {loaded.training_status().label}.",
    ]
    assert rules.leader_errors(loaded) == [
        f"{name} har inte varit examinator tidigare och kan inte leda ett lag."
    ]
    ready = factories.pool_member(cycle)
    (loaded,) = [m for m in queries.pool_members(cycle) if m.pk == ready.pk]
    assert rules.member_errors(loaded) == [] and rules.leader_errors(loaded) == []


def test_team_errors_say_exactly_what_is_missing(cycle):
    assert rules.team_errors(members=[], leader_ids=set(), applications=[]) == (
        ["Ett lag behöver minst två examinatorer.", "Laget saknar lagledare.", "Laget har inget bidrag."],
        [],
    )


# --- R9: one or two applications per team -------------------------------------------------------


@pytest.fixture
def three_allowed(cycle):
    """A cycle whose setting was saved above the rule (before the model refused it)."""
    AwardCycle.objects.filter(pk=cycle.pk).update(max_applications_per_team=3)
    return AwardCycle.objects.get(pk=cycle.pk)


def test_a_team_takes_at_most_two_whatever_the_cycle_says(three_allowed, quality, slk):
    team = services.team_create(cycle=three_allowed, track=quality, name="Lag A", by=slk)
    for _ in range(2):
        services.team_assign(team=team, application=factories.submitted_application(quality), by=slk)
    with pytest.raises(ValidationError) as error:
        services.team_assign(team=team, application=factories.submitted_application(quality), by=slk)
    assert "Laget har redan 2 bidrag" in _messages(error)


def test_a_cycle_may_allow_one(cycle, quality, slk):
    AwardCycle.objects.filter(pk=cycle.pk).update(max_applications_per_team=1)
    team = services.team_create(cycle=cycle, track=quality, name="Lag A", by=slk)
    services.team_assign(team=team, application=factories.submitted_application(quality), by=slk)
    with pytest.raises(ValidationError):
        services.team_assign(team=team, application=factories.submitted_application(quality), by=slk)
    assert rules.applications_limit(AwardCycle.objects.get(pk=cycle.pk)) == 1


def test_the_proposal_bundles_at_most_two_whatever_the_cycle_says(three_allowed, quality):
    for _ in range(6):
        factories.submitted_application(quality)
    for i in range(8):
        factories.pool_member(three_allowed, led=i < 3)
    result = queries.proposal_make(three_allowed)
    assert result.teams and not result.unplaced
    assert max(len(t.entry_ids) for t in result.teams) == 2
