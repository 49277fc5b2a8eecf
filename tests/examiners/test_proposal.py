"""Tests of the pure team-proposal algorithm: hard rules as properties, soft rules by example."""

import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from examiners.proposal import Candidate, Entry, Proposal, Rules, _Examiners, conflicts, propose

CLASSES = ["Skola", "Omsorg", "Kultur"]


def person(id, org, *, experienced=False, has_led=False, qualified=True, areas=(), **extra):
    return Candidate(
        id=id,
        name=f"Examinator {id}",
        organisation_id=org,
        employer_unit_id=extra.pop("unit", None),
        experienced=experienced,
        has_led=has_led,
        qualified=qualified,
        areas=frozenset(areas),
        **extra,
    )


def application(id, org, *, track=1, unit=None, class_name="Skola"):
    return Entry(
        id=id,
        code=f"K26-{id:03d}",
        track_id=track,
        unit_id=unit if unit is not None else 1000 + id,
        organisation_id=org,
        class_name=class_name,
    )


# --- Hard rules, checked on every proposal ---------------------------------------------------


def assert_hard_rules(proposal: Proposal, candidates, entries, rules=Rules()):
    by_candidate = {c.id: c for c in candidates}
    by_entry = {e.id: e for e in entries}
    usage = Counter()
    placed = []
    for number, team in enumerate(proposal.teams, start=1):
        assert team.name == f"Lag {number}"
        assert team.member_ids[0] == team.leader_id
        assert len(set(team.member_ids)) == len(team.member_ids) >= 2
        assert len(team.member_ids) <= max(rules.max_size, 2)
        assert 1 <= len(team.entry_ids) <= max(rules.max_applications_per_team, 1)
        team_entries = [by_entry[entry_id] for entry_id in team.entry_ids]
        assert {e.track_id for e in team_entries} == {team.track_id}
        assert by_candidate[team.leader_id].experienced
        for member_id in team.member_ids:
            member = by_candidate[member_id]
            assert member.qualified
            for entry in team_entries:
                assert conflicts(member, entry) == []
        assert team.reasons and all(isinstance(r, str) and r.strip() for r in team.reasons)
        usage.update(team.member_ids)
        placed += team.entry_ids
    for candidate_id, teams in usage.items():
        assert teams <= by_candidate[candidate_id].max_teams
    assert len(placed) == len(set(placed))
    assert sorted(placed + list(proposal.unplaced)) == sorted(by_entry)
    for reason in proposal.unplaced.values():
        assert isinstance(reason, str) and reason.endswith(".")
        assert "examinator" in reason  # every reason names what was missing, in Swedish
    assert proposal.unused_candidate_ids == sorted(set(by_candidate) - set(usage))


@st.composite
def scenarios(draw):
    organisations = list(range(1, draw(st.integers(1, 6)) + 1))
    unit_org = {unit: draw(st.sampled_from(organisations)) for unit in range(1, 2 * len(organisations) + 1)}
    units = sorted(unit_org)
    tracks = draw(st.sampled_from([[1], [1, 2]]))
    conflict_units = st.frozensets(st.sampled_from(units), max_size=2)
    conflict_orgs = st.frozensets(st.sampled_from(organisations), max_size=1)
    candidates = []
    for id in range(1, draw(st.integers(0, 40)) + 1):
        unit = draw(st.none() | st.sampled_from(units))
        candidates.append(
            Candidate(
                id=id,
                name=f"Examinator {id}",
                organisation_id=unit_org[unit] if unit else draw(st.sampled_from(organisations)),
                employer_unit_id=unit,
                experienced=draw(st.booleans()),
                has_led=draw(st.booleans()),  # sometimes without `experienced`: may not lead
                qualified=draw(st.sampled_from([True, True, True, False])),
                areas=draw(st.frozensets(st.sampled_from(CLASSES), max_size=2)),
                max_teams=draw(st.sampled_from([1, 1, 1, 2])),
                conflict_unit_ids=draw(conflict_units),
                conflict_organisation_ids=draw(conflict_orgs),
            )
        )
    entries = []
    for id in range(1, draw(st.integers(0, 15)) + 1):
        unit = draw(st.sampled_from(units))
        entries.append(
            Entry(
                id=100 + id,
                code=f"K26-{id:03d}",
                track_id=draw(st.sampled_from(tracks)),
                unit_id=unit,
                organisation_id=unit_org[unit],
                class_name=draw(st.none() | st.sampled_from(CLASSES)),
            )
        )
    min_size = draw(st.integers(2, 5))
    rules = Rules(
        min_size=min_size,
        max_size=draw(st.integers(min_size, 7)),
        max_applications_per_team=draw(st.integers(1, 3)),
    )
    return candidates, entries, rules


