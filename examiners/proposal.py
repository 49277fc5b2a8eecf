"""Proposal of examiner teams: which examiners assess which applications.

A pure, deterministic function of plain dataclasses; the Django side turns ORM rows into
`Candidate` and `Entry` and stores the returned `Proposal` as it sees fit. Inputs are sorted by
id first, so the same data in any order gives the same proposal.

Hard rules are never bent: every member is qualified, nobody has a conflict (jäv) with any
application of their team, nobody sits in more teams than `max_teams`, the leader has served as
examiner before, a team has at least two members and one to `max_applications_per_team`
applications, all of the same track. The soft rules (recommended team size, class knowledge, a
mix of new and experienced examiners, a spread over administrations, even load, leaders who
have led before) are balanced greedily and explained in each team's `reasons`.

The greedy strategy, step by step:

1. Pools. For each application, the qualified examiners without conflict. Applications whose
   pool can never staff a team (empty, no experienced examiner, a single examiner) are
   unplaced at once, with the reason.
2. Bundles. Per track, the most constrained application (smallest pool) seeds a team and is
   paired with the application whose joint pool is the largest (same class breaks ties),
   as long as the joint pool can still staff a team, up to `max_applications_per_team`.
3. Leaders. A maximum matching of bundles to experienced examiners in their joint pool
   (most constrained bundle first; the best free examiner is taken, and another bundle's
   leader is moved along an augmenting path only when none is free), preferring examiners
   who have led before and who know the class; one team each first, a second only if needed.
4. Members. Round-robin: the smallest team (ties: the one with the fewest options) takes the
   best-scoring available examiner: one in no team yet, knowing a class not yet covered,
   from an administration not yet in the team, of the kind (new/experienced) the team lacks,
   needed by few other teams. Teams grow up to `max_size`; an examiner is placed in a
   second team only while that team is below `min_size`.
5. Repair. If a bundle gets no leader or fewer than two members, a bundle of several
   applications is split into single-application teams, a single application is unplaced
   with the reason, and steps 2–4 are run again. Each round removes a pairing or an
   application, so this ends.

Scale. Jäv comes from an application's administration and unit (and the few declared
conflicts), so a pool is kept as "every qualified examiner but a small excluded set" (`_Pool`),
found through an index of whom each administration and unit excludes, and no step lists a
pool's members: joint pools are sized by inclusion–exclusion and each team's options are
counted, not listed. With n applications, m qualified examiners, x excluded per pool (about m
over the number of administrations), t teams and p examiner profiles (known classes ×
new/experienced), the pools cost O(m + n·x) and the steps:

- bundles: per seed, the few applications sharing excluded examiners (same administration or
  unit) are sized exactly and the others walked largest pool first only as far as one can
  still win, O(x + applications per administration) each;
- leaders: O(x) per team, as the full leaders at the head of a ranking are skipped for good;
  only when leaders are scarce do augmenting paths cost up to O(t · experienced examiners);
- members: per placement the teams excluding the placed examiner are updated and p profiles
  scored, each looking at the top of its heaps, O(t·x/m + p·log m);
- repair: steps 2–4 again per failure, which realistic data does not have.

The result is the same as listing every pool and scanning it at each step, only sooner.
"""

from __future__ import annotations

import heapq
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, islice
from operator import itemgetter

from django.utils.translation import gettext as _

from examiners.conflicts import Declared, Ground, Ties

TEAM_FLOOR = 2
"""Hard minimum of members: an examiner team must be able to reach consensus."""


@dataclass(frozen=True)
class Candidate:
    id: int  # PoolMember pk
    name: str
    organisation_id: int  # home administration (förvaltning) of the examiner
    employer_unit_id: int | None  # the unit they work at, if any
    experienced: bool  # has served as examiner in an earlier cycle; required to lead
    has_led: bool  # has been team leader before; preferred as leader
    qualified: bool  # training rule met; unqualified examiners are never placed
    areas: frozenset[str]  # competition class names they know
    max_teams: int = 1  # SLK may allow more than one team
    conflict_unit_ids: frozenset[int] = frozenset()  # declared conflicts
    conflict_organisation_ids: frozenset[int] = frozenset()

    @property
    def ties(self) -> Ties:
        """What the candidate's conflicts follow from, for R8's one definition."""
        return Ties(
            organisation_id=self.organisation_id,
            employer_unit_id=self.employer_unit_id,
            declarations=(
                *(Declared(unit_id=u) for u in sorted(self.conflict_unit_ids)),
                *(Declared(organisation_id=o) for o in sorted(self.conflict_organisation_ids)),
            ),
        )


@dataclass(frozen=True)
class Entry:
    """A submitted application."""

    id: int  # Application pk
    code: str  # e.g. "K26-004"
    track_id: int
    unit_id: int
    organisation_id: int
    class_name: str | None  # competition class name (None for Förnyelsepriset)


@dataclass(frozen=True)
class Rules:
    min_size: int = 4  # recommended team size (soft: a reason and a warning outside)
    max_size: int = 6
    max_applications_per_team: int = 2  # teams take 1..this many, all of the same track


@dataclass
class ProposedTeam:
    name: str  # "Lag 1", "Lag 2", ...
    track_id: int
    leader_id: int
    member_ids: list[int]  # includes the leader, leader first
    entry_ids: list[int]
    reasons: list[str]  # Swedish sentences explaining the choices and unmet soft rules


@dataclass
class Proposal:
    teams: list[ProposedTeam]
    unplaced: dict[int, str]  # entry id -> Swedish reason why no team could take it
    unused_candidate_ids: list[int]
    warnings: list[str]


