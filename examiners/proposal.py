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
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

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
    """Swedish reasons why `candidate` may not assess `entry` (empty if none)."""
    name, code = candidate.name, entry.code
    reasons = []
    if candidate.organisation_id == entry.organisation_id:
        reasons.append(f"Jäv: {name} tillhör samma förvaltning som bidraget {code}.")
    if candidate.employer_unit_id is not None and candidate.employer_unit_id == entry.unit_id:
        reasons.append(f"Jäv: {name} arbetar på enheten som har lämnat bidraget {code}.")
    if entry.unit_id in candidate.conflict_unit_ids:
        reasons.append(f"Jäv: {name} har anmält jäv mot enheten bakom bidraget {code}.")
    if entry.organisation_id in candidate.conflict_organisation_ids:
        reasons.append(f"Jäv: {name} har anmält jäv mot förvaltningen bakom bidraget {code}.")
    return reasons


def propose(candidates: Sequence[Candidate], entries: Sequence[Entry], rules: Rules = Rules()) -> Proposal:
    """Propose examiner teams for `entries` from `candidates`; see the module docstring."""
    candidates = sorted(candidates, key=_by_id)
    entries = sorted(entries, key=_by_id)
    _require_unique_ids(candidates, "examinator")
    _require_unique_ids(entries, "bidrag")
    limits = _Limits.from_rules(rules)

    qualified = [c for c in candidates if c.qualified and c.max_teams > 0]
    pools = {entry.id: _eligible_pool(entry, qualified) for entry in entries}
    unplaced = {}
    for entry in entries:
        obstacle = _static_obstacle(pools[entry.id], qualified, candidates)
        if obstacle:
            unplaced[entry.id] = obstacle

    solo: set[int] = set()  # entries whose bundle could not be staffed together
    while True:
        placeable = [entry for entry in entries if entry.id not in unplaced]
        bundles = _form_bundles(placeable, pools, limits, solo)
        drafts, failure = _staff(bundles, limits)
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


@dataclass(frozen=True)
class _Bundle:
    """Applications to be assessed by one team, with the examiners free of conflict for all."""

    entries: tuple[Entry, ...]
    pool: tuple[Candidate, ...]
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

    def has(self, candidate: Candidate) -> bool:
        return candidate.id in self.member_ids

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


def _eligible_pool(entry: Entry, qualified: list[Candidate]) -> tuple[Candidate, ...]:
    return tuple(c for c in qualified if not conflicts(c, entry))


def _can_staff(pool: Sequence[Candidate]) -> bool:
    """Whether a pool could staff a team at all, ignoring the examiners' other teams."""
    return len(pool) >= TEAM_FLOOR and any(c.experienced for c in pool)


def _static_obstacle(
    pool: tuple[Candidate, ...], qualified: list[Candidate], candidates: list[Candidate]
) -> str | None:
    """Why no team can ever be formed for an application with this pool, or None."""
    if not qualified:
        if candidates:
            return "Inga kvalificerade examinatorer finns: ingen uppfyller utbildningskravet."
        return "Inga examinatorer finns att placera."
    if not pool:
        return (
            "Inga kvalificerade examinatorer utan jäv finns för bidraget: "
            f"{'alla ' + str(len(qualified)) if len(qualified) > 1 else 'den enda'} har jäv "
            "(egen förvaltning, egen arbetsplats eller anmält jäv)."
        )
    if not any(c.experienced for c in pool):
        return (
            "Ingen erfaren examinator utan jäv kan leda laget: "
            "alla kvalificerade examinatorer utan jäv är nya."
        )
    if len(pool) < TEAM_FLOOR:
        return (
            "Bara en kvalificerad examinator utan jäv finns för bidraget; "
            f"ett lag behöver minst {TEAM_FLOOR} medlemmar."
        )
    return None


# --- Step 2: bundles --------------------------------------------------------------------------


