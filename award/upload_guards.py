"""Guards on spreadsheet files uploaded for import, checked before the file is parsed.

An XLSX file is a zip archive of XML documents. A small upload can unpack to gigabytes (a
"zip bomb"), or hold thousands of parts, so before openpyxl opens it the archive's table
of contents is read: it must be a zip at all, hold a workbook, have at most
AWARD_IMPORT_MAX_ENTRIES parts, unpack to at most AWARD_IMPORT_MAX_UNCOMPRESSED_BYTES in
total, and no large part may be compressed more than AWARD_IMPORT_MAX_COMPRESSION_RATIO
times (ordinary spreadsheets stay far below it). The sizes are the ones the archive
declares; Python's zipfile, which openpyxl reads through, stops at the declared size and
refuses a part whose content does not match it, so a lying archive cannot unpack more.
The XML itself is parsed with defusedxml (openpyxl uses it when it is installed; the
XLSX format refuses to read anything otherwise).

A CSV file may be at most AWARD_IMPORT_MAX_UNCOMPRESSED_BYTES and must be UTF-8, with or
without a byte-order mark. Either format may have at most AWARD_IMPORT_MAX_ROWS rows
under the header row; reading stops as soon as there are more.

Excel writes a character that XML cannot hold (a control character such as a vertical tab
pasted from Word, or the carriage return of a line break) as "_x000B_"; openpyxl leaves
that escape as text, so GuardedXLSX turns it back into the character, and the resources
then refuse or keep it as for a CSV file (award.text).

Every refusal is an ImportRefused (a ValueError) with a Swedish message, raised before
any row reaches a resource, so nothing is imported. Each limit is a setting with the
default below.

In the admin, GuardedImportAdminMixin (put it before ImportExportModelAdmin) reads
uploads with the guarded formats and shows the refusal's own message on the form instead
of django-import-export's generic English one.
"""

import io
import re
import zipfile

import tablib
from django.conf import settings
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from import_export.formats import base_formats

from award.text import is_control

DEFAULT_MAX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
DEFAULT_MAX_ENTRIES = 200
DEFAULT_MAX_COMPRESSION_RATIO = 100
DEFAULT_MAX_ROWS = 5000
# Small parts (styles, an almost empty sheet) compress far better than data does; only
# parts above this size are held to the ratio.
RATIO_CHECKED_FROM_BYTES = 1024 * 1024


class ImportRefused(ValueError):
    """An uploaded import file that is not read at all; its message is for the user."""


def max_uncompressed_bytes() -> int:
    return getattr(settings, "AWARD_IMPORT_MAX_UNCOMPRESSED_BYTES", DEFAULT_MAX_UNCOMPRESSED_BYTES)


def max_entries() -> int:
    return getattr(settings, "AWARD_IMPORT_MAX_ENTRIES", DEFAULT_MAX_ENTRIES)


def max_compression_ratio() -> int:
    return getattr(settings, "AWARD_IMPORT_MAX_COMPRESSION_RATIO", DEFAULT_MAX_COMPRESSION_RATIO)


