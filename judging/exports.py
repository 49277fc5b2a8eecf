"""The cycle's export for SLK and the committee: one XLSX workbook, or the same sheets as
CSV files (zipped, or one at a time).

Sheets:
- Sammanfattning: per application, its totals, rank and outcome (from the consolidated view).
- Examinatorer: every examiner's score on every criterion of every application, in long
  format (one row per application × criterion × examiner, with the team's consensus and
  the deviation beside it). Teams differ in size and membership, so a wide matrix with a
  column per examiner would mean something different on every row; the long format is
  what a pivot table wants (rows: application and criterion, columns: examiner, values:
  score rebuilds the matrix, and filtering by examiner or team just works).
- Konsensus: the final consensus per application × criterion, with the discussion's
  conclusion, strengths, areas for improvement, the post-visit score and its reason.
- Beslut: every decision of the cycle (drafts, signed and superseded ones) with each
  outcome's citation, who signed, who stepped out and who was present.

The XLSX is written by `award.spreadsheets.FastWorkbook` (each row's XML at once, streamed
into the zip file; several times faster than openpyxl's write-only mode) and rows come from
database iterators, so memory stays flat as the cycle grows; the file itself is spooled to
disk past a few megabytes. No cell is ever a formula: every text is a text cell
(`award.spreadsheets`). In CSV, decimals are written with a decimal comma, as Swedish Excel
expects beside the semicolon separator.
"""

import io
import tempfile
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from award.spreadsheets import XLSX_CONTENT_TYPE, FastWorkbook, write_csv
from judging.consolidation import consolidated
from judging.models import Decision, DecisionOutcome
from scoring.models import Assessment, AssessmentItem, Consensus, ConsensusItem

SPOOL_BYTES = 8 * 1024 * 1024


def _yes_no(value: bool) -> str:
    return _("Ja") if value else _("Nej")


def _name(first: str, last: str, username: str) -> str:
    return f"{first} {last}".strip() or username


def _person(user) -> str:
    return _name(user.first_name, user.last_name, user.username) if user else ""


def _lines(values) -> str:
    return "\n".join(str(v) for v in values or [])


def _local(moment):
    # Excel has no time zones: write Stockholm wall-clock time.
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


# --- The sheets --------------------------------------------------------------------------


def summary_header() -> list[str]:
    return [
        _("Bidragskod"),
        _("Enhet"),
        _("Förvaltning"),
        _("Spår"),
        _("Tävlingsklass"),
        _("Kan tilldelas utmärkelsen"),
        _("Anmärkningar"),
        _("Konsensustotal"),
        _("Total efter platsbesök"),
        _("Placering i klassen"),
        _("Utfall"),
    ]


def summary_rows(cycle, **_options) -> Iterator[list]:
    for track in cycle.tracks.order_by("pk"):
        for group in consolidated(track, detail=False)["classes"]:
            for row in group["rows"]:
                a = row.application
                yield [
                    a.code,
                    a.unit.name,
                    a.unit.organisation.name,
                    str(track.name),
                    str(group["name"]),
                    _yes_no(a.award_eligible),
                    "\n".join(row.marks),
                    row.total,
                    row.visit_total,
                    row.rank,
                    row.outcome,
                ]


def _criterion_row_header() -> list[str]:
    """The columns that place a row of the score sheets: application and criterion."""
    return [
        _("Bidragskod"),
        _("Enhet"),
        _("Spår"),
        _("Tävlingsklass"),
        _("Lag"),
        _("Kriterium nr"),
        _("Kriterium"),
    ]


def examiner_header() -> list[str]:
    return [
        *_criterion_row_header(),
        _("Examinator"),
        _("Poäng (%)"),
        _("Konsensuspoäng (%)"),
        _("Avvikelse från konsensus"),
    ]


