"""Guards on spreadsheet files in and out (issue 7, "Files in and out").

In: an uploaded XLSX's zip is checked before it is parsed (a zip at all, a workbook, the
number of parts, the unpacked size, the compression ratio), its XML is parsed with
defusedxml, a CSV must be UTF-8 and not too large, and a file may have a limited number of
rows. Each refusal is a Swedish message and nothing is imported. Every resource validates
each value through the model and imports all rows or none.

Out: every text beginning with =, +, -, @, tab or carriage return is written as text,
in XLSX and in CSV, through the admin's django-import-export files as well as through
award.spreadsheets (which every other export uses).
"""

import csv
import io
import zipfile
from unittest import mock

import openpyxl
import pytest
import tablib
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from import_export import resources
from import_export.formats.base_formats import CSV, XLSX
from import_export.mixins import BaseImportMixin

import examiners.resources
from award import resources as award_resources
from award import upload_guards
from award.admin import UnitAdmin
from award.models import Criterion, Organisation, Unit
from award.resources import AwardResource, OrganisationResource, UnitResource
from award.spreadsheets import FORMULA_STARTS, StreamingWorkbook, csv_bytes, unescape_formula
from award.upload_guards import GuardedCSV, GuardedImportAdminMixin, GuardedXLSX, ImportRefused
from examiners.models import PoolMember
from examiners.resources import PoolMemberResource
from tests.support import factories

pytestmark = pytest.mark.django_db

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

RISKY = ["=1+1", "+46 8 123", "-Förskolan Minus", "@SUM(A1)", "\tFlik", "\rRetur", '=HYPERLINK("x")']


def unit_row(code, **overrides):
    values = dict(
        zip(
            UNIT_HEADERS,
            [
                code,
                f"Förskolan {code}",
                "SDF01",
                "Eva Chef",
                f"{code.lower()}@example.se",
                "12",
                "ja",
                "nej",
                "",
            ],
            strict=True,
        )
    )
    values.update(overrides)
    return [values[h] for h in UNIT_HEADERS]


def xlsx_bytes(rows, headers=UNIT_HEADERS):
    book = openpyxl.Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_text(rows, headers=UNIT_HEADERS):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue()


def zip_bytes(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


XLSX_SKELETON = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"}


@pytest.fixture
def district(db):
    return factories.OrganisationFactory(code="SDF01", name="Skärholmens stadsdelsförvaltning")


# --- XML is parsed safely ------------------------------------------------------------------------


def test_openpyxl_parses_xml_with_defusedxml():
    assert openpyxl.DEFUSEDXML is True


def test_xlsx_with_an_xml_entity_bomb_is_refused_not_expanded():
    book = io.BytesIO(xlsx_bytes([unit_row("ENH1")]))
    with zipfile.ZipFile(book) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/worksheets/sheet1.xml"] = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol2;</t></is></c></row></sheetData></worksheet>'
    )

    with pytest.raises(Exception) as refused:  # noqa: PT011 - defusedxml's or ours
        GuardedXLSX().create_dataset(zip_bytes(parts))
    assert "lol" not in str(refused.value)


# --- XLSX archive checks -------------------------------------------------------------------------