def conflicts(candidate: Candidate, entry: Entry) -> list[str]:
    """Swedish reasons why `candidate` may not assess `entry` (empty if none): R8 as
    `Ties.grounds` has it, the same rule as the pool member's."""
    values = {"name": candidate.name, "code": entry.code}
    reasons = []
    for ground, declared in candidate.ties.grounds(
        unit_id=entry.unit_id, organisation_id=entry.organisation_id
    ):
        if ground is Ground.ADMINISTRATION:
            reasons.append(_("Jäv: %(name)s tillhör samma förvaltning som bidraget %(code)s.") % values)
        elif ground is Ground.WORKPLACE:
            reasons.append(_("Jäv: %(name)s arbetar på enheten som har lämnat bidraget %(code)s.") % values)
        elif declared.unit_id is not None:
            reasons.append(_("Jäv: %(name)s har anmält jäv mot enheten bakom bidraget %(code)s.") % values)
        else:
            reasons.append(
                _("Jäv: %(name)s har anmält jäv mot förvaltningen bakom bidraget %(code)s.") % values
            )
    return reasons


def propose(candidates: Sequence[Candidate], entries: Sequence[Entry], rules: Rules = Rules()) -> Proposal:
    """Propose examiner teams for `entries` from `candidates`; see the module docstring."""
    candidates = sorted(candidates, key=_by_id)
    entries = sorted(entries, key=_by_id)
    _require_unique_ids(candidates, "examinator")
    _require_unique_ids(entries, "bidrag")
    limits = _Limits.from_rules(rules)

    examiners = _Examiners([c for c in candidates if c.qualified and c.max_teams > 0])
    pools = {entry.id: examiners.pool(examiners.conflicted(entry)) for entry in entries}
    unplaced = {}
    for entry in entries:
        obstacle = _static_obstacle(pools[entry.id], examiners, candidates)
        if obstacle:
            unplaced[entry.id] = obstacle

    solo: set[int] = set()  # entries whose bundle could not be staffed together
    while True:
        placeable = [entry for entry in entries if entry.id not in unplaced]
        bundles = _form_bundles(placeable, pools, examiners, limits, solo)
        drafts, failure = _staff(bundles, examiners, limits)
        if failure is None:
            break
        bundle, reason = failure
        if len(bundle.entries) > 1:
            solo.update(entry.id for entry in bundle.entries)
        else:
            unplaced[bundle.entries[0].id] = reason

    return _build_proposal(drafts, candidates, unplaced, limits)


# --- Internal state ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Limits:
    min_size: int
    max_size: int
    max_entries: int

    @classmethod
    def from_rules(cls, rules: Rules) -> _Limits:
        max_size = max(rules.max_size, TEAM_FLOOR)
        return cls(
            min_size=min(max(rules.min_size, TEAM_FLOOR), max_size),
            max_size=max_size,
            max_entries=max(rules.max_applications_per_team, 1),
        )


class _Examiners:
    """The qualified examiners, indexed by the administrations and units they have jäv against.

    An examiner has jäv against an application exactly when they have it against the
    application's administration or its unit (the index form of `conflicts`).
    """

    def __init__(self, qualified: list[Candidate]) -> None:
        self.by_id = {c.id: c for c in qualified}
        self.experienced = frozenset(c.id for c in qualified if c.experienced)
        self.former_leaders = frozenset(c.id for c in qualified if c.experienced and c.has_led)
        self.jav_organisations: dict[int, frozenset[int]] = {}  # examiner id -> administrations
        self.jav_units: dict[int, frozenset[int]] = {}  # examiner id -> units
        self._by_organisation: dict[int, set[int]] = defaultdict(set)  # administration -> examiner ids
        self._by_unit: dict[int, set[int]] = defaultdict(set)  # unit -> examiner ids
        for c in qualified:
            self.jav_organisations[c.id], self.jav_units[c.id] = c.ties.excluded()
            for organisation in self.jav_organisations[c.id]:
                self._by_organisation[organisation].add(c.id)
            for unit in self.jav_units[c.id]:
                self._by_unit[unit].add(c.id)

    def conflicted(self, entry: Entry) -> frozenset[int]:
        """Ids of the examiners for whom `conflicts(examiner, entry)` is not empty."""
        by_organisation = self._by_organisation.get(entry.organisation_id, set())
        return frozenset(by_organisation | self._by_unit.get(entry.unit_id, set()))

    def pool(self, excluded: frozenset[int]) -> _Pool:
        return _Pool(
            excluded,
            size=len(self.by_id) - len(excluded),
            experienced=len(self.experienced) - len(excluded & self.experienced),
            former_leaders=len(self.former_leaders) - len(excluded & self.former_leaders),
        )

    def share_experienced(self, pool: _Pool, other: _Pool) -> bool:
        """Whether an experienced examiner is in both pools: |E ∩ pool ∩ other| by inclusion and
        exclusion, the experienced excluded by both counted only when it matters."""
        surplus = pool.experienced + other.experienced - len(self.experienced)
        return surplus > 0 or surplus + len(pool.excluded & other.excluded & self.experienced) > 0


@dataclass(frozen=True)
class _Pool:
    """Examiners free of conflict with some applications: every qualified examiner but `excluded`.

    Conflicts come almost only from the applications' own administrations and units, so the
    excluded set is small where the pool itself is large; counts stand in for the members.
    """

    excluded: frozenset[int]
    size: int
    experienced: int  # how many may lead
    former_leaders: int  # experienced examiners who have led a team before


@dataclass(frozen=True)
class _Bundle:
    """Applications to be assessed by one team, with the examiners free of conflict for all."""

    entries: tuple[Entry, ...]
    pool: _Pool
    note: str | None = None  # why the bundle has fewer applications than allowed

    @property
    def track_id(self) -> int:
        return self.entries[0].track_id

    @property
    def classes(self) -> list[str]:
        return sorted({e.class_name for e in self.entries if e.class_name is not None})


