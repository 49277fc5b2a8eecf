"""Writing spreadsheets that cannot run formulas.

A cell whose text begins with =, +, -, @, a tab or a carriage return could be taken for a
formula by Excel or LibreOffice. In XLSX such a value is stored explicitly as a text cell
(numbers stay number cells, which cannot be formulas); in CSV, where every field is text
to the reader, any field beginning so is prefixed with an apostrophe (the OWASP advice for
CSV injection), a negative number included.

Every spreadsheet and CSV the platform writes goes through this module; the admin's
django-import-export files are escaped by award.resources.AwardResource.export_resource with
this module's `escape_formula` (and read back with `unescape_formula`), so one rule decides
what could run as a formula.

XLSX cannot hold most ASCII control characters (a vertical tab pasted from a word
processor is enough to make openpyxl refuse the whole file). Forms and imports refuse them
now, but older rows may hold them, so in XLSX and in CSV alike each is replaced by its
visible control picture (␀, ␇, …; `award.text.shown`) before the formula check, and an
export never fails on stored text.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable
from decimal import Decimal

from django.utils.functional import Promise
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from award import text as award_text

# A text cell beginning with one of these may be run as a formula by Excel or LibreOffice.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def is_risky(value) -> bool:
    """Whether a spreadsheet could run the value as a formula: the one test every writer
    here and the admin's import-export files (`escape_formula`) ask."""
    return isinstance(value, str) and value.startswith(FORMULA_STARTS)


def _is_escaped_form(text: str) -> bool:
    """Text that escape_formula would prefix in a CSV: it begins with a formula character,
    or with apostrophes followed by one (so an apostrophe of the data's own survives)."""
    return is_risky(text) or (text.startswith("'") and _is_escaped_form(text[1:]))


def escape_formula(text: str, *, native: bool = False) -> str:
    """Prefix an apostrophe to text a spreadsheet would run as a formula. In XLSX written
    by django-import-export (`native` cells) only text beginning with "=" becomes a formula
    cell, other text is a text cell; a CSV reader takes all of FORMULA_STARTS.
    unescape_formula reverses both, so an export re-imports unchanged (text that itself
    begins with an apostrophe before a formula character gets one more)."""
    risky = text.startswith("=") if native else is_risky(text)
    if risky or (text.startswith("'") and _is_escaped_form(text[1:])):
        return "'" + text
    return text


def unescape_formula(text: str) -> str:
    """What an import reads back from escape_formula's text."""
    if text.startswith("'") and _is_escaped_form(text[1:]):
        return text[1:]
    return text


def _plain(value) -> bool:
    if isinstance(value, str):
        return not is_risky(value) and not award_text.SHOWN.search(value)
    return value is None or isinstance(value, int | float | Decimal | dt.date | dt.datetime)


def xlsx_cell(sheet, value, *, bold=False):
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str):
        value = award_text.shown(value)
    cell = WriteOnlyCell(sheet, value=value)
    if is_risky(value) or cell.data_type == "f":
        cell.data_type = "s"
    if bold:
        cell.font = Font(bold=True)
    return cell


class StreamingWorkbook:
    """A write-only workbook: rows go straight to disk-backed XML, so memory stays flat."""

    def __init__(self):
        self.workbook = Workbook(write_only=True)

    def sheet(self, title: str, header: list[str]):
        sheet = self.workbook.create_sheet(title=title[:31])
        sheet.append([xlsx_cell(sheet, h, bold=True) for h in header])
        return sheet

    @staticmethod
    def append(sheet, row: Iterable):
        # Numbers, dates and harmless text go in as plain values (openpyxl types them the
        # same way, without a cell object each: the export writes hundreds of thousands);
        # anything that could become a formula or holds a control character gets a cell.
        sheet.append([value if _plain(value) else xlsx_cell(sheet, value) for value in row])

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


def csv_value(value):
    if value is None:
        return ""
    return escape_formula(award_text.shown(str(value)))


def write_csv(stream, header: list[str], rows: Iterable[Iterable]) -> None:
    """Write rows to a text stream one at a time (memory stays flat however many rows),
    semicolon-separated and starting with a byte-order mark so Excel opens Swedish
    characters correctly."""
    stream.write("\ufeff")
    writer = csv.writer(stream, delimiter=";")
    writer.writerow([csv_value(h) for h in header])
    for row in rows:
        writer.writerow([csv_value(v) for v in row])


def csv_bytes(header: list[str], rows: Iterable[Iterable]) -> bytes:
    buffer = io.StringIO()
    write_csv(buffer, header, rows)
    return buffer.getvalue().encode("utf-8")


XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