# Each property draws 100 cities of examiners and entries (Hypothesis's default), new ones
# every run: generating them is most of the time these tests take.
EXAMPLES = settings(max_examples=100, deadline=None)


@EXAMPLES
@given(scenarios())
def test_every_proposal_keeps_the_hard_rules(scenario):
    candidates, entries, rules = scenario
    assert_hard_rules(propose(candidates, entries, rules), candidates, entries, rules)


@EXAMPLES
@given(scenarios(), st.randoms(use_true_random=False))
def test_proposal_does_not_depend_on_input_order(scenario, random):
    candidates, entries, rules = scenario
    shuffled_candidates, shuffled_entries = list(candidates), list(entries)
    random.shuffle(shuffled_candidates)
    random.shuffle(shuffled_entries)
    assert propose(shuffled_candidates, shuffled_entries, rules) == propose(candidates, entries, rules)


@EXAMPLES
@given(scenarios())
def test_entries_with_a_free_examiner_pair_and_enough_leaders_are_placed(scenario):
    """With one team per entry and plenty of free examiners, nothing is left unplaced."""
    candidates, entries, _ = scenario
    rules = Rules(max_applications_per_team=1)
    proposal = propose(candidates, entries, rules)
    assert_hard_rules(proposal, candidates, entries, rules)
    for entry_id, reason in proposal.unplaced.items():
        entry = next(e for e in entries if e.id == entry_id)
        pool = [c for c in candidates if c.qualified and not conflicts(c, entry)]
        assert "jäv" in reason or "utbildningskravet" in reason or not candidates
        if len(pool) >= 2 and any(c.experienced for c in pool):
            # Only the examiners' other teams can have stopped it.
            assert "andra lag" in reason


@EXAMPLES
@given(scenarios())
def test_conflict_index_finds_exactly_the_examiners_with_jav(scenario):
    """Pools are built from an index of administrations and units; it must agree with `conflicts`."""
    candidates, entries, _ = scenario
    examiners = _Examiners(candidates)
    for entry in entries:
        assert examiners.conflicted(entry) == {c.id for c in candidates if conflicts(c, entry)}