@dataclass
class _Draft:
    """A team being staffed."""

    bundle: _Bundle
    leader: Candidate
    members: list[Candidate] = field(default_factory=list)  # leader first
    notes: dict[int, list[str]] = field(default_factory=dict)  # candidate id -> why chosen

    member_ids: set[int] = field(default_factory=set)  # for constant-time membership tests

    def __post_init__(self) -> None:
        self.members = [self.leader]
        self.member_ids = {self.leader.id}

    @property
    def size(self) -> int:
        return len(self.members)

    def add(self, candidate: Candidate, notes: list[str]) -> None:
        self.members.append(candidate)
        self.member_ids.add(candidate.id)
        self.notes[candidate.id] = notes


def _by_id(item: Candidate | Entry) -> int:
    return item.id


def _require_unique_ids(items: Sequence[Candidate] | Sequence[Entry], kind: str) -> None:
    ids = [item.id for item in items]
    if len(ids) != len(set(ids)):
        raise ValueError(f"Samma id förekommer flera gånger bland {kind}.")


# --- Step 1: pools ----------------------------------------------------------------------------


def _static_obstacle(pool: _Pool, examiners: _Examiners, candidates: list[Candidate]) -> str | None:
    """Why no team can ever be formed for an application with this pool, or None."""
    qualified = len(examiners.by_id)
    if not qualified:
        if candidates:
            return "Inga kvalificerade examinatorer finns: ingen uppfyller utbildningskravet."
        return "Inga examinatorer finns att placera."
    if not pool.size:
        return (
            "Inga kvalificerade examinatorer utan jäv finns för bidraget: "
            f"{'alla ' + str(qualified) if qualified > 1 else 'den enda'} har jäv "
            "(egen förvaltning, egen arbetsplats eller anmält jäv)."
        )
    if not pool.experienced:
        return (
            "Ingen erfaren examinator utan jäv kan leda laget: "
            "alla kvalificerade examinatorer utan jäv är nya."
        )
    if pool.size < TEAM_FLOOR:
        return (
            "Bara en kvalificerad examinator utan jäv finns för bidraget; "
            f"ett lag behöver minst {TEAM_FLOOR} medlemmar."
        )
    return None


# --- Step 2: bundles --------------------------------------------------------------------------


def _form_bundles(
    entries: list[Entry], pools: dict[int, _Pool], examiners: _Examiners, limits: _Limits, solo: set[int]
) -> list[_Bundle]:
    bundles = []
    for track_id in sorted({e.track_id for e in entries}):
        track = [e for e in entries if e.track_id == track_id]
        remaining = _Remaining(track, pools, examiners, solo)
        for seed in sorted(track, key=lambda e: (pools[e.id].size, e.id)):  # most constrained first
            if seed.id in remaining:
                remaining.remove(seed)
                bundles.append(_grow_bundle(seed, remaining, examiners, limits, solo))
    return bundles


class _Remaining:
    """The applications of a track not yet in a bundle; those that may still be paired (not
    solo) also by pool size, largest first, and by administration and unit."""

    def __init__(
        self, track: list[Entry], pools: dict[int, _Pool], examiners: _Examiners, solo: set[int]
    ) -> None:
        self.pools, self.examiners = pools, examiners
        self._entries = {e.id: e for e in track}
        pairable = [e for e in track if e.id not in solo]
        self._pairable = sorted((-pools[e.id].size, e.id) for e in pairable)
        self._pairable_ids = {e.id for e in pairable}
        self._by_organisation: dict[int, list[Entry]] = defaultdict(list)
        self._by_unit: dict[int, list[Entry]] = defaultdict(list)
        for entry in pairable:
            self._by_organisation[entry.organisation_id].append(entry)
            self._by_unit[entry.unit_id].append(entry)

    def __contains__(self, entry_id: int) -> bool:
        return entry_id in self._entries

    def entry(self, entry_id: int) -> Entry:
        return self._entries[entry_id]

    def remove(self, entry: Entry) -> None:
        del self._entries[entry.id]
        if entry.id in self._pairable_ids:
            self._pairable_ids.remove(entry.id)
            del self._pairable[bisect_left(self._pairable, (-self.pools[entry.id].size, entry.id))]

    def by_pool_size(self) -> Iterator[Entry]:
        """The pairable applications, the largest pool first (then by id)."""
        return (self._entries[entry_id] for _, entry_id in self._pairable)

    def any_pairable(self) -> bool:
        return bool(self._pairable)

    def shared_exclusions(self, excluded: frozenset[int]) -> dict[int, int]:
        """Pairable entry id -> how many examiners of `excluded` its pool excludes too, for the
        entries where that is more than none.

        An entry's pool excludes those with jäv against its administration or its unit, so the
        count is (against the administration) + (against the unit) − (against both).
        """
        examiners = self.examiners
        organisations = Counter(chain.from_iterable(examiners.jav_organisations[i] for i in excluded))
        units = Counter(chain.from_iterable(examiners.jav_units[i] for i in excluded))
        both = Counter(
            (organisation, unit)
            for i in excluded
            if examiners.jav_units[i]
            for organisation in examiners.jav_organisations[i]
            for unit in examiners.jav_units[i]
        )
        nearby = [e for organisation in organisations for e in self._by_organisation.get(organisation, ())]
        nearby += [e for unit in units for e in self._by_unit.get(unit, ())]
        return {
            e.id: organisations[e.organisation_id] + units[e.unit_id] - both[e.organisation_id, e.unit_id]
            for e in nearby
            if e.id in self._pairable_ids
        }


