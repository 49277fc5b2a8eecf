"""Demo examiners for the demo city of demo.award: a pool with history, two training
sessions with enrolments and attendance, declared conflicts of interest, and confirmed
teams for this year's submitted applications.

The people are the demo accounts examinator01… of demo.award. Their profiles and pool
rows are written directly, the way pool_volunteer, pool_decide and
manager_approval_record write them, with the audit entries those services would have
recorded, dated when each step happened. Training, enrolments, attendance, conflicts and
teams go through the services themselves, so the waiting list, the training rule and the
object permissions of the confirmed teams are exactly what production gives.

Everything is keyed by natural keys (user, cycle, session kind, conflict target) and a
value is only written when it differs; what a service creates is created only when it
is missing, and the teams are only proposed while the cycle has no confirmed team. A
second run on the same day writes nothing. Random choices come from fixed seeds.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError

from award import audit
from award.models import STOCKHOLM, AuditEntry, Unit
from demo import award as award_demo
from demo import texts
from examiners import queries, services
from examiners.models import (
    Attendance,
    Conflict,
    Enrolment,
    ExaminerProfile,
    PoolMember,
    Team,
    TrainingSession,
)

SEED = award_demo.SEED
_DATA = texts.load("examiners")
EMPLOYER = _DATA["employer"]

# Job titles by kind of work (an index into award_demo.COMPETITION_CLASSES).
JOB_TITLES = {award_demo.work_of(name): titles for name, titles in _DATA["job_titles"].items()}

# Positions in award_demo's examiner accounts (examinator01 is 0).
NEW_EXAMINERS = range(2, award_demo.EXAMINER_COUNT, 3)  # a third are new this cycle
VOLUNTEERED = {27, 28}  # still waiting for SLK's decision
DECLINED = {24}
MISSED_DAY_TWO = 14  # new, missed the second day of the basic training: not qualified
MORE_TEAMS = {0, 1, 3, 4, 6, 7, 9, 10, 12, 13}  # SLK lets these experienced examiners sit in two teams
BASIC_TRAINING = _DATA["basic_training"]
REFRESHER = _DATA["refresher"]
REFRESHER_ENROLLED = REFRESHER["capacity"] + 1  # the last is on the waiting list
# Examiner position -> (available, note).
AVAILABILITY_NOTES = {n["examiner"]: (n["available"], n["note"]) for n in _DATA["availability_notes"]}
# (examiner position, target unit or organisation code, reason, source)
CONFLICTS = [
    (c["examiner"], c["target"], c["reason"], Conflict.Source(c["source"])) for c in _DATA["conflicts"]
]
# Days before the application deadline: the basic training over two days, the refresher
# the week after; both before individual assessment starts.
BASIC_DAYS = (-12, -11)
REFRESHER_DAYS = (-6,)


@dataclass(frozen=True)
class ExaminerSeed:
    position: int
    organisation: str
    work: int  # the kind of work they know best, an index into COMPETITION_CLASSES
    areas: tuple[int, ...]
    job_title: str
    employer_unit: str | None
    years_served: tuple[int, ...]
    years_led: tuple[int, ...]
    manager: str

    @property
    def is_new(self) -> bool:
        return not self.years_served


def examiner_seeds(year: int) -> list[ExaminerSeed]:
    """Who the examiners are, the same for every run in the same year."""
    rng = random.Random(f"{SEED}-examiners")  # noqa: S311  (reproducible demo data)
    codes = [code for code, _name, _kind in award_demo.ORGANISATIONS]
    seeds = []
    for position in range(award_demo.EXAMINER_COUNT):
        organisation = codes[(position * 5) % len(codes)]
        work = rng.randrange(len(award_demo.COMPETITION_CLASSES))
        extra = rng.randrange(len(award_demo.COMPETITION_CLASSES))
        title = rng.choice(JOB_TITLES[work])
        units = [u.name for u in award_demo.UNITS if u.organisation == organisation and u.work == work]
        works_at_unit = rng.random() < 0.5
        employer_unit = rng.choice(units) if units and works_at_unit else None
        earlier = rng.randint(1, 6)
        served = set(rng.sample(range(year - 7, year), earlier))
        if rng.random() < 0.6:  # most of the experienced examined last year too
            served = (served - {min(served)}) | {year - 1} if year - 1 not in served else served
        served = sorted(served)
        led = sorted(rng.sample(served, rng.randint(1, len(served)))) if rng.random() < 0.4 else []
        manager = " ".join((rng.choice(award_demo.FIRST_NAMES), rng.choice(award_demo.LAST_NAMES)))
        if position in NEW_EXAMINERS:
            served, led = [], []
        seeds.append(
            ExaminerSeed(
                position=position,
                organisation=organisation,
                work=work,
                areas=tuple(sorted({work, extra})),
                job_title=title,
                employer_unit=employer_unit,
                years_served=tuple(served),
                years_led=tuple(led),
                manager=manager,
            )
        )
    return seeds


# --- Writing ----------------------------------------------------------------------------


def _at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=STOCKHOLM)


def _audit_ensure(target, action: str, *, actor, at: dt.datetime, changes=None, reason="") -> None:
    """The audit entry a service would have written, dated when the step happened."""
    content_type = ContentType.objects.get_for_model(target)
    entry = AuditEntry.objects.filter(
        content_type=content_type, object_id=str(target.pk), action=action
    ).first()
    if entry is None:
        entry = audit.record(actor=actor, action=action, target=target, changes=changes, reason=reason)
    award_demo.update_changed(AuditEntry, entry, {"at": at})


def seed_profiles(seeds, *, data) -> dict[int, ExaminerProfile]:
    organisations = data["organisations"]
    units = {unit.name: unit for unit in data["units"]}
    classes = award_demo.COMPETITION_CLASSES
    profiles = {}
    for spec in seeds:
        user = data["users"]["examiners"][spec.position]
        unit = units[spec.employer_unit] if spec.employer_unit else None
        profiles[spec.position] = award_demo._upsert(
            ExaminerProfile,
            {"user": user},
            {
                "organisation": organisations[spec.organisation],
                "employer_unit": unit,
                "employer": EMPLOYER,
                "job_title": spec.job_title,
                "years_served": list(spec.years_served),
                "years_led": list(spec.years_led),
                "areas": sorted(classes[i] for i in spec.areas),
            },
        )
    return profiles


def _manager_name(spec: ExaminerSeed, data) -> str:
    """The head of the examiner's unit when they work at one, otherwise their own manager."""
    if spec.employer_unit:
        unit = next(u for u in data["units"] if u.name == spec.employer_unit)
        return unit.head_name
    return spec.manager


