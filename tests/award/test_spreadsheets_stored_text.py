"""Exports never fail on stored text (issue 12): a control character that a row holds from
before forms and imports refused them is written as its visible control picture (␀ for
NUL, ␇ for BEL, award.text.shown) in every XLSX and CSV the platform writes, through the
shared writer (award.spreadsheets) and the admin's django-import-export files alike, and
formula-like text stays text. Tabs and line breaks are kept.

Run this file on PostgreSQL too (scripts/with-postgres.sh), which never stored NUL: there
the stored text has an escape character in its place."""

import csv
import io

import openpyxl
import pytest
from django.db import connection
from django.urls import reverse

from award import text
from award.models import Organisation, Track, Unit
from award.spreadsheets import StreamingWorkbook, csv_bytes
from tests.support import factories

pytestmark = pytest.mark.django_db

CSV_FORMAT, XLSX_FORMAT = "0", "1"  # settings.IMPORT_FORMATS and EXPORT_FORMATS


def stored(template: str) -> tuple[str, str]:
    """`template` with {} as NUL (SQLite) or ESC (PostgreSQL) and a BEL after it: the text
    to store and the text an export shows for it."""
    first = "\x00" if connection.vendor == "sqlite" else "\x1b"
    return template.format(f"{first}med\x07"), template.format(f"{chr(0x2400 + ord(first))}med\u2407")


def xlsx_values(content: bytes) -> list:
    book = openpyxl.load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def test_the_shared_writer_shows_control_characters_and_keeps_formulas_text():
    values = ["a\x00b", "=\x07SUM(1)", "\x07=1", "rad 1\nrad 2\tx", "\x7f\x85", 12]
    book = StreamingWorkbook()
    sheet = book.sheet("Blad", ["rubrik\x0b", "b", "c", "d", "e", "f"])
    book.append(sheet, values)

    header, cells = openpyxl.load_workbook(io.BytesIO(book.to_bytes())).active.iter_rows()
    written = csv_bytes(["rubrik\x0b"], [values]).decode().removeprefix("\ufeff")
    lines = list(csv.reader(io.StringIO(written), delimiter=";"))

    shown = ["a\u2400b", "=\u2407SUM(1)", "\u2407=1", "rad 1\nrad 2\tx", "\u2421\ufffd"]
    assert header[0].value == "rubrik\u240b"
    assert [cell.value for cell in cells] == [*shown, 12]
    assert cells[1].data_type == "s", "still text, not a formula"
    assert lines == [
        ["rubrik\u240b"],
        ["a\u2400b", "'=\u2407SUM(1)", "\u2407=1", "rad 1\nrad 2\tx", "\u2421\ufffd", "12"],
    ]


def test_shown_leaves_clean_text_as_it_is():
    assert text.shown("Förskolan Ängen\t\r\n") == "Förskolan Ängen\t\r\n"


@pytest.mark.parametrize("file_format", [CSV_FORMAT, XLSX_FORMAT], ids=["csv", "xlsx"])
def test_the_admins_unit_export_shows_a_stored_control_character(client, slk, file_format):
    name, shown = stored("=Förskolan {}Ängen")
    unit = factories.UnitFactory(code="ENH1")
    Unit.objects.filter(pk=unit.pk).update(name=name)
    client.force_login(slk)

    response = client.post(
        reverse("admin:award_unit_export"),
        {"format": file_format, "resource": "0", "unitresource_code": "on", "unitresource_name": "on"},
    )

    assert response.status_code == 200
    # Behind an apostrophe, as every formula-like text in these files (see escape_formula).
    if file_format == XLSX_FORMAT:
        rows = openpyxl.load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True)
        assert ("ENH1", f"'{shown}") in list(rows)
    else:
        assert f"ENH1,'{shown}" in response.content.decode("utf-8")


def test_the_overview_and_qualification_exports_show_a_stored_control_character(client, slk, cycle):
    name, shown = stored("Förskolan {}Ängen")
    organisation_name, organisation_shown = stored("Förvaltningen {}Norr")
    organisation = factories.OrganisationFactory()
    unit = factories.UnitFactory(organisation=organisation)
    factories.submitted_application(cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD), unit=unit)
    factories.pool_member(cycle, organisation=organisation, experienced=False)
    Unit.objects.filter(pk=unit.pk).update(name=name)
    Organisation.objects.filter(pk=organisation.pk).update(name=organisation_name)
    client.force_login(slk)

    overview = client.get(reverse("submissions:overview"), {"year": cycle.year, "export": "xlsx"})
    qualification = client.get(reverse("examiners:qualification_export", args=[cycle.year]))

    assert {shown, organisation_shown} <= {cell.value for cell in xlsx_values(overview.content)}
    assert organisation_shown in {cell.value for cell in xlsx_values(qualification.content)}