def _grow_bundle(
    seed: Entry, remaining: _Remaining, examiners: _Examiners, limits: _Limits, solo: set[int]
) -> _Bundle:
    """Pair `seed` with the partners sharing most examiners; takes them out of `remaining`."""
    group, pool = [seed], remaining.pools[seed.id]
    while len(group) < limits.max_entries and seed.id not in solo:
        partner = _best_partner(group, pool, remaining, examiners)
        if partner is None:
            break
        remaining.remove(partner)
        group.append(partner)
        pool = examiners.pool(pool.excluded | remaining.pools[partner.id].excluded)
    note = None
    if len(group) < limits.max_entries:
        note = _short_bundle_note(seed, remaining, solo)
    return _Bundle(tuple(sorted(group, key=_by_id)), pool, note)


def _best_partner(
    group: list[Entry], pool: _Pool, remaining: _Remaining, examiners: _Examiners
) -> Entry | None:
    """The pairable application whose joint pool with the group is the largest and can still
    staff a team (ties: the same class as the group, then the lowest id).

    The joint pool excludes pool.excluded ∪ other.excluded: |pool.excluded| + |other.excluded|
    − |shared| examiners. The few applications sharing excluded examiners with the group are
    sized exactly; for all others the joint pool is their own pool less |pool.excluded|, so
    they are walked largest pool first, only as far as one of them can still win.
    """
    classes = {e.class_name for e in group if e.class_name is not None}
    shared = remaining.shared_exclusions(pool.excluded)
    best: tuple[tuple[int, bool, int], Entry] | None = None

    def beats_best(key: tuple[int, bool, int], entry: Entry) -> bool:
        """Whether `entry` wins so far, its joint pool with the group able to staff a team."""
        if best is not None and key >= best[0]:
            return False
        return -key[0] >= TEAM_FLOOR and examiners.share_experienced(pool, remaining.pools[entry.id])

    for entry_id, count in shared.items():
        entry = remaining.entry(entry_id)
        size = remaining.pools[entry_id].size - len(pool.excluded) + count
        key = (-size, entry.class_name not in classes, entry_id)
        if beats_best(key, entry):
            best = key, entry
    for entry in remaining.by_pool_size():
        if entry.id in shared:
            continue
        size = remaining.pools[entry.id].size - len(pool.excluded)
        if size < TEAM_FLOOR or (best is not None and -size > best[0][0]):
            break  # no later application has as large a joint pool
        key = (-size, entry.class_name not in classes, entry.id)
        if beats_best(key, entry):
            best = key, entry
            if entry.class_name in classes or not classes:
                break  # later ones of this size have a higher id and no better class match
    return best[1] if best else None


def _short_bundle_note(seed: Entry, remaining: _Remaining, solo: set[int]) -> str:
    if seed.id in solo:
        return "bidraget gick inte att bemanna tillsammans med ett annat bidrag"
    if not remaining.any_pairable():
        return "inget fler bidrag i spåret fanns att para ihop med"
    return "inget annat bidrag i spåret delar tillräckligt många examinatorer utan jäv"


# --- Steps 3 and 4: staffing ------------------------------------------------------------------


def _staff(
    bundles: list[_Bundle], examiners: _Examiners, limits: _Limits
) -> tuple[list[_Draft], tuple[_Bundle, str] | None]:
    """Leaders and members for every bundle, or the first bundle that could not be staffed."""
    leaders = _match_leaders(bundles, examiners)
    for bundle, leader in zip(bundles, leaders, strict=True):
        if leader is None:
            return [], (
                bundle,
                "Ingen erfaren examinator utan jäv kan leda laget: de som finns leder redan andra lag.",
            )
    drafts = [_Draft(bundle, leader) for bundle, leader in zip(bundles, leaders, strict=True)]
    _Staffing(drafts, examiners, limits).fill()
    for draft in drafts:
        if draft.size < TEAM_FLOOR:
            return [], (
                draft.bundle,
                "Inga kvalificerade examinatorer utan jäv finns kvar för bidraget: "
                "de som finns är redan placerade i andra lag.",
            )
    return drafts, None


def _match_leaders(bundles: list[_Bundle], examiners: _Examiners) -> list[Candidate | None]:
    """A leader per bundle: a maximum matching, one team each first, then up to `max_teams`."""
    return _LeaderMatching(bundles, examiners).run()