def _form_bundles(
    entries: list[Entry], pools: dict[int, tuple[Candidate, ...]], limits: _Limits, solo: set[int]
) -> list[_Bundle]:
    bundles = []
    for track_id in sorted({e.track_id for e in entries}):
        remaining = [e for e in entries if e.track_id == track_id]
        while remaining:
            seed = min(remaining, key=lambda e: (len(pools[e.id]), e.id))
            remaining.remove(seed)
            bundles.append(_grow_bundle(seed, remaining, pools, limits, solo))
    return bundles


def _grow_bundle(
    seed: Entry,
    remaining: list[Entry],
    pools: dict[int, tuple[Candidate, ...]],
    limits: _Limits,
    solo: set[int],
) -> _Bundle:
    """Pair `seed` with the partners sharing most examiners; takes them out of `remaining`."""
    group, pool = [seed], pools[seed.id]
    while len(group) < limits.max_entries and seed.id not in solo:
        partner = _best_partner(group, pool, remaining, pools, solo)
        if partner is None:
            break
        remaining.remove(partner)
        group.append(partner)
        pool = _intersection(pool, pools[partner.id])
    note = None
    if len(group) < limits.max_entries:
        note = _short_bundle_note(seed, remaining, solo)
    return _Bundle(tuple(sorted(group, key=_by_id)), pool, note)


def _best_partner(
    group: list[Entry],
    pool: tuple[Candidate, ...],
    remaining: list[Entry],
    pools: dict[int, tuple[Candidate, ...]],
    solo: set[int],
) -> Entry | None:
    classes = {e.class_name for e in group if e.class_name is not None}
    options = []
    for entry in remaining:
        if entry.id in solo:
            continue
        joint = _intersection(pool, pools[entry.id])
        if _can_staff(joint):
            options.append((-len(joint), entry.class_name not in classes, entry.id, entry))
    return min(options)[-1] if options else None


def _intersection(pool: tuple[Candidate, ...], other: tuple[Candidate, ...]) -> tuple[Candidate, ...]:
    other_ids = {c.id for c in other}
    return tuple(c for c in pool if c.id in other_ids)


def _short_bundle_note(seed: Entry, remaining: list[Entry], solo: set[int]) -> str:
    if seed.id in solo:
        return "bidraget gick inte att bemanna tillsammans med ett annat bidrag"
    if not [e for e in remaining if e.id not in solo]:
        return "inget fler bidrag i spåret fanns att para ihop med"
    return "inget annat bidrag i spåret delar tillräckligt många examinatorer utan jäv"


# --- Steps 3 and 4: staffing ------------------------------------------------------------------


def _staff(bundles: list[_Bundle], limits: _Limits) -> tuple[list[_Draft], tuple[_Bundle, str] | None]:
    """Leaders and members for every bundle, or the first bundle that could not be staffed."""
    leaders = _match_leaders(bundles)
    for bundle, leader in zip(bundles, leaders, strict=True):
        if leader is None:
            return [], (
                bundle,
                "Ingen erfaren examinator utan jäv kan leda laget: de som finns leder redan andra lag.",
            )
    drafts = [_Draft(bundle, leader) for bundle, leader in zip(bundles, leaders, strict=True)]
    _fill_members(drafts, limits)
    for draft in drafts:
        if draft.size < TEAM_FLOOR:
            return [], (
                draft.bundle,
                "Inga kvalificerade examinatorer utan jäv finns kvar för bidraget: "
                "de som finns är redan placerade i andra lag.",
            )
    return drafts, None


def _match_leaders(bundles: list[_Bundle]) -> list[Candidate | None]:
    """A leader per bundle: a maximum matching, one team each first, then up to `max_teams`."""
    options = [_leader_options(bundle) for bundle in bundles]
    order = sorted(range(len(bundles)), key=lambda i: (len(options[i]), i))
    leaders: list[Candidate | None] = [None] * len(bundles)
    led: dict[int, list[int]] = {}  # candidate id -> indexes of the bundles they lead

    def augment(index: int, capacity: Callable[[Candidate], int], visited: set[int]) -> bool:
        """Lead bundle `index` by the best free option, else by moving another bundle's leader."""
        for candidate in options[index]:
            held = led.setdefault(candidate.id, [])
            if len(held) < capacity(candidate):
                held.append(index)
                leaders[index] = candidate
                return True
        for candidate in options[index]:
            if candidate.id in visited:
                continue
            visited.add(candidate.id)
            held = led[candidate.id]
            for other in list(held):
                if augment(other, capacity, visited):
                    held.remove(other)
                    held.append(index)
                    leaders[index] = candidate
                    return True
        return False

    for capacity in (lambda c: 1, lambda c: c.max_teams):
        for index in order:
            if leaders[index] is None:
                augment(index, capacity, set())
    return leaders


