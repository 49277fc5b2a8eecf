"""The benchmark of issue 8: the key pages, the cycle export and the team proposal at N
applications, against the database in DATABASE_URL (SQLite by default).

    DJANGO_SETTINGS_MODULE=config.settings python -m bench.run --applications 1000
    python bench/run.py --applications 1000 --requests 20

Generates the load with bench.generate_load unless the database already holds a generated cycle
of that size, then writes a markdown table to bench/results/<date>-<db>-N<n>.md.
See bench/README.md.
"""

import argparse
import datetime as dt
import logging
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()
# The login audit (django-axes) and the missing collectstatic directory are noise here.
logging.getLogger("axes").setLevel(logging.WARNING)
warnings.filterwarnings("ignore", message="No directory at")

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from award.models import AwardCycle, Track, today  # noqa: E402
from bench import ratios  # noqa: E402
from bench.generate_load import PREFIX, generate  # noqa: E402
from examiners import proposal as team_proposal  # noqa: E402
from examiners import queries as examiner_queries  # noqa: E402
from examiners.models import Team, TeamMember  # noqa: E402
from submissions.models import Application  # noqa: E402

BACKEND = "django.contrib.auth.backends.ModelBackend"


def percentile(values, p):
    ordered = sorted(values)
    k = (len(ordered) - 1) * p
    low, high = int(k), min(int(k) + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (k - low)


def db_label() -> tuple[str, str]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return "postgres", f"PostgreSQL {cursor.fetchone()[0]}"
    if connection.vendor == "sqlite":
        import sqlite3

        return "sqlite", f"SQLite {sqlite3.sqlite_version}"
    return connection.vendor, connection.vendor


def ensure_load(n: int, seed: int, year: int, out) -> float | None:
    """Generate the load unless it is there; the generation time, or None when reused."""
    cycle = AwardCycle.objects.filter(year=year).first()
    if cycle is not None:
        have = Application.objects.filter(track__cycle=cycle).count()
        if have != n:
            sys.exit(
                f"The database already holds cycle {year} with {have} applications, not {n}: use a fresh one."
            )
        out(f"Reusing cycle {year} with {n} applications.")
        return None
    start = time.perf_counter()
    generate(applications=n, seed=seed, cycle_year=year, force=True, out=out)
    return time.perf_counter() - start


def measure(client: Client, url: str, *, requests: int, warmup: int) -> dict:
    for _ in range(warmup):
        response = client.get(url)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
    timings = []
    for _ in range(requests):
        start = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return {
        "median": statistics.median(timings),
        "p90": percentile(timings, 0.9),
        "queries": len(queries),
        "bytes": len(response.content),
    }


def pages(cycle, *, requests: int, warmup: int, out) -> list[tuple[str, str, dict]]:
    User = get_user_model()
    quality = cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    application = Application.objects.filter(track=quality).order_by("code").first()
    leader = (
        TeamMember.objects.filter(team__assignments__application=application, is_leader=True)
        .select_related("member__profile__user")
        .get()
        .member.profile.user
    )
    contact = application.unit.contacts.get()
    committee = User.objects.get(username=f"{PREFIX}domare2")
    slk = User.objects.get(username=f"{PREFIX}slk")
    plan = [
        (
            "Committee: consolidated view (quality track)",
            committee,
            "judging:consolidated",
            (cycle.year, quality.pk),
        ),
        ("Committee: application drill-down", committee, "judging:drilldown", (application.pk,)),
        ("Team leader: consensus page", leader, "scoring:consensus", (application.pk,)),
        ("Examiner: home (examiners:home)", leader, "examiners:home", ()),
        ("Unit contact: start page (home)", contact, "home", ()),
        (
            "Unit contact: applications (submissions:application_list)",
            contact,
            "submissions:application_list",
            (),
        ),
        ("SLK: overview of applications", slk, "submissions:overview", ()),
    ]
    results = []
    for label, user, name, args in plan:
        client = Client(HTTP_HOST="localhost")
        client.force_login(user, backend=BACKEND)
        url = reverse(name, args=args)
        result = measure(client, url, requests=requests, warmup=warmup)
        out(
            f"  {label:<60} median {result['median']:8.1f} ms  p90 {result['p90']:8.1f} ms  {result['queries']:4} queries"
        )
        results.append((label, url, result))
    return results


def export(cycle) -> dict:
    """The XLSX export in a child process, so its peak RSS is the export's own."""
    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "export.xlsx"
        # VmHWM (Linux) is the peak RSS of this process image; ru_maxrss would also count the
        # parent's size, which a child inherits across fork and exec.
        code = (
            "import os, resource, sys, time, django\n"
            f"sys.path.insert(0, {str(ROOT)!r})\n"
            "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'config.settings')\n"
            "def peak_kb():\n"
            "    try:\n"
            "        for line in open('/proc/self/status'):\n"
            "            if line.startswith('VmHWM:'):\n"
            "                return int(line.split()[1])\n"
            "    except OSError:\n"
            "        pass\n"
            "    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss\n"
            "django.setup()\n"
            "from award.models import AwardCycle\n"
            "from judging.exports import write_xlsx\n"
            f"cycle = AwardCycle.objects.get(year={cycle.year})\n"
            "base = peak_kb()\n"
            "start = time.perf_counter()\n"
            f"write_xlsx(cycle, {str(target)!r}, named=True)\n"
            "print(time.perf_counter() - start, base, peak_kb())\n"
        )
        done = subprocess.run(  # noqa: S603  (our own interpreter and code)
            [sys.executable, "-c", code], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise RuntimeError(done.stderr)
        seconds, base_kb, peak_kb = done.stdout.strip().splitlines()[-1].split()
        return {
            "seconds": float(seconds),
            "baseline_mb": int(base_kb) / 1024,
            "peak_mb": int(peak_kb) / 1024,
            "size_mb": target.stat().st_size / 1024 / 1024,
        }


def hard_rule_violations(proposal, candidates, entries, max_apps: int) -> list[str]:
    """Every hard rule of examiners/proposal.py, checked on the result."""
    by_candidate = {c.id: c for c in candidates}
    by_entry = {e.id: e for e in entries}
    problems, uses, placed = [], {}, set()
    for team in proposal.teams:
        members = [by_candidate[i] for i in team.member_ids]
        team_entries = [by_entry[i] for i in team.entry_ids]
        if len(members) < team_proposal.TEAM_FLOOR:
            problems.append(f"{team.name}: fewer than {team_proposal.TEAM_FLOOR} members")
        if team.leader_id not in team.member_ids or not by_candidate[team.leader_id].experienced:
            problems.append(f"{team.name}: leader missing or not experienced")
        if not 1 <= len(team_entries) <= max_apps:
            problems.append(f"{team.name}: {len(team_entries)} applications")
        if any(e.track_id != team.track_id for e in team_entries):
            problems.append(f"{team.name}: mixed tracks")
        for member in members:
            uses[member.id] = uses.get(member.id, 0) + 1
            if not member.qualified:
                problems.append(f"{team.name}: {member.name} not qualified")
            for entry in team_entries:
                problems += [f"{team.name}: {reason}" for reason in team_proposal.conflicts(member, entry)]
        for entry in team_entries:
            if entry.id in placed:
                problems.append(f"{entry.code} in two teams")
            placed.add(entry.id)
    problems += [
        f"{by_candidate[i].name} in {n} teams" for i, n in uses.items() if n > by_candidate[i].max_teams
    ]
    return problems


class ProposalTimeout(Exception):
    pass


def _alarm(signum, frame):
    raise ProposalTimeout


def team_proposal_run(cycle, *, timeout: int) -> dict:
    """The automatic proposal for the whole cycle, as if no team were confirmed yet (the
    generated teams are set back to draft inside a transaction that is rolled back).
    Stopped after `timeout` seconds, which the results then report."""
    import signal

    with transaction.atomic():
        Team.objects.filter(cycle=cycle).update(status=Team.Status.DRAFT)
        start = time.perf_counter()
        previous = signal.signal(signal.SIGALRM, _alarm)
        signal.alarm(timeout)
        try:
            proposal = examiner_queries.proposal_make(cycle)
        except ProposalTimeout:
            transaction.set_rollback(True)
            return {"seconds": None, "timed_out_after": timeout, "violations": []}
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
        seconds = time.perf_counter() - start
        candidates, entries = examiner_queries.proposal_inputs(cycle)
        violations = hard_rule_violations(proposal, candidates, entries, cycle.max_applications_per_team)
        transaction.set_rollback(True)
    return {
        "seconds": seconds,
        "candidates": len(candidates),
        "entries": len(entries),
        "teams": len(proposal.teams),
        "unplaced": len(proposal.unplaced),
        "violations": violations,
    }


def load_parser(description: str) -> argparse.ArgumentParser:
    """The arguments every benchmark shares: which generated load to measure."""
    parser = argparse.ArgumentParser(
        description=description, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--applications", "-n", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cycle-year", type=int, default=None)
    return parser


def main(argv=None):
    parser = load_parser(__doc__)
    parser.add_argument("--requests", type=int, default=20, help="timed requests per page (after warm-up)")
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--no-migrate", action="store_true")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--skip-proposal", action="store_true")
    parser.add_argument(
        "--proposal-timeout", type=int, default=120, help="seconds before the proposal is stopped"
    )
    parser.add_argument("--note", default="", help="a line about the machine's state, written to the results")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)

    def out(line):
        print(line, flush=True)

    load_before = os.getloadavg()
    if not args.no_migrate:
        call_command("migrate", verbosity=0)
    year = args.cycle_year or today().year
    generated = ensure_load(args.applications, args.seed, year, out)
    cycle = AwardCycle.objects.get(year=year)
    db_short, db_version = db_label()
    out(f"Measuring N={args.applications} on {db_version}")
    # Measured as production serves them: DEBUG off (no query log, no debug pages); the
    # second factor is not what is measured (force_login has no device to verify).
    with override_settings(DEBUG=False, TWO_FACTOR_REQUIRED=False):
        page_results = pages(cycle, requests=args.requests, warmup=args.warmup, out=out)
    # Issue 18's targets as ratios measured side by side (bench/ratios.py), each beside its target.
    ratio_result = ratios.measure(
        cycle, user=get_user_model().objects.get(username=f"{PREFIX}domare2"), export=not args.skip_export
    )
    ratio_lines = ratios.table(ratio_result)
    out("\n".join(ratio_lines))
    export_result = None if args.skip_export else export(cycle)
    if export_result:
        out(f"  export: {export_result}")
    proposal_result = None if args.skip_proposal else team_proposal_run(cycle, timeout=args.proposal_timeout)
    if proposal_result:
        out(
            f"  proposal: { {k: v for k, v in proposal_result.items() if k != 'violations'} }, "
            f"{len(proposal_result['violations'])} hard-rule violations"
        )
    load_after = os.getloadavg()

    counts = {
        "applications": Application.objects.filter(track__cycle=cycle).count(),
        "assessment items": connection.cursor()
        .execute(
            "SELECT COUNT(*) FROM scoring_assessmentitem i JOIN scoring_assessment a ON a.id = i.assessment_id "
            "JOIN submissions_application p ON p.id = a.application_id JOIN award_track t ON t.id = p.track_id "
            "WHERE t.cycle_id = %s",
            [cycle.pk],
        )
        .fetchone()[0]
        if connection.vendor == "sqlite"
        else None,
    }
    if counts["assessment items"] is None:
        from scoring.models import AssessmentItem

        counts["assessment items"] = AssessmentItem.objects.filter(
            assessment__application__track__cycle=cycle
        ).count()

    now = dt.datetime.now()
    lines = [
        f"# Benchmark, N = {args.applications}, {db_version}",
        "",
        f"- Date: {now:%Y-%m-%d %H:%M}",
        f"- Machine: {platform.platform()}, {os.cpu_count()} CPUs ({platform.processor() or platform.machine()})",
        f"- Load average (1/5/15 min) before: {', '.join(f'{x:.2f}' for x in load_before)}; "
        f"after: {', '.join(f'{x:.2f}' for x in load_after)}",
        f"- Versions: Python {platform.python_version()}, Django {django.get_version()}, {db_version}",
        f"- Data: cycle {cycle.year}, {counts['applications']} applications, "
        f"{counts['assessment items']} individual score rows (seed {args.seed})",
        "- Generation (generate_load, incl. history cycle): "
        + (f"{generated:.1f} s" if generated is not None else "reused an existing load"),
    ]
    if args.note:
        lines.append(f"- Note: {args.note}")
    lines += [
        "",
        f"## Pages (Django test Client through the URL stack, logged in, DEBUG off; {args.warmup} warm-up, "
        f"{args.requests} timed requests)",
        "",
        "| page | URL | median ms | p90 ms | queries | KB |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for label, url, r in page_results:
        lines.append(
            f"| {label} | `{url}` | {r['median']:.1f} | {r['p90']:.1f} | {r['queries']} | {r['bytes'] / 1024:.0f} |"
        )
    lines += [
        "",
        "## Against the targets of issue 18 (ratios side by side, bench/ratios.py)",
        "",
        *ratio_lines,
    ]
    if export_result:
        lines += [
            "",
            "## XLSX export of the cycle (judging.exports.write_xlsx, separate process)",
            "",
            "| time s | peak RSS MB | RSS after django.setup() MB | file MB |",
            "| ---: | ---: | ---: | ---: |",
            f"| {export_result['seconds']:.1f} | {export_result['peak_mb']:.0f} | {export_result['baseline_mb']:.0f} "
            f"| {export_result['size_mb']:.1f} |",
        ]
    if proposal_result and proposal_result.get("timed_out_after"):
        lines += [
            "",
            "## Team proposal (examiners.queries.proposal_make, all generated teams set back to draft)",
            "",
            f"Did not finish within {proposal_result['timed_out_after']} s (target: 30 s); see bench/README.md.",
        ]
    elif proposal_result:
        v = proposal_result["violations"]
        lines += [
            "",
            "## Team proposal (examiners.queries.proposal_make, all generated teams set back to draft)",
            "",
            "| examiners | applications | time s | teams | unplaced | hard rules |",
            "| ---: | ---: | ---: | ---: | ---: | --- |",
            f"| {proposal_result['candidates']} | {proposal_result['entries']} | {proposal_result['seconds']:.1f} "
            f"| {proposal_result['teams']} | {proposal_result['unplaced']} | "
            + ("all met" if not v else f"{len(v)} violated, e.g. {v[0]}")
            + " |",
        ]
    args.out.mkdir(parents=True, exist_ok=True)
    target = args.out / f"{now:%Y-%m-%d}-{db_short}-N{args.applications}.md"
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out(f"Wrote {target}")


if __name__ == "__main__":
    main()