class _LeaderMatching:
    """Step 3. Bundles take leaders in order of fewest options; each takes its best free option,
    else an augmenting path moves other bundles' leaders. Within a pass nobody leads fewer
    teams later, so the leading options of a ranking that are already full are skipped for
    good, and a failed search marks whom it visited as dead until a search succeeds."""

    def __init__(self, bundles: list[_Bundle], examiners: _Examiners) -> None:
        self.bundles, self.examiners = bundles, examiners
        self.leaders: list[Candidate | None] = [None] * len(bundles)
        self.led: dict[int, list[int]] = {}  # candidate id -> indexes of the bundles they lead
        self.ranked: dict[frozenset[str], list[Candidate]] = {}  # classes -> preferred leaders first
        self.capacity: Callable[[Candidate], int] = lambda c: 1
        self.full: dict[frozenset[str], int] = {}  # classes -> leading ranked examiners all full

    def run(self) -> list[Candidate | None]:
        order = sorted(range(len(self.bundles)), key=lambda i: (self.bundles[i].pool.experienced, i))
        for capacity in (lambda c: 1, lambda c: c.max_teams):
            self.capacity, self.full = capacity, {}
            dead: set[int] = set()  # leaders from whom no augmenting path leads to a free one
            for index in order:
                if self.leaders[index] is None:
                    visited = set(dead)
                    # A failed search changes nothing, and all it visited stays dead until a
                    # search succeeds: skipping them finds the same path, sooner.
                    dead = set() if self._augment(index, visited) else visited
        return self.leaders

    def _ranked(self, index: int) -> tuple[frozenset[str], list[Candidate]]:
        classes = frozenset(self.bundles[index].classes)
        if classes not in self.ranked:
            experienced = [self.examiners.by_id[i] for i in self.examiners.experienced]
            self.ranked[classes] = sorted(
                experienced, key=lambda c: (not c.has_led, not (c.areas & classes), c.id)
            )
        return classes, self.ranked[classes]

    def _options(self, index: int, start: int = 0) -> Iterator[Candidate]:
        """Experienced examiners of the bundle's pool, the preferred leaders first."""
        excluded = self.bundles[index].pool.excluded
        return (c for c in islice(self._ranked(index)[1], start, None) if c.id not in excluded)

    def _is_full(self, candidate: Candidate) -> bool:
        return len(self.led.get(candidate.id, ())) >= self.capacity(candidate)

    def _first_free(self, index: int) -> Candidate | None:
        classes, ranked = self._ranked(index)
        start = self.full.get(classes, 0)
        while start < len(ranked) and self._is_full(ranked[start]):
            start += 1
        self.full[classes] = start
        return next((c for c in self._options(index, start) if not self._is_full(c)), None)

    def _augment(self, index: int, visited: set[int]) -> bool:
        """Lead bundle `index` by the best free option, else by moving another bundle's leader."""
        candidate = self._first_free(index)
        if candidate is not None:
            self.led.setdefault(candidate.id, []).append(index)
            self.leaders[index] = candidate
            return True
        for candidate in self._options(index):
            if candidate.id in visited:
                continue
            visited.add(candidate.id)
            held = self.led.get(candidate.id, [])
            for other in list(held):
                if self._augment(other, visited):
                    held.remove(other)
                    held.append(index)
                    self.leaders[index] = candidate
                    return True
        return False


@dataclass(frozen=True)
class _Needs:
    """What a team lacks, computed once per placement: the basis of a new member's score."""

    classes: frozenset[str]
    uncovered: frozenset[str]  # classes no member knows yet
    organisations: frozenset[int]  # administrations already in the team
    kind: bool | None  # whether an experienced (True) or a new (False) examiner evens the mix

    @classmethod
    def of(cls, draft: _Draft) -> _Needs:
        classes = frozenset(draft.bundle.classes)
        covered = set().union(*(m.areas for m in draft.members))
        experienced = sum(m.experienced for m in draft.members)
        new = draft.size - experienced
        return cls(
            classes=classes,
            uncovered=classes - covered,
            organisations=frozenset(m.organisation_id for m in draft.members),
            kind=True if experienced < new else False if new < experienced else None,
        )


_Profile = tuple[frozenset[str], bool]


class _FreeExaminers:
    """The examiners in no team yet, grouped by profile (the classes they know and whether
    experienced) and within a profile by administration: all a member's score depends on.

    Within a profile, heaps order the administrations by their first examiner and each
    administration's examiners by key (−rank, id), the rank being `excluded_below_max`, which
    only falls: keys only grow. So an examiner who leaves or whose key grows is not looked
    for in the heaps; an entry is put right when it reaches the top, and a right top is the
    minimum. Administrations excluded or already in the team are passed over whole.
    """

    def __init__(
        self, ids: set[int], examiners: _Examiners, classes: frozenset[str], rank: Counter[int]
    ) -> None:
        self.ids, self.rank = ids, rank
        self.examiners: dict[_Profile, dict[int, list[tuple[int, int]]]] = defaultdict(
            lambda: defaultdict(list)
        )
        for candidate_id in ids:
            candidate = examiners.by_id[candidate_id]
            profile = (candidate.areas & classes, candidate.experienced)
            self.examiners[profile][candidate.organisation_id].append(self._key(candidate_id))
        self.organisations: dict[_Profile, list[tuple[tuple[int, int], int]]] = {}
        for profile, by_organisation in self.examiners.items():
            for heap in by_organisation.values():
                heapq.heapify(heap)
            self.organisations[profile] = [(heap[0], org) for org, heap in by_organisation.items()]
            heapq.heapify(self.organisations[profile])

    def __len__(self) -> int:
        return len(self.ids)

    def remove(self, candidate_id: int) -> None:
        self.ids.remove(candidate_id)

    def profiles(self) -> list[_Profile]:
        return list(self.organisations)

    def top(
        self,
        profile: _Profile,
        excluded: frozenset[int],
        excluded_organisations: set[int],
        team_organisations: frozenset[int],
    ) -> tuple[int, bool] | None:
        """The id of the free examiner of `profile` with the lowest key outside `excluded` (which
        holds all of `excluded_organisations`), from an administration not in the team if there
        is one (True), else from one in it (False)."""
        heap, set_aside = self.organisations[profile], []
        outside: tuple[int, int] | None = None  # lowest key from an administration not in the team
        inside: tuple[int, int] | None = None  # lowest key from one in it
        while heap:
            key, organisation = heap[0]
            lowest = self._lowest(profile, organisation)
            if lowest is None:
                heapq.heappop(heap)
            elif lowest != key:
                heapq.heapreplace(heap, (lowest, organisation))
            elif outside is not None and key > outside:
                break  # no administration left has a lower key
            else:
                set_aside.append(heapq.heappop(heap))
                if organisation in excluded_organisations:
                    continue
                found = self._lowest(profile, organisation, excluded)
                if found is None:
                    continue
                if organisation not in team_organisations:
                    outside = found if outside is None else min(outside, found)
                elif inside is None or found < inside:
                    inside = found
        for item in set_aside:
            heapq.heappush(heap, item)
        if not heap:
            del self.organisations[profile]
        if outside is not None:
            return outside[1], True
        return (inside[1], False) if inside is not None else None

    def _key(self, candidate_id: int) -> tuple[int, int]:
        return (-self.rank[candidate_id], candidate_id)

    def _lowest(
        self, profile: _Profile, organisation: int, excluded: frozenset[int] = frozenset()
    ) -> tuple[int, int] | None:
        """The lowest key of the administration's free examiners of `profile` outside `excluded`
        (who have declared a conflict or work at an application's unit), if any."""
        heap, set_aside, found = self.examiners[profile][organisation], [], None
        while heap:
            key = heap[0]
            if key[1] not in self.ids:
                heapq.heappop(heap)
            elif key != self._key(key[1]):
                heapq.heapreplace(heap, self._key(key[1]))
            elif key[1] in excluded:
                set_aside.append(heapq.heappop(heap))
            else:
                found = key
                break
        for item in set_aside:
            heapq.heappush(heap, item)
        return found


