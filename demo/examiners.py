"""Demo examiners for the demo city of demo.award: a pool with history, two training
sessions with enrolments and attendance, declared conflicts of interest, and confirmed
teams for this year's submitted applications.

The people are the demo accounts examinator01… of demo.award, their details in
demo/data/examiners.json. Everything goes through the examiners services, each step at its
moment on the demo.clock: volunteering (with the conflicts the examiner knows of), SLK's
record of their history (profile_update), decision, the manager's approval and the team
limit; the training sessions, enrolments and attendance; the conflicts SLK records; the
proposal and confirmation of the teams. So the waiting list, the training rule, the object
permissions of the confirmed teams and the audit trail are exactly what production gives.

Everything is keyed by natural keys (user, cycle, session kind, conflict target); a step
is taken only when it has not been, and the teams are only proposed while the cycle has
no confirmed team. A second run writes nothing. Random choices come from fixed seeds.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from award.models import Unit
from demo import award as award_demo
from demo import texts
from demo.clock import stockholm
from examiners import queries, services
from examiners.models import (
    Conflict,
    Enrolment,
    PoolMember,
    PracticeAssessment,
    PracticeCase,
    Team,
    TrainingSession,
)
from submissions.models import Application

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


def _manager_name(spec: ExaminerSeed, data) -> str:
    """The head of the examiner's unit when they work at one, otherwise their own manager."""
    if spec.employer_unit:
        unit = next(u for u in data["units"] if u.name == spec.employer_unit)
        return unit.head_name
    return spec.manager


def _profile_values(spec: ExaminerSeed, *, data) -> dict:
    units = {unit.name: unit for unit in data["units"]}
    return {
        "organisation": data["organisations"][spec.organisation],
        "employer_unit": units[spec.employer_unit] if spec.employer_unit else None,
        "employer": EMPLOYER,
        "job_title": spec.job_title,
        "areas": sorted(award_demo.COMPETITION_CLASSES[i] for i in spec.areas),
        "years_served": list(spec.years_served),
        "years_led": list(spec.years_led),
    }


def _targets(data) -> dict:
    """Conflict targets by the name the data files use: a unit's name or an
    administration's code."""
    return {**data["organisations"], **{unit.name: unit for unit in data["units"]}}


def seed_pool(cycle, seeds, *, data, current: bool, clock) -> dict[int, PoolMember]:
    """The cycle's pool through the services: each examiner volunteers (declaring the
    conflicts they know of), SLK records their history on the profile, decides, records
    the manager's approval and, for some, allows two teams. Last year's pool is everyone
    who served last year, accepted."""
    slk = data["users"]["slk"]
    targets = _targets(data)
    rng = random.Random(f"{SEED}-pool-{cycle.year}")  # noqa: S311  (reproducible demo data)
    opens, closes = cycle.registration_opens, cycle.registration_closes
    existing = {
        m.profile.user_id: m for m in PoolMember.objects.filter(cycle=cycle).select_related("profile")
    }
    members = {}
    for spec in seeds:
        # Drawn for everyone, so that who is in the pool shifts nobody's dates.
        volunteered = stockholm(opens + dt.timedelta(days=rng.randint(0, (closes - opens).days - 5)), 9)
        volunteered += dt.timedelta(minutes=rng.randrange(0, 8 * 60, 5))
        decided = stockholm(volunteered.date() + dt.timedelta(days=rng.randint(2, 6)), 10)
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
        user = data["users"]["examiners"][spec.position]
        profile = _profile_values(spec, data=data)
        member = existing.get(user.pk)
        if member is None:
            available, note = AVAILABILITY_NOTES.get(spec.position, (True, "")) if current else (True, "")
            known = [
                (targets[target], reason)
                for position, target, reason, source in CONFLICTS
                if current and position == spec.position and source == Conflict.Source.JOINING
            ]
            volunteer = services.VolunteerData(
                organisation=profile["organisation"],
                employer_unit=profile["employer_unit"],
                employer=profile["employer"],
                job_title=profile["job_title"],
                areas=profile["areas"],
                available=available,
                availability_note=note,
                manager_name=_manager_name(spec, data) if status != PoolMember.Status.DECLINED else "",
                conflicts=known,
            )
            member = clock.run(volunteered, services.pool_volunteer, cycle=cycle, user=user, data=volunteer)
        # The years served and led are SLK's to record, on the profile the volunteering made.
        changed = {name: value for name, value in profile.items() if getattr(member.profile, name) != value}
        if changed:
            clock.run(
                volunteered + dt.timedelta(hours=1),
                services.profile_update,
                profile=member.profile,
                values=changed,
                by=slk,
            )
        accepted = status == PoolMember.Status.ACCEPTED
        if status != PoolMember.Status.VOLUNTEERED and member.status == PoolMember.Status.VOLUNTEERED:
            member = clock.run(decided, services.pool_decide, member=member, accept=accepted, by=slk)
        manager = _manager_name(spec, data)
        if accepted and (member.manager_name, member.manager_approved_on) != (manager, approved_on):
            member = clock.run(
                stockholm(approved_on, 11),
                services.manager_approval_record,
                member=member,
                manager_name=manager,
                approved_on=approved_on,
                by=slk,
            )
        max_teams = 2 if current and spec.position in MORE_TEAMS else 1
        if member.max_teams != max_teams:
            member = clock.run(
                stockholm(approved_on, 11, 5),
                services.pool_member_settings,
                member=member,
                max_teams=max_teams,
                by=slk,
            )
        members[spec.position] = member
    return members


