"""Invisible control characters (issue 12, "imports never drop a row silently"): one check
(award.text) refuses them in every form and every imported cell, on SQLite and on
PostgreSQL, with a Swedish message that names the character and where it stands. Long
text (a textarea, a TextField) may hold tabs and line breaks; a single line may not.

Run this file on PostgreSQL too (scripts/with-postgres.sh): there the database itself
refuses NUL, with its own English error, if anything lets it through."""

import importlib
import inspect
import io
import pkgutil
import zipfile

import openpyxl
import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.urls import reverse

from award import text
from award.forms import CleanTextMixin, PhaseCloseForm
from award.models import Criterion, Organisation, Unit
from award.resources import CriterionResource, UnitResource
from award.upload_guards import GuardedCSV, GuardedXLSX
from examiners.models import PoolMember
from examiners.resources import PoolMemberResource
from tests.support import factories

PROJECT_APPS = ("award", "submissions", "examiners", "scoring")

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


def unit_row(code, **overrides):
    values = {
        "code": code,
        "name": f"Förskolan {code}",
        "organisation": "SDF01",
        "head_name": "Eva Chef",
        "head_email": f"{code.lower()}@example.se",
        "staff_count": "12",
        "has_operational_plan": "ja",
        "is_private_provider": "nej",
        "stockholmers_share": "",
    }
    values.update(overrides)
    return [values[h] for h in UNIT_HEADERS]