class _Staffing:
    """Step 4, the round-robin placement of members, with its state kept up to date.

    A team below max_size may take the examiners of its pool who are *free* (in no team yet)
    and, while it is below min_size, those who are *reusable* (in a team, allowed more). Pools
    are everyone qualified but a few excluded, so instead of listing each team's options the
    state counts the free and reusable examiners each team excludes: a placement changes the
    counts of the teams that exclude the placed examiner only. The teams wait in one queue per
    size, ordered by those counts; a team found without options never gets any again (free
    examiners only leave, and one who becomes reusable was free, so is excluded). The free
    examiners wait in order of demand (`_FreeExaminers`); a step scores a handful of profiles
    and looks at the top of their heaps. The few reusable examiners are simply scanned.
    """

    def __init__(self, drafts: list[_Draft], examiners: _Examiners, limits: _Limits) -> None:
        self.drafts, self.examiners, self.limits = drafts, examiners, limits
        self.usage: Counter[int] = Counter(draft.leader.id for draft in drafts)
        self.teams_of: dict[int, list[int]] = defaultdict(list)  # examiner id -> draft indexes
        self.excluding: dict[int, list[int]] = defaultdict(list)  # examiner id -> draft indexes
        for index, draft in enumerate(drafts):
            self.teams_of[draft.leader.id].append(index)
            for candidate_id in draft.bundle.pool.excluded:
                self.excluding[candidate_id].append(index)
        free = {i for i in examiners.by_id if not self.usage[i]}
        self.reusable = {i for i, n in self.usage.items() if n < examiners.by_id[i].max_teams}
        self.free_excluded = [len(free.intersection(d.bundle.pool.excluded)) for d in drafts]
        self.reusable_excluded = [len(self.reusable.intersection(d.bundle.pool.excluded)) for d in drafts]
        self.reusable_members = [len(self.reusable & d.member_ids) for d in drafts]
        # Demand: a free examiner is wanted by every team below max_size that does not exclude
        # them, a reusable one by every team below min_size that neither excludes nor has them.
        self.below_max, self.below_min = len(drafts), len(drafts)  # every team has its leader only
        self.excluded_below_max = Counter(chain.from_iterable(d.bundle.pool.excluded for d in drafts))
        self.excluded_below_min = Counter(self.excluded_below_max)
        all_classes = frozenset().union(*(draft.bundle.classes for draft in drafts))
        self.free = _FreeExaminers(free, examiners, all_classes, self.excluded_below_max)
        self.queues: list[list[tuple[int, int, int]]] = [[] for _ in range(limits.max_size)]
        self.version = [0] * len(drafts)  # queue entries of older versions are stale
        self.queued = [False] * len(drafts)
        for index in range(len(drafts)):
            self._enqueue(index)

    def fill(self) -> None:
        while (index := self._next_draft()) is not None:
            needs = _Needs.of(self.drafts[index])
            self._place(self._best_examiner(index, needs), index, needs)

    # --- Which team grows ---

    def _next_draft(self) -> int | None:
        """The smallest team with options; ties: the one with the fewest options, then index."""
        for queue in self.queues:
            while queue:
                key, index, version = queue[0]
                if version != self.version[index]:
                    heapq.heappop(queue)
                elif key != self._queue_key(index):  # fewer options excluded since: later
                    heapq.heapreplace(queue, (self._queue_key(index), index, version))
                elif self._options(index):
                    return index
                else:
                    heapq.heappop(queue)
                    self.queued[index] = False  # no options now, so none ever again
        return None

    def _options(self, index: int) -> int:
        """How many examiners team `index` (below max_size) may still take."""
        options = len(self.free) - self.free_excluded[index]
        if self.drafts[index].size < self.limits.min_size:
            options += len(self.reusable) - self.reusable_excluded[index] - self.reusable_members[index]
        return options

    def _queue_key(self, index: int) -> int:
        """`_options` less the part common to all teams of one size: the order within a queue."""
        key = -self.free_excluded[index]
        if self.drafts[index].size < self.limits.min_size:
            key -= self.reusable_excluded[index] + self.reusable_members[index]
        return key

    def _enqueue(self, index: int) -> None:
        """Queue team `index` by its size and key. A key that grows may wait in the queue (it is
        put right when it reaches the top: keys only grow, so a right top is the minimum); one
        that shrinks must be queued again."""
        size = self.drafts[index].size
        self.version[index] += 1
        self.queued[index] = size < self.limits.max_size
        if self.queued[index]:
            heapq.heappush(self.queues[size], (self._queue_key(index), index, self.version[index]))

    # --- Whom it takes ---

    def _best_examiner(self, index: int, needs: _Needs) -> Candidate:
        """The available examiner in fewest teams, then best score, least demand, lowest id."""
        draft = self.drafts[index]
        if len(self.free) > self.free_excluded[index]:
            return self._best_free(draft, needs)
        return self._best_reusable(draft, needs)

    def _best_free(self, draft: _Draft, needs: _Needs) -> Candidate:
        """The best profile's top examiner; profiles that cannot beat the best so far are skipped."""
        profiles = sorted(
            (
                (_member_score(areas, experienced, True, needs), (areas, experienced))
                for areas, experienced in self.free.profiles()
            ),
            key=itemgetter(0),
            reverse=True,
        )
        own_organisations = {e.organisation_id for e in draft.bundle.entries}  # all excluded
        best_key: tuple[int, int, int] | None = None
        for top_score, profile in profiles:
            if best_key is not None and top_score < -best_key[0]:
                break
            found = self.free.top(profile, draft.bundle.pool.excluded, own_organisations, needs.organisations)
            if found is None:
                continue
            candidate_id, new_organisation = found
            score = top_score if new_organisation else top_score - _NEW_ORGANISATION_POINTS
            # Demand is below_max − excluded_below_max, below_max the same for all.
            key = (-score, -self.excluded_below_max[candidate_id], candidate_id)
            if best_key is None or key < best_key:
                best_key = key
        assert best_key is not None, "a team with free options has a free examiner"
        return self.examiners.by_id[best_key[2]]

    def _best_reusable(self, draft: _Draft, needs: _Needs) -> Candidate:
        """Among the few reusable examiners, by a plain scan."""
        by_id = self.examiners.by_id

        def key(candidate_id: int) -> tuple[int, int, int, int]:
            candidate = by_id[candidate_id]
            new_organisation = candidate.organisation_id not in needs.organisations
            score = _member_score(candidate.areas, candidate.experienced, new_organisation, needs)
            return (self.usage[candidate_id], -score, self._reusable_demand(candidate_id), candidate_id)

        excluded = draft.bundle.pool.excluded
        options = [i for i in self.reusable if i not in excluded and i not in draft.member_ids]
        return by_id[min(options, key=key)]

    def _reusable_demand(self, candidate_id: int) -> int:
        """How many teams below min_size could take the reusable examiner."""
        own_small_teams = sum(self.drafts[i].size < self.limits.min_size for i in self.teams_of[candidate_id])
        return self.below_min - self.excluded_below_min[candidate_id] - own_small_teams

    # --- The placement ---

    def _place(self, candidate: Candidate, index: int, needs: _Needs) -> None:
        candidate_id, earlier_teams = candidate.id, self.usage[candidate.id]
        self.drafts[index].add(candidate, _member_notes(candidate, needs, earlier_teams))
        self.usage[candidate_id] += 1
        if earlier_teams == 0:
            self.free.remove(candidate_id)
            for other in self.excluding[candidate_id]:
                self.free_excluded[other] -= 1
        if self.usage[candidate_id] < candidate.max_teams:
            if earlier_teams == 0:
                self.reusable.add(candidate_id)
                for other in self.excluding[candidate_id]:
                    self.reusable_excluded[other] += 1
                    if self.queued[other]:
                        self._enqueue(other)  # its key shrank
            self.reusable_members[index] += 1
        elif earlier_teams:
            self.reusable.remove(candidate_id)
            for other in self.excluding[candidate_id]:
                self.reusable_excluded[other] -= 1
            for other in self.teams_of[candidate_id]:
                self.reusable_members[other] -= 1
        self.teams_of[candidate_id].append(index)
        self._grown(index)

    def _grown(self, index: int) -> None:
        """Team `index` has one member more: it may leave the demand counts and moves queue."""
        size, excluded = self.drafts[index].size, self.drafts[index].bundle.pool.excluded
        if size == self.limits.min_size:
            self.below_min -= 1
            self.excluded_below_min.subtract(excluded)
        if size == self.limits.max_size:
            self.below_max -= 1
            self.excluded_below_max.subtract(excluded)
        self._enqueue(index)


