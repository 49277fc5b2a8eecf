"""The fast XLSX writer (award.spreadsheets.FastWorkbook) the cycle export uses: what it
writes reads back as openpyxl's own writer would have it, and nothing is ever a formula."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
from django.utils.translation import gettext_lazy

from award.spreadsheets import FORMULA_STARTS, FastWorkbook

RISKY = [start + "SUM(A1:A2)" for start in FORMULA_STARTS] + ['=HYPERLINK("http://x","klick")', "-5", "@x"]


def _write(*sheets):
    buffer = io.BytesIO()
    book = FastWorkbook(buffer)
    for title, header, rows in sheets:
        sheet = book.sheet(title, header)
        for row in rows:
            book.append(sheet, row)
    book.close()
    return buffer.getvalue()


def test_formula_like_text_is_text_and_reads_back_unchanged():
    content = _write(("Blad", ["=rubrik", "b"], [[text, 1] for text in RISKY]))
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    cells = [row[0] for row in sheet.iter_rows()]
    assert [c.value for c in cells] == ["=rubrik", *RISKY]
    assert all(c.data_type == "s" for c in cells)
    assert b"<f>" not in zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml")


def test_values_keep_their_types_and_text_its_characters():
    when = dt.datetime(2027, 3, 1, 14, 30)
    row = [
        12,
        -5,
        3.5,
        Decimal("612.5"),
        None,
        "",
        "a & b < c > d",
        "rad 1\r\nrad 2\tx",
        "ctrl\x07\x00",
        "  blanksteg  ",
        dt.date(2027, 3, 1),
        when,
        gettext_lazy("Ja"),
        True,
    ]
    content = _write(("Blad", ["a"] * len(row), [row]))
    header, values = openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows()
    assert header[0].font.b
    assert [c.value for c in values] == [
        12,
        -5,
        3.5,
        612.5,
        None,
        None,
        "a & b < c > d",
        "rad 1\r\nrad 2\tx",
        "ctrl\u2407\u2400",
        "  blanksteg  ",
        dt.datetime(2027, 3, 1),
        when,
        "Ja",
        True,
    ]


def test_several_sheets_in_order_with_their_titles():
    content = _write(("Första", ["x"], [[1], [2]]), ("Andra & <tredje>", ["y"], []))
    book = openpyxl.load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Första", "Andra & <tredje>"]
    assert [r[0] for r in book["Första"].iter_rows(values_only=True)] == ["x", 1, 2]
    assert [r[0] for r in book["Andra & <tredje>"].iter_rows(values_only=True)] == ["y"]
