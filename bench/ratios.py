"""The targets of issue 18 as ratios measured side by side in one process, which travel
between machines where absolute times do not (bench/README.md, "Ratios").

- The committee's consolidated view of the quality track against its floor: the bare SQL
  behind its figures (per application the weighted consensus total, after the site visit
  where revised; per application and criterion the spread of the individual scores; per
  examiner the mean and mean square over the cycle), timed alternately with the view
  through the whole URL stack, 50 rows a page and the whole track on one page (`?alla=1`).
  The same statements as ../shared/bench/floor.py.
- The cycle's XLSX export (judging.exports.write_xlsx, FastWorkbook) against the same
  rows written through openpyxl's write-only workbook (award.spreadsheets.StreamingWorkbook,
  the writer before), alternately: the speed-up, cells per second and bytes.
- 50 logins arriving at once on 3 worker processes (as `make serve`'s gunicorn): each
  login's wait until its password check is done, for the default hasher.

Run by bench.run (`make bench`), or alone: `python -m bench.ratios --rounds 10`.
"""

import argparse
import io
import os
import statistics
import sys
import time
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from django.apps import apps  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.contrib.auth.hashers import check_password, make_password  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django.urls import reverse  # noqa: E402

TARGETS = {
    "view_50": 2.0,  # the view within 2× its floor, 50 rows a page
    "view_all": 4.0,  # within 4× with every row of the track on one page
    "ms_per_row": 0.3,  # server time per row of the table
    "export_speedup": 5.0,  # at least 5× faster than the writer before
    "login_p90_s": 1.5,  # 50 simultaneous logins
    "autosave_queries": 10,  # tests/scoring/test_autosave_queries.py pins what it is
}


def _table(label, model):
    return connection.ops.quote_name(apps.get_model(label, model)._meta.db_table)


FLOOR_SQL = [
    "SELECT c.application_id, SUM(COALESCE(ci.visit_score, ci.score) * cr.weight) FROM {citem} ci "
    "JOIN {cons} c ON ci.consensus_id = c.id JOIN {crit} cr ON ci.criterion_id = cr.id "
    "JOIN {app} a ON a.id = c.application_id WHERE a.track_id = %s GROUP BY c.application_id",
    "SELECT s.application_id, i.criterion_id, MAX(i.score) - MIN(i.score) FROM {aitem} i "
    "JOIN {ass} s ON i.assessment_id = s.id JOIN {app} a ON a.id = s.application_id "
    "WHERE a.track_id = %s GROUP BY s.application_id, i.criterion_id",
    "SELECT s.member_id, AVG(i.score), AVG(i.score * i.score), COUNT(*) FROM {aitem} i "
    "JOIN {ass} s ON i.assessment_id = s.id JOIN {app} a ON a.id = s.application_id "
    "JOIN {track} t ON t.id = a.track_id WHERE t.cycle_id = %s "
    "AND i.score IS NOT NULL GROUP BY s.member_id",
]


def _floor_statements(cycle, track):
    tables = {
        "app": _table("submissions", "Application"),
        "crit": _table("award", "Criterion"),
        "cons": _table("scoring", "Consensus"),
        "citem": _table("scoring", "ConsensusItem"),
        "ass": _table("scoring", "Assessment"),
        "aitem": _table("scoring", "AssessmentItem"),
        "track": _table("award", "Track"),
    }
    params = [[track.pk], [track.pk], [cycle.pk]]
    return [(sql.format(**tables), p) for sql, p in zip(FLOOR_SQL, params, strict=True)]


def consolidated_floor(cycle, *, user, rounds: int = 15, all_rows: bool = False) -> dict:
    """The view's median time, its floor's, their ratio and the page's size."""
    Track = apps.get_model("award", "Track")
    track = Track.objects.filter(cycle=cycle).order_by("pk").first()
    statements = _floor_statements(cycle, track)
    client = Client(HTTP_HOST="localhost")
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("judging:consolidated", args=[cycle.year, track.pk]) + ("?alla=1" if all_rows else "")
    with override_settings(DEBUG=False, TWO_FACTOR_REQUIRED=False):
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        view, floor = [], []
        for _ in range(rounds):
            start = time.perf_counter()
            response = client.get(url)
            view.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            with connection.cursor() as cursor:
                for sql, params in statements:
                    cursor.execute(sql, params)
                    cursor.fetchall()
            floor.append((time.perf_counter() - start) * 1000)
    v, f = statistics.median(view), statistics.median(floor)
    rows = response.content.decode().count('<th scope="row">')
    return {"view_ms": v, "floor_ms": f, "ratio": v / f, "bytes": len(response.content), "rows": rows}


def _openpyxl_write(cycle, target, **options):
    """The export as it was written before: the same rows through openpyxl's write-only
    workbook (award.spreadsheets.StreamingWorkbook)."""
    from award.spreadsheets import StreamingWorkbook
    from judging.exports import SHEETS

    book = StreamingWorkbook()
    for sheet in SHEETS.values():
        worksheet = book.sheet(str(sheet.title), sheet.header())
        for row in sheet.rows(cycle, **options):
            book.append(worksheet, row)
    book.workbook.save(target)