_NEW_ORGANISATION_POINTS = 3


def _member_score(areas: frozenset[str], experienced: bool, new_organisation: bool, needs: _Needs) -> int:
    """Soft-rule score of a new member for a team: the merits `_member_notes` names, weighed."""
    new_classes = len(areas & needs.uncovered)
    score = 4 * new_classes if new_classes else 1 if areas & needs.classes else 0
    if new_organisation:
        score += _NEW_ORGANISATION_POINTS
    if bool(experienced) is needs.kind:
        score += 2
    return score


def _member_notes(candidate: Candidate, needs: _Needs, earlier_teams: int) -> list[str]:
    """Why `candidate` joins the team, in Swedish: the merits `_member_score` weighs."""
    phrases = []
    new_classes = sorted(candidate.areas & needs.uncovered)
    known_classes = sorted(candidate.areas & needs.classes)
    if new_classes:
        phrases.append(f"tillför kunskap om {_class_list(new_classes)}")
    elif known_classes:
        phrases.append(f"kan {_class_list(known_classes)}")
    if candidate.organisation_id not in needs.organisations:
        phrases.append("kommer från en förvaltning som inte redan finns i laget")
    if bool(candidate.experienced) is needs.kind:
        phrases.append(
            "ger laget fler erfarna examinatorer"
            if candidate.experienced
            else "är en ny examinator bland erfarna"
        )
    if earlier_teams:
        phrases.append(f"behövdes här (får sitta i upp till {candidate.max_teams} lag)")
    return phrases