def seed_pool(cycle, seeds, profiles, *, data, current: bool) -> dict[int, PoolMember]:
    """The cycle's pool rows with the audit entries of volunteering, SLK's decision and
    the manager's approval. Last year's pool is everyone who served last year, accepted."""
    slk = data["users"]["slk"]
    rng = random.Random(f"{SEED}-pool-{cycle.year}")  # noqa: S311  (reproducible demo data)
    opens, closes = cycle.registration_opens, cycle.registration_closes
    members = {}
    for spec in seeds:
        # Drawn for everyone, so that who is in the pool shifts nobody's dates.
        volunteered = _at(opens + dt.timedelta(days=rng.randint(0, (closes - opens).days - 5)), 9)
        volunteered += dt.timedelta(minutes=rng.randrange(0, 8 * 60, 5))
        decided = _at(volunteered.date() + dt.timedelta(days=rng.randint(2, 6)), 10)
        approved_on = decided.date() + dt.timedelta(days=rng.randint(1, 10))
        if current:
            status = (
                PoolMember.Status.VOLUNTEERED
                if spec.position in VOLUNTEERED
                else PoolMember.Status.DECLINED
                if spec.position in DECLINED
                else PoolMember.Status.ACCEPTED
            )
        elif cycle.year in spec.years_served:
            status = PoolMember.Status.ACCEPTED
        else:
            continue
        available, note = AVAILABILITY_NOTES.get(spec.position, (True, "")) if current else (True, "")
        accepted = status == PoolMember.Status.ACCEPTED
        decided_status = status != PoolMember.Status.VOLUNTEERED
        manager = _manager_name(spec, data) if status != PoolMember.Status.DECLINED else ""
        values = {
            "status": status,
            "available": available,
            "availability_note": note,
            "manager_name": manager,
            "manager_approved_on": approved_on if accepted else None,
            "max_teams": 2 if current and spec.position in MORE_TEAMS else 1,
            "volunteered_at": volunteered,
            "decided_by": slk if decided_status else None,
            "decided_at": decided if decided_status else None,
        }
        member = award_demo._upsert(PoolMember, {"cycle": cycle, "profile": profiles[spec.position]}, values)
        user = profiles[spec.position].user
        _audit_ensure(member, "pool.volunteer", actor=user, at=volunteered)
        if decided_status:
            action = "pool.accept" if accepted else "pool.decline"
            _audit_ensure(member, action, actor=slk, at=decided)
        if accepted:
            _audit_ensure(
                member,
                "pool.manager_approval",
                actor=slk,
                at=_at(approved_on, 11),
                changes={"manager": manager, "date": approved_on.isoformat()},
            )
        if values["max_teams"] > 1:
            _audit_ensure(
                member,
                "pool.max_teams",
                actor=slk,
                at=_at(approved_on, 11, 5),
                changes={"max_teams": [1, values["max_teams"]]},
            )
        members[spec.position] = member
    return members