def export_speedup(cycle, *, rounds: int = 2) -> dict:
    from judging.exports import SHEETS, write_xlsx

    cells = sum(
        len(sheet.header()) + sum(len(r) for r in sheet.rows(cycle, named=True)) for sheet in SHEETS.values()
    )
    fast, before, size = [], [], 0
    for _ in range(rounds):
        for writer, times in ((write_xlsx, fast), (_openpyxl_write, before)):
            buffer = io.BytesIO()
            start = time.perf_counter()
            writer(cycle, buffer, named=True)
            times.append(time.perf_counter() - start)
            if writer is write_xlsx:
                size = len(buffer.getvalue())
    f, b = min(fast), min(before)
    return {
        "seconds": f,
        "before_seconds": b,
        "speedup": b / f,
        "cells": cells,
        "cells_per_s": cells / f,
        "bytes": size,
    }


def _check(args):
    encoded, started = args
    check_password("bench-lösenord", encoded)
    return time.time() - started


def logins(*, users: int = 50, workers: int = 3) -> dict:
    encoded = make_password("bench-lösenord")  # the default hasher
    single = []
    for _ in range(5):
        start = time.perf_counter()
        check_password("bench-lösenord", encoded)
        single.append(time.perf_counter() - start)
    with get_context("fork").Pool(workers) as pool:
        pool.map(_check, [(encoded, time.time())] * workers)
        started = time.time()
        waits = sorted(pool.map(_check, [(encoded, started)] * users, chunksize=1))
    return {
        "hasher": encoded.split("$", 1)[0],
        "one_ms": statistics.median(single) * 1000,
        "p50_s": waits[len(waits) // 2],
        "p90_s": waits[int(len(waits) * 0.9) - 1],
    }


def measure(cycle, *, user, rounds: int = 10, export: bool = True) -> dict:
    paged = consolidated_floor(cycle, user=user, rounds=rounds)
    whole = consolidated_floor(cycle, user=user, rounds=max(3, rounds // 2), all_rows=True)
    extra_rows = max(whole["rows"] - paged["rows"], 1)
    return {
        "paged": paged,
        "whole": whole,
        "ms_per_row": (whole["view_ms"] - whole["floor_ms"] - (paged["view_ms"] - paged["floor_ms"]))
        / extra_rows,
        "export": export_speedup(cycle) if export else None,
        "logins": logins(),
    }


def table(result: dict) -> list[str]:
    """Markdown rows: what was measured, the value, the target, met or by how much not."""

    def verdict(value, target, *, higher_is_better=False):
        met = value >= target if higher_is_better else value <= target
        return "met" if met else f"missed by {abs(value - target) / target:.0%}"

    paged, whole, ex, lg = result["paged"], result["whole"], result["export"], result["logins"]
    lines = [
        "| measure | value | target | |",
        "| --- | ---: | ---: | --- |",
        f"| consolidated view / floor, 50 rows ({paged['view_ms']:.0f} / {paged['floor_ms']:.0f} ms) "
        f"| {paged['ratio']:.2f}× | ≤ {TARGETS['view_50']:.0f}× | {verdict(paged['ratio'], TARGETS['view_50'])} |",
        f"| consolidated view / floor, whole track on one page, {whole['rows']} rows "
        f"({whole['view_ms']:.0f} / {whole['floor_ms']:.0f} ms, {whole['bytes'] / 1024:.0f} KB) "
        f"| {whole['ratio']:.2f}× | ≤ {TARGETS['view_all']:.0f}× | {verdict(whole['ratio'], TARGETS['view_all'])} |",
        f"| server time per table row | {result['ms_per_row']:.2f} ms | ≤ {TARGETS['ms_per_row']} ms "
        f"| {verdict(result['ms_per_row'], TARGETS['ms_per_row'])} |",
    ]
    if ex:
        lines.append(
            f"| XLSX export, openpyxl writer / this one ({ex['before_seconds']:.1f} / {ex['seconds']:.1f} s; "
            f"{ex['cells']:,} cells, {ex['cells_per_s']:,.0f} cells/s, {ex['bytes'] / 1024 / 1024:.1f} MB) "
            f"| {ex['speedup']:.1f}× | ≥ {TARGETS['export_speedup']:.0f}× "
            f"| {verdict(ex['speedup'], TARGETS['export_speedup'], higher_is_better=True)} |"
        )
    lines.append(
        f"| 50 simultaneous logins, 3 workers, p90 ({lg['hasher']}, {lg['one_ms']:.0f} ms a check) "
        f"| {lg['p90_s']:.2f} s | ≤ {TARGETS['login_p90_s']} s | {verdict(lg['p90_s'], TARGETS['login_p90_s'])} |"
    )
    lines.append(
        "| autosave queries, assessment / consensus / answer, in production; a test adds its "
        "savepoint and release: 11 / 12 / 10 (pinned by tests/scoring/ and "
        "tests/submissions/test_autosave_queries.py); each item's row locked by its last statement "
        f"| 9 / 10 / 8 | ≤ {TARGETS['autosave_queries']} | met |"
    )
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--user", default="load-domare2")
    args = parser.parse_args(argv)
    cycle = apps.get_model("award", "AwardCycle").objects.current()
    user = get_user_model().objects.get(username=args.user)
    print("\n".join(table(measure(cycle, user=user, rounds=args.rounds, export=not args.skip_export))))


if __name__ == "__main__":
    main()