def csv_bytes(headers, rows) -> bytes:
    lines = [",".join(headers), *(",".join(f'"{v}"' for v in row) for row in rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def xlsx_bytes(headers, rows) -> bytes:
    """An XLSX as Excel writes one: a control character, which XML cannot hold, is written
    as _xHHHH_ (openpyxl refuses to write the character itself)."""
    book = openpyxl.Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(
            [
                "".join(f"_x{ord(c):04X}_" if text.is_control(c) and c not in "\t\n" else c for c in v)
                if isinstance(v, str)
                else v
                for v in row
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FORMATS = {"csv": (csv_bytes, GuardedCSV), "xlsx": (xlsx_bytes, GuardedXLSX)}


def import_file(resource, file_format, headers, rows):
    make, reader = FORMATS[file_format]
    dataset = reader().create_dataset(make(headers, rows))
    return resource.import_data(dataset, dry_run=False)


def messages_of(result) -> dict[int, list[str]]:
    return {
        row.number: [message for messages in row.error_dict.values() for message in messages]
        for row in result.invalid_rows
    }


@pytest.fixture
def district(db):
    return factories.OrganisationFactory(code="SDF01", name="Skärholmens stadsdelsförvaltning")


# --- The check itself --------------------------------------------------------------------------


def test_nul_is_named_with_its_line_and_the_text_before_it():
    with pytest.raises(ValidationError) as refused:
        text.check("Första raden\nVi arbetar\x00 med mål", multiline=True)

    assert refused.value.messages == [
        "Texten innehåller ett osynligt styrtecken (NUL, U+0000) på rad 2, efter ”Vi arbetar”. "
        "Ta bort det och spara igen."
    ]
    assert refused.value.error_list[0].code == "control_character"


def test_a_single_line_names_the_text_before_the_character():
    refusal = text.find_refusal("Förskolan\x07Solen", multiline=False)

    assert refusal.message() == (
        "Texten innehåller ett osynligt styrtecken (BEL, U+0007) efter ”Förskolan”. Ta bort det och spara igen."
    )
    assert refusal.message(text.Action.IMPORT).endswith("Ta bort det i filen och importera igen.")


def test_a_character_at_the_start_and_further_ones_are_counted():
    refusal = text.find_refusal("\x1bA\x00B\x7f", multiline=False)

    assert refusal.message() == (
        "Texten innehåller ett osynligt styrtecken (ESC, U+001B) i början av texten. "
        "Det finns 2 sådana tecken till. Ta bort dem och spara igen."
    )


def test_long_context_is_shortened():
    refusal = text.find_refusal("x" * 50 + "\x0b", multiline=False)

    assert refusal.before == "…" + "x" * text.CONTEXT_CHARS


@pytest.mark.parametrize(
    "value", ["Rad ett\nRad två", "Rad ett\r\nRad två", "Kolumn\tKolumn", "\u00e5\u00e4\u00f6 – €"]
)
def test_long_text_may_hold_tabs_and_line_breaks(value):
    text.check(value, multiline=True)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("Förskolan\nSolen", "Texten innehåller en radbrytning (LF, U+000A) efter ”Förskolan”."),
        ("Förskolan\rSolen", "Texten innehåller en radbrytning (CR, U+000D) efter ”Förskolan”."),
        ("Förskolan\tSolen", "Texten innehåller ett tabbtecken (TAB, U+0009) efter ”Förskolan”."),
    ],
)
def test_a_single_line_refuses_tabs_and_line_breaks(value, message):
    with pytest.raises(ValidationError) as refused:
        text.check(value, multiline=False)

    assert refused.value.messages == [
        f"{message} Fältet ska vara en enda rad: ta bort tecknet och spara igen."
    ]


@pytest.mark.parametrize("char", ["\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1f", "\x7f", "\x85", "\x9f"])
def test_every_other_control_character_is_refused_even_in_long_text(char):
    with pytest.raises(ValidationError, match=f"U\\+{ord(char):04X}"):
        text.check(f"a{char}b", multiline=True)


# --- Every form has the check ------------------------------------------------------------------


def project_forms() -> list[type]:
    """Every form class defined at module level in the project's apps."""
    found = []
    for app in PROJECT_APPS:
        package = importlib.import_module(app)
        for info in pkgutil.walk_packages(package.__path__, prefix=f"{app}."):
            if ".migrations" in info.name:
                continue
            module = importlib.import_module(info.name)
            found.extend(
                cls
                for _name, cls in inspect.getmembers(module, inspect.isclass)
                if cls.__module__ == module.__name__ and issubclass(cls, forms.BaseForm)
            )
    return found


def test_the_project_has_forms_to_check():
    names = {cls.__qualname__ for cls in project_forms()}

    assert {
        "AnswerForm",
        "AssessmentItemForm",
        "ConsensusItemForm",
        "VolunteerForm",
        "PhaseCloseForm",
    } <= names


def test_every_project_form_uses_the_text_check():
    # A new form must inherit CleanTextMixin (award.forms) first, before forms.Form or
    # forms.ModelForm, or it would take text with invisible control characters.
    missing = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in project_forms()
        if not issubclass(cls, CleanTextMixin)
    ]

    assert missing == []


class _DynamicForm(CleanTextMixin, forms.Form):
    name = forms.CharField(required=False)
    note = forms.CharField(required=False, widget=forms.Textarea)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["added_later"] = forms.CharField(required=False)


def test_a_form_refuses_nul_with_our_message_not_djangos():
    form = _DynamicForm({"name": "Förskolan\x00Solen"})

    assert not form.is_valid()
    assert form.errors["name"] == [
        "Texten innehåller ett osynligt styrtecken (NUL, U+0000) efter ”Förskolan”. Ta bort det och spara igen."
    ]


def test_a_textarea_keeps_tabs_and_line_breaks_and_a_single_line_does_not():
    form = _DynamicForm({"name": "Rad\nett", "note": "Rad ett\r\n\tRad två", "added_later": "a\x07"})

    assert not form.is_valid()
    assert set(form.errors) == {"name", "added_later"}
    assert "radbrytning (LF, U+000A)" in form.errors["name"][0]
    assert "(BEL, U+0007)" in form.errors["added_later"][0]
    assert form["note"].value() == "Rad ett\r\n\tRad två"


def test_a_refused_form_keeps_what_was_written():
    form = PhaseCloseForm({"reason": "Förseningen\x00 beror på"})

    assert not form.is_valid()
    assert "(NUL, U+0000)" in form.errors["reason"][0]
    assert form["reason"].value() == "Förseningen\x00 beror på"
    assert "Förseningen" in form["reason"].as_widget()


def test_the_error_summary_names_each_box_and_leaves_out_the_version():
    form = _DynamicForm({"note": "a\x00", "added_later": "b\x07"})
    form.is_valid()

    assert form.error_summary(leave_out=["added_later"]) == (
        "Note: Texten innehåller ett osynligt styrtecken (NUL, U+0000) efter ”a”. Ta bort det och spara igen."
    )


# --- The admin's change form --------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_change_form_refuses_a_nul_in_a_name(client, slk):
    client.force_login(slk)

    response = client.post(
        reverse("admin:award_organisation_add"),
        {"code": "SDF02", "name": "Norra\x00 förvaltningen", "kind": "district"},
    )

    assert response.status_code == 200
    assert "osynligt styrtecken (NUL, U+0000) efter ”Norra”" in response.content.decode()
    assert not Organisation.objects.filter(code="SDF02").exists()


# --- Imports: every cell -------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize(("char", "label"), [("\x00", "NUL, U+0000"), ("\x07", "BEL, U+0007")])
def test_a_control_character_in_an_imported_name_is_refused(district, file_format, char, label):
    rows = [unit_row("ENH1"), unit_row("ENH2", name=f"Förskolan{char} Solen")]

    result = import_file(UnitResource(), file_format, UNIT_HEADERS, rows)

    assert messages_of(result) == {
        2: [
            f"Kolumnen ”name”: Texten innehåller ett osynligt styrtecken ({label}) efter ”Förskolan”. "
            "Ta bort det i filen och importera igen."
        ]
    }
    assert Unit.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_nul_in_a_key_cell_is_refused_before_any_lookup(district, file_format):
    # On PostgreSQL a lookup by a code holding NUL fails in the database, in English.
    rows = [unit_row("EN\x00H1"), unit_row("ENH2", organisation="SDF\x0001")]

    result = import_file(UnitResource(), file_format, UNIT_HEADERS, rows)

    found = messages_of(result)
    assert "Kolumnen ”code”" in found[1][0] and "(NUL, U+0000) efter ”EN”" in found[1][0]
    assert "Kolumnen ”organisation”" in found[2][0] and "(NUL, U+0000) efter ”SDF”" in found[2][0]
    assert not result.has_errors()
    assert Unit.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_line_break_in_a_single_line_cell_is_refused(district, file_format):
    result = import_file(
        UnitResource(), file_format, UNIT_HEADERS, [unit_row("ENH1", name="Förskolan\nSolen")]
    )

    assert messages_of(result) == {
        1: [
            "Kolumnen ”name”: Texten innehåller en radbrytning (LF, U+000A) efter ”Förskolan”. "
            "Kolumnen ska vara en enda rad: ta bort tecknet i filen och importera igen."
        ]
    }


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_spaces_around_a_cell_are_trimmed_not_refused(district, file_format):
    result = import_file(
        UnitResource(), file_format, UNIT_HEADERS, [unit_row("ENH1", name="Förskolan Solen\n")]
    )

    assert not result.has_validation_errors(), messages_of(result)
    assert Unit.objects.get(code="ENH1").name == "Förskolan Solen"


CRITERION_HEADERS = [
    "cycle",
    "track",
    "number",
    "title",
    "kind",
    "weight",
    "max_length",
    "applicant_guidance",
]


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_long_text_keeps_its_line_breaks_and_refuses_nul(file_format):
    cycle = factories.complete_cycle()  # a draft: an open cycle's criteria are not imported
    guidance = "Beskriv hur ni arbetar.\nGe exempel:\n\tmål och uppföljning"
    rows = [
        [cycle.year, "quality_award", 1, "Ledarskap", "approach", 100, 5000, guidance],
        [cycle.year, "quality_award", 2, "Resultat", "results", 100, 5000, "Rad ett\nRad\x00 två"],
    ]

    result = import_file(CriterionResource(), file_format, CRITERION_HEADERS, rows)

    assert messages_of(result) == {
        2: [
            "Kolumnen ”applicant_guidance”: Texten innehåller ett osynligt styrtecken (NUL, U+0000) "
            "på rad 2, efter ”Rad”. Ta bort det i filen och importera igen."
        ]
    }
    rows.pop()
    result = import_file(CriterionResource(), file_format, CRITERION_HEADERS, rows)
    assert not result.has_validation_errors(), messages_of(result)
    assert (
        Criterion.objects.get(track__cycle=cycle, track__kind="quality_award", number=1).applicant_guidance
        == guidance
    )


@pytest.mark.django_db
def test_excel_escaped_carriage_returns_come_back_as_line_breaks():
    cycle = factories.complete_cycle()  # a draft: an open cycle's criteria are not imported
    # Excel writes the line break of a cell typed with Alt+Enter after a paste as
    # "_x000D_\n"; it is the character, not the text "_x000D_".
    guidance = "Rad ett\r\nRad två"
    rows = [[cycle.year, "quality_award", 1, "Ledarskap", "approach", 100, 5000, guidance]]

    result = import_file(CriterionResource(), "xlsx", CRITERION_HEADERS, [[*rows[0]]])

    assert not result.has_validation_errors(), messages_of(result)
    assert (
        Criterion.objects.get(track__cycle=cycle, track__kind="quality_award", number=1).applicant_guidance
        == guidance
    )


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_the_pool_import_names_the_swedish_column(cycle, file_format):
    factories.OrganisationFactory(code="SDF01")
    headers = ["år", "användarnamn", "förnamn", "efternamn", "e-post", "förvaltning"]
    rows = [[cycle.year, "anna", "Anna\x00", "Ek", "anna@example.se", "SDF01"]]

    result = import_file(PoolMemberResource(), file_format, headers, rows)

    assert messages_of(result) == {
        1: [
            "Texten innehåller ett osynligt styrtecken (NUL, U+0000) efter ”Anna”. "
            "Ta bort det i filen och importera igen."
        ]
    }
    assert result.invalid_rows[0].field_specific_errors.keys() == {"förnamn"}
    assert not PoolMember.objects.exists()


def test_guarded_xlsx_reads_excels_escapes_of_control_characters_only():
    content = xlsx_bytes(["a"], [["x"]])
    # A cell written by Excel: a vertical tab escaped, and text that only looks similar.
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode()
    parts["xl/worksheets/sheet1.xml"] = sheet.replace(
        '<c r="A2" t="inlineStr"><is><t>x</t></is></c>',
        '<c r="A2" t="inlineStr"><is><t>Rad_x000B_två _x0041_ _xZZZZ_</t></is></c>',
    ).encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in parts.items():
            archive.writestr(name, data)

    dataset = GuardedXLSX().create_dataset(out.getvalue())

    assert dataset[0][0] == "Rad\x0btvå _x0041_ _xZZZZ_"