def examiner_rows(cycle, *, named: bool = False, withheld=(), **_options) -> Iterator[list]:
    """One row per application × criterion × examiner. Examiners are named only for SLK
    (`named`); the committee sees "Examinator 1…n" per application, as on its pages. The
    applications in `withheld` (whose team the reader belongs to and may not yet see,
    `queries.withheld_assessments`) are left out."""
    # The team's consensus score beside each individual one: read once (one row per
    # application and criterion) rather than looked up by a subquery for every score.
    agreed_scores = {
        (application_id, criterion_id): score
        for application_id, criterion_id, score in ConsensusItem.objects.filter(
            consensus__application__track__cycle=cycle, consensus__status=Consensus.Status.FINAL
        ).values_list("consensus__application_id", "criterion_id", "score")
    }
    items = (
        AssessmentItem.objects.filter(
            assessment__application__track__cycle=cycle, assessment__status=Assessment.Status.SUBMITTED
        )
        .exclude(assessment__application_id__in=list(withheld))
        .order_by(
            "assessment__application__code",
            "criterion__number",
            *(
                [
                    "assessment__member__profile__user__last_name",
                    "assessment__member__profile__user__first_name",
                ]
                if named
                else ["assessment__member_id"]
            ),
        )
        .values_list(
            "assessment__application__code",
            "assessment__application__unit__name",
            "assessment__application__track__name",
            "assessment__application__competition_class__name",
            "assessment__application__assignment__team__name",
            "criterion__number",
            "criterion__title",
            "assessment__member__profile__user__first_name",
            "assessment__member__profile__user__last_name",
            "assessment__member__profile__user__username",
            "score",
            "assessment__application_id",
            "criterion_id",
            "assessment__member_id",
        )
    )
    numbers: dict[tuple[str, int], int] = {}
    per_application: dict[str, int] = {}
    for (
        code,
        unit,
        track,
        klass,
        team,
        number,
        title,
        first,
        last,
        username,
        score,
        application_id,
        criterion_id,
        member,
    ) in items.iterator(chunk_size=2000):
        agreed = agreed_scores.get((application_id, criterion_id))
        if not named:
            if (code, member) not in numbers:
                per_application[code] = per_application.get(code, 0) + 1
                numbers[(code, member)] = per_application[code]
            first, last, username = "", "", f"Examinator {numbers[(code, member)]}"
        deviation = score - agreed if score is not None and agreed is not None else None
        yield [
            code,
            unit,
            track,
            klass or "",
            team or "",
            number,
            title,
            _name(first, last, username),
            score,
            agreed,
            deviation,
        ]


def consensus_header() -> list[str]:
    return [
        *_criterion_row_header(),
        _("Vikt (poäng)"),
        _("Konsensuspoäng (%)"),
        _("Slutsats av diskussionen"),
        _("Styrkor"),
        _("Förbättringsområden"),
        _("Poäng efter platsbesök (%)"),
        _("Skäl till ändringen efter platsbesöket"),
        _("Poäng som gäller (%)"),
    ]


def consensus_rows(cycle, **_options) -> Iterator[list]:
    items = (
        ConsensusItem.objects.filter(
            consensus__application__track__cycle=cycle, consensus__status=Consensus.Status.FINAL
        )
        .order_by("consensus__application__code", "criterion__number")
        .values_list(
            "consensus__application__code",
            "consensus__application__unit__name",
            "consensus__application__track__name",
            "consensus__application__competition_class__name",
            "consensus__team__name",
            "criterion__number",
            "criterion__title",
            "criterion__weight",
            "score",
            "discussion_note",
            "strengths",
            "improvements",
            "visit_score",
            "visit_reason",
        )
    )
    for row in items.iterator(chunk_size=2000):
        (
            code,
            unit,
            track,
            klass,
            team,
            number,
            title,
            weight,
            score,
            note,
            strengths,
            improvements,
            visit,
            reason,
        ) = row
        yield [
            code,
            unit,
            track,
            klass or "",
            team,
            number,
            title,
            weight,
            score,
            note,
            _lines(strengths),
            _lines(improvements),
            visit,
            reason,
            visit if visit is not None else score,
        ]


def decision_header() -> list[str]:
    return [
        _("Beslut nr"),
        _("Spår"),
        _("Tävlingsklass"),
        _("Status"),
        _("Möte"),
        _("Mötesdatum"),
        _("Ingen utmärkelse i år"),
        _("Motivering till beslutet"),
        _("Bidragskod"),
        _("Enhet"),
        _("Utfall"),
        _("Motivering (citat)"),
        _("Signerat av"),
        _("Signerat"),
        _("Deltog inte (jäv)"),
        _("Närvarande"),
        _("Ersätter beslut nr"),
        _("Skäl till rättelsen"),
    ]


