"""Generate a complete, realistic award cycle of any size for the benchmarks (issue 8).

    python -m bench.generate_load --applications 1000 --seed 1 [--cycle-year 2026]

Builds, with bulk inserts only: organisations and units with contacts, an earlier cycle as
history (a quarter of the size, decided and with past results), and the current cycle in
its "decision made" phase: applications with full-length answers, a qualified examiner
pool in confirmed teams (about five per team, two applications per team), guardian object
permissions for unit contacts and team members, submitted individual assessments with
items, final consensus with items, site visits for the best applications of each class,
and signed committee decisions.

Deliberately not through the services, unlike the demo (`seed_demo`): they write a row at
a time with their checks and audit entries, and the benchmarks need 10,000 applications
with everything behind them within minutes. The rows are the ones the services would have
written, so the pages read them as usual; the audit trail is not generated.

The content is a function of the seed alone; the dates are relative to today (like
`seed_demo`) so the current cycle is always the open, current one. Every generated user's
password is `bench`. Usernames start with `load-`, codes with `L`, so the data can sit beside
the demo data. Refuses to run with DEBUG off unless --force. bench/run.py and
bench/concurrency.py call `generate` directly.
"""

import argparse
import datetime as dt
import math
import os
import random
import sys
import time
from collections import deque
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402
from django.apps import apps as django_apps  # noqa: E402

if not django_apps.ready:
    django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Permission  # noqa: E402
from django.db import transaction  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from award.management.commands.backup import refresh_statistics  # noqa: E402
from award.models import (  # noqa: E402
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
    end_of_day,
    today,
)
from award.roles import Role, group_for  # noqa: E402
from examiners.models import (  # noqa: E402
    ApplicationOpening,
    Assignment,
    Attendance,
    Enrolment,
    ExaminerProfile,
    PoolMember,
    Team,
    TeamMember,
    TrainingDay,
    TrainingSession,
)
from judging.models import Decision, DecisionOutcome, Meeting, SiteVisitChoice  # noqa: E402
from scoring import figures  # noqa: E402
from scoring.models import Assessment, AssessmentItem, Consensus, ConsensusItem, SiteVisit  # noqa: E402
from submissions.models import Answer, Application, ApplicationUserObjectPermission  # noqa: E402


class LoadError(Exception):
    """The load cannot be generated here (DEBUG off, a bad size, a database not empty)."""


PASSWORD = "bench"
PREFIX = "load-"
# The generated SLK administrator and committee members must pass a second factor, as in
# production (AWARD_TWO_FACTOR_REQUIRED). Each has TOTP_DEVICES authenticators with known
# keys (hex, as django-otp stores them), from which bench.concurrency computes the codes
# at login: a code is taken once per device, so the parallel sessions of one person each
# use their own.
TOTP_DEVICES = 8


def totp_key(n: int) -> str:
    """The key of a person's n-th generated authenticator (0 <= n < TOTP_DEVICES)."""
    return f"31323334353637383930313233343536373839{n:02x}"


TEAM_SIZE = 5
APPS_PER_TEAM = 2
SPARE_EXAMINERS = 0.1  # extra pool members beyond what the teams need
STEP = 5
# Days from the cycle's start to each date of TIMELINE_FIELDS (as tests/factories.timeline).
TIMELINE_DAYS = [0, 30, 60, 75, 90, 100, 105, 115, 125, 130, 135]
CURRENT_DAY = 130  # today is the ceremony date: decisions signed, feedback not yet released

QUALITY_CLASSES = ["Förskola", "Skola", "Vård och omsorg", "Kultur och fritid", "Stöd och service"]
# (title, kind, weight, max_length); weights sum to 1000 per track.
QUALITY_CRITERIA = [
    ("Ledarskap och styrning", Criterion.Kind.APPROACH, 100, 6000),
    ("Brukarfokus", Criterion.Kind.APPROACH, 150, 6000),
    ("Medarbetarnas engagemang", Criterion.Kind.APPROACH, 100, 6000),
    ("Processer och förbättringsarbete", Criterion.Kind.APPROACH, 150, 6000),
    ("Samverkan", Criterion.Kind.APPROACH, 100, 6000),
    ("Lärande och utveckling", Criterion.Kind.APPROACH, 150, 6000),
    ("Resultat", Criterion.Kind.RESULTS, 250, 8000),
]
RENEWAL_CRITERIA = [
    ("Idén och behovet", Criterion.Kind.APPROACH, 250, 4000),
    ("Genomförandet", Criterion.Kind.APPROACH, 250, 4000),
    ("Spridning", Criterion.Kind.APPROACH, 200, 4000),
    ("Effekter", Criterion.Kind.RESULTS, 300, 5000),
]
BANDS = [(0, 5), (10, 25), (30, 45), (50, 65), (70, 85), (90, 100)]