def _session(cycle, kind, fields: dict, offsets, *, slk) -> TrainingSession:
    """Create the session through session_save, or keep an existing one's fields and days
    in step with the cycle's dates (its attendance follows the days)."""
    days = [cycle.application_deadline + dt.timedelta(days=n) for n in offsets]
    session = TrainingSession.objects.filter(cycle=cycle, kind=kind).order_by("pk").first()
    if session is None:
        session = services.session_save(
            session=TrainingSession(cycle=cycle, kind=kind, **fields), days=days, by=slk, notify=False
        )
        award_demo.update_changed(
            AuditEntry,
            AuditEntry.objects.get(
                content_type=ContentType.objects.get_for_model(session),
                object_id=str(session.pk),
                action="training.create",
            ),
            {"at": _at(cycle.registration_closes, 13)},
        )
        return session
    award_demo.update_changed(TrainingSession, session, fields)
    existing = list(session.days.order_by("date"))
    if [d.date for d in existing] != days and len(existing) == len(days):
        pairs = list(zip(existing, days, strict=True))
        if days[0] > existing[0].date:  # move the last day first, so no two days collide
            pairs.reverse()
        for day, date in pairs:
            award_demo.update_changed(type(day), day, {"date": date})
    return session


def _enrol_all(session, members: list[PoolMember], *, slk, at: dt.datetime) -> None:
    """Enrol in this order; the waiting list is whoever comes after the last seat."""
    for n, member in enumerate(members):
        enrolment = Enrolment.objects.filter(session=session, member=member).first()
        if enrolment is None:
            enrolment = services.enrol(session=session, member=member, by=slk)
        award_demo.update_changed(Enrolment, enrolment, {"requested_at": at + dt.timedelta(minutes=5 * n)})


def _mark(session, *, absent: dict, slk) -> None:
    """Attendance for every day of the session: all enrolled present except `absent`
    (day index -> pool member ids)."""
    for index, day in enumerate(session.days.order_by("date")):
        if not day.attendance.exists():
            enrolled = session.enrolments.filter(status=Enrolment.Status.ENROLLED)
            present = set(enrolled.values_list("member_id", flat=True)) - absent.get(index, set())
            services.attendance_mark(day=day, present_member_ids=present, by=slk)
        marked = _at(day.date, 16, 30)
        for row in Attendance.objects.filter(day=day):
            award_demo.update_changed(Attendance, row, {"marked_at": marked})


def seed_training(cycle, seeds, members, *, slk) -> list[TrainingSession]:
    basic = _session(cycle, TrainingSession.Kind.BASIC, BASIC_TRAINING, BASIC_DAYS, slk=slk)
    refresher = _session(cycle, TrainingSession.Kind.REFRESHER, REFRESHER, REFRESHER_DAYS, slk=slk)
    accepted = [
        (spec, members[spec.position])
        for spec in seeds
        if members[spec.position].status == PoolMember.Status.ACCEPTED
    ]
    enrolled_at = _at(cycle.registration_closes + dt.timedelta(days=3), 9)
    _enrol_all(basic, [m for spec, m in accepted if spec.is_new], slk=slk, at=enrolled_at)
    experienced = [m for spec, m in accepted if not spec.is_new and m.available][:REFRESHER_ENROLLED]
    _enrol_all(refresher, experienced, slk=slk, at=enrolled_at)
    _mark(basic, absent={1: {members[MISSED_DAY_TWO].pk}}, slk=slk)
    _mark(refresher, absent={}, slk=slk)
    return [basic, refresher]


def seed_conflicts(cycle, members, *, data) -> None:
    slk = data["users"]["slk"]
    units = {unit.name: unit for unit in data["units"]}
    for position, target_key, reason, source in CONFLICTS:
        member = members[position]
        target = units.get(target_key) or data["organisations"][target_key]
        lookup = {"unit": target} if isinstance(target, Unit) else {"organisation": target}
        conflict = Conflict.objects.filter(member=member, **lookup).first()
        by = member.profile.user if source == Conflict.Source.JOINING else slk
        if conflict is None:
            conflict = services.conflict_declare(
                member=member, target=target, reason=reason, source=source, by=by
            )
        at = (
            member.volunteered_at if source == Conflict.Source.JOINING else _at(cycle.registration_closes, 15)
        )
        award_demo.update_changed(Conflict, conflict, {"reason": reason, "source": source, "recorded_at": at})