def _session(cycle, kind, fields: dict, offsets, *, slk, clock) -> TrainingSession:
    """The session, created through session_save when the registration closes; one already
    there keeps its days (they are history) and has changed fields saved the same way."""
    session = TrainingSession.objects.filter(cycle=cycle, kind=kind).order_by("pk").first()
    created = stockholm(cycle.registration_closes, 13)
    if session is None:
        days = [cycle.application_deadline + dt.timedelta(days=n) for n in offsets]
        return clock.run(
            created,
            services.session_save,
            session=TrainingSession(cycle=cycle, kind=kind, **fields),
            days=days,
            by=slk,
            notify=False,
        )
    if any(getattr(session, name) != value for name, value in fields.items()):
        for name, value in fields.items():
            setattr(session, name, value)
        days = list(session.days.order_by("date").values_list("date", flat=True))
        session = clock.run(created, services.session_save, session=session, days=days, by=slk, notify=False)
    return session


def _enrol_all(session, members: list[PoolMember], *, slk, at: dt.datetime, clock) -> None:
    """Enrol in this order, five minutes apart; the waiting list is whoever comes after the
    last seat."""
    enrolled = set(session.enrolments.values_list("member_id", flat=True))
    for n, member in enumerate(members):
        if member.pk not in enrolled:
            clock.run(
                at + dt.timedelta(minutes=5 * n), services.enrol, session=session, member=member, by=slk
            )


def _mark(session, *, absent: dict, slk, clock) -> None:
    """Attendance for every day of the session, at the end of the day: all enrolled present
    except `absent` (day index -> pool member ids)."""
    for index, day in enumerate(session.days.order_by("date")):
        if not day.attendance.exists():
            enrolled = session.enrolments.filter(status=Enrolment.Status.ENROLLED)
            present = set(enrolled.values_list("member_id", flat=True)) - absent.get(index, set())
            clock.run(
                stockholm(day.date, 16, 30),
                services.attendance_mark,
                day=day,
                present_member_ids=present,
                by=slk,
            )


def seed_training(cycle, seeds, members, *, slk, clock) -> list[TrainingSession]:
    basic = _session(cycle, TrainingSession.Kind.BASIC, BASIC_TRAINING, BASIC_DAYS, slk=slk, clock=clock)
    refresher = _session(
        cycle, TrainingSession.Kind.REFRESHER, REFRESHER, REFRESHER_DAYS, slk=slk, clock=clock
    )
    accepted = [
        (spec, members[spec.position])
        for spec in seeds
        if members[spec.position].status == PoolMember.Status.ACCEPTED
    ]
    enrolled_at = stockholm(cycle.registration_closes + dt.timedelta(days=3), 9)
    _enrol_all(basic, [m for spec, m in accepted if spec.is_new], slk=slk, at=enrolled_at, clock=clock)
    experienced = [m for spec, m in accepted if not spec.is_new and m.available][:REFRESHER_ENROLLED]
    _enrol_all(refresher, experienced, slk=slk, at=enrolled_at, clock=clock)
    _mark(basic, absent={1: {members[MISSED_DAY_TWO].pk}}, slk=slk, clock=clock)
    _mark(refresher, absent={}, slk=slk, clock=clock)
    return [basic, refresher]


PRACTICE = _DATA["practice_case"]


def _practice_score(reference: int, offset: int, step: int) -> int:
    return max(0, min(100, round((reference + offset) / step) * step))