def city(applications: int, seed: int = 1) -> tuple[list[Candidate], list[Entry]]:
    """A city-like cycle: 40 applications and 110 examiners per administration, most examiners
    qualified, some working at an applying unit, a few declared conflicts and second teams."""
    rng = random.Random(seed)
    classes = ["Förskola", "Skola", "Äldreomsorg", "Kultur", "Stadsmiljö"]
    organisations = max(applications // 40, 2)
    entries = [
        application(
            i,
            org=1 + i % organisations,
            track=2 if i % 5 == 4 else 1,
            class_name=None if i % 5 == 4 else rng.choice(classes),
        )
        for i in range(1, applications + 1)
    ]
    units = [e.unit_id for e in entries]
    candidates = []
    for i in range(1, round(applications * 2.766) + 1):
        experienced = rng.random() < 0.6
        candidates.append(
            person(
                10_000 + i,
                org=1 + rng.randrange(organisations),
                experienced=experienced,
                has_led=experienced and rng.random() < 0.25,
                qualified=rng.random() >= 0.03,
                areas=rng.sample(classes, rng.randint(1, 2)),
                unit=rng.choice(units) if rng.random() < 0.3 else None,
                max_teams=2 if rng.random() < 0.05 else 1,
                conflict_unit_ids=frozenset(rng.sample(units, 1)) if rng.random() < 0.02 else frozenset(),
            )
        )
    return candidates, entries


@pytest.mark.parametrize("max_applications", [1, 2, 3])
def test_city_scale_cycle_places_everything_within_the_hard_rules(max_applications):
    candidates, entries = city(240)
    rules = Rules(max_applications_per_team=max_applications)
    proposal = propose(candidates, entries, rules)
    assert_hard_rules(proposal, candidates, entries, rules)
    assert proposal.unplaced == {}
    if max_applications > 1:  # enough examiners for the recommended size everywhere
        assert all(len(t.member_ids) >= rules.min_size for t in proposal.teams)


# --- Examples ---------------------------------------------------------------------------------


def test_conflicts_names_every_kind_of_jav():
    entry = application(1, org=1, unit=10)
    assert conflicts(person(1, org=2), entry) == []
    assert conflicts(person(2, org=1), entry) == [
        "Jäv: Examinator 2 tillhör samma förvaltning som bidraget K26-001."
    ]
    assert conflicts(person(3, org=2, unit=10), entry) == [
        "Jäv: Examinator 3 arbetar på enheten som har lämnat bidraget K26-001."
    ]
    declared = person(4, org=2, conflict_unit_ids=frozenset({10}), conflict_organisation_ids=frozenset({1}))
    assert conflicts(declared, entry) == [
        "Jäv: Examinator 4 har anmält jäv mot enheten bakom bidraget K26-001.",
        "Jäv: Examinator 4 har anmält jäv mot förvaltningen bakom bidraget K26-001.",
    ]


def test_simple_case_places_everything_in_recommended_sizes_with_leader_reasons():
    entries = [application(1, org=1), application(2, org=2), application(3, org=1), application(4, org=2)]
    candidates = [
        person(10, org=3, experienced=True, has_led=True, areas={"Skola"}),
        person(11, org=4, experienced=True, has_led=True),
        person(12, org=5, experienced=True),
        person(13, org=3, experienced=True, areas={"Skola"}),
    ] + [person(20 + i, org=3 + i % 3, areas={"Skola"} if i % 2 else set()) for i in range(8)]
    proposal = propose(candidates, entries)
    assert_hard_rules(proposal, candidates, entries)
    assert proposal.unplaced == {}
    assert [len(t.entry_ids) for t in proposal.teams] == [2, 2]
    assert [len(t.member_ids) for t in proposal.teams] == [6, 6]
    assert {t.leader_id for t in proposal.teams} == {10, 11}  # those who have led before
    for team in proposal.teams:
        leader = next(c for c in candidates if c.id == team.leader_id)
        assert team.reasons[0].startswith(f"Lagledare: {leader.name}, som har lett ett lag tidigare.")
        assert any("förvaltningar" in r for r in team.reasons)
        assert not any("rekommenderat" in r for r in team.reasons)
    assert proposal.unused_candidate_ids == []
    assert proposal.warnings == []


def test_entry_whose_examiners_all_have_jav_is_unplaced():
    conflicted = application(1, org=1, unit=10)
    free = application(2, org=5, track=2)
    candidates = [
        person(1, org=1, experienced=True, has_led=True),
        person(2, org=2, experienced=True, unit=10),
        person(3, org=3, experienced=True, conflict_unit_ids=frozenset({10})),
        person(4, org=4, conflict_organisation_ids=frozenset({1})),
    ]
    proposal = propose(candidates, [conflicted, free])
    assert_hard_rules(proposal, candidates, [conflicted, free])
    assert list(proposal.unplaced) == [1]
    assert "jäv" in proposal.unplaced[1]
    assert proposal.unplaced[1].startswith("Inga kvalificerade examinatorer utan jäv")
    assert [t.entry_ids for t in proposal.teams] == [[2]]
    assert "1 bidrag kunde inte placeras i något lag." in proposal.warnings


def test_without_experienced_examiner_nobody_can_lead():
    entries = [application(1, org=1)]
    # Having led is recorded but the examiner has not served: still not eligible to lead.
    candidates = [person(i, org=2, has_led=i == 1) for i in range(1, 6)]
    proposal = propose(candidates, entries)
    assert proposal.teams == []
    assert proposal.unplaced == {1: proposal.unplaced[1]}
    assert proposal.unplaced[1].startswith("Ingen erfaren examinator utan jäv kan leda laget")
    assert proposal.unused_candidate_ids == [1, 2, 3, 4, 5]


def test_unqualified_examiners_are_never_placed():
    entries = [application(1, org=1), application(2, org=1, track=2)]
    unqualified = [person(i, org=2, experienced=True, has_led=True, qualified=False) for i in range(1, 9)]
    qualified = [person(20, org=3, experienced=True), person(21, org=4), person(22, org=4)]
    candidates = unqualified + qualified
    proposal = propose(candidates, entries)
    assert_hard_rules(proposal, candidates, entries)
    placed = {m for team in proposal.teams for m in team.member_ids}
    assert placed <= {20, 21, 22}
    assert "8 examinatorer uppfyller inte utbildningskravet och har inte placerats." in proposal.warnings
    assert list(proposal.unplaced) == [2]  # the only experienced examiner already leads team 1
    assert "leder redan andra lag" in proposal.unplaced[2]


def test_only_unqualified_examiners_leaves_everything_unplaced():
    entries = [application(1, org=1)]
    candidates = [person(i, org=2, experienced=True, qualified=False) for i in range(1, 4)]
    proposal = propose(candidates, entries)
    assert proposal.teams == []
    assert "utbildningskravet" in proposal.unplaced[1]


def test_examiner_allowed_two_teams_leads_two_teams():
    entries = [application(1, org=1), application(2, org=1, track=2)]
    candidates = [
        person(1, org=2, experienced=True, has_led=True, max_teams=2),
        person(2, org=3),
        person(3, org=4),
    ]
    proposal = propose(candidates, entries)
    assert_hard_rules(proposal, candidates, entries)
    assert proposal.unplaced == {}
    assert [t.member_ids for t in proposal.teams] == [[1, 2], [1, 3]]

    only_one = [person(1, org=2, experienced=True, has_led=True)] + candidates[1:]
    proposal = propose(only_one, entries)
    assert len(proposal.teams) == 1
    assert "leder redan andra lag" in proposal.unplaced[2]


def test_second_team_only_fills_up_to_recommended_minimum():
    entries = [application(1, org=1), application(2, org=1, track=2)]
    candidates = [person(1, org=2, experienced=True), person(2, org=2, experienced=True)] + [
        person(i, org=3, max_teams=2) for i in range(3, 7)
    ]
    proposal = propose(candidates, entries)
    assert_hard_rules(proposal, candidates, entries)
    # 8 places in teams of at most 6 would allow 6+2; even load and fresh examiners first give 4+4.
    assert [len(t.member_ids) for t in proposal.teams] == [4, 4]
    reused = [c for c, n in Counter(m for t in proposal.teams for m in t.member_ids).items() if n > 1]
    assert len(reused) == 2
    assert any("får sitta i upp till 2 lag" in r for t in proposal.teams for r in t.reasons)


def test_teams_are_loaded_evenly():
    entries = [application(1, org=1), application(2, org=1, track=2)]
    candidates = [person(1, org=2, experienced=True), person(2, org=3, experienced=True)] + [
        person(i, org=2 + i % 3) for i in range(3, 9)
    ]
    proposal = propose(candidates, entries)
    assert [len(t.member_ids) for t in proposal.teams] == [4, 4]


def test_small_team_is_explained_and_warned():
    entries = [application(1, org=1)]
    candidates = [person(1, org=2, experienced=True), person(2, org=3), person(3, org=4)]
    proposal = propose(candidates, entries)
    (team,) = proposal.teams
    assert "Laget har bara 3 medlemmar (rekommenderat 4–6)." in team.reasons
    assert "Lag 1: Laget har bara 3 medlemmar (rekommenderat 4–6)." in proposal.warnings
    assert any("ingen tidigare lagledare utan jäv fanns" in r for r in team.reasons)


def test_odd_entry_gets_a_team_of_its_own_with_a_reason():
    entries = [application(i, org=1) for i in (1, 2, 3)]
    candidates = [person(i, org=2, experienced=i < 3) for i in range(1, 9)]
    proposal = propose(candidates, entries)
    assert_hard_rules(proposal, candidates, entries)
    assert sorted(len(t.entry_ids) for t in proposal.teams) == [1, 2]
    single = next(t for t in proposal.teams if len(t.entry_ids) == 1)
    assert any("upp till 2 är tillåtet" in r for r in single.reasons)


def test_entries_are_paired_with_those_sharing_examiners():
    # Entries 1 and 3 (org 1) share all 8 examiners of orgs 2–4; entry 2 (org 2) shares fewer
    # with them, though its own pool is the largest thanks to the examiners of org 1.
    entries = [application(1, org=1), application(2, org=2), application(3, org=1)]
    candidates = [person(i, org=2 + i % 3, experienced=i < 4) for i in range(1, 9)]
    candidates += [person(20 + i, org=1, experienced=i == 0) for i in range(6)]
    proposal = propose(candidates, entries)
    assert_hard_rules(proposal, candidates, entries)
    assert sorted(t.entry_ids for t in proposal.teams) == [[1, 3], [2]]


def test_class_knowledge_and_spread_decide_who_joins():
    entries = [application(1, org=1, class_name="Omsorg")]
    rules = Rules(min_size=2, max_size=3)
    candidates = [
        person(1, org=2, experienced=True, has_led=True),
        person(2, org=2),  # same administration as the leader, no class knowledge
        person(3, org=2, areas={"Omsorg"}),
        person(4, org=3),
    ]
    proposal = propose(candidates, entries, rules)
    (team,) = proposal.teams
    assert team.member_ids == [1, 3, 4]
    assert "Examinator 3 valdes för att hen tillför kunskap om klassen Omsorg" in " ".join(team.reasons)
    assert "1 av medlemmarna kan klassen Omsorg." in team.reasons


def test_leader_who_has_led_is_preferred_over_lower_id():
    entries = [application(1, org=1)]
    candidates = [person(1, org=2, experienced=True), person(2, org=3, experienced=True, has_led=True)]
    candidates += [person(i, org=4) for i in range(3, 6)]
    (team,) = propose(candidates, entries).teams
    assert team.leader_id == 2


def test_duplicate_ids_are_refused():
    with pytest.raises(ValueError):
        propose([person(1, org=1), person(1, org=2)], [])


def test_empty_input_gives_empty_proposal():
    assert propose([], []) == Proposal(teams=[], unplaced={}, unused_candidate_ids=[], warnings=[])