FIRST_NAMES = [
    "Anna",
    "Erik",
    "Maria",
    "Lars",
    "Karin",
    "Anders",
    "Eva",
    "Johan",
    "Sara",
    "Per",
    "Lena",
    "Mikael",
    "Emma",
    "Karl",
    "Sofia",
    "Nils",
    "Ingrid",
    "Olof",
    "Elin",
    "Gustav",
    "Maja",
    "Hassan",
    "Amina",
    "Oskar",
    "Fatima",
    "Jonas",
    "Helena",
    "Ali",
    "Ebba",
    "Viktor",
    "Linnea",
    "Ahmed",
]
LAST_NAMES = [
    "Andersson",
    "Johansson",
    "Karlsson",
    "Nilsson",
    "Eriksson",
    "Larsson",
    "Olsson",
    "Persson",
    "Svensson",
    "Gustafsson",
    "Pettersson",
    "Jonsson",
    "Jansson",
    "Hansson",
    "Bengtsson",
    "Lindberg",
    "Lindqvist",
    "Berg",
    "Holm",
    "Ali",
    "Mohammed",
    "Nyström",
    "Sandberg",
    "Lund",
    "Ek",
    "Strand",
    "Forsberg",
    "Sjöberg",
    "Wallin",
    "Engström",
]
PLACES = [
    "Kungsholmen",
    "Södermalm",
    "Vasastan",
    "Östermalm",
    "Bromma",
    "Hässelby",
    "Vällingby",
    "Spånga",
    "Tensta",
    "Rinkeby",
    "Kista",
    "Skärholmen",
    "Farsta",
    "Enskede",
    "Årsta",
    "Älvsjö",
    "Hägersten",
    "Liljeholmen",
    "Norrmalm",
    "Skarpnäck",
    "Bagarmossen",
]
UNIT_KINDS = {
    "Förskola": ["Förskolan", "Förskoleenheten"],
    "Skola": ["Skolan", "Grundskolan", "Gymnasiet"],
    "Vård och omsorg": ["Hemtjänsten", "Vård- och omsorgsboendet", "Dagverksamheten"],
    "Kultur och fritid": ["Biblioteket", "Fritidsgården", "Kulturhuset"],
    "Stöd och service": ["Gruppbostaden", "Daglig verksamhet", "Boendestödet"],
}
SENTENCES = [
    "Vi har under året arbetat systematiskt med att följa upp våra mål och resultat.",
    "Varje arbetslag har en egen handlingsplan som stäms av månadsvis med enhetschefen.",
    "Brukarnas synpunkter samlas in genom enkäter, fokusgrupper och samtal i vardagen.",
    "Resultaten analyseras gemensamt och leder till konkreta förbättringar i verksamheten.",
    "Medarbetarna är delaktiga i planeringen och tar ansvar för sina förbättringsområden.",
    "Vi samverkar med andra förvaltningar, föreningar och civilsamhället i stadsdelen.",
    "Nyckeltalen visar en positiv trend de senaste tre åren, särskilt när det gäller nöjdhet.",
    "Ledningen kommunicerar mål och prioriteringar tydligt på arbetsplatsträffar.",
    "Vi använder PDSA-cykler för att pröva nya arbetssätt i liten skala innan de sprids.",
    "Kompetensutveckling planeras utifrån verksamhetens behov och individuella utvecklingsplaner.",
    "Sjukfrånvaron har minskat sedan vi införde gemensamma rutiner för arbetsmiljöarbetet.",
    "Avvikelser rapporteras och följs upp, och lärdomarna delas i hela verksamheten.",
    "Vi jämför våra resultat med liknande enheter i staden och i andra kommuner.",
    "Digitala verktyg har gjort det enklare för brukare och anhöriga att nå oss.",
    "Förbättringsarbetet dokumenteras i en gemensam logg som alla medarbetare kan läsa.",
    "Målen bryts ned från kommunfullmäktiges budget till enhetens verksamhetsplan.",
    "En referensgrupp med brukare ger återkoppling på förändringar innan de genomförs.",
    "Vi har tydliga rutiner för introduktion av nya medarbetare och vikarier.",
    "Resultaten för jämförbara grupper visar att skillnaderna har minskat under perioden.",
    "Arbetet med likabehandling följs upp med särskilda indikatorer två gånger per år.",
]
STRENGTHS = [
    "Tydlig koppling mellan mål och aktiviteter.",
    "Systematisk uppföljning med jämförelser över tid.",
    "Brukarna är delaktiga i utvecklingsarbetet.",
    "Väl förankrat bland medarbetarna.",
    "Goda resultat i jämförelse med liknande enheter.",
    "Arbetssättet är spritt i hela verksamheten.",
]
IMPROVEMENTS = [
    "Resultaten redovisas utan trender.",
    "Oklart hur lärdomar tas tillvara.",
    "Arbetssättet saknar tydlig uppföljning.",
    "Jämförelser med andra saknas.",
    "Brukarnas perspektiv syns bara delvis.",
    "Otydligt vem som ansvarar för förbättringarna.",
]