def test_ordinary_xlsx_is_read(district):
    dataset = GuardedXLSX().create_dataset(xlsx_bytes([unit_row("ENH1"), unit_row("ENH2")]))

    result = UnitResource().import_data(dataset, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    assert Unit.objects.count() == 2


@pytest.mark.parametrize(
    "content",
    [
        b"code,name\nENH1,Solen\n",
        b"",
        b"PK\x03\x04 not really a zip",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600,
    ],
    ids=["csv", "empty", "broken-zip", "old-xls-or-encrypted"],
)
def test_a_file_that_is_not_an_xlsx_zip_is_refused(content):
    with pytest.raises(ImportRefused, match="kunde inte läsas som en Excel-fil"):
        GuardedXLSX().create_dataset(content)


def test_a_zip_without_a_workbook_is_refused():
    docx = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<document/>"})

    with pytest.raises(ImportRefused, match="kunde inte läsas som en Excel-fil"):
        GuardedXLSX().create_dataset(docx)


def test_an_archive_with_too_many_parts_is_refused(settings):
    settings.AWARD_IMPORT_MAX_ENTRIES = 20
    parts = {**XLSX_SKELETON, **{f"xl/media/image{n}.png": b"x" for n in range(30)}}

    with pytest.raises(ImportRefused, match="32 delar.*högst 20"):
        GuardedXLSX().create_dataset(zip_bytes(parts))


def test_the_default_part_cap_is_200():
    parts = {**XLSX_SKELETON, **{f"xl/media/image{n}.png": b"x" for n in range(200)}}

    with pytest.raises(ImportRefused, match="202 delar"):
        GuardedXLSX().create_dataset(zip_bytes(parts))


def test_an_archive_that_unpacks_to_more_than_the_cap_is_refused(settings):
    settings.AWARD_IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    big = xlsx_bytes([unit_row(f"ENH{n}", name="Förskolan " + "x" * 150 + str(n)) for n in range(8000)])
    assert len(big) < 1024 * 1024  # the upload itself is small

    with pytest.raises(ImportRefused, match="packas upp till .* MB"):
        GuardedXLSX().create_dataset(big)


def test_a_zip_bomb_is_refused_before_parsing():
    # 15 MB of zeros packs to a few kilobytes: under the size cap, far over any real ratio.
    bomb = zip_bytes({**XLSX_SKELETON, "xl/worksheets/sheet1.xml": b"\0" * (15 * 1024 * 1024)})
    assert len(bomb) < 100_000

    with (
        mock.patch("openpyxl.load_workbook") as load,
        pytest.raises(ImportRefused, match="packad på ett sätt"),
    ):
        GuardedXLSX().create_dataset(bomb)
    load.assert_not_called()


def test_an_upload_over_the_size_cap_is_refused(settings):
    settings.AWARD_IMPORT_MAX_UNCOMPRESSED_BYTES = 1000

    with pytest.raises(ImportRefused, match="högst"):
        GuardedXLSX().create_dataset(b"PK" + b"\0" * 2000)


def test_default_caps():
    assert upload_guards.max_uncompressed_bytes() == 20 * 1024 * 1024
    assert upload_guards.max_entries() == 200
    assert upload_guards.max_rows() == 5000


# --- rows ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_file_with_too_many_rows_is_refused(settings, district, file_format):
    settings.AWARD_IMPORT_MAX_ROWS = 3
    rows = [unit_row(f"ENH{n}") for n in range(4)]

    with pytest.raises(ImportRefused, match="fler än 3 rader"):
        if file_format == "csv":
            GuardedCSV().create_dataset(csv_text(rows).encode())
        else:
            GuardedXLSX().create_dataset(xlsx_bytes(rows))


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_rows_up_to_the_cap_are_read_and_trailing_empty_rows_do_not_count(settings, district, file_format):
    settings.AWARD_IMPORT_MAX_ROWS = 3
    rows = [unit_row(f"ENH{n}") for n in range(3)]
    empty = [""] * len(UNIT_HEADERS) if file_format == "csv" else [None] * len(UNIT_HEADERS)
    if file_format == "csv":
        dataset = GuardedCSV().create_dataset((csv_text([*rows, empty, empty])).encode())
    else:
        book = openpyxl.Workbook()
        book.active.append(UNIT_HEADERS)
        for row in rows:
            book.active.append(row)
        book.active.cell(row=50, column=1).font = openpyxl.styles.Font(bold=True)  # formatted, empty
        out = io.BytesIO()
        book.save(out)
        dataset = GuardedXLSX().create_dataset(out.getvalue())

    result = UnitResource().import_data(dataset, dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    assert Unit.objects.count() == 3


def test_the_resources_refuse_too_many_rows_whatever_the_file(settings, district):
    settings.AWARD_IMPORT_MAX_ROWS = 2
    dataset = tablib.Dataset(*[unit_row(f"ENH{n}") for n in range(3)], headers=UNIT_HEADERS)

    result = UnitResource().import_data(dataset, dry_run=False)

    assert result.has_errors()
    assert "fler än 2 rader" in str(result.base_errors[0].error)
    assert Unit.objects.count() == 0


# --- CSV encoding and size -----------------------------------------------------------------------


@pytest.mark.parametrize("prefix", [b"", b"\xef\xbb\xbf"], ids=["utf-8", "utf-8-with-bom"])
def test_utf8_csv_with_or_without_bom_is_read(district, prefix):
    data = prefix + csv_text([unit_row("ENH1", name="Förskolan Åkervägen")]).encode("utf-8")

    dataset = GuardedCSV(encoding="utf-8-sig").create_dataset(data)
    result = UnitResource().import_data(dataset, dry_run=False)

    assert dataset.headers[0] == "code"
    assert not result.has_errors() and not result.has_validation_errors()
    assert Unit.objects.get().name == "Förskolan Åkervägen"


def test_csv_in_another_encoding_is_refused_in_swedish(district):
    data = csv_text([unit_row("ENH1", name="Förskolan Åkervägen")]).encode("cp1252")

    with pytest.raises(ImportRefused, match="inte sparad som UTF-8"):
        GuardedCSV(encoding="utf-8-sig").create_dataset(data)


def test_csv_over_the_size_cap_is_refused(settings):
    settings.AWARD_IMPORT_MAX_UNCOMPRESSED_BYTES = 1024 * 1024
    data = csv_text([unit_row(f"ENH{n}", name="x" * 200) for n in range(5000)]).encode()

    with pytest.raises(ImportRefused, match="högst 1 MB"):
        GuardedCSV().create_dataset(data)


# --- the admin --------------------------------------------------------------------------------------


def guarded_unit_admin():
    cls = UnitAdmin
    if not issubclass(cls, GuardedImportAdminMixin):
        cls = type("GuardedUnitAdmin", (GuardedImportAdminMixin, UnitAdmin), {})
    return cls(Unit, admin.site)


def admin_upload(model_admin, user, name, content, file_format):
    request = RequestFactory().post(
        "/admin/award/unit/import/",
        {"import_file": SimpleUploadedFile(name, content), "format": file_format, "resource": "0"},
    )
    request.user = user
    request._dont_enforce_csrf_checks = True
    return model_admin.import_action(request)


@pytest.fixture
def superuser(db):
    return factories.UserFactory(is_staff=True, is_superuser=True)


def test_guarded_admin_offers_the_guarded_formats_in_the_same_order():
    assert guarded_unit_admin().get_import_formats() == [GuardedCSV, GuardedXLSX]


@pytest.mark.parametrize(
    ("name", "content", "file_format", "message"),
    [
        ("enheter.xlsx", b"inte en zip", "1", "kunde inte läsas som en Excel-fil"),
        (
            "enheter.xlsx",
            zip_bytes({**XLSX_SKELETON, "xl/worksheets/sheet1.xml": b"\0" * (15 * 1024 * 1024)}),
            "1",
            "packad på ett sätt",
        ),
        ("enheter.csv", "code,name\nENH1,Förskolan Å\n".encode("cp1252"), "0", "inte sparad som UTF-8"),
    ],
    ids=["not-a-zip", "zip-bomb", "latin-1-csv"],
)
def test_guarded_admin_shows_the_refusal_in_swedish_and_imports_nothing(
    superuser, district, name, content, file_format, message
):
    response = admin_upload(guarded_unit_admin(), superuser, name, content, file_format)

    errors = response.context_data["form"].errors["import_file"]
    assert any(message in error for error in errors), errors
    assert "result" not in response.context_data
    assert Unit.objects.count() == 0


def test_guarded_admin_previews_a_good_file(superuser, district):
    response = admin_upload(
        guarded_unit_admin(), superuser, "enheter.xlsx", xlsx_bytes([unit_row("ENH1")]), "1"
    )

    assert not response.context_data["form"].errors
    assert response.context_data["result"].totals["new"] == 1
    assert Unit.objects.count() == 0  # a preview only


def test_every_import_admin_reads_uploads_through_the_guards():
    """Needs award.admin.AwardImportExportAdmin to include GuardedImportAdminMixin (or
    settings.IMPORT_FORMATS to name the guarded formats)."""
    import_admins = [a for a in admin.site._registry.values() if isinstance(a, BaseImportMixin)]
    assert import_admins
    for model_admin in import_admins:
        formats = model_admin.get_import_formats()
        assert formats and all(f in (GuardedCSV, GuardedXLSX) for f in formats), (model_admin, formats)


# --- every resource validates through the model and imports all or nothing --------------------


def project_resources():
    found, queue = [], list(resources.ModelResource.__subclasses__())
    while queue:
        cls = queue.pop()
        queue.extend(cls.__subclasses__())
        if cls.__module__.split(".")[0] in {"award", "examiners", "submissions", "scoring"}:
            found.append(cls)
    return found


def test_the_resources_found_include_every_known_one():
    found = set(project_resources())
    assert {
        award_resources.OrganisationResource,
        award_resources.UnitResource,
        award_resources.CriterionResource,
        award_resources.PastResultResource,
        examiners.resources.PoolMemberResource,
    } <= found


@pytest.mark.parametrize("resource_class", project_resources(), ids=lambda c: c.__name__)
def test_every_resource_cleans_model_instances_and_rolls_back_on_any_bad_row(resource_class):
    assert issubclass(resource_class, AwardResource)
    if resource_class is AwardResource:
        return
    assert resource_class._meta.clean_model_instances is True
    assert resource_class._meta.use_transactions is True

    with mock.patch.object(resources.ModelResource, "import_data") as parent:
        resource_class().import_data(
            tablib.Dataset(), dry_run=False, use_transactions=False, rollback_on_validation_errors=False
        )

    kwargs = parent.call_args.kwargs
    assert kwargs["rollback_on_validation_errors"] is True
    assert kwargs["use_transactions"] is True


def test_a_resource_without_model_validation_is_refused():
    class Careless(AwardResource):
        class Meta:
            model = Organisation
            fields = ("code", "name", "kind")
            import_id_fields = ("code",)
            clean_model_instances = False

    with pytest.raises(Exception, match="clean_model_instances"):
        Careless()


def test_the_model_validates_each_value_and_one_bad_row_imports_nothing():
    dataset = tablib.Dataset(
        ["SDF01", "Skärholmen", "district"],
        ["SDF02", "x" * 201, "district"],  # longer than the model allows
        headers=["code", "name", "kind"],
    )

    result = OrganisationResource().import_data(dataset, dry_run=False)

    assert result.has_validation_errors()
    assert Organisation.objects.count() == 0


# --- exports: no formula in any file --------------------------------------------------------------


def assert_no_formula_in_xlsx(content: bytes):
    """No formula element in any sheet's XML, and no formula cell as openpyxl reads it.
    Text beginning with "=" is allowed only in a text cell (which a spreadsheet shows as
    it is) or behind an apostrophe."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name)
                assert b"<f>" not in xml and b"<f " not in xml, name
    book = openpyxl.load_workbook(io.BytesIO(content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert cells
    for cell in cells:
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
            assert cell.data_type == "s", (cell.coordinate, cell.value, cell.data_type)


def assert_no_formula_in_csv(text: str):
    text = text.removeprefix("\ufeff")
    dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;")
    fields = [field for row in csv.reader(io.StringIO(text), dialect) for field in row]
    assert fields
    for field in fields:
        assert not field.startswith(FORMULA_STARTS), field


@pytest.fixture
def risky_data(district):
    """Every resource's model with formula-like text in its text columns."""
    org = factories.OrganisationFactory(code="=ORG", name="=cmd|' /C calc'!A0")
    for n, text in enumerate(RISKY):
        factories.UnitFactory(code=f"ENH{n}", organisation=org, name=text, head_name=text)
    factories.UnitFactory(code="-1", organisation=district, name="'=already quoted", head_name="''-two")
    cycle = factories.complete_cycle(criteria_per_track=(1, 1))
    Criterion.objects.filter(track__cycle=cycle).update(title="@SUM(1)", applicant_guidance="\t=1")
    member = factories.pool_member(cycle, organisation=org)
    member.profile.job_title = "+1"
    member.profile.employer = "-2"
    member.profile.areas = ["=A", "Skola"]
    member.profile.save()
    PoolMember.objects.filter(pk=member.pk).update(availability_note='=HYPERLINK("x")', manager_name="@x")
    factories.PastResultFactory(unit=Unit.objects.get(code="-1"))


@pytest.mark.parametrize("resource_class", [r for r in project_resources() if r is not AwardResource])
@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_no_resource_exports_a_formula(risky_data, resource_class, file_format):
    fmt = file_format()

    exported = fmt.export_data(resource_class().export(force_native_type=fmt.is_binary()))

    if fmt.is_binary():
        assert_no_formula_in_xlsx(exported)
    else:
        assert_no_formula_in_csv(exported)


@pytest.mark.parametrize("resource_class", [UnitResource, PoolMemberResource])
@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_formula_like_text_reimports_unchanged(risky_data, resource_class, file_format):
    # Text columns are trimmed on import, so text beginning with a tab or carriage
    # return comes back without it; that is not what this test is about.
    Unit.objects.filter(name__regex=r"^\s").delete()
    fmt = file_format()
    exported = fmt.export_data(resource_class().export(force_native_type=fmt.is_binary()))

    result = resource_class().import_data(fmt.create_dataset(exported), dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors(), [
        (row.number, row.error_dict) for row in result.invalid_rows
    ]
    assert result.totals["new"] == result.totals["update"] == 0
    names = set(Unit.objects.values_list("name", flat=True))
    assert {text for text in RISKY if not text[0].isspace()} <= names and "'=already quoted" in names
    assert Unit.objects.get(code="-1").head_name == "''-two"


@pytest.mark.parametrize(("file_format", "index"), [("csv", "0"), ("xlsx", "1")])
@pytest.mark.parametrize(
    ("model", "resource_name", "fields"),
    [
        ("award_unit", "unitresource", UNIT_HEADERS),
        ("award_organisation", "organisationresource", ["code", "name", "kind"]),
        (
            "award_criterion",
            "criterionresource",
            ["cycle", "track", "number", "title", "kind", "applicant_guidance", "examiner_guidance"],
        ),
    ],
)
def test_admin_export_writes_no_formula(
    client, superuser, risky_data, file_format, index, model, resource_name, fields
):
    client.force_login(superuser)

    response = client.post(
        reverse(f"admin:{model}_export"),
        {"format": index, "resource": "0", **{f"{resource_name}_{name}": "on" for name in fields}},
    )

    assert response.status_code == 200
    if file_format == "xlsx":
        assert_no_formula_in_xlsx(response.content)
    else:
        assert_no_formula_in_csv(response.content.decode("utf-8"))


def test_admin_export_of_the_pool_writes_no_formula(client, superuser, risky_data):
    client.force_login(superuser)
    url = reverse("admin:examiners_poolmember_export")
    fields = {f"poolmemberresource_{name}": "on" for name in PoolMemberResource.fields}

    for index in ("0", "1"):
        response = client.post(url, {"format": index, "resource": "0", **fields})
        assert response.status_code == 200
        if index == "1":
            assert_no_formula_in_xlsx(response.content)
        else:
            assert_no_formula_in_csv(response.content.decode("utf-8"))


def test_streaming_workbook_and_csv_write_formula_like_text_as_text():
    rows = [[text, -5, 3.5, None, "vanlig text"] for text in RISKY]
    book = StreamingWorkbook()
    sheet = book.sheet("Blad", ["=rubrik", "b", "c", "d", "e"])
    for row in rows:
        book.append(sheet, row)

    content = book.to_bytes()
    assert_no_formula_in_xlsx(content)
    values = [
        row[0] for row in openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True)
    ]
    # Stored as text, unchanged (lxml writes a carriage return as a character reference, so
    # it survives the XML round trip) and the plain cells keep their types.
    assert values == ["=rubrik", *RISKY]
    first_row = next(
        openpyxl.load_workbook(io.BytesIO(content)).active.iter_rows(min_row=2, values_only=True)
    )
    assert list(first_row[1:]) == [-5, 3.5, None, "vanlig text"]
    assert_no_formula_in_csv(csv_bytes(["=rubrik", "b", "c", "d", "e"], rows).decode("utf-8"))


@pytest.mark.parametrize("value", [*RISKY, "'=1+1", "''-5", "'vanlig", "vanlig text", "-5"])
def test_the_platforms_csv_and_the_admins_csv_escape_formulas_alike(value):
    """One rule (award.spreadsheets.escape_formula) for both: what the platform's CSV
    writes is what the admin's import-export CSV writes, and an import reads it back."""
    _header, platform = csv.reader(
        io.StringIO(csv_bytes(["a"], [[value]]).decode("utf-8-sig")), delimiter=";"
    )
    unit = factories.UnitFactory.build(code="X1", name=value)
    admin = UnitResource().export_resource(unit, selected_fields=["name"])
    assert platform == admin
    assert unescape_formula(platform[0]) == value