def max_rows() -> int:
    return getattr(settings, "AWARD_IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)


def _megabytes(size: int) -> str:
    value = size / (1024 * 1024)
    return number_format(value, decimal_pos=0 if value == int(value) else 1)


def too_many_rows(limit: int) -> ImportRefused:
    return ImportRefused(
        _(
            "Filen har fler än %(max)s rader under rubrikraden. Dela upp den i flera filer med högst %(max)s rader var."
        )
        % {"max": limit}
    )


def check_size(size: int) -> None:
    limit = max_uncompressed_bytes()
    if size > limit:
        raise ImportRefused(
            _("Filen är %(size)s MB; en importfil får vara högst %(max)s MB. Dela upp den i flera filer.")
            % {"size": _megabytes(size), "max": _megabytes(limit)}
        )


def check_xlsx_archive(data: bytes) -> None:
    """Refuse an upload that is not an XLSX zip archive or would unpack to too much."""
    check_size(len(data))
    not_xlsx = not_xlsx_message()
    if not isinstance(data, bytes | bytearray) or not zipfile.is_zipfile(io.BytesIO(data)):
        raise ImportRefused(not_xlsx)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        raise ImportRefused(not_xlsx) from None
    if len(entries) > max_entries():
        raise ImportRefused(
            _("Filen består av %(count)s delar, men en Excel-fil för import får ha högst %(max)s.")
            % {"count": len(entries), "max": max_entries()}
        )
    names = {entry.filename for entry in entries}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise ImportRefused(not_xlsx)
    if any(entry.flag_bits & 0x1 for entry in entries):
        raise ImportRefused(_("Filen är krypterad. Spara den utan lösenord och försök igen."))
    total = sum(entry.file_size for entry in entries)
    limit = max_uncompressed_bytes()
    if total > limit:
        raise ImportRefused(
            _(
                "Filen packas upp till %(size)s MB; en importfil får vara högst %(max)s MB uppackad. Dela upp den i flera filer."
            )
            % {"size": _megabytes(total), "max": _megabytes(limit)}
        )
    ratio = max_compression_ratio()
    for entry in entries:
        if entry.file_size >= RATIO_CHECKED_FROM_BYTES and entry.file_size > ratio * max(
            entry.compress_size, 1
        ):
            raise ImportRefused(
                _(
                    "Filen är packad på ett sätt som vanliga Excel-filer inte är och läses inte. "
                    "Öppna den i Excel, spara den som en ny .xlsx-fil och försök igen."
                )
            )


def not_xlsx_message() -> str:
    return _(
        "Filen kunde inte läsas som en Excel-fil (XLSX). Kontrollera att du har valt rätt format för filen. "
        "En Excel-fil ska vara sparad som ”Excel-arbetsbok (.xlsx)”."
    )


def decode_csv(data) -> str:
    """The text of an uploaded CSV file: UTF-8 with or without a byte-order mark."""
    if isinstance(data, str):
        # Already decoded (by the admin's temporary storage, as UTF-8).
        check_size(len(data.encode("utf-8", errors="surrogatepass")))
        return data.removeprefix("\ufeff")
    check_size(len(data))
    try:
        return bytes(data).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused(encoding_message()) from None


def encoding_message() -> str:
    return _(
        "Filen är inte sparad som UTF-8 och kan ge fel tecken (å, ä, ö). "
        "Spara den i Excel som ”CSV UTF-8 (kommaavgränsad)” och försök igen."
    )


class GuardedCSV(base_formats.CSV):
    """CSV import with a size cap, UTF-8 only and a row cap."""

    def create_dataset(self, in_stream, **kwargs):
        dataset = super().create_dataset(decode_csv(in_stream), **kwargs)
        limit = max_rows()
        # Empty lines at the end of a file are not rows.
        if sum(1 for row in dataset if any(value not in (None, "") for value in row)) > limit:
            raise too_many_rows(limit)
        return dataset


class GuardedXLSX(base_formats.XLSX):
    """XLSX import that checks the archive first, parses XML with defusedxml and stops
    reading at the row cap. Reads the first sheet as django-import-export does."""

    def create_dataset(self, in_stream):
        import openpyxl
        from openpyxl.utils.exceptions import InvalidFileException

        if not openpyxl.DEFUSEDXML:
            raise ImportRefused(_("Excel-filer kan inte importeras just nu (defusedxml saknas på servern)."))
        check_xlsx_archive(in_stream)
        limit = max_rows()
        ignore_blanks = getattr(settings, "IMPORT_EXPORT_IMPORT_IGNORE_BLANK_LINES", False)
        try:
            book = openpyxl.load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
            raise ImportRefused(not_xlsx_message()) from None
        try:
            dataset = tablib.Dataset()
            rows = book.active.iter_rows(values_only=True)
            try:
                dataset.headers = list(next(rows))
            except StopIteration:
                return dataset
            count = 0
            pending_blanks = []
            for values in rows:
                values = [_unescape_xlsx(value) for value in values]
                if all(value is None for value in values):
                    # Formatted but empty rows trail many sheets; they count only when a
                    # row with data follows.
                    if not ignore_blanks:
                        pending_blanks.append(values)
                    continue
                count += len(pending_blanks) + 1
                if count > limit:
                    raise too_many_rows(limit)
                for blank in pending_blanks:
                    dataset.append(_fit(blank, dataset.width))
                pending_blanks = []
                dataset.append(_fit(values, dataset.width))
            return dataset
        except ImportRefused:
            raise
        except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError):
            raise ImportRefused(not_xlsx_message()) from None
        finally:
            book.close()


XLSX_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _unescape_xlsx(value):
    """A text cell with Excel's _xHHHH_ escapes of control characters decoded. (openpyxl
    already turns Excel's escaped underscore, "_x005F_x0007_", into "_x0007_", so text
    that literally says "_x0007_" reads as the character too; no real name or guidance
    says that.)"""
    if not isinstance(value, str) or "_x" not in value:
        return value

    def decode(match):
        char = chr(int(match[1], 16))
        return char if is_control(char) else match[0]

    return XLSX_ESCAPE.sub(decode, value)


def _fit(values: list, width: int) -> list:
    """A sheet row as wide as the header row (openpyxl may give longer or shorter rows)."""
    if len(values) < width:
        return values + [None] * (width - len(values))
    return values[:width]


GUARDED_FORMATS = {base_formats.CSV: GuardedCSV, base_formats.XLSX: GuardedXLSX}


def guarded_formats(formats) -> list:
    """The import formats with each replaced by its guarded version. A format without a
    guard is left out: only guarded files are read."""
    result = []
    for file_format in formats:
        if isinstance(file_format, str):
            from django.utils.module_loading import import_string

            file_format = import_string(file_format)
        if file_format in GUARDED_FORMATS.values():
            result.append(file_format)
        elif file_format in GUARDED_FORMATS:
            result.append(GUARDED_FORMATS[file_format])
    return result


class GuardedImportAdminMixin:
    """For an ImportMixin admin: uploads are read with the guarded formats, and a refused
    file (or a CSV that is not UTF-8) shows its Swedish message on the import form."""

    def get_import_formats(self):
        return guarded_formats(super().get_import_formats())

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, ImportRefused):
            form.add_error("import_file", str(e))
        elif isinstance(e, UnicodeDecodeError):
            form.add_error("import_file", encoding_message())
        else:
            super().add_data_read_fail_error_to_form(form, e)
