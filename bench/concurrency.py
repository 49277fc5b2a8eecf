"""Throughput under concurrency against the production stack (issue 8): gunicorn on
127.0.0.1 with DEBUG off, against the database in DATABASE_URL (PostgreSQL), with many
examiners saving scores and many committee members reading the consolidated view at once
for a bounded time; afterwards, a check that no accepted save was lost.

    scripts/with-postgres.sh .venv/bin/python -m bench.concurrency --applications 1000 --users 50 --duration 60
    make bench-concurrency

One run: migrate; generate the load unless it is there (bench.run.ensure_load); reopen the
individual assessments of a few teams so they can be saved (`prepare`, below: it changes
the database); collectstatic into a temporary directory; start gunicorn on a free port of
127.0.0.1 with the settings of `make serve`; log every virtual user in through the login
page; run the load for --duration seconds; stop gunicorn; compare the database and the
audit trail with the log of accepted saves; write
bench/results/<date>-<db>-concurrency-N<n>.md. See bench/README.md.
"""

import datetime as dt
import html
import os
import platform
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from scoring.audit_actions import AuditAction

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402
from django.apps import apps as django_apps  # noqa: E402

if not django_apps.ready:
    django.setup()

import requests  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections, transaction  # noqa: E402
from django.db.models import Max  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp.oath import totp  # noqa: E402

from award.models import AuditEntry, AwardCycle, Track, today  # noqa: E402
from bench.generate_load import PASSWORD, PREFIX, TOTP_DEVICES, totp_key  # noqa: E402
from bench.run import db_label, ensure_load, load_parser, percentile  # noqa: E402
from examiners.models import Team  # noqa: E402
from judging.models import DecisionOutcome  # noqa: E402
from scoring import figures  # noqa: E402
from scoring.models import Assessment, AssessmentItem, Consensus, SiteVisit  # noqa: E402
from submissions.models import Application  # noqa: E402

LOGIN_PATH = "/logga-in/"
VERIFY_PATH = "/konto/tvastegs/verifiera/"  # the second factor (accounts.twofactor)
COMMITTEE_USERS = 5  # load-domare1 … load-domare5, all members of the generated cycle's committee
TOKEN = "bench:"  # every posted save writes a unique "bench:<item>:<session>:<n>" as its one strength
IMPROVEMENT = "Förbättring noterad under belastningstestet."

# What the application answers (scoring/views_assessment.py and its templates).
SAVED_HTMX = "Sparat automatiskt"
STALE_HTMX = "Inte sparat: kriteriet har sparats från ett annat fönster"
STALE_PAGE = "Kriteriet har sparats från ett annat fönster"

KIND_LOGIN = "login (GET form + POST)"
KIND_PAGE = "examiner: assessment page (GET)"
KIND_AUTOSAVE = "examiner: autosave (htmx POST)"
KIND_BUTTON = "examiner: save button (POST, 302)"
KIND_READ = "committee: consolidated view (GET)"
KINDS = [KIND_PAGE, KIND_AUTOSAVE, KIND_BUTTON, KIND_READ]


# --- The lost-update check (pure; tested in tests/test_bench_concurrency.py) ----------------


def token_item(token: str) -> int:
    return int(token.split(":")[1])


def stored_token(strengths) -> str | None:
    """The benchmark token an item holds, if its strengths are one of ours."""
    if isinstance(strengths, list) and len(strengths) == 1 and str(strengths[0]).startswith(TOKEN):
        return strengths[0]
    return None


def check_saves(*, initial_versions, sent, accepted, audit, stored) -> dict:
    """Compare what the server said it saved with what the database holds.

    initial_versions: {item pk: version before the run}
    sent: {token: score} for every save posted (each with its own token)
    accepted: {token: version the server answered, or None (save button: a redirect)}
    audit: {token: audit entry pk} for the run's `scoring.individual` entries; the entry is
        written inside the save's transaction while the item row is locked, so for one item
        the pks are in the order the server applied the saves
    stored: {item pk: (score, strengths, version)} after the run

    Every save changes the strengths (a new token), so each applied save bumps the version
    by one and writes exactly one audit entry. For each item: the stored value is the last
    applied save, the version grew by the number of applied saves, and a version the server
    returned is the save's place in that order. An accepted save is lost when it was not
    applied at all or when it is the last one applied to its item and is not what is stored.
    """
    applied = defaultdict(list)  # item -> [(audit pk, token)] in server order
    for token, pk in audit.items():
        applied[token_item(token)].append((pk, token))
    for entries in applied.values():
        entries.sort()
    not_applied = sorted(t for t in accepted if t not in audit)
    unacknowledged = sorted(t for t in audit if t not in accepted)
    lost, versions, returned = [], [], []
    for item, (score, strengths, version) in sorted(stored.items()):
        entries = applied.get(item, [])
        base = initial_versions[item]
        if version != base + len(entries):
            versions.append(f"item {item}: version {version}, expected {base} + {len(entries)} applied saves")
        if entries:
            last = entries[-1][1]
            if stored_token(strengths) != last or score != sent.get(last, score):
                lost.append(
                    f"item {item}: holds {stored_token(strengths) or strengths!r} score {score}, "
                    f"last applied save {last} score {sent.get(last)}"
                    + ("" if last in accepted else " (not acknowledged to the client)")
                )
        for place, (_pk, token) in enumerate(entries, start=1):
            answered = accepted.get(token)
            if answered is not None and answered != base + place:
                returned.append(f"{token}: answered version {answered}, applied as version {base + place}")
    lost_tokens = [f"{t}: accepted but never applied (no audit entry)" for t in not_applied]
    return {
        "accepted": len(accepted),
        "applied": len(audit),
        "not_applied": lost_tokens,
        "unacknowledged": unacknowledged,
        "lost": lost,
        "versions": versions,
        "returned_versions": returned,
        "lost_updates": len(lost_tokens) + len(lost),
    }