def _leader_options(bundle: _Bundle) -> list[Candidate]:
    """Experienced examiners of the bundle's pool, the preferred leaders first."""
    classes = set(bundle.classes)
    experienced = [c for c in bundle.pool if c.experienced]
    return sorted(experienced, key=lambda c: (not c.has_led, not (c.areas & classes), c.id))


def _fill_members(drafts: list[_Draft], limits: _Limits) -> None:
    usage = {}  # candidate id -> number of teams
    for draft in drafts:
        usage[draft.leader.id] = usage.get(draft.leader.id, 0) + 1
    while True:
        available = {i: _available(draft, usage, limits) for i, draft in enumerate(drafts)}
        open_drafts = [i for i in available if available[i]]
        if not open_drafts:
            return
        index = min(open_drafts, key=lambda i: (drafts[i].size, len(available[i]), i))
        draft = drafts[index]
        demand = _demand(available)
        best = min(
            available[index],
            key=lambda c: (usage.get(c.id, 0), -_member_points(c, draft)[0], demand[c.id], c.id),
        )
        draft.add(best, _member_notes(best, draft, usage.get(best.id, 0)))
        usage[best.id] = usage.get(best.id, 0) + 1


def _available(draft: _Draft, usage: dict[int, int], limits: _Limits) -> list[Candidate]:
    """Examiners who may still join the team; a second team only while it is below min_size."""
    if draft.size >= limits.max_size:
        return []
    return [
        c
        for c in draft.bundle.pool
        if not draft.has(c)
        and usage.get(c.id, 0) < c.max_teams
        and (usage.get(c.id, 0) == 0 or draft.size < limits.min_size)
    ]


def _demand(available: dict[int, list[Candidate]]) -> dict[int, int]:
    """How many teams each examiner could still join: the scarce are placed where needed."""
    demand: dict[int, int] = {}
    for options in available.values():
        for candidate in options:
            demand[candidate.id] = demand.get(candidate.id, 0) + 1
    return demand


def _member_points(candidate: Candidate, draft: _Draft) -> tuple[int, list[str]]:
    """Soft-rule score of `candidate` for `draft`, with the Swedish phrases explaining it."""
    points, phrases = 0, []
    covered = set().union(*(m.areas for m in draft.members))
    new_classes = sorted(candidate.areas & (set(draft.bundle.classes) - covered))
    known_classes = sorted(candidate.areas & set(draft.bundle.classes))
    if new_classes:
        points += 4 * len(new_classes)
        phrases.append(f"tillför kunskap om {_class_list(new_classes)}")
    elif known_classes:
        points += 1
        phrases.append(f"kan {_class_list(known_classes)}")
    if all(m.organisation_id != candidate.organisation_id for m in draft.members):
        points += 3
        phrases.append("kommer från en förvaltning som inte redan finns i laget")
    experienced = sum(m.experienced for m in draft.members)
    new = draft.size - experienced
    if candidate.experienced and experienced < new:
        points += 2
        phrases.append("ger laget fler erfarna examinatorer")
    elif not candidate.experienced and new < experienced:
        points += 2
        phrases.append("är en ny examinator bland erfarna")
    return points, phrases


def _member_notes(candidate: Candidate, draft: _Draft, earlier_teams: int) -> list[str]:
    phrases = _member_points(candidate, draft)[1]
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
    elif any(c.has_led and c.experienced for c in draft.bundle.pool):
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
