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
import re
import zipfile
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


# --- A fast XLSX writer ----------------------------------------------------------------------

# What text needs before it goes into the XML: a control character to show, a character
# to escape (a carriage return as a reference, or the XML reader would make it a newline).
_NEEDS_WORK = re.compile(r"[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_EPOCH = dt.datetime(1899, 12, 30)
_STYLE_DATE, _STYLE_DATETIME = 1, 2  # and 3, bold, for the header
_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "{sheets}</Types>"
)
_SHEET_TYPE = (
    '<Override PartName="/xl/worksheets/sheet{n}.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
    'Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    "<sheets>{sheets}</sheets></workbook>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    "{sheets}"
    '<Relationship Id="rIdStyles" '
    'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" '
    'Target="styles.xml"/></Relationships>'
)
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy-mm-dd hh:mm"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_START = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
)
_SHEET_END = "</sheetData></worksheet>"


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_COLUMNS = [_column_letter(i) for i in range(702)]  # A … ZZ


def _xlsx_text(value: str) -> str:
    if not _NEEDS_WORK.search(value):
        return value
    value = award_text.shown(value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")


class FastWorkbook:
    """An XLSX writer for large exports, about ten times faster than openpyxl's write-only
    mode: each row becomes its XML text at once and streams into the zip file, so memory
    stays flat. The same API as StreamingWorkbook (`sheet`, `append`, `save`/`to_bytes`)
    for the sheets, but written to `target` (a path or a binary file object) as it goes.

    Formula-safe by construction: no cell is ever written as a formula (there is no `<f>`
    element); every text is an inline text cell, so text beginning with "=" is text (what
    `xlsx_cell` makes of a risky value), shown with its control characters replaced as in
    every export (`award.text.shown`). Numbers are number cells, dates and times date cells
    (Stockholm wall-clock time, as given), None an empty cell."""

    FLUSH_ROWS = 500

    def __init__(self, target):
        self._zip = zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        self._titles: list[str] = []
        self._stream = None
        self._buffer: list[str] = []
        self._row = 0
        self._texts: dict[str, str] = {}  # short texts repeat (units, criteria, names): escaped once

    def sheet(self, title: str, header: list[str]) -> int:
        self._close_sheet()
        self._titles.append(str(title)[:31])
        self._stream = self._zip.open(f"xl/worksheets/sheet{len(self._titles)}.xml", "w", force_zip64=True)
        self._stream.write(_SHEET_START.encode())
        self._row = 0
        self._write_row(header, bold=True)
        return len(self._titles)

    def append(self, _sheet, row) -> None:
        self._write_row(row)

    def _text(self, value: str) -> str:
        text = self._texts.get(value)
        if text is None:
            text = _xlsx_text(value)
            if len(value) <= 200 and len(self._texts) < 100_000:
                self._texts[value] = text
        return text

    def _write_row(self, values, *, bold: bool = False) -> None:
        self._row += 1
        number = str(self._row)
        text_cell = (
            '" t="inlineStr" s="3"><is><t xml:space="preserve">'
            if bold
            else '" t="inlineStr"><is><t xml:space="preserve">'
        )
        cells = []
        for index, value in enumerate(values):
            kind = type(value)
            if kind is str:
                if value:  # an empty text is an empty cell, as openpyxl writes it
                    cells.append(
                        f'<c r="{_COLUMNS[index]}{number}{text_cell}{self._text(value)}</t></is></c>'
                    )
            elif kind is int or kind is Decimal or kind is float:
                cells.append(f'<c r="{_COLUMNS[index]}{number}"><v>{value}</v></c>')
            elif value is None:
                continue
            elif isinstance(value, bool):
                cells.append(f'<c r="{_COLUMNS[index]}{number}" t="b"><v>{int(value)}</v></c>')
            elif isinstance(value, int | float | Decimal):
                cells.append(f'<c r="{_COLUMNS[index]}{number}"><v>{value}</v></c>')
            elif isinstance(value, dt.datetime):
                serial = (value.replace(tzinfo=None) - _EPOCH).total_seconds() / 86400
                cells.append(f'<c r="{_COLUMNS[index]}{number}" s="{_STYLE_DATETIME}"><v>{serial}</v></c>')
            elif isinstance(value, dt.date):
                serial = (value - _EPOCH.date()).days
                cells.append(f'<c r="{_COLUMNS[index]}{number}" s="{_STYLE_DATE}"><v>{serial}</v></c>')
            else:  # lazy translations and anything else: as text
                text = str(value)
                if text:
                    cells.append(f'<c r="{_COLUMNS[index]}{number}{text_cell}{self._text(text)}</t></is></c>')
        self._buffer.append(f'<row r="{number}">{"".join(cells)}</row>')
        if len(self._buffer) >= self.FLUSH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._buffer:
            self._stream.write("".join(self._buffer).encode())
            self._buffer = []

    def _close_sheet(self) -> None:
        if self._stream is not None:
            self._flush()
            self._stream.write(_SHEET_END.encode())
            self._stream.close()
            self._stream = None

    def close(self) -> None:
        """Finish the file: the workbook's parts that name the sheets."""
        self._close_sheet()
        titles = self._titles
        self._zip.writestr(
            "[Content_Types].xml",
            _CONTENT_TYPES.format(sheets="".join(_SHEET_TYPE.format(n=n) for n in range(1, len(titles) + 1))),
        )
        self._zip.writestr("_rels/.rels", _ROOT_RELS)
        sheets = "".join(
            f'<sheet name="{_xlsx_text(title).replace(chr(34), "&quot;")}" sheetId="{n}" r:id="rId{n}"/>'
            for n, title in enumerate(titles, start=1)
        )
        self._zip.writestr("xl/workbook.xml", _WORKBOOK.format(sheets=sheets))
        relations = "".join(
            f'<Relationship Id="rId{n}" '
            'Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" '
            f'Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, len(titles) + 1)
        )
        self._zip.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS.format(sheets=relations))
        self._zip.writestr("xl/styles.xml", _STYLES)
        self._zip.close()


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