# --- Parsing the pages (regular expressions over what the templates render) -----------------

CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
VERSION_RE = re.compile(r'name="k(\d+)-version" value="(\d+)"')


def csrf_token(text: str) -> str | None:
    match = CSRF_RE.search(text)
    return match.group(1) if match else None


def page_versions(text: str) -> dict[int, int]:
    """{criterion pk: version} of every editable criterion form on an assessment page."""
    return {int(item): int(version) for item, version in VERSION_RE.findall(text)}


def autosave_outcome(text: str, criterion: int) -> tuple[str, int | None]:
    """("saved", new version) | ("stale", None) | ("refused: …", None) for an htmx answer."""
    if STALE_HTMX in text:
        return "stale", None
    match = re.search(rf'name="k{criterion}-version" value="(\d+)"', text)
    if SAVED_HTMX in text and match:
        return "saved", int(match.group(1))
    return "refused: " + html.unescape(re.sub(r"<[^>]+>", " ", text)).strip()[:120], None


# --- Preparing writable work ---------------------------------------------------------------


@dataclass
class Examiner:
    username: str
    # application pk -> {item pk: criterion pk} of this examiner's assessment; the page's
    # forms and save URLs are keyed by criterion, the checks by item
    work: dict[int, dict[int, int]]


@dataclass
class Plan:
    year: int
    track_pk: int
    track_name: str
    steps: list[int]
    teams: list[str]
    applications: dict[int, str]  # pk -> code
    examiners: list[Examiner]
    initial_versions: dict[int, int]
    reopened: int
    consensus_removed: int


def prepare(cycle, *, examiners: int) -> Plan:
    """Make room for saving: the generated cycle has every individual assessment submitted
    and every consensus final, so the service refuses every save. For the first quality-award
    teams (preferring those whose applications had no site visit and are in no decision,
    then the fullest teams, then by pk) until they hold `examiners` examiners, in one
    transaction: set their applications' individual assessments back to draft (status,
    submitted_at) and delete those applications' consensus with its items. Nothing else
    changes; no audit entry is written for it. Repeatable: a second run takes the same teams."""
    quality = cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    busy = set(SiteVisit.objects.filter(application__track=quality).values_list("application_id", flat=True))
    busy |= set(
        DecisionOutcome.objects.filter(application__track=quality).values_list("application_id", flat=True)
    )
    teams = list(
        Team.objects.filter(cycle=cycle, track=quality, status=Team.Status.CONFIRMED).prefetch_related(
            "members", "assignments"
        )
    )
    teams.sort(
        key=lambda t: (
            any(a.application_id in busy for a in t.assignments.all()),
            -len(t.members.all()),
            t.pk,
        )
    )
    chosen, size = [], 0
    for team in teams:
        if size >= examiners:
            break
        chosen.append(team)
        size += len(team.members.all())
    if size < examiners:
        raise SystemExit(f"Only {size} examiners in the quality track's teams; {examiners} needed.")
    application_pks = [a.application_id for t in chosen for a in t.assignments.all()]
    strangers = (
        AssessmentItem.objects.filter(assessment__application_id__in=application_pks)
        .exclude(assessment__member__profile__user__username__startswith=PREFIX)
        .exists()
    )
    if strangers:
        # This writes to the database: never to a real cycle that happens to be this size.
        raise SystemExit(
            f"The cycle's examiners are not generated ({PREFIX}…): refusing to reopen their work."
        )
    with transaction.atomic():
        reopened = (
            Assessment.objects.filter(application_id__in=application_pks)
            .exclude(status=Assessment.Status.DRAFT)
            .update(status=Assessment.Status.DRAFT, submitted_at=None)
        )
        consensus = Consensus.objects.filter(application_id__in=application_pks)
        removed = consensus.count()
        consensus.delete()
        # The generated cycle's assessment deadline has passed; these teams get the time an
        # extension by SLK would give them (scoring.services.assessment_deadline_extend).
        Team.objects.filter(pk__in=[t.pk for t in chosen]).update(
            assessment_deadline_extended_to=timezone.localdate() + dt.timedelta(days=30)
        )
        # What the services would store after reopening (scoring.figures): the calibration.
        figures.store_calibration(cycle)
    rows = AssessmentItem.objects.filter(assessment__application_id__in=application_pks).values_list(
        "pk",
        "criterion_id",
        "version",
        "assessment__application_id",
        "assessment__member__profile__user__username",
    )
    work, initial = {}, {}
    for pk, criterion_pk, version, application_pk, username in rows.order_by(
        "assessment__member_id", "criterion__number"
    ):
        work.setdefault(username, {}).setdefault(application_pk, {})[pk] = criterion_pk
        initial[pk] = version
    by_team = [tm.member_id for t in chosen for tm in sorted(t.members.all(), key=lambda m: m.pk)]
    usernames = dict(
        Assessment.objects.filter(application_id__in=application_pks).values_list(
            "member_id", "member__profile__user__username"
        )
    )
    return Plan(
        year=cycle.year,
        track_pk=quality.pk,
        track_name=quality.name,
        steps=cycle.scale.steps,
        teams=[t.name for t in chosen],
        applications=dict(
            Application.objects.filter(pk__in=application_pks).order_by("code").values_list("pk", "code")
        ),
        examiners=[Examiner(usernames[m], work[usernames[m]]) for m in by_team if m in usernames],
        initial_versions=initial,
        reopened=reopened,
        consensus_removed=removed,
    )