def _round(value: float) -> int:
    return max(0, min(100, int(round(value / STEP)) * STEP))


def _at(day: dt.date, hour: int = 12) -> dt.datetime:
    return end_of_day(day - dt.timedelta(days=1)) + dt.timedelta(hours=hour)


def _total(criteria, scores: dict) -> float:
    return sum(c.weight * scores[c.pk] / 100 for c in criteria)


class Corpus:
    """A long deterministic text to cut answers from: slices start at a sentence."""

    def __init__(self, rng: random.Random, length: int = 40_000):
        parts, starts, size = [], [], 0
        while size < length:
            sentence = rng.choice(SENTENCES)
            starts.append(size)
            parts.append(sentence)
            size += len(sentence) + 1
        self.text = " ".join(parts)
        self.starts = starts

    def cut(self, rng: random.Random, length: int) -> str:
        start = rng.choice(self.starts[: len(self.starts) // 3])
        piece = self.text[start : start + length]
        return piece[: piece.rfind(" ")] if len(piece) == length else piece


class Generator:
    def __init__(self, *, seed: int, batch_size: int, out):
        self.rng = random.Random(seed)  # noqa: S311  (reproducible load data)
        self.batch = batch_size
        self.out = out
        self.started = time.perf_counter()
        self.counts: dict[str, int] = {}
        self.corpus = Corpus(random.Random(seed + 1))  # noqa: S311
        self.password = make_password(PASSWORD)

    # --- helpers -----------------------------------------------------------------------

    @contextmanager
    def step(self, name: str):
        start = time.perf_counter()
        yield
        now = time.perf_counter()
        self.out(f"  {name:<44} {now - start:7.2f} s   (totalt {now - self.started:7.2f} s)")

    def bulk(self, model, objects):
        objects = list(objects)
        created = model.objects.bulk_create(objects, batch_size=self.batch)
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + len(created)
        return created

    def name(self) -> tuple[str, str]:
        return self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)

    def users(self, usernames: list[str], role: Role, **extra):
        User = get_user_model()
        users = []
        for username in usernames:
            first, last = self.name()
            users.append(
                User(
                    username=username,
                    first_name=first,
                    last_name=last,
                    email=f"{username}@example.se",
                    password=self.password,
                    **extra,
                )
            )
        users = self.bulk(User, users)
        group = group_for(role)
        self.bulk(User.groups.through, [User.groups.through(user_id=u.pk, group_id=group.pk) for u in users])
        return users

    # --- the shared people and places --------------------------------------------------

    def base(self, n_units: int, n_examiners: int, year: int):
        rng = self.rng
        self.perm = {
            codename: Permission.objects.get(content_type__app_label="submissions", codename=codename).pk
            for codename in ("view_application", "change_application", "assess_application")
        }
        with self.step("användare för SLK och domarkommittén"):
            self.slk = self.users([f"{PREFIX}slk"], Role.SLK, is_staff=True)[0]
            self.committee = self.users([f"{PREFIX}domare{i}" for i in range(1, 6)], Role.COMMITTEE)
            self.bulk(
                TOTPDevice,
                [
                    TOTPDevice(user=u, name=f"Autentiseringsapp {n + 1}", key=totp_key(n), confirmed=True)
                    for u in [self.slk, *self.committee]
                    for n in range(TOTP_DEVICES)
                ],
            )
        with self.step("förvaltningar och enheter"):
            n_orgs = max(5, n_units // 40)
            kinds = list(Organisation.Kind.values)
            self.orgs = self.bulk(
                Organisation,
                [
                    Organisation(
                        code=f"LORG{i:05d}",
                        name=f"{PLACES[i % len(PLACES)]}s förvaltning {i}",
                        kind=kinds[i % len(kinds)] if i % 7 else Organisation.Kind.COMPANY,
                    )
                    for i in range(1, n_orgs + 1)
                ],
            )
            units, self.unit_area = [], []
            for i in range(1, n_units + 1):
                area = rng.choice(QUALITY_CLASSES)
                org = rng.choice(self.orgs)
                private = org.kind == Organisation.Kind.COMPANY
                first, last = self.name()
                units.append(
                    Unit(
                        code=f"LENH{i:06d}",
                        organisation_id=org.pk,
                        name=f"{rng.choice(UNIT_KINDS[area])} {rng.choice(PLACES)} {i}",
                        head_name=f"{first} {last}",
                        head_email=f"chef{i}@example.se",
                        staff_count=rng.randint(5, 80),
                        has_operational_plan=True,
                        is_private_provider=private,
                        stockholmers_share=rng.randint(60, 100) if private else None,
                    )
                )
                self.unit_area.append(area)
            self.units = self.bulk(Unit, units)
        with self.step("enhetskontakter"):
            self.contacts = self.users(
                [f"{PREFIX}enhet{i:06d}" for i in range(1, n_units + 1)], Role.UNIT_CONTACT
            )
            through = Unit.contacts.through
            self.bulk(
                through,
                [through(unit_id=u.pk, user_id=c.pk) for u, c in zip(self.units, self.contacts, strict=True)],
            )
        with self.step("examinatorer (användare och profiler)"):
            users = self.users([f"{PREFIX}exam{i:06d}" for i in range(1, n_examiners + 1)], Role.EXAMINER)
            profiles = []
            for user in users:
                experienced = rng.random() < 0.6
                led = experienced and rng.random() < 0.4
                org = rng.choice(self.orgs)
                profiles.append(
                    ExaminerProfile(
                        user_id=user.pk,
                        organisation_id=org.pk,
                        employer=org.name,
                        job_title=rng.choice(
                            ["Enhetschef", "Utvecklingsledare", "Controller", "Handläggare"]
                        ),
                        years_served=[year - 2, year - 1] if experienced else [],
                        years_led=[year - 1] if led else [],
                        areas=rng.sample(QUALITY_CLASSES, 2),
                    )
                )
            self.profiles = self.bulk(ExaminerProfile, profiles)
            self.examiner_users = {u.pk: u for u in users}
            self.severity = {p.pk: rng.gauss(0, 6) for p in self.profiles}

    # --- one cycle ---------------------------------------------------------------------

    def cycle(self, *, year: int, units: list[int], profiles: list, start: dt.date, is_current: bool):
        """units: indexes into self.units (one application each). Returns the cycle and the
        (unit index, track kind, outcome) of the decided outcomes."""
        rng = self.rng
        label = f"[{year}]"
        dates = {
            name: start + dt.timedelta(days=d) for name, d in zip(TIMELINE_FIELDS, TIMELINE_DAYS, strict=True)
        }
        with self.step(f"{label} omgång, spår, kriterier, skala"):
            cycle = AwardCycle.objects.create(year=year, status=AwardCycle.Status.OPEN, **dates)
            quality = Track.objects.create(
                cycle=cycle, kind=Track.Kind.QUALITY_AWARD, name="Kvalitetsutmärkelsen"
            )
            renewal = Track.objects.create(cycle=cycle, kind=Track.Kind.RENEWAL_PRIZE, name="Förnyelsepriset")
            classes = {
                c.name: c
                for c in self.bulk(
                    CompetitionClass,
                    [CompetitionClass(track=quality, name=n, order=i) for i, n in enumerate(QUALITY_CLASSES)],
                )
            }
            criteria = {}
            for track, specs in ((quality, QUALITY_CRITERIA), (renewal, RENEWAL_CRITERIA)):
                criteria[track.pk] = self.bulk(
                    Criterion,
                    [
                        Criterion(
                            track=track,
                            number=n,
                            title=title,
                            kind=kind,
                            weight=weight,
                            max_length=max_length,
                            applicant_guidance=f"Beskriv hur ni arbetar med {title.lower()}.",
                            examiner_guidance=f"Bedöm arbetssätt, spridning och uppföljning för {title.lower()}.",
                        )
                        for n, (title, kind, weight, max_length) in enumerate(specs, start=1)
                    ],
                )
            scale = ScoringScale.objects.create(cycle=cycle, step=STEP)
            self.bulk(
                ScaleBand,
                [
                    ScaleBand(
                        scale=scale, kind=kind, low=low, high=high, descriptor=f"{label} {low}–{high} %"
                    )
                    for kind in Criterion.Kind.values
                    for low, high in BANDS
                ],
            )
            self.bulk(
                CommitteeMembership,
                [
                    CommitteeMembership(cycle=cycle, user=u, is_chair=i == 0)
                    for i, u in enumerate(self.committee)
                ],
            )

        with self.step(f"{label} pool och utbildning"):
            members = self.bulk(
                PoolMember,
                [
                    PoolMember(
                        cycle=cycle,
                        profile_id=p.pk,
                        status=PoolMember.Status.ACCEPTED,
                        manager_name="Chef Chefsson",
                        manager_approved_on=dates["registration_opens"],
                        volunteered_at=_at(dates["registration_opens"]),
                        decided_by=self.slk,
                        decided_at=_at(dates["registration_closes"]),
                    )
                    for p in profiles
                ],
            )
            new = [
                m for m, p in zip(members, profiles, strict=True) if not any(y < year for y in p.years_served)
            ]
            if new:
                session = TrainingSession.objects.create(
                    cycle=cycle,
                    kind=TrainingSession.Kind.BASIC,
                    title=f"Grundutbildning {year}",
                    place="Stadshuset",
                    capacity=len(new),
                    trainer="SLK",
                )
                days = self.bulk(
                    TrainingDay,
                    [
                        TrainingDay(session=session, date=dates["registration_closes"] + dt.timedelta(days=d))
                        for d in (1, 2)
                    ],
                )
                enrolments = self.bulk(
                    Enrolment,
                    [Enrolment(session=session, member=m, status=Enrolment.Status.ENROLLED) for m in new],
                )
                self.bulk(
                    Attendance,
                    [
                        Attendance(enrolment=e, day=d, present=True, marked_by=self.slk)
                        for e in enrolments
                        for d in days
                    ],
                )

        with self.step(f"{label} tävlingsbidrag"):
            yy = year % 100
            ineligible = getattr(self, "recent_winners", set())
            applications, numbers = [], {"K": 0, "F": 0}
            for index in units:
                unit = self.units[index]
                contact = self.contacts[index]
                is_quality = rng.random() < 0.8
                track = quality if is_quality else renewal
                prefix = "K" if is_quality else "F"
                numbers[prefix] += 1
                kind = Track.Kind.QUALITY_AWARD if is_quality else Track.Kind.RENEWAL_PRIZE
                not_eligible = (index, kind) in ineligible
                applications.append(
                    Application(
                        track=track,
                        unit_id=unit.pk,
                        competition_class=classes[self.unit_area[index]] if is_quality else None,
                        code=f"L{prefix}{yy:02d}-{numbers[prefix]:05d}",
                        head_has_full_responsibility=True,
                        nominee_kind="" if is_quality else Application.NomineeKind.TEAM,
                        nominee_name="" if is_quality else f"Arbetslaget på {unit.name}",
                        registered_by_id=contact.pk,
                        registered_at=_at(
                            dates["registration_opens"] + dt.timedelta(days=rng.randint(1, 25))
                        ),
                        registration_status=Application.RegistrationStatus.APPROVED,
                        registration_decided_by=self.slk,
                        registration_decided_at=_at(dates["registration_closes"]),
                        award_eligible=not not_eligible,
                        eligibility_note="Vann eller fick hedersomnämnande i samma spår förra året."
                        if not_eligible
                        else "",
                        status=Application.Status.SUBMITTED,
                        submitted_at=_at(
                            dates["application_deadline"] - dt.timedelta(days=rng.randint(0, 5))
                        ),
                        submitted_by_id=contact.pk,
                    )
                )
            applications = self.bulk(Application, applications)
            unit_of = {a.pk: index for a, index in zip(applications, units, strict=True)}
            self.bulk(
                ApplicationUserObjectPermission,
                [
                    ApplicationUserObjectPermission(
                        permission_id=self.perm[codename],
                        user_id=self.contacts[unit_of[a.pk]].pk,
                        content_object_id=a.pk,
                    )
                    for a in applications
                    for codename in ("view_application", "change_application")
                ],
            )

        with self.step(f"{label} svar (fullängd)"):
            for chunk_start in range(0, len(applications), 200):
                answers = []
                for a in applications[chunk_start : chunk_start + 200]:
                    contact_id = self.contacts[unit_of[a.pk]].pk
                    for c in criteria[a.track_id]:
                        length = int(c.max_length * rng.uniform(0.6, 1.0))
                        answers.append(
                            Answer(
                                application_id=a.pk,
                                criterion_id=c.pk,
                                text=self.corpus.cut(rng, length),
                                version=rng.randint(3, 30),
                                updated_by_id=contact_id,
                            )
                        )
                self.bulk(Answer, answers)

        with self.step(f"{label} lag och tilldelning"):
            org_of_unit = {u.pk: u.organisation_id for u in self.units}
            order = rng.sample(range(len(profiles)), len(profiles))
            veteran_ids = {i for i in order if any(y < year for y in profiles[i].years_served)}
            veteran = deque(i for i in order if any(y < year for y in profiles[i].years_served))
            novice = deque(i for i in order if not any(y < year for y in profiles[i].years_served))

            def take(queue, blocked, n):
                """Up to n examiners from the queue without a conflict; the others wait."""
                chosen, skipped = [], []
                while queue and len(chosen) < n:
                    candidate = queue.popleft()
                    ok = profiles[candidate].organisation_id not in blocked
                    (chosen if ok else skipped).append(candidate)
                queue.extendleft(reversed(skipped))
                return chosen

            plans = []  # (track, [applications], [member indexes, leader first])
            for track in (quality, renewal):
                mine = sorted(
                    (a for a in applications if a.track_id == track.pk),
                    key=lambda a: (a.competition_class_id or 0, a.code),
                )
                for i in range(0, len(mine), APPS_PER_TEAM):
                    pair = mine[i : i + APPS_PER_TEAM]
                    blocked = {org_of_unit[a.unit_id] for a in pair}
                    # A leader who has served before, two more veterans and two new examiners
                    # (fewer of one kind when it runs out).
                    chosen = take(veteran, blocked, 3)
                    chosen += take(novice, blocked, TEAM_SIZE - len(chosen))
                    chosen += take(veteran, blocked, TEAM_SIZE - len(chosen))
                    if len(chosen) < 2 or chosen[0] not in veteran_ids:
                        raise LoadError(f"För få examinatorer utan jäv för {pair[0].code}.")
                    plans.append((track, pair, chosen))
            teams = self.bulk(
                Team,
                [
                    Team(
                        cycle=cycle,
                        track=track,
                        name=f"Lag {n}",
                        status=Team.Status.CONFIRMED,
                        reasons=["Genererat för prestandamätning."],
                        confirmed_by=self.slk,
                        confirmed_at=_at(dates["application_deadline"] + dt.timedelta(days=1)),
                    )
                    for n, (track, _pair, _chosen) in enumerate(plans, start=1)
                ],
            )
            self.bulk(
                TeamMember,
                [
                    TeamMember(team=team, member=members[m], is_leader=k == 0)
                    for team, (_t, _p, chosen) in zip(teams, plans, strict=True)
                    for k, m in enumerate(chosen)
                ],
            )
            self.bulk(
                Assignment,
                [
                    Assignment(team=team, application=a)
                    for team, (_t, pair, _c) in zip(teams, plans, strict=True)
                    for a in pair
                ],
            )

        with self.step(f"{label} öppningar, behörigheter, bedömningar, konsensus"):
            totals = {}  # application pk -> (consensus total, application)
            opened_at = _at(dates["application_deadline"] + dt.timedelta(days=2))
            for chunk_start in range(0, len(plans), 250):
                chunk = list(
                    zip(
                        teams[chunk_start : chunk_start + 250],
                        plans[chunk_start : chunk_start + 250],
                        strict=True,
                    )
                )
                openings, perms, assessments, planned = [], [], [], []
                for _team, (_track, pair, chosen) in chunk:
                    for a in pair:
                        level = min(90, max(10, rng.gauss(50, 15)))
                        for m in chosen:
                            member, profile = members[m], profiles[m]
                            openings.append(ApplicationOpening(member=member, application=a, at=opened_at))
                            for codename in ("view_application", "assess_application"):
                                perms.append(
                                    ApplicationUserObjectPermission(
                                        permission_id=self.perm[codename],
                                        user_id=profile.user_id,
                                        content_object_id=a.pk,
                                    )
                                )
                            assessments.append(
                                Assessment(
                                    application=a,
                                    member=member,
                                    status=Assessment.Status.SUBMITTED,
                                    hours=round(rng.uniform(4, 16), 1),
                                    submitted_at=_at(
                                        dates["assessment_deadline"] - dt.timedelta(days=rng.randint(0, 10))
                                    ),
                                )
                            )
                            planned.append((level, self.severity[profile.pk]))
                self.bulk(ApplicationOpening, openings)
                self.bulk(ApplicationUserObjectPermission, perms)
                assessments = self.bulk(Assessment, assessments)
                items, by_app = [], {}
                for assessment, (level, severity) in zip(assessments, planned, strict=True):
                    app_criteria = criteria[assessment.application.track_id]
                    for c in app_criteria:
                        offset = 5 if c.kind == Criterion.Kind.APPROACH else -5
                        score = _round(level + offset + severity + rng.gauss(0, 8))
                        n_s, n_i = rng.randint(1, 3), rng.randint(1, 3)
                        items.append(
                            AssessmentItem(
                                assessment=assessment,
                                criterion=c,
                                score=score,
                                strengths=rng.sample(STRENGTHS, n_s),
                                improvements=rng.sample(IMPROVEMENTS, n_i),
                                notes=rng.choice(SENTENCES),
                            )
                        )
                        by_app.setdefault(assessment.application_id, {}).setdefault(c.pk, []).append(score)
                self.bulk(AssessmentItem, items)
                consensuses, consensus_scores = [], []
                for team, (_track, pair, chosen) in chunk:
                    leader_user = profiles[chosen[0]].user_id
                    for a in pair:
                        consensuses.append(
                            Consensus(
                                application=a,
                                team=team,
                                status=Consensus.Status.FINAL,
                                started_by_id=leader_user,
                                finalised_by_id=leader_user,
                                finalised_at=_at(dates["consensus_deadline"]),
                            )
                        )
                        scores = {c: _round(sum(s) / len(s)) for c, s in by_app[a.pk].items()}
                        consensus_scores.append((a, scores, leader_user))
                consensuses = self.bulk(Consensus, consensuses)
                citems = []
                for consensus, (a, scores, leader_user) in zip(consensuses, consensus_scores, strict=True):
                    app_criteria = criteria[a.track_id]
                    totals[a.pk] = (_total(app_criteria, scores), a)
                    for c in app_criteria:
                        citems.append(
                            ConsensusItem(
                                consensus=consensus,
                                criterion=c,
                                score=scores[c.pk],
                                strengths=rng.sample(STRENGTHS, 2),
                                improvements=rng.sample(IMPROVEMENTS, 2),
                                discussion_note=rng.choice(SENTENCES) if rng.random() < 0.3 else "",
                                updated_by_id=leader_user,
                            )
                        )
                self.bulk(ConsensusItem, citems)

        with self.step(f"{label} möten, platsbesök, beslut"):
            chair = self.committee[0]
            shortlisting = Meeting.objects.create(
                cycle=cycle,
                kind=Meeting.Kind.SHORTLISTING,
                date=dates["first_committee_meeting"],
                recorded_by=self.slk,
            )
            final = Meeting.objects.create(
                cycle=cycle,
                kind=Meeting.Kind.FINAL,
                date=dates["final_committee_meeting"],
                recorded_by=self.slk,
            )
            through = Meeting.present.through
            self.bulk(
                through,
                [
                    through(meeting_id=m.pk, user_id=u.pk)
                    for m in (shortlisting, final)
                    for u in self.committee
                ],
            )
            groups = {}  # (track pk, class pk) -> [(total, application)]
            for total, a in totals.values():
                groups.setdefault((a.track_id, a.competition_class_id), []).append((total, a))
            visits, decided = [], []
            for key in sorted(groups, key=lambda k: (k[0], k[1] or 0)):
                ranked = sorted(groups[key], key=lambda pair: (-pair[0], pair[1].code))
                count = min(len(ranked), 3 + len(ranked) // 50)
                visits += [a for _total_, a in ranked[:count]]
                decided.append((key, [a for _total_, a in ranked[:count]]))
            self.bulk(
                SiteVisit,
                [
                    SiteVisit(
                        application=a,
                        status=SiteVisit.Status.DONE,
                        selected_by=self.slk,
                        visit_date=dates["site_visits_start"] + dt.timedelta(days=rng.randint(0, 10)),
                        participants="Lagledaren och en examinator",
                        questions=rng.choice(SENTENCES),
                        findings=" ".join(rng.sample(SENTENCES, 3)),
                    )
                    for a in visits
                ],
            )
            self.bulk(
                SiteVisitChoice,
                [
                    SiteVisitChoice(site_visit=visit, meeting=shortlisting)
                    for visit in SiteVisit.objects.filter(application__in=visits)
                ],
            )
            # The visit revises one criterion of about half of the visited applications.
            revised = ConsensusItem.objects.filter(consensus__application__in=visits).order_by(
                "consensus__application_id", "criterion__number"
            )
            changed, seen = [], set()
            for item in revised:
                key = item.consensus_id
                if key in seen:
                    continue
                seen.add(key)
                if rng.random() < 0.5:
                    item.visit_score = _round((item.score or 0) + rng.choice([-10, -5, 5, 10]))
                    item.visit_reason = "Platsbesöket visade " + rng.choice(SENTENCES).lower()
                    changed.append(item)
            ConsensusItem.objects.bulk_update(changed, ["visit_score", "visit_reason"], batch_size=self.batch)
            decisions, outcome_plan = [], []
            for (track_pk, class_pk), ranked in decided:
                decisions.append(
                    Decision(
                        meeting=final,
                        track_id=track_pk,
                        competition_class_id=class_pk,
                        status=Decision.Status.SIGNED,
                        rationale="Beslutat efter platsbesök och diskussion i kommittén.",
                        created_by=chair,
                        signed_by=chair,
                        signed_at=_at(dates["final_committee_meeting"], 16),
                    )
                )
                eligible = [a for a in ranked if a.award_eligible]
                outcome_plan.append(
                    [
                        (
                            a,
                            DecisionOutcome.Outcome.WINNER
                            if i == 0
                            else DecisionOutcome.Outcome.HONOURABLE_MENTION,
                        )
                        for i, a in enumerate(eligible[:3])
                    ]
                )
            decisions = self.bulk(Decision, decisions)
            self.bulk(
                DecisionOutcome,
                [
                    DecisionOutcome(
                        decision=d,
                        application=a,
                        outcome=outcome,
                        citation=f"{self.units[unit_of[a.pk]].name}: " + rng.choice(SENTENCES),
                    )
                    for d, plan in zip(decisions, outcome_plan, strict=True)
                    for a, outcome in plan
                ],
            )
            results = []
            for plan in outcome_plan:
                for a, outcome in plan:
                    kind = Track.Kind.QUALITY_AWARD if a.track_id == quality.pk else Track.Kind.RENEWAL_PRIZE
                    results.append((unit_of[a.pk], kind, outcome))
        if not is_current:
            with self.step(f"{label} tidigare resultat"):
                self.bulk(
                    PastResult,
                    [
                        PastResult(unit_id=self.units[index].pk, year=year, track_kind=kind, outcome=outcome)
                        for index, kind, outcome in results
                    ],
                )
            self.recent_winners = {(index, kind) for index, kind, _outcome in results}
        return cycle

    def run(self, *, applications: int, year: int, history: int):
        teams_needed = math.ceil(applications / APPS_PER_TEAM) + 1  # +1: tracks split the pairs
        n_examiners = math.ceil(teams_needed * TEAM_SIZE * (1 + SPARE_EXAMINERS)) + 10
        self.base(applications, n_examiners, year)
        start = today() - dt.timedelta(days=CURRENT_DAY)
        # History: last year's cycle with the experienced examiners and a quarter of the units.
        veterans = [p for p in self.profiles if year - 1 in p.years_served]
        history_units = sorted(self.rng.sample(range(len(self.units)), history))
        self.cycle(
            year=year - 1,
            units=history_units,
            profiles=veterans,
            start=start - dt.timedelta(days=365),
            is_current=False,
        )
        return self.cycle(
            year=year,
            units=list(range(len(self.units))),
            profiles=self.profiles,
            start=start,
            is_current=True,
        )


def _silent(line: str) -> None:
    pass


def generate(
    *,
    applications: int,
    seed: int = 1,
    cycle_year: int | None = None,
    history: int | None = None,
    batch_size: int = 2000,
    force: bool = False,
    out=_silent,
) -> float:
    """Generate the load into an empty database, in one transaction, and refresh the
    planner's statistics; `out` gets the progress lines. Returns the seconds it took."""
    if not settings.DEBUG and not force:
        raise LoadError("generate_load vägrar köra när DEBUG är avstängt (använd --force om du menar det).")
    if applications < 2:
        raise LoadError("--applications måste vara minst 2.")
    year = cycle_year or today().year
    history = max(2, applications // 4) if history is None else history
    if not 2 <= history <= applications:
        raise LoadError("--history måste ligga mellan 2 och --applications.")
    if AwardCycle.objects.filter(year__in=[year, year - 1]).exists():
        raise LoadError(f"Det finns redan en omgång {year - 1} eller {year}; använd en tom databas.")
    if get_user_model().objects.filter(username__startswith=PREFIX).exists():
        raise LoadError("Det finns redan genererade användare (load-…); använd en tom databas.")
    out(f"generate_load: {applications} bidrag ({history} förra året), frö {seed}, år {year}")
    generator = Generator(seed=seed, batch_size=batch_size, out=out)
    with transaction.atomic():
        generator.run(applications=applications, year=year, history=history)
        # bulk_create bypasses the services, which store these figures as they go.
        with generator.step("lagrade totaler och kalibrering (scoring.figures)"):
            figures.store_all()
    with generator.step("ANALYZE (planerarens statistik)"):
        refresh_statistics()
    elapsed = time.perf_counter() - generator.started
    for label, count in sorted(generator.counts.items()):
        out(f"  {label:<44} {count:>9}")
    out(f"Klart på {elapsed:.1f} s.")
    return elapsed


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate_load",
        description="Bygger en komplett omgång av valfri storlek med bulkinsättningar, för prestandamätning "
        "(issue 8), i databasen i DATABASE_URL.",
    )
    parser.add_argument("--applications", type=int, required=True, help="antal tävlingsbidrag i årets omgång")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cycle-year", type=int, default=None, help="årets omgång (standard: i år)")
    parser.add_argument(
        "--history", type=int, default=None, help="bidrag i förra årets omgång (standard: en fjärdedel)"
    )
    parser.add_argument("--batch-size", type=int, default=2000)
    parser.add_argument("--force", action="store_true", help="kör även när DEBUG är avstängt")
    args = parser.parse_args(argv)
    try:
        generate(
            applications=args.applications,
            seed=args.seed,
            cycle_year=args.cycle_year,
            history=args.history,
            batch_size=args.batch_size,
            force=args.force,
            out=print,
        )
    except LoadError as error:
        parser.exit(2, f"{error}\n")


if __name__ == "__main__":
    main()