def seed_teams(cycle, *, slk) -> None:
    """Propose and confirm the teams through the services, unless the cycle already has
    confirmed teams (then SLK's teams stand, as they would in production)."""
    if Team.objects.filter(cycle=cycle, status=Team.Status.CONFIRMED).exists():
        return
    confirmed_at = _at(cycle.application_deadline + dt.timedelta(days=1), 10)
    for team in services.proposal_apply(cycle=cycle, by=slk):
        errors, _warnings = services.team_errors(team)
        if errors:
            raise ValidationError([f"{team.name}: {error}" for error in errors])
        services.team_confirm(team=team, by=slk)
        Team.objects.filter(pk=team.pk).update(confirmed_at=confirmed_at)
        # Assessment is under way: every member has opened their applications and said
        # they have no conflict, except the last member of each team, who has not yet.
        team_members = list(team.members.select_related("member__profile__user").order_by("-is_leader", "pk"))
        for team_member in team_members[:-1]:
            for assignment in team.assignments.select_related("application"):
                services.application_open(
                    member=team_member.member,
                    application=assignment.application,
                    by=team_member.member.profile.user,
                )


# --- Summary ----------------------------------------------------------------------------

STATUS_WORDS = [
    (PoolMember.Status.ACCEPTED, "antagna", "antagen"),
    (
        PoolMember.Status.VOLUNTEERED,
        "intresseanmälda som väntar på beslut",
        "intresseanmäld som väntar på beslut",
    ),
    (PoolMember.Status.DECLINED, "inte antagna", "inte antagen"),
    (PoolMember.Status.WITHDRAWN, "har hoppat av", "har hoppat av"),
]


def _counted(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def summary_line(cycle, *, pool_only: bool = False) -> str:
    """The pool, and for the current cycle its training, conflicts and teams. Last year's
    line stays pool-only: its teams are added later in the same run (scoring's demo)."""
    pool = list(queries.pool_members(cycle))
    statuses = [m.status for m in pool]
    parts = [
        _counted(statuses.count(status), singular, plural)
        for status, plural, singular in STATUS_WORDS
        if statuses.count(status)
    ]
    accepted = [m for m in pool if m.status == PoolMember.Status.ACCEPTED]
    new = sum(1 for m in accepted if not m.is_experienced)
    unqualified = sum(1 for m in accepted if not m.training_status().qualified)
    sessions = cycle.training_sessions.count()
    waiting = Enrolment.objects.filter(session__cycle=cycle, status=Enrolment.Status.WAITING).count()
    conflicts = Conflict.objects.filter(member__cycle=cycle).count()
    teams = Team.objects.filter(cycle=cycle, status=Team.Status.CONFIRMED).count()
    unplaced = queries.unassigned_applications(cycle).count()
    line = f"Examinatorer {cycle.year}: {len(pool)} i poolen ({', '.join(parts)})"
    if pool_only or (not sessions and not teams):
        return line + "."
    return (
        f"{line}; {new} nya, {unqualified} inte {'kvalificerad' if unqualified == 1 else 'kvalificerade'}; "
        f"{_counted(sessions, 'utbildning', 'utbildningar')} ({waiting} på väntelista), "
        f"{conflicts} anmälda jäv, {teams} lag fastställda, "
        f"{_counted(unplaced, 'bidrag', 'bidrag')} utan lag."
    )


def seed(data, *, today):
    """Add the examiner pool, training, conflicts and teams to the demo city built by
    demo.award.build and its applications from demo.submissions; returns the summary
    lines."""
    cycles = data["cycles"]
    current = cycles[today.year]
    previous = cycles.get(today.year - 1)
    slk = data["users"]["slk"]
    seeds = examiner_seeds(current.year)
    profiles = seed_profiles(seeds, data=data)
    lines = []
    if previous is not None:
        seed_pool(previous, seeds, profiles, data=data, current=False)
    members = seed_pool(current, seeds, profiles, data=data, current=True)
    seed_training(current, seeds, members, slk=slk)
    seed_conflicts(current, members, data=data)
    seed_teams(current, slk=slk)
    lines.append(summary_line(current))
    if previous is not None:
        lines.append(summary_line(previous, pool_only=True))
    return lines
