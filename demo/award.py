"""Demo data for a local run: a believable city with its administrations and units, this
year's cycle in individual assessment, last year's cycle as history, and one demo account
per kind of user, all with the password DEMO_PASSWORD.

`seed` runs the whole demo in one transaction on one demo.clock, which the later stages
(demo.submissions, demo.examiners, demo.scoring, demo.judging) get too: every step goes
through its service at the moment it happened (see "Writing" below for what has no
service). Everything is keyed by natural keys (organisation code, unit code, cycle year,
track kind, criterion number, username…) and a value is only written when it differs, so
a second run on the same day writes nothing. Random choices come from fixed seeds: every run builds the
same city. The city itself, its names and texts are data: demo/data/city.json (see
demo.texts). Units and people are numbered by their position in its lists, so new entries
go at the end.
"""

import datetime as dt
import functools
import itertools
import random
import unicodedata
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import check_password
from django.db import transaction

from award import notify, services
from award.models import (
    TIMELINE_FIELDS,
    AwardCycle,
    CommitteeMembership,
    CompetitionClass,
    Criterion,
    Organisation,
    PastResult,
    ScaleBand,
    ScoringScale,
    Track,
    Unit,
)
from award.roles import Role, add_role, roles_of
from demo import texts
from demo.clock import Clock, stockholm
from submissions import services as submission_services

DEMO_PASSWORD = "demo"
SEED = 2019
# A reserved domain (RFC 2606): mail the demo sends can never reach a real city employee.
EMAIL_DOMAIN = "stockholm.example"

User = get_user_model()

# --- The city (demo/data/city.json) ---------------------------------------------------

_CITY = texts.load("city")

ORGANISATIONS = [(o["code"], o["name"], Organisation.Kind(o["kind"])) for o in _CITY["organisations"]]

# The 2019 competition classes, in order; a unit's kind of work is an index into this list.
COMPETITION_CLASSES = [c["name"] for c in _CITY["competition_classes"]]

# Staff counts drawn for each kind of work, including the head.
STAFF_RANGES = {i: tuple(c["staff_range"]) for i, c in enumerate(_CITY["competition_classes"])}


def work_of(class_name: str) -> int:
    """The kind of work a competition class's name stands for in the data files."""
    return COMPETITION_CLASSES.index(class_name)


@dataclass(frozen=True)
class UnitSeed:
    organisation: str
    name: str
    work: int
    # Set to show the eligibility rules: fewer than five staff, no operational plan, and
    # private providers (stockholmers_share given) below the 51 % the rules require.
    staff_count: int | None = None
    has_operational_plan: bool = True
    stockholmers_share: int | None = None

    @property
    def is_private_provider(self) -> bool:
        return self.stockholmers_share is not None


# Units are numbered by their position, so new ones go at the end of the file's list.
UNITS = [UnitSeed(**{**u, "work": work_of(u["work"])}) for u in _CITY["units"]]


def unit_code(position: int) -> str:
    return f"E{position + 1:03d}"


def unit_contact_username(position: int) -> str:
    return f"enhet{position + 1:0{max(2, len(str(len(UNITS))))}d}"


# --- People ----------------------------------------------------------------------------

FIRST_NAMES = _CITY["first_names"]
LAST_NAMES = _CITY["last_names"]

JUDGES = ["domare1", "domare2", "domare3"]  # the first chairs the committee
EXAMINER_COUNT = 30

# Positions in the pool of names, so that adding units never renames an examiner.
_SLK_PERSON = 0
_JUDGE_PEOPLE = 1
_EXAMINER_PEOPLE = 10
_HEAD_PEOPLE = 60


@functools.cache
def people() -> list[tuple[str, str]]:
    """Distinct (first name, last name) pairs in a fixed order."""
    pairs = list(itertools.product(FIRST_NAMES, LAST_NAMES))
    rng = random.Random(f"{SEED}-people")  # noqa: S311  (reproducible demo data, not secrets)
    return rng.sample(pairs, _HEAD_PEOPLE + len(UNITS))