def seed_practice_case(basic: TrainingSession, *, slk, clock) -> PracticeCase | None:
    """SLK copies last year's application of PRACTICE["source"] (without the unit's name)
    into the basic training's practice case and sets the reference two weeks before the
    first training day; the trainees assess it before the first day: most submit near the reference,
    the last of those far from it (flagged for a talk), one is still writing and the rest
    have not started. Nothing is redone on a second run."""
    cycle = basic.cycle
    case = PracticeCase.objects.filter(session=basic).first()
    if case is None:
        source = (
            Application.objects.filter(
                track__cycle__year=cycle.year - 1,
                unit__name=PRACTICE["source"],
                status=Application.Status.SUBMITTED,
            )
            .select_related("track")
            .first()
        )
        if source is None:
            return None
        day = basic.days.order_by("date").first().date - dt.timedelta(days=14)
        case = clock.run(
            stockholm(day, 9), services.practice_case_copy, session=basic, application=source, by=slk
        )
        criteria = {c.number: c for c in case.track.criteria.all()}
        items = {
            criteria[r["criterion"]].pk: services.CaseItemData(
                text=item.text,
                reference_score=r["score"],
                reference_strengths=r["strengths"],
                reference_improvements=r["improvements"],
            )
            for r in PRACTICE["reference"]
            for item in case.items.filter(criterion__number=r["criterion"])
        }
        case = clock.run(
            stockholm(day, 11),
            services.practice_case_save,
            session=basic,
            track=case.track,
            title=case.title,
            introduction=PRACTICE["introduction"],
            items=items,
            by=slk,
        )
    trainees = PRACTICE["trainees"]
    offsets, drafts = trainees["offsets"], trainees["draft"]
    enrolled = list(
        basic.enrolments.filter(status=Enrolment.Status.ENROLLED)
        .select_related("member__profile__user")
        .order_by("requested_at", "pk")
    )
    reference = {i.criterion_id: i.reference_score for i in case.items.all()}
    step = cycle.scale.step
    first_day = basic.days.order_by("date").first().date
    for n, enrolment in enumerate(enrolled[: len(offsets) + drafts]):
        user = enrolment.member.profile.user
        submit = n < len(offsets)
        offset = offsets[n] if submit else 0
        existing = PracticeAssessment.objects.filter(case=case, member=enrolment.member).first()
        if existing is not None and (existing.is_submitted or not submit):
            continue
        start = stockholm(first_day - dt.timedelta(days=10 - n % 5), 9 + n % 8)
        assessment = clock.run(start, services.practice_assessment_for, case=case, by=user)
        items = list(assessment.items.select_related("criterion").order_by("criterion__number"))
        # A draft stops halfway through the criteria.
        for index, item in enumerate(items if submit else items[: len(items) // 2]):
            data = services.PracticeItemData(
                score=_practice_score(
                    reference[item.criterion_id] or 50, offset + (5 if index % 3 == 0 else 0), step
                ),
                strengths=[trainees["strength"]],
                improvements=[trainees["improvement"]],
            )
            clock.run(
                start + dt.timedelta(minutes=10 * (index + 1)),
                services.practice_item_save,
                item=item,
                data=data,
                base_version=item.version,
                by=user,
            )
        if submit:
            clock.run(
                start + dt.timedelta(minutes=10 * (len(items) + 2)),
                services.practice_submit,
                assessment=assessment,
                by=user,
            )
    return case


def seed_conflicts(cycle, members, *, data, clock) -> None:
    """The conflicts SLK recorded for examiners on the day registration closed (the
    examiners' own were declared when they volunteered)."""
    slk = data["users"]["slk"]
    targets = _targets(data)
    for position, target_key, reason, source in CONFLICTS:
        if source == Conflict.Source.JOINING:
            continue
        member, target = members[position], targets[target_key]
        lookup = {"unit": target} if isinstance(target, Unit) else {"organisation": target}
        if not Conflict.objects.filter(member=member, **lookup).exists():
            clock.run(
                stockholm(cycle.registration_closes, 15),
                services.conflict_declare,
                member=member,
                target=target,
                reason=reason,
                source=source,
                by=slk,
            )


def seed_teams(cycle, *, slk, clock) -> None:
    """SLK proposes and confirms the teams the day after the deadline, unless the cycle
    already has confirmed teams (then SLK's teams stand, as they would in production).
    Who has opened which application is demo.scoring's: it is the first step of assessment."""
    if Team.objects.filter(cycle=cycle, status=Team.Status.CONFIRMED).exists():
        return
    day = cycle.application_deadline + dt.timedelta(days=1)
    for team in clock.run(stockholm(day, 9), services.proposal_apply, cycle=cycle, by=slk):
        errors, _warnings = services.team_errors(team)
        if errors:
            raise ValidationError([f"{team.name}: {error}" for error in errors])
        clock.run(stockholm(day, 10), services.team_confirm, team=team, by=slk)


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


def seed(data, *, clock):
    """Add the examiner pool, training, conflicts and teams to the demo city built by
    demo.award.build and its applications from demo.submissions; returns the summary
    lines."""
    cycles = data["cycles"]
    current = cycles[clock.today.year]
    previous = cycles.get(clock.today.year - 1)
    slk = data["users"]["slk"]
    seeds = examiner_seeds(current.year)
    lines = []
    if previous is not None:
        seed_pool(previous, seeds, data=data, current=False, clock=clock)
    members = seed_pool(current, seeds, data=data, current=True, clock=clock)
    basic, _refresher = seed_training(current, seeds, members, slk=slk, clock=clock)
    seed_practice_case(basic, slk=slk, clock=clock)
    seed_conflicts(current, members, data=data, clock=clock)
    seed_teams(current, slk=slk, clock=clock)
    lines.append(summary_line(current))
    if previous is not None:
        lines.append(summary_line(previous, pool_only=True))
    return lines