def decision_rows(cycle, **_options) -> Iterator[list]:
    decisions = (
        Decision.objects.filter(meeting__cycle=cycle)
        .select_related("meeting", "track", "competition_class", "signed_by")
        .prefetch_related("outcomes__application__unit", "stepped_out", "meeting__present")
        .order_by("track_id", "competition_class__order", "pk")
    )
    for decision in decisions:
        common = [
            decision.pk,
            str(decision.track.name),
            decision.competition_class.name if decision.competition_class else "",
            decision.get_status_display(),
            decision.meeting.get_kind_display(),
            decision.meeting.date,
            _yes_no(decision.no_award),
            decision.rationale,
        ]
        after = [
            _person(decision.signed_by),
            _local(decision.signed_at),
            ", ".join(sorted(_person(u) for u in decision.stepped_out.all())),
            ", ".join(sorted(_person(u) for u in decision.meeting.present.all())),
            decision.supersedes_id,
            decision.correction_reason,
        ]
        # Winners first, then honourable mentions, each by code.
        outcomes = sorted(
            decision.outcomes.all(),
            key=lambda o: (o.outcome != DecisionOutcome.Outcome.WINNER, o.application.code),
        )
        if not outcomes:
            yield [*common, "", "", "", "", *after]
        for outcome in outcomes:
            application = outcome.application
            yield [
                *common,
                application.code,
                application.unit.name,
                outcome.get_outcome_display(),
                outcome.citation,
                *after,
            ]


@dataclass(frozen=True)
class Sheet:
    slug: str  # the CSV file's name and the ?sheet= value
    title: str
    header: Callable[[], list[str]]
    rows: Callable[..., Iterator[list]]


SHEETS = {
    sheet.slug: sheet
    for sheet in [
        Sheet("sammanfattning", gettext_lazy("Sammanfattning"), summary_header, summary_rows),
        Sheet("examinatorer", gettext_lazy("Examinatorer"), examiner_header, examiner_rows),
        Sheet("konsensus", gettext_lazy("Konsensus"), consensus_header, consensus_rows),
        Sheet("beslut", gettext_lazy("Beslut"), decision_header, decision_rows),
    ]
}


# --- Writing -----------------------------------------------------------------------------


def write_xlsx(cycle, target, **options) -> None:
    """Write the workbook to a path or a binary file object. `options` go to every sheet's
    rows: `named` (examiners by name, for SLK) and `withheld` (see `examiner_rows`)."""
    book = FastWorkbook(target)
    for sheet in SHEETS.values():
        worksheet = book.sheet(str(sheet.title), sheet.header())
        for row in sheet.rows(cycle, **options):
            book.append(worksheet, row)
    book.close()


def _csv_number(value):
    if isinstance(value, Decimal | float):
        return str(value).replace(".", ",")
    return value


def write_sheet_csv(cycle, slug: str, stream, **options) -> None:
    """Write one sheet as CSV to a text stream."""
    sheet = SHEETS[slug]
    rows = ([_csv_number(v) for v in row] for row in sheet.rows(cycle, **options))
    write_csv(stream, sheet.header(), rows)


def write_csv_zip(cycle, target, **options) -> None:
    """Write one CSV per sheet into a zip file (a path or a binary file object)."""
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for slug in SHEETS:
            with (
                archive.open(f"{slug}.csv", "w") as raw,
                io.TextIOWrapper(raw, encoding="utf-8", newline="") as text,
            ):
                write_sheet_csv(cycle, slug, text, **options)


def write_csv_directory(cycle, directory, **options) -> list:
    """Write one CSV per sheet into an existing directory; returns the paths written."""
    written = []
    for slug in SHEETS:
        path = directory / f"{slug}.csv"
        with path.open("w", encoding="utf-8", newline="") as stream:
            write_sheet_csv(cycle, slug, stream, **options)
        written.append(path)
    return written


def _file_response(write, *, filename: str, content_type: str) -> FileResponse:
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 (FileResponse closes it)
    write(spool)
    spool.seek(0)
    return FileResponse(spool, as_attachment=True, filename=filename, content_type=content_type)


def xlsx_response(cycle, **options) -> FileResponse:
    return _file_response(
        lambda f: write_xlsx(cycle, f, **options),
        filename=f"omgang-{cycle.year}.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


def csv_zip_response(cycle, **options) -> FileResponse:
    return _file_response(
        lambda f: write_csv_zip(cycle, f, **options),
        filename=f"omgang-{cycle.year}-csv.zip",
        content_type="application/zip",
    )


def csv_response(cycle, slug: str, **options) -> FileResponse:
    def write(f):
        text = io.TextIOWrapper(f, encoding="utf-8", newline="")
        write_sheet_csv(cycle, slug, text, **options)
        text.flush()
        text.detach()  # leave the spooled file open for the response

    return _file_response(write, filename=f"{slug}-{cycle.year}.csv", content_type="text/csv; charset=utf-8")