def email_for(first_name: str, last_name: str) -> str:
    local = f"{first_name}.{last_name}".lower()
    ascii_local = unicodedata.normalize("NFKD", local).encode("ascii", "ignore").decode()
    return f"{ascii_local}@{EMAIL_DOMAIN}"


# --- Criteria and scale ----------------------------------------------------------------


@dataclass(frozen=True)
class CriterionSeed:
    title: str
    kind: str
    weight: int
    max_length: int
    applicant_guidance: str
    examiner_guidance: str


# (kind, name, description, competition classes, criteria). Förnyelsepriset has no classes;
# its criteria are also the questions of its application form.
TRACKS = [
    (
        Track.Kind(t["kind"]),
        t["name"],
        t["description"],
        COMPETITION_CLASSES if t["has_classes"] else [],
        [CriterionSeed(**{**c, "kind": Criterion.Kind(c["kind"])}) for c in t["criteria"]],
    )
    for t in _CITY["tracks"]
]

# Baldrige's bands, with descriptors for approach criteria and for results criteria.
SCALE_BANDS = {
    Criterion.Kind(kind): [(b["low"], b["high"], b["descriptor"]) for b in bands]
    for kind, bands in _CITY["scale_bands"].items()
}

# Days from the day the seed runs, chosen so that the current cycle is in its individual
# assessment phase. Last year's cycle has the same dates one year earlier.
TIMELINE_OFFSETS = {
    "registration_opens": -120,
    "registration_closes": -75,
    "application_deadline": -20,
    "assessment_deadline": 14,
    "consensus_deadline": 28,
    "first_committee_meeting": 35,
    "site_visits_start": 42,
    "site_visits_end": 56,
    "final_committee_meeting": 63,
    "ceremony_date": 70,
    "feedback_release": 77,
}

# (unit, years before the current cycle, track, outcome): winners one and two years back are
# still barred by the two-year rule, one three years back may enter again, and honourable
# mentions bar nothing.
PAST_RESULTS = [
    (r["unit"], r["years_before"], Track.Kind(r["track"]), PastResult.Outcome(r["outcome"]))
    for r in _CITY["past_results"]
]

# The models the seed fills, with the Swedish words for the summary.
COUNTED_MODELS = [
    (Organisation, "förvaltningar"),
    (Unit, "enheter"),
    (User, "användare"),
    (AwardCycle, "omgångar"),
    (Track, "tävlingsspår"),
    (CompetitionClass, "tävlingsklasser"),
    (Criterion, "kriterier"),
    (ScoringScale, "bedömningsskalor"),
    (ScaleBand, "nivåer i skalorna"),
    (CommitteeMembership, "ledamotskap i domarkommittén"),
    (PastResult, "tidigare resultat"),
]


# --- Writing ---------------------------------------------------------------------------
#
# Through the services where the use case has one: a unit is saved with award's unit_save,
# its contact set with submissions' unit_contacts_set, the committee seated with
# committee_member_add and committee_chair_set, a cycle opened with cycle_open. Written
# directly, because nothing in production has a service for them: administrations, tracks,
# classes, criteria, the scale and past results (SLK keeps them in the admin, whose plain
# saves the set-up lock guards, or imports them), a new cycle (the admin's add form) and the
# demo accounts (people log in through the city's identity provider; the accounts here
# exist only for the demo).


def _upsert(model, lookup: dict, values: dict):
    """Get or create by the natural key in `lookup`; write only the values that differ."""
    obj, created = model.objects.get_or_create(**lookup, defaults=values)
    if not created:
        changed = [name for name, value in values.items() if getattr(obj, name) != value]
        for name in changed:
            setattr(obj, name, values[name])
        if changed:
            obj.save(update_fields=changed)
    return obj


