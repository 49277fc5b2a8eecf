"""Spreadsheet rows for the import tests: the columns of the units and criteria resources
(award/resources.py), a valid unit row, and the same rows as a tablib dataset, CSV text or
an XLSX file."""

import io

import openpyxl
import tablib

UNIT_HEADERS = [
    "code",
    "name",
    "organisation",
    "head_name",
    "head_email",
    "staff_count",
    "has_operational_plan",
    "is_private_provider",
    "stockholmers_share",
]


def unit_row(code, organisation="SDF01", **overrides):
    values = {
        "code": code,
        "name": f"Förskolan {code}",
        "organisation": organisation,
        "head_name": "Eva Chef",
        "head_email": f"{code.lower()}@example.se",
        "staff_count": "12",
        "has_operational_plan": "ja",
        "is_private_provider": "nej",
        "stockholmers_share": "",
    }
    values.update(overrides)
    return [values[h] for h in UNIT_HEADERS]


def dataset(headers, rows):
    return tablib.Dataset(*rows, headers=headers)


def csv_text(headers, rows):
    out = io.StringIO()
    out.write(",".join(headers) + "\n")
    for row in rows:
        out.write(",".join(str(v) for v in row) + "\n")
    return out.getvalue()


def xlsx_bytes(headers, rows):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def messages_of(result):
    """Every validation message of the result as 'row N, column: text'."""
    return [
        f"row {row.number}, {column}: {text}"
        for row in result.invalid_rows
        for column, texts in row.error_dict.items()
        for text in texts
    ]


CRITERION_HEADERS = [
    "cycle",
    "track",
    "number",
    "title",
    "kind",
    "weight",
    "max_length",
    "applicant_guidance",
    "examiner_guidance",
]