# --- The server ----------------------------------------------------------------------------


def free_port(port: int | None) -> int:
    """`port` if it can be bound on 127.0.0.1 (exit with a clear message if not), else any free one."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind(("127.0.0.1", port or 0))
        except OSError as error:
            raise SystemExit(
                f"Port {port} on 127.0.0.1 is taken ({error}); choose another with --port."
            ) from None
        return probe.getsockname()[1]


def server_env(static_root: Path) -> dict:
    """The environment of `make serve`: DEBUG off, a random key, plain HTTP on loopback."""
    return {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SESSION_COOKIE_SECURE": "0",
        "DJANGO_CSRF_COOKIE_SECURE": "0",
        "DJANGO_STATIC_ROOT": str(static_root),
    }


class Server:
    """gunicorn in its own process group, always stopped by `stop` (also on errors)."""

    def __init__(self, *, port: int, workers: int, env: dict, log_path: Path, access_log: Path):
        self.port, self.log_path = port, log_path
        self.log = open(log_path, "w", encoding="utf-8")  # noqa: SIM115  (closed in stop)
        access_log.unlink(missing_ok=True)  # gunicorn appends; this run's lines only
        self.process = subprocess.Popen(  # noqa: S603  (our own interpreter and arguments)
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                # Not in `make serve`: one short line per request, for the time each took inside
                # a worker (queueing before a worker takes it is not in it).
                "--access-logfile",
                str(access_log),
                "--access-logformat",
                ACCESS_FORMAT,
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_up(self, timeout: float = 90) -> float:
        start = time.perf_counter()
        while time.perf_counter() - start < timeout:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited with {self.process.returncode}:\n{self.tail()}")
            try:
                if requests.get(f"http://127.0.0.1:{self.port}{LOGIN_PATH}", timeout=5).status_code == 200:
                    return time.perf_counter() - start
            except requests.RequestException:
                pass
            time.sleep(0.3)
        raise SystemExit(f"gunicorn did not answer within {timeout:.0f} s:\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        self.log.flush()
        return "\n".join(self.log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=35)
            except ProcessLookupError:
                pass
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        self.log.close()


# --- The virtual users ---------------------------------------------------------------------


@dataclass
class Record:
    kind: str
    who: str  # "single", "twin" or "reader"
    start: float  # seconds since the load started (negative: logins before it)
    ms: float
    outcome: str  # "ok", "stale" or the error


@dataclass
class Shared:
    base: str
    timeout: float
    think: float
    records: list = field(default_factory=list)
    sent: dict = field(default_factory=dict)  # token -> score
    accepted: dict = field(default_factory=dict)  # token -> version answered (None for the button)
    t0: float = 0.0
    deadline: float = 0.0


class Browser:
    """One logged-in browser session; every request is recorded with its outcome."""

    def __init__(self, shared: Shared, who: str):
        self.shared, self.who = shared, who
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "bench.concurrency"

    def request(self, kind, method, path, check, **kwargs):
        """(response, outcome); response None on a connection error or timeout. `check`
        turns a response into "ok", "stale" or a description of the error."""
        shared = self.shared
        start = time.perf_counter()
        try:
            response = self.session.request(
                method, shared.base + path, timeout=shared.timeout, allow_redirects=False, **kwargs
            )
            outcome = check(response)
        except requests.RequestException as error:
            response, outcome = None, f"{type(error).__name__}"
        except Exception as error:  # a bug of this client, counted rather than silently ending the user
            outcome = f"client {type(error).__name__}: {error}"
        end = time.perf_counter()
        shared.records.append(Record(kind, self.who, start - shared.t0, (end - start) * 1000, outcome))
        return response, outcome

    def post_headers(self, path: str) -> dict:
        return {"Origin": self.shared.base, "Referer": self.shared.base + path}

    def login(self, username: str, device: int = 0) -> bool:
        """The login page's form, as a person would: GET for the CSRF token, then POST; a
        committee member then gives the code of their `device`-th authenticator."""
        response, outcome = self.request(
            KIND_LOGIN, "GET", LOGIN_PATH, lambda r: "ok" if r.status_code == 200 else f"HTTP {r.status_code}"
        )
        token = csrf_token(response.text) if response is not None and outcome == "ok" else None
        if token is None:
            return False

        def logged_in(r):
            if r.status_code == 302 and LOGIN_PATH not in r.headers.get("Location", ""):
                return "ok" if "sessionid" in self.session.cookies else "no session cookie"
            return f"HTTP {r.status_code} (login refused)"

        _response, outcome = self.request(
            KIND_LOGIN,
            "POST",
            LOGIN_PATH,
            logged_in,
            data={"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token, "next": ""},
            headers=self.post_headers(LOGIN_PATH),
        )
        if outcome != "ok":
            return False
        return self.second_factor(device) if username.startswith(f"{PREFIX}domare") else True

    def second_factor(self, device: int) -> bool:
        """The committee's second factor, as a person with an authenticator app does: the
        verify page for its CSRF token, then the code of this 30-second step."""
        response, outcome = self.request(
            KIND_LOGIN,
            "GET",
            VERIFY_PATH,
            lambda r: "ok" if r.status_code == 200 else f"HTTP {r.status_code}",
        )
        token = csrf_token(response.text) if response is not None and outcome == "ok" else None
        if token is None:
            return False
        code = f"{totp(bytes.fromhex(totp_key(device % TOTP_DEVICES))):06d}"
        _response, outcome = self.request(
            KIND_LOGIN,
            "POST",
            VERIFY_PATH,
            lambda r: (
                "ok"
                if r.status_code == 302 and VERIFY_PATH not in r.headers.get("Location", "")
                else (f"HTTP {r.status_code} (second factor refused)")
            ),
            data={"code": code, "csrfmiddlewaretoken": token},
            headers=self.post_headers(VERIFY_PATH),
        )
        return outcome == "ok"

    def think(self, rng) -> None:
        """A pause of random length (exponential, mean --think), never past the end of the load."""
        if self.shared.think > 0:
            left = self.shared.deadline - time.perf_counter()
            time.sleep(max(0.0, min(rng.expovariate(1 / self.shared.think), left)))


def html_ok(marker: str, items=()):
    """A check for a whole page: 200, complete, with `marker` and a form for each of `items`."""

    def check(r):
        if r.status_code != 200:
            location = r.headers.get("Location", "")
            return f"HTTP {r.status_code}" + (f" → {location}" if location else "")
        text = r.text
        if marker not in text or "</html>" not in text[-200:]:
            return "incomplete page"
        if items and not set(items) <= set(page_versions(text)):
            return "assessment page without the criterion forms"
        return "ok"

    return check


def button_check(page_path: str):
    """The save button: a redirect to the criterion on the page when saved, the page with
    the conflict card when the item was saved from elsewhere since the page was loaded."""

    def check(r):
        if r.status_code == 302 and f"{page_path}#kriterium-" in r.headers.get("Location", ""):
            return "ok"
        if r.status_code == 200 and STALE_PAGE in r.text:
            return "stale"
        return f"HTTP {r.status_code}"

    return check


def autosave_check(criterion: int):
    """The htmx autosave: always 200, a status fragment saying saved (with the new version)
    or why not."""

    def check(r):
        if r.status_code != 200:
            return f"HTTP {r.status_code}"
        outcome, _version = autosave_outcome(r.text, criterion)
        return "ok" if outcome == "saved" else outcome

    return check


def examiner_user(
    browser: Browser, name: str, work: dict[int, dict[int, int]], steps, rng, *, saves_per_page, button_share
):
    """Open one of the examiner's assessments, then save criteria one after another as the
    page does (the autosave keeps the version it gets back, as the page's hidden field
    does); now and then the save button instead (a redirect, then the page again). A stale
    refusal is answered as a person would: open the page again."""
    shared, seq = browser.shared, 0
    applications = sorted(work)
    while time.perf_counter() < shared.deadline:
        application = rng.choice(applications)
        path = f"/bedomning/bidrag/{application}/"
        items = work[application]
        check = html_ok('name="csrfmiddlewaretoken"', items.values())
        response, outcome = browser.request(KIND_PAGE, "GET", path, check)
        if outcome != "ok":
            browser.think(rng)
            continue
        versions, token = page_versions(response.text), csrf_token(response.text)
        for _ in range(saves_per_page):
            browser.think(rng)
            if time.perf_counter() >= shared.deadline:
                break
            item = rng.choice(sorted(items))
            criterion = items[item]
            seq += 1
            mark = f"{TOKEN}{item}:{name}:{seq}"
            score = rng.choice(steps)
            prefix = f"k{criterion}-"
            data = {
                "csrfmiddlewaretoken": token,
                prefix + "version": versions[criterion],
                prefix + "score": score,
                prefix + "strengths": mark,
                prefix + "improvements": IMPROVEMENT,
                prefix + "notes": "",
            }
            save_path = f"/bedomning/bidrag/{application}/kriterium/{criterion}/"
            headers = browser.post_headers(path)
            button = rng.random() < button_share
            if button:
                kind, check = KIND_BUTTON, button_check(path)
            else:
                kind, check = KIND_AUTOSAVE, autosave_check(criterion)
                headers |= {
                    "HX-Request": "true",
                    "HX-Target": f"status-{criterion}",
                    "HX-Current-URL": shared.base + path,
                }
            shared.sent[mark] = score
            response, outcome = browser.request(kind, "POST", save_path, check, data=data, headers=headers)
            if outcome == "ok":
                version = None if button else autosave_outcome(response.text, criterion)[1]
                shared.accepted[mark] = version
                if version is not None:
                    versions[criterion] = version  # as the answer's out-of-band hidden field does
            if button or outcome != "ok":
                break  # the browser shows the page again


def committee_user(browser: Browser, path: str, marker: str, rng):
    shared = browser.shared
    while time.perf_counter() < shared.deadline:
        browser.request(KIND_READ, "GET", path, html_ok(marker))
        browser.think(rng)


def sample_database(stop: threading.Event, samples: list) -> None:
    """Once a second: client connections to the database, how many are running a statement,
    and how many wait for a lock."""
    try:
        with connection.cursor() as cursor:
            while not stop.wait(1.0):
                cursor.execute(
                    "SELECT count(*), count(*) FILTER (WHERE state = 'active'), "
                    "count(*) FILTER (WHERE wait_event_type = 'Lock') FROM pg_stat_activity "
                    "WHERE datname = current_database() AND backend_type = 'client backend' "
                    "AND pid <> pg_backend_pid()"
                )
                samples.append(cursor.fetchone())
    finally:
        connection.close()


def pg_counters() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT deadlocks, xact_rollback FROM pg_stat_database WHERE datname = current_database()"
        )
        deadlocks, rollbacks = cursor.fetchone()
        cursor.execute("SHOW max_connections")
        return {"deadlocks": deadlocks, "rollbacks": rollbacks, "max_connections": int(cursor.fetchone()[0])}


# --- The run -------------------------------------------------------------------------------


def run_load(plan: Plan, args, base: str, out) -> tuple[Shared, dict]:
    shared = Shared(base=base, timeout=args.timeout, think=args.think)
    examiner_sessions = args.users - args.readers
    distinct = examiner_sessions - args.twins
    examiners = plan.examiners[:distinct]
    step = distinct / args.twins if args.twins else 0
    twin_indexes = {int(k * step) for k in range(args.twins)}
    jobs = []  # (username, who, function(browser, rng))
    for i, examiner in enumerate(examiners):
        if i in twin_indexes:
            # Two sessions of one examiner on the same assessment: the same items, concurrently.
            first = min(examiner.work)
            work = {first: examiner.work[first]}
            for session in ("a", "b"):
                jobs.append((examiner.username, "twin", session, work))
        else:
            jobs.append((examiner.username, "single", "", examiner.work))
    readers = [
        (f"{PREFIX}domare{j % COMMITTEE_USERS + 1}", "reader", str(j), None) for j in range(args.readers)
    ]
    jobs += readers
    read_path = f"/bedomning/kommitten/{plan.year}/spar/{plan.track_pk}/"
    # The page's heading: the consolidated view of this track, whichever page of rows it shows.
    marker = f"Sammanställning: {plan.track_name}"
    logins = {"ok": 0, "failed": []}
    lock = threading.Lock()

    def start_clock():
        shared.t0 = time.perf_counter()
        shared.deadline = shared.t0 + args.duration

    barrier = threading.Barrier(len(jobs), action=start_clock)
    shared.t0 = time.perf_counter()  # logins are recorded relative to this until the barrier

    def user(index, username, who, session, work):
        rng = random.Random(args.seed * 1000 + index)  # noqa: S311  (a reproducible mix, not security)
        browser = Browser(shared, who)
        try:
            # The reader sessions of one committee member take turns among their authenticators.
            ok = browser.login(username, device=int(session) // COMMITTEE_USERS if who == "reader" else 0)
        except Exception as error:  # never leave the others waiting at the barrier
            ok = False
            shared.records.append(Record(KIND_LOGIN, who, 0.0, 0.0, f"client {type(error).__name__}"))
        with lock:
            if ok:
                logins["ok"] += 1
            else:
                logins["failed"].append(username)
        barrier.wait()
        if not ok:
            return
        try:
            if who == "reader":
                committee_user(browser, read_path, marker, rng)
            else:
                name = f"{username.removeprefix(PREFIX)}{session}"
                examiner_user(
                    browser,
                    name,
                    work,
                    plan.steps,
                    rng,
                    saves_per_page=args.saves_per_page,
                    button_share=args.button_share,
                )
        except Exception as error:  # a bug of this client: counted as an error of the user's kind
            kind = KIND_READ if who == "reader" else KIND_PAGE
            shared.records.append(Record(kind, who, 0.0, 0.0, f"client {type(error).__name__}: {error}"))

    threads = [threading.Thread(target=user, args=(i, *job), daemon=True) for i, job in enumerate(jobs)]
    out(
        f"Logging in {len(jobs)} users ({len(jobs) - len(readers)} examiner sessions, {len(readers)} committee)…"
    )
    login_started = time.perf_counter()
    for thread in threads:
        thread.start()
    while shared.deadline == 0.0 and any(t.is_alive() for t in threads):
        time.sleep(0.2)
    out(f"  logged in after {time.perf_counter() - login_started:.1f} s; load for {args.duration} s…")
    cpu_before = os.times()
    for thread in threads:
        thread.join()
    # Until the last answer (requests started before the deadline are waited for).
    elapsed = max([args.duration] + [r.start + r.ms / 1000 for r in shared.records if r.kind != KIND_LOGIN])
    cpu_after = os.times()
    info = {
        "elapsed": elapsed,
        "logins": logins,
        "sessions": Counter(who for _u, who, _s, _w in jobs),
        "distinct_examiners": len(examiners),
        "client_cpu": (cpu_after.user - cpu_before.user) + (cpu_after.system - cpu_before.system),
        "read_path": read_path,
    }
    return shared, info


def summarise(records: list[Record], elapsed: float) -> list[dict]:
    rows = []
    for kind in [KIND_LOGIN, *KINDS]:
        mine = [r for r in records if r.kind == kind]
        if not mine:
            continue
        ms = [r.ms for r in mine]
        rows.append(
            {
                "kind": kind,
                "n": len(mine),
                "rps": None if kind == KIND_LOGIN else len(mine) / elapsed,
                "median": statistics.median(ms),
                "p90": percentile(ms, 0.9),
                "p99": percentile(ms, 0.99),
                "max": max(ms),
                "stale": sum(r.outcome == "stale" for r in mine),
                "errors": sum(r.outcome not in ("ok", "stale") for r in mine),
            }
        )
    return rows


def read_outcome(plan: Plan, audit_after: int) -> tuple[dict, dict, int]:
    stored = {
        pk: (score, strengths, version)
        for pk, score, strengths, version in AssessmentItem.objects.filter(
            pk__in=plan.initial_versions
        ).values_list("pk", "score", "strengths", "version")
    }
    audit, other = {}, 0
    for pk, changes in AuditEntry.objects.filter(
        pk__gt=audit_after, action=AuditAction.INDIVIDUAL
    ).values_list("pk", "changes"):
        after = (changes.get("strengths") or [None, None])[1]
        token = stored_token(after)
        if token is None:
            other += 1
        else:
            audit[token] = pk
    return stored, audit, other


ACCESS_FORMAT = "%(m)s %(U)s %(s)s %(D)s %({hx-request}i)s"
ROUTES = [
    ("GET", re.compile(r"/bedomning/bidrag/\d+/"), KIND_PAGE),
    ("POST", re.compile(r"/bedomning/bidrag/\d+/kriterium/\d+/"), None),  # htmx or button: by the header
    ("GET", re.compile(r"/bedomning/kommitten/\d+/spar/\d+/"), KIND_READ),
]


def server_times(text: str) -> dict[str, list[float]]:
    """{kind: [ms inside a worker]} from the access log (ACCESS_FORMAT)."""
    times = defaultdict(list)
    for line in text.splitlines():
        parts = line.split()
        if len(parts) != 5 or not parts[3].isdigit():
            continue
        method, path, _status, micros, hx = parts
        for route_method, pattern, kind in ROUTES:
            if method == route_method and pattern.fullmatch(path):
                kind = kind or (KIND_AUTOSAVE if hx == "true" else KIND_BUTTON)
                times[kind].append(int(micros) / 1000)
                break
    return times


def server_log_summary(text: str) -> dict:
    return {
        "tracebacks": text.count("Traceback (most recent call last)"),
        "server errors": len(re.findall(r"Internal Server Error", text)),
        "worker timeouts": text.count("WORKER TIMEOUT"),
        "worker boots": len(re.findall(r"Booting worker", text)),
    }


def main(argv=None):
    parser = load_parser(__doc__)
    parser.add_argument(
        "--users", type=int, default=50, help="virtual users in all (examiner sessions + readers)"
    )
    parser.add_argument("--readers", type=int, default=10, help="of which committee members reading")
    parser.add_argument(
        "--twins",
        type=int,
        default=5,
        help="examiners with two concurrent sessions on the same assessment (2 users each)",
    )
    parser.add_argument("--duration", type=float, default=60, help="seconds of load")
    parser.add_argument("--think", type=float, default=0.0, help="mean pause between a user's requests, s")
    parser.add_argument("--saves-per-page", type=int, default=4, help="autosaves after each page load")
    parser.add_argument("--button-share", type=float, default=0.2, help="share of saves by the save button")
    parser.add_argument("--timeout", type=float, default=60, help="client timeout per request, s")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (make serve: 3)")
    parser.add_argument("--port", type=int, default=None, help="default: a free port")
    parser.add_argument("--no-migrate", action="store_true")
    parser.add_argument("--note", default="", help="a line about the machine's state, written to the results")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    parser.add_argument("--label", default="", help="appended to the results file's name, e.g. think5")
    parser.add_argument("--server-log", type=Path, default=ROOT / "var" / "bench-concurrency-gunicorn.log")
    args = parser.parse_args(argv)
    examiner_sessions = args.users - args.readers
    if args.readers < 0 or examiner_sessions < 1 or not 0 <= 2 * args.twins <= examiner_sessions:
        parser.error("need --readers >= 0, at least one examiner session and 2 × --twins <= users - readers")

    def out(line):
        print(line, flush=True)

    # SIGTERM (e.g. from a CI runner) ends the run through the finally below, which stops gunicorn.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    port = free_port(args.port)
    load_before = os.getloadavg()
    if not args.no_migrate:
        call_command("migrate", verbosity=0)
    year = args.cycle_year or today().year
    generated = ensure_load(args.applications, args.seed, year, out)
    cycle = AwardCycle.objects.select_related("scale").get(year=year)
    db_short, db_version = db_label()
    if connection.vendor != "postgresql":
        out(
            "Warning: not PostgreSQL; the production stack is gunicorn + PostgreSQL (scripts/with-postgres.sh)."
        )
    plan = prepare(cycle, examiners=examiner_sessions - args.twins)
    out(
        f"Prepared {len(plan.teams)} teams, {len(plan.applications)} applications: {plan.reopened} assessments "
        f"back to draft, {plan.consensus_removed} consensus removed, {len(plan.initial_versions)} items writable."
    )
    if connection.vendor == "postgresql":
        # generate_load bulk-inserts everything in one transaction and the server starts right
        # after it, before autovacuum has analysed anything: without statistics PostgreSQL
        # plans the consolidated view's aggregate query (scoring/consolidation.py) with nested
        # loops over its CTE, 85 s instead of 0.1 s at N = 1,000. A production database has
        # statistics; so must the benchmark's.
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        out(f"ANALYZE {time.perf_counter() - start:.1f} s")
    audit_after = AuditEntry.objects.aggregate(top=Max("pk"))["top"] or 0
    counters_before = pg_counters() if connection.vendor == "postgresql" else None
    connections.close_all()

    args.server_log.parent.mkdir(parents=True, exist_ok=True)
    samples, stop_sampling = [], threading.Event()
    with tempfile.TemporaryDirectory(prefix="bench-static-") as static_root:
        env = server_env(Path(static_root))
        start = time.perf_counter()
        subprocess.run(  # noqa: S603  (our own interpreter and manage.py)
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
        )
        out(f"collectstatic {time.perf_counter() - start:.1f} s; starting gunicorn on 127.0.0.1:{port}")
        access_log = args.server_log.with_suffix(".access.log")
        server = Server(
            port=port, workers=args.workers, env=env, log_path=args.server_log, access_log=access_log
        )
        sampler = None
        try:
            boot = server.wait_until_up()
            out(f"  gunicorn answers after {boot:.1f} s ({args.workers} workers)")
            if counters_before is not None:
                sampler = threading.Thread(target=sample_database, args=(stop_sampling, samples), daemon=True)
                sampler.start()
            shared, info = run_load(plan, args, f"http://127.0.0.1:{port}", out)
        finally:
            stop_sampling.set()
            if sampler is not None:
                sampler.join(timeout=5)
            server.stop()
    load_after = os.getloadavg()
    log_text = args.server_log.read_text(encoding="utf-8", errors="replace")
    log_summary = server_log_summary(log_text)
    inside = server_times(access_log.read_text(encoding="utf-8", errors="replace"))

    counters_after = pg_counters() if counters_before is not None else None
    stored, audit, other_audit = read_outcome(plan, audit_after)
    check = check_saves(
        initial_versions=plan.initial_versions,
        sent=shared.sent,
        accepted=shared.accepted,
        audit=audit,
        stored=stored,
    )
    loaded = [r for r in shared.records if r.kind != KIND_LOGIN]
    rows = summarise(shared.records, info["elapsed"])
    errors = Counter((r.kind, r.outcome) for r in loaded if r.outcome not in ("ok", "stale"))
    stale = Counter(r.who for r in loaded if r.outcome == "stale")
    login_errors = [r.outcome for r in shared.records if r.kind == KIND_LOGIN and r.outcome != "ok"]
    total_errors = sum(errors.values()) + len(login_errors)

    for row in rows:
        rps = "" if row["rps"] is None else f"{row['rps']:6.1f}/s"
        out(
            f"  {row['kind']:<40} {row['n']:6} {rps:>8}  median {row['median']:7.0f} ms  p90 {row['p90']:7.0f}"
            f"  p99 {row['p99']:7.0f}  stale {row['stale']:4}  errors {row['errors']}"
        )
    out(
        f"  saves: {len(shared.sent)} posted, {check['accepted']} accepted, {check['applied']} applied (audit); "
        f"stale refusals {sum(stale.values())} ({dict(stale)}); errors {total_errors}; "
        f"lost updates {check['lost_updates']}"
    )

    now = dt.datetime.now()
    sessions = info["sessions"]
    pool_max = os.environ.get("DJANGO_DB_POOL_MAX", "8")
    lines = [
        f"# Concurrency benchmark, N = {args.applications}, {db_version}",
        "",
        f"- Date: {now:%Y-%m-%d %H:%M}",
        f"- Machine: {platform.platform()}, {os.cpu_count()} CPUs ({platform.processor() or platform.machine()})",
        f"- Load average (1/5/15 min) before: {', '.join(f'{x:.2f}' for x in load_before)}; "
        f"after: {', '.join(f'{x:.2f}' for x in load_after)}",
        f"- Versions: Python {platform.python_version()}, Django {django.get_version()}, "
        f"gunicorn {_version('gunicorn')}, requests {requests.__version__}, {db_version}",
        f"- Code: {code_version()}",
        f"- Server: `gunicorn config.wsgi --workers {args.workers}` (sync workers) on 127.0.0.1, the environment "
        "of `make serve` (DEBUG off, WhiteNoise, collectstatic), psycopg pool max "
        f"{pool_max} per worker"
        + (f", PostgreSQL max_connections {counters_after['max_connections']}" if counters_after else ""),
        f"- Data: cycle {cycle.year}, {args.applications} applications (seed {args.seed}); generation "
        + (f"{generated:.1f} s" if generated is not None else "reused an existing load"),
        f"- Prepared (bench.concurrency.prepare): {len(plan.teams)} quality-award teams, "
        f"{len(plan.applications)} applications, {plan.reopened} individual assessments back to draft, "
        f"{plan.consensus_removed} consensus (with items) deleted, {len(plan.initial_versions)} writable items",
        f"- Users: {args.users} at once for {args.duration:g} s, no ramp-up (all logged in first): "
        f"{sessions['single']} examiners with one session, {args.twins} examiners with two sessions on the "
        f"same assessment ({sessions['twin']} sessions), {sessions['reader']} committee members "
        f"({COMMITTEE_USERS} accounts) reading `{info['read_path']}`; think time "
        + (
            f"{args.think:g} s (mean)"
            if args.think
            else "none (closed loop, each user waits only for its answer)"
        )
        + f"; {args.saves_per_page} saves per page load, {args.button_share:.0%} by the save button",
        f"- Client: one process, one thread and `requests.Session` per user, on the same machine; it used "
        f"{info['client_cpu']:.1f} CPU-seconds in {info['elapsed']:.0f} s "
        f"({info['client_cpu'] / info['elapsed']:.0%} of one core)",
    ]
    if args.note:
        lines.append(f"- Note: {args.note}")
    lines += [
        "",
        f"## Requests ({info['elapsed']:.1f} s from the start of the load until the last answer)",
        "",
        "| kind | requests | req/s | median ms | p90 ms | p99 ms | max ms | in worker: median / p90 ms "
        "| stale refusals | errors |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in rows:
        rps = "–" if row["rps"] is None else f"{row['rps']:.1f}"
        worker = inside.get(row["kind"])
        worker = f"{statistics.median(worker):.0f} / {percentile(worker, 0.9):.0f}" if worker else "–"
        lines.append(
            f"| {row['kind']} | {row['n']} | {rps} | {row['median']:.0f} | {row['p90']:.0f} | {row['p99']:.0f} "
            f"| {row['max']:.0f} | {worker} | {row['stale']} | {row['errors']} |"
        )
    all_ms = [r.ms for r in loaded]
    if all_ms:
        lines.append(
            f"| **all but logins** | {len(loaded)} | {len(loaded) / info['elapsed']:.1f} | "
            f"{statistics.median(all_ms):.0f} | {percentile(all_ms, 0.9):.0f} | {percentile(all_ms, 0.99):.0f} "
            f"| {max(all_ms):.0f} | | {sum(stale.values())} | {sum(errors.values())} |"
        )
    busy = {kind: sum(ms) / 1000 for kind, ms in inside.items()}
    if busy:
        total_busy = sum(busy.values())
        lines += [
            "",
            f"Time inside the workers: {total_busy:.0f} worker-seconds in {info['elapsed']:.0f} s "
            f"({total_busy / info['elapsed']:.1f} of {args.workers} workers busy on average); "
            + ", ".join(f"{kind} {s:.0f} s ({s / total_busy:.0%})" for kind, s in busy.items())
            + ".",
        ]
    lines += [
        "",
        "Latencies are as the client saw them (queueing for a free worker included); *in worker* is "
        "gunicorn's own request time from its access log, so the difference is the wait for a worker. "
        "Logins happen before the load starts and are not in the rates. An error is a 5xx, any other "
        "unexpected status or page, a connection failure or a timeout; a stale refusal (the application's "
        '"saved from another window" answer to a save from an old version) is a correct outcome.',
        "",
        "## Saves and the lost-update check",
        "",
        f"- Posted: {len(shared.sent)}; accepted (the application's success answer): {check['accepted']}; "
        f"stale refusals: {stale['twin']} from the two-session examiners, {stale['single']} from one-session "
        "examiners (expected 0)",
        f"- Applied according to the audit trail (`scoring.individual` entries of the run, one per applied "
        f"save): {check['applied']}; other such entries: {other_audit}",
        f"- Accepted but not applied: {len(check['not_applied'])}; applied but not acknowledged to the client "
        f"(e.g. answered after a client timeout): {len(check['unacknowledged'])}",
        f"- Items whose stored value is not their last applied save: {len(check['lost'])}; items whose version "
        f"did not grow by the number of applied saves: {len(check['versions'])}; versions answered that do not "
        f"match the save's place in the server's order: {len(check['returned_versions'])}",
        f"- **Lost updates: {check['lost_updates']}**",
    ]
    problems = (check["not_applied"] + check["lost"] + check["versions"] + check["returned_versions"]) + [
        f"{t}: applied, not acknowledged" for t in check["unacknowledged"]
    ]
    if problems:
        lines += ["", "```", *problems[:50], "```"]
    lines += ["", "## Errors", ""]
    if errors or login_errors:
        lines += ["| kind | cause | count |", "| --- | --- | ---: |"]
        lines += [f"| {kind} | {cause} | {n} |" for (kind, cause), n in errors.most_common()]
        lines += [f"| {KIND_LOGIN} | {cause} | {n} |" for cause, n in Counter(login_errors).most_common()]
    else:
        lines.append(f"None ({info['logins']['ok']} logins, {len(loaded)} requests under load).")
    lines += [
        "",
        "## Server and database",
        "",
        f"- gunicorn log (`{args.server_log.relative_to(ROOT) if args.server_log.is_relative_to(ROOT) else args.server_log}`): "
        + ", ".join(f"{k} {v}" for k, v in log_summary.items()),
    ]
    if samples:
        lines.append(
            f"- Database client connections, sampled each second: at most {max(s[0] for s in samples)} open, "
            f"{max(s[1] for s in samples)} running a statement, {max(s[2] for s in samples)} waiting for a lock "
            f"(mean {statistics.mean(s[2] for s in samples):.2f})"
        )
    if counters_before and counters_after:
        lines.append(
            f"- PostgreSQL during the run: {counters_after['deadlocks'] - counters_before['deadlocks']} deadlocks, "
            f"{counters_after['rollbacks'] - counters_before['rollbacks']} rolled-back transactions"
        )
    args.out.mkdir(parents=True, exist_ok=True)
    label = f"-{args.label}" if args.label else ""
    target = args.out / f"{now:%Y-%m-%d}-{db_short}-concurrency-N{args.applications}{label}.md"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out(f"Wrote {target}")
    if total_errors or check["lost_updates"]:
        out(f"TARGET MISSED: {total_errors} errors, {check['lost_updates']} lost updates.")
        sys.exit(1)


def code_version() -> str:
    """The commit of the working tree and the files changed since it (read-only git calls)."""
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}

    def git(*args):
        done = subprocess.run(  # noqa: S603
            ["git", *args],  # noqa: S607
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD")
    if not commit:
        return "unknown (not a git checkout)"
    changed = git("diff", "--name-only", "HEAD").split()
    new = [
        f
        for f in git("ls-files", "--others", "--exclude-standard").split()
        if not f.startswith("bench/results/")
    ]
    if not changed and not new:
        return f"commit {commit}, no uncommitted changes"
    return f"commit {commit} + uncommitted changes in {', '.join(f'`{c}`' for c in changed) or 'no file'}" + (
        f"; new files {', '.join(f'`{c}`' for c in new)}" if new else ""
    )


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "?"


if __name__ == "__main__":
    main()