def _class_list(classes: list[str]) -> str:
    label = "klassen" if len(classes) == 1 else "klasserna"
    return f"{label} {_join(classes)}"


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _join(words: Sequence[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} och {words[-1]}"


# --- Output -----------------------------------------------------------------------------------


def _build_proposal(
    drafts: list[_Draft], candidates: list[Candidate], unplaced: dict[int, str], limits: _Limits
) -> Proposal:
    drafts = sorted(drafts, key=lambda d: (d.bundle.track_id, d.bundle.entries[0].id))
    teams = [_team(f"Lag {number}", draft, limits) for number, draft in enumerate(drafts, start=1)]
    placed = {m.id for draft in drafts for m in draft.members}
    unused = [c.id for c in candidates if c.id not in placed]
    return Proposal(
        teams=teams,
        unplaced=dict(sorted(unplaced.items())),
        unused_candidate_ids=unused,
        warnings=_warnings(teams, candidates, unplaced, unused, limits),
    )


def _team(name: str, draft: _Draft, limits: _Limits) -> ProposedTeam:
    leader, rest = draft.leader, sorted(draft.members[1:], key=_by_id)
    reasons = [_leader_reason(draft), _entries_reason(draft, limits)]
    reasons += [_member_reason(m, draft.notes[m.id]) for m in rest]
    reasons += _balance_reasons(draft, limits)
    return ProposedTeam(
        name=name,
        track_id=draft.bundle.track_id,
        leader_id=leader.id,
        member_ids=[leader.id] + [m.id for m in rest],
        entry_ids=[e.id for e in draft.bundle.entries],
        reasons=reasons,
    )


def _leader_reason(draft: _Draft) -> str:
    leader = draft.leader
    if leader.has_led:
        reason = f"Lagledare: {leader.name}, som har lett ett lag tidigare."
    elif draft.bundle.pool.former_leaders:
        reason = (
            f"Lagledare: {leader.name}, som har varit examinator tidigare men inte lett ett lag; "
            "de tidigare lagledarna utan jäv behövdes i andra lag."
        )
    else:
        reason = (
            f"Lagledare: {leader.name}, som har varit examinator tidigare; "
            "ingen tidigare lagledare utan jäv fanns."
        )
    known = sorted(leader.areas & set(draft.bundle.classes))
    if known:
        reason += f" Lagledaren kan {_class_list(known)}."
    return reason


def _entries_reason(draft: _Draft, limits: _Limits) -> str:
    codes = _join([e.code for e in draft.bundle.entries])
    count = len(draft.bundle.entries)
    if count == 1:
        reason = f"Laget bedömer ett bidrag: {codes}."
    else:
        reason = f"Laget bedömer {count} bidrag i samma spår: {codes}."
    if draft.bundle.note:
        reason = f"{reason[:-1]} (upp till {limits.max_entries} är tillåtet; {draft.bundle.note})."
    return reason


def _member_reason(member: Candidate, phrases: list[str]) -> str:
    if not phrases:
        return f"{member.name} valdes för att laget behövde fler medlemmar."
    return f"{member.name} valdes för att hen {_join(phrases)}."


def _balance_reasons(draft: _Draft, limits: _Limits) -> list[str]:
    members, reasons = draft.members, []
    reasons.append(_size_reason(draft.size, limits) or f"Laget har {draft.size} medlemmar.")
    experienced = sum(m.experienced for m in members)
    new = len(members) - experienced
    if new:
        reasons.append(
            f"Laget har {experienced} {_plural(experienced, 'erfaren', 'erfarna')} "
            f"och {new} {_plural(new, 'ny', 'nya')} examinatorer."
        )
    else:
        reasons.append("Laget har bara erfarna examinatorer; ingen ny examinator utan jäv fanns ledig.")
    organisations = len({m.organisation_id for m in members})
    if organisations == 1:
        reasons.append(
            "Alla medlemmar kommer från samma förvaltning; fler förvaltningar fanns inte att tillgå."
        )
    else:
        reasons.append(f"Medlemmarna kommer från {organisations} förvaltningar.")
    for class_name in draft.bundle.classes:
        knowing = sum(class_name in m.areas for m in members)
        if knowing:
            reasons.append(f"{knowing} av medlemmarna kan klassen {class_name}.")
        else:
            reasons.append(
                f"Ingen medlem kan klassen {class_name}; ingen sådan examinator utan jäv fanns ledig."
            )
    return reasons


def _size_reason(size: int, limits: _Limits) -> str | None:
    """Soft rule on team size; None when within the recommended range."""
    if size < limits.min_size:
        return f"Laget har bara {size} medlemmar (rekommenderat {limits.min_size}–{limits.max_size})."
    return None


def _warnings(
    teams: list[ProposedTeam],
    candidates: list[Candidate],
    unplaced: dict[int, str],
    unused: list[int],
    limits: _Limits,
) -> list[str]:
    warnings = []
    unqualified = sum(not c.qualified for c in candidates)
    if unqualified:
        warnings.append(
            f"{unqualified} {_plural(unqualified, 'examinator', 'examinatorer')} uppfyller inte "
            "utbildningskravet och har inte placerats."
        )
    for team in teams:
        size_reason = _size_reason(len(team.member_ids), limits)
        if size_reason:
            warnings.append(f"{team.name}: {size_reason}")
    if unplaced:
        warnings.append(f"{len(unplaced)} bidrag kunde inte placeras i något lag.")
    unused_ids = set(unused)
    unused_qualified = sum(c.qualified and c.max_teams > 0 and c.id in unused_ids for c in candidates)
    if unused_qualified:
        warnings.append(
            f"{unused_qualified} {_plural(unused_qualified, 'kvalificerad examinator', 'kvalificerade examinatorer')} "
            "fick inget lag."
        )
    return warnings