class _DemoPassword:
    """Password hashing is deliberately slow, so every demo account shares one hash and an
    account whose stored hash already matches DEMO_PASSWORD is left alone. The password is
    set directly, not through a form, so the password validators stay strict for real
    passwords."""

    def __init__(self):
        self._hash = None
        self._matches = {}

    def apply(self, user) -> None:
        matches = self._matches.get(user.password)
        if matches is None:
            matches = self._matches[user.password] = check_password(DEMO_PASSWORD, user.password)
        if matches:
            return
        if self._hash is None:
            user.set_password(DEMO_PASSWORD)
            self._hash = user.password
            self._matches[self._hash] = True
        else:
            user.password = self._hash
        user.save(update_fields=["password"])


def seed_organisations() -> dict[str, Organisation]:
    return {
        code: _upsert(Organisation, {"code": code}, {"name": name, "kind": kind})
        for code, name, kind in ORGANISATIONS
    }


def seed_units(organisations: dict[str, Organisation]) -> list[Unit]:
    """The units, in the order of UNITS, saved through unit_save when new or changed; their
    heads are the people from _HEAD_PEOPLE on."""
    rng = random.Random(f"{SEED}-staff")  # noqa: S311  (reproducible demo data)
    existing = {unit.code: unit for unit in Unit.objects.all()}
    units = []
    for position, spec in enumerate(UNITS):
        drawn = rng.randint(*STAFF_RANGES[spec.work])  # always drawn, so overrides shift nothing
        first_name, last_name = people()[_HEAD_PEOPLE + position]
        values = {
            "organisation_id": organisations[spec.organisation].pk,
            "name": spec.name,
            "head_name": f"{first_name} {last_name}",
            "head_email": email_for(first_name, last_name),
            "staff_count": spec.staff_count or drawn,
            "has_operational_plan": spec.has_operational_plan,
            "is_private_provider": spec.is_private_provider,
            "stockholmers_share": spec.stockholmers_share,
        }
        unit = existing.get(unit_code(position)) or Unit(code=unit_code(position))
        if unit.pk is None or any(getattr(unit, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(unit, name, value)
            # No one acts: the city's register of units was there before any account.
            unit = services.unit_save(unit=unit, by=None)
        units.append(unit)
    return units


def _seed_user(username: str, person: tuple[str, str], role: Role, password: _DemoPassword, **extra):
    first_name, last_name = person
    values = {
        "first_name": first_name,
        "last_name": last_name,
        "email": email_for(first_name, last_name),
        "is_active": True,
        "is_staff": False,
        "is_superuser": False,
        **extra,
    }
    user = _upsert(User, {"username": username}, values)
    password.apply(user)
    # Adding a group the user already has would still write (an insert that ignores conflicts).
    if role not in roles_of(user):
        add_role(user, role)
    return user


def seed_users(units: list[Unit]) -> dict:
    """The demo accounts: SLK (staff, never superuser), the judges, the examiners and one
    contact per unit, who is the unit's head and whom SLK names its contact."""
    password = _DemoPassword()
    pool = people()
    slk = _seed_user("slk", pool[_SLK_PERSON], Role.SLK, password, is_staff=True)
    judges = [
        _seed_user(username, pool[_JUDGE_PEOPLE + i], Role.COMMITTEE, password)
        for i, username in enumerate(JUDGES)
    ]
    examiners = [
        _seed_user(f"examinator{i + 1:02d}", pool[_EXAMINER_PEOPLE + i], Role.EXAMINER, password)
        for i in range(EXAMINER_COUNT)
    ]
    linked = set(Unit.contacts.through.objects.values_list("unit_id", "user_id"))
    unit_contacts = []
    for position, unit in enumerate(units):
        user = _seed_user(
            unit_contact_username(position), pool[_HEAD_PEOPLE + position], Role.UNIT_CONTACT, password
        )
        if (unit.pk, user.pk) not in linked:
            submission_services.unit_contacts_set(
                unit=unit, contacts=[*unit.contacts.exclude(username=user.username), user], by=slk
            )
        unit_contacts.append(user)
    return {"slk": slk, "judges": judges, "examiners": examiners, "unit_contacts": unit_contacts}


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def cycle_timeline(year: int, *, today: dt.date) -> dict[str, dt.date]:
    """Dates relative to `today`, moved to `year`: the current year's cycle is in individual
    assessment, earlier cycles have the same dates whole years before."""
    return {
        name: _years_later(today + dt.timedelta(days=TIMELINE_OFFSETS[name]), year - today.year)
        for name in TIMELINE_FIELDS
    }


def set_up_moment(*, today: dt.date) -> dt.datetime:
    """When the city's units and accounts were set up: a month before last year's
    registration opened."""
    opens = cycle_timeline(today.year - 1, today=today)["registration_opens"]
    return stockholm(opens - dt.timedelta(days=30), 9)


def seed_scale(cycle: AwardCycle) -> ScoringScale:
    scale = _upsert(ScoringScale, {"cycle": cycle}, {"step": ScoringScale.Step.FIVE})
    for kind, bands in SCALE_BANDS.items():
        for low, high, descriptor in bands:
            _upsert(
                ScaleBand,
                {"scale": scale, "kind": kind, "low": low},
                {"high": high, "descriptor": descriptor},
            )
    return scale


def seed_tracks(cycle: AwardCycle) -> list[Track]:
    tracks = []
    for kind, name, description, classes, criteria in TRACKS:
        track = _upsert(Track, {"cycle": cycle, "kind": kind}, {"name": name, "description": description})
        for order, class_name in enumerate(classes):
            _upsert(CompetitionClass, {"track": track, "name": class_name}, {"order": order})
        for number, spec in enumerate(criteria, start=1):
            _upsert(
                Criterion,
                {"track": track, "number": number},
                {
                    "title": spec.title,
                    "kind": spec.kind,
                    "weight": spec.weight,
                    "max_length": spec.max_length,
                    "applicant_guidance": spec.applicant_guidance,
                    "examiner_guidance": spec.examiner_guidance,
                },
            )
        tracks.append(track)
    return tracks


def seed_committee(cycle: AwardCycle, judges: list, *, slk, at: dt.datetime, clock: Clock) -> None:
    """SLK seats the judges, the first as chair (a cycle has one: any other chair steps
    down first)."""
    chair, *members = judges
    seated = {m.user_id: m for m in cycle.committee.select_related("user")}
    for membership in seated.values():
        if membership.is_chair and membership.user_id != chair.pk:
            clock.run(at, services.committee_chair_set, membership=membership, is_chair=False, by=slk)
    for user in members:
        membership = seated.get(user.pk)
        if membership is None:
            clock.run(at, services.committee_member_add, cycle=cycle, user=user, by=slk)
        elif membership.is_chair:
            clock.run(at, services.committee_chair_set, membership=membership, is_chair=False, by=slk)
    membership = seated.get(chair.pk)
    if membership is None:
        clock.run(at, services.committee_member_add, cycle=cycle, user=chair, by=slk, is_chair=True)
    elif not membership.is_chair:
        clock.run(at, services.committee_chair_set, membership=membership, is_chair=True, by=slk)


def seed_cycle(year: int, *, users: dict, clock: Clock) -> AwardCycle:
    """A complete cycle for `year` (timeline, tracks, classes, criteria, scale, committee),
    opened through the service two weeks before registration opens, unless it already is.
    A run on a later day moves its dates, so it stays in the same phase."""
    timeline = cycle_timeline(year, today=clock.today)
    AwardCycle(year=year, **timeline).clean()
    cycle = AwardCycle.objects.filter(year=year).first()
    if cycle is None:
        # The units see their scores in the feedback report, so a unit's history shows its
        # criterion profile over the years.
        cycle = AwardCycle.objects.create(year=year, show_scores_to_units=True, **timeline)
    elif any(getattr(cycle, name) != day for name, day in timeline.items()):
        # The whole timeline moves by the days since the last run. No service does this: an
        # open cycle's dates change only by closing a phase early or extending it, with a
        # reason, and its plan stays. Here plan and dates move together, so the demo shows
        # neither an early close nor an extension.
        values = dict(timeline)
        if cycle.status == AwardCycle.Status.OPEN:
            values["planned_timeline"] = {name: day.isoformat() for name, day in timeline.items()}
        AwardCycle.objects.filter(pk=cycle.pk).update(**values)
        cycle.refresh_from_db()
    seed_tracks(cycle)
    seed_scale(cycle)
    prepared = stockholm(cycle.registration_opens - dt.timedelta(days=14), 9)
    seed_committee(cycle, users["judges"], slk=users["slk"], at=prepared, clock=clock)
    if cycle.status == AwardCycle.Status.DRAFT:
        cycle = clock.run(prepared + dt.timedelta(hours=1), services.cycle_open, cycle=cycle, by=users["slk"])
    return cycle


def seed_past_results(units: list[Unit], *, year: int) -> None:
    by_name = {unit.name: unit for unit in units}
    for unit_name, years_before, track_kind, outcome in PAST_RESULTS:
        _upsert(
            PastResult,
            {"unit": by_name[unit_name], "year": year - years_before, "track_kind": track_kind},
            {"outcome": outcome},
        )


def model_counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model, _label in COUNTED_MODELS}


def write_summary(stdout, counts: dict[str, int], users: dict, extra_lines=()) -> None:
    totals = ", ".join(f"{counts[model.__name__]} {label}" for model, label in COUNTED_MODELS)

    def span(accounts):
        return f"{accounts[0].username}–{accounts[-1].username}"

    chair = users["judges"][0].username
    accounts = [
        (users["slk"].username, "SLK-administratör, kommer åt /admin/"),
        (span(users["judges"]), f"domarkommittén ({chair} är ordförande)"),
        (span(users["examiners"]), "examinatorer"),
        (span(users["unit_contacts"]), "enhetskontakter, en per enhet och enhetens chef"),
    ]
    width = max(len(name) for name, _description in accounts)
    lines = [
        "Demodata klar.",
        f"  {totals}.",
        *(f"  {line}" for line in extra_lines),
        f'Demokonton, alla med lösenordet "{DEMO_PASSWORD}":',
        *(f"  {name.ljust(width)}  {description}" for name, description in accounts),
    ]
    for line in lines:
        stdout.write(line + "\n")


def build(*, clock: Clock) -> dict:
    """Build or refresh the demo city and its cycles; returns what later stages seed from."""
    today = clock.today
    with clock.at(set_up_moment(today=today)):
        organisations = seed_organisations()
        units = seed_units(organisations)
        users = seed_users(units)
    cycles = {year: seed_cycle(year, users=users, clock=clock) for year in (today.year - 1, today.year)}
    seed_past_results(units, year=today.year)
    return {"organisations": organisations, "units": units, "users": users, "cycles": cycles}


def seed(*, stdout=None, extensions=()) -> dict[str, int]:
    """Build or refresh the demo data in one transaction and return the number of rows of
    each counted model. Each extension (a later stage's demo data) is called with the
    built data and the clock inside the same transaction and returns lines for the
    summary. No mail is queued: the services' messages would belong to days long past.
    Running it again the same day writes nothing."""
    extra_lines = []
    clock = Clock()
    with notify.silenced(), transaction.atomic():
        data = build(clock=clock)
        for extend in extensions:
            extra_lines.extend(extend(data, clock=clock) or [])
        # A line may be a callable, read once every extension has run: a later stage may
        # add to what an earlier one counts, and a second run must print the same summary.
        extra_lines = [line() if callable(line) else line for line in extra_lines]
        counts = model_counts()
    # Printed after the commit: a closed output pipe must not undo the seed.
    if stdout is not None:
        write_summary(stdout, counts, data["users"], extra_lines)
    return counts
