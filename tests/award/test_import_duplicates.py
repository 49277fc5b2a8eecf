"""A key twice in one import file (issue 12, "imports never drop a row silently").

Importing both rows would update the first row's object with the second's values and keep
only those, so the later row is refused, naming every row with the key, for every
resource's import_id_fields: units, administrations, criteria, past results and the
examiner pool, in CSV and in XLSX. The file then imports nothing, and the admin's preview
offers no confirm (a forged confirm is refused too)."""

import io
import os
import tempfile

import openpyxl
import pytest
from django.urls import reverse

from award.models import Criterion, Organisation, PastResult, Unit
from award.resources import CriterionResource, OrganisationResource, PastResultResource, UnitResource
from award.upload_guards import GuardedCSV, GuardedXLSX
from examiners.models import PoolMember
from examiners.resources import PoolMemberResource
from tests.support import factories

pytestmark = pytest.mark.django_db

CSV_FORMAT, XLSX_FORMAT = "0", "1"  # settings.IMPORT_FORMATS

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


def unit_row(code, name=None):
    return [code, name or f"Förskolan {code}", "SDF01", "Eva Chef", "eva@example.se", 12, "ja", "nej", ""]


def csv_bytes(headers, rows) -> bytes:
    lines = [",".join(headers), *(",".join(str(v) for v in row) for row in rows)]
    return ("\n".join(lines) + "\n").encode("utf-8")


def xlsx_bytes(headers, rows) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(headers)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


FILES = {"csv": (csv_bytes, GuardedCSV, CSV_FORMAT), "xlsx": (xlsx_bytes, GuardedXLSX, XLSX_FORMAT)}


def messages_of(result) -> dict[int, list[str]]:
    return {
        row.number: [message for messages in row.error_dict.values() for message in messages]
        for row in result.invalid_rows
    }


@pytest.fixture
def world(db, slk):
    """An administration with a unit and a draft cycle with criteria."""
    district = factories.OrganisationFactory(code="SDF01", name="Skärholmens stadsdelsförvaltning")
    factories.UnitFactory(code="ENH1", organisation=district)
    cycle = factories.complete_cycle(year=2031)
    return {"district": district, "cycle": cycle, "slk": slk}


def _units():
    rows = [unit_row(f"K-{n}") for n in range(100, 107)]
    rows[2] = unit_row("K-123", "Förskolan Solen")
    rows[6] = unit_row("K-123", "Förskolan Månen")
    return (
        UnitResource,
        "award_unit",
        UNIT_HEADERS,
        rows,
        {7: ["Rad 3 och rad 7 har samma enhetskod K-123. Varje enhet får bara finnas en gång i filen."]},
        lambda: Unit.objects.exclude(code="ENH1").count(),
    )


def _organisations():
    return (
        OrganisationResource,
        "award_organisation",
        ["code", "name", "kind"],
        [["SDF10", "Norra", "district"], ["SDF11", "Södra", "district"], ["SDF10", "Västra", "district"]],
        {3: ["Rad 1 och rad 3 har samma kod SDF10. Varje förvaltning får bara finnas en gång i filen."]},
        lambda: Organisation.objects.exclude(code="SDF01").count(),
    )


def _criteria():
    headers = ["cycle", "track", "number", "title", "kind", "weight", "max_length"]
    return (
        CriterionResource,
        "award_criterion",
        headers,
        [
            [2031, "quality_award", 1, "Ledarskap", "approach", 250, 5000],
            [2031, "renewal_prize", 1, "Idén", "approach", 200, 5000],
            [2031, "quality_award", 1, "Styrning", "approach", 250, 5000],
        ],
        {
            3: [
                "Rad 1 och rad 3 har samma omgång 2031, spår quality_award och nummer 1. "
                "Varje kriterium får bara finnas en gång i filen."
            ]
        },
        lambda: Criterion.objects.filter(title__in=["Ledarskap", "Idén", "Styrning"]).count(),
    )


def _past_results():
    return (
        PastResultResource,
        "award_pastresult",
        ["unit", "year", "track_kind", "outcome"],
        [
            ["ENH1", 2024, "quality_award", "winner"],
            ["ENH1", 2023, "quality_award", "winner"],
            # The same track by its Swedish name is the same key.
            ["ENH1", 2024, "Kvalitetsutmärkelsen", "honourable_mention"],
        ],
        {
            3: [
                "Rad 1 och rad 3 har samma enhet ENH1, år 2024 och spår Kvalitetsutmärkelsen. "
                "Varje tidigare resultat får bara finnas en gång i filen."
            ]
        },
        lambda: PastResult.objects.count(),
    )


def _pool():
    return (
        PoolMemberResource,
        "examiners_poolmember",
        ["år", "användarnamn", "förnamn", "efternamn", "e-post", "förvaltning"],
        [
            [2031, "anna", "Anna", "Ek", "anna@example.se", "SDF01"],
            [2031, "bo", "Bo", "Ek", "bo@example.se", "SDF01"],
            [2031, "anna", "Anna", "Lind", "anna.lind@example.se", "SDF01"],
        ],
        {
            3: [
                "Rad 1 och rad 3 har samma år 2031 och användarnamn anna. "
                "Varje examinator i omgången får bara finnas en gång i filen."
            ]
        },
        lambda: PoolMember.objects.count(),
    )


CASES = {
    "units": _units,
    "organisations": _organisations,
    "criteria": _criteria,
    "past_results": _past_results,
    "pool": _pool,
}


@pytest.mark.parametrize("file_format", FILES)
@pytest.mark.parametrize("case", CASES)
def test_a_key_twice_in_a_file_is_refused_with_both_rows(world, case, file_format):
    resource_class, _admin, headers, rows, expected, count = CASES[case]()
    make, reader, _index = FILES[file_format]
    before = count()

    result = resource_class().import_data(
        reader().create_dataset(make(headers, rows)), dry_run=False, user=world["slk"]
    )

    assert messages_of(result) == expected
    assert not result.has_errors()
    assert count() == before, "nothing is imported"


@pytest.mark.parametrize("file_format", FILES)
@pytest.mark.parametrize("case", CASES)
def test_the_admin_preview_shows_the_duplicate_and_offers_no_confirm(client, world, case, file_format):
    _resource, admin_name, headers, rows, expected, count = CASES[case]()
    make, _reader, index = FILES[file_format]
    upload = io.BytesIO(make(headers, rows))
    upload.name = f"fil.{file_format}"
    client.force_login(world["slk"])
    before = count()

    preview = client.post(reverse(f"admin:{admin_name}_import"), {"import_file": upload, "format": index})

    assert preview.status_code == 200
    content = preview.content.decode()
    ((message,),) = expected.values()
    assert message in content
    assert preview.context.get("confirm_form") is None
    assert "Bekräfta import" not in content
    assert count() == before


def test_the_first_rows_of_a_key_are_all_named(world):
    rows = [unit_row("K-1"), unit_row("K-2"), unit_row(" K-1 ", "Annan"), unit_row("K-1", "Tredje")]

    result = UnitResource().import_data(GuardedCSV().create_dataset(csv_bytes(UNIT_HEADERS, rows)))

    assert messages_of(result) == {
        3: ["Rad 1 och rad 3 har samma enhetskod K-1. Varje enhet får bara finnas en gång i filen."],
        4: ["Rad 1, rad 3 och rad 4 har samma enhetskod K-1. Varje enhet får bara finnas en gång i filen."],
    }


def test_a_duplicate_of_an_invalid_row_is_refused_too(world):
    # Both problems show at once, so the file is corrected in one go.
    rows = [unit_row("K-1"), [*unit_row("K-1")[:5], "tolv", *unit_row("K-1")[6:]], unit_row("K-1", "Annan")]
    rows[0][5] = "tolv"

    result = UnitResource().import_data(GuardedCSV().create_dataset(csv_bytes(UNIT_HEADERS, rows)))

    found = messages_of(result)
    assert found[1] == ["Kolumnen ”staff_count”: ”tolv” är inte ett heltal."]
    assert found[2][0].startswith("Rad 1 och rad 2 har samma enhetskod K-1.")
    assert found[3][0].startswith("Rad 1, rad 2 och rad 3 har samma enhetskod K-1.")


def test_the_same_key_in_a_second_file_updates_as_before(world):
    for name in ("Förskolan Solen", "Förskolan Månen"):
        result = UnitResource().import_data(
            GuardedCSV().create_dataset(csv_bytes(UNIT_HEADERS, [unit_row("K-1", name)]))
        )
        assert not result.has_validation_errors(), messages_of(result)

    assert Unit.objects.get(code="K-1").name == "Förskolan Månen"


def test_a_forged_confirm_of_a_file_with_a_duplicate_imports_nothing(client, world):
    client.force_login(world["slk"])
    good = io.BytesIO(csv_bytes(UNIT_HEADERS, [unit_row("K-1"), unit_row("K-2")]))
    good.name = "enheter.csv"
    preview = client.post(reverse("admin:award_unit_import"), {"import_file": good, "format": CSV_FORMAT})
    initial = preview.context["confirm_form"].initial
    # The stored upload is swapped for a file with a duplicate before "Bekräfta import".
    with open(os.path.join(tempfile.gettempdir(), initial["import_file_name"]), "wb") as stored:
        stored.write(csv_bytes(UNIT_HEADERS, [unit_row("K-1"), unit_row("K-1", "Annan")]))

    done = client.post(reverse("admin:award_unit_process_import"), initial)

    assert done.status_code == 302 and done.url == reverse("admin:award_unit_import")
    shown = [str(m) for m in client.get(done.url).context["messages"]]
    assert "Ingenting importerades. Rätta filen och försök igen." in shown
    assert (
        "Rad 2: Rad 1 och rad 2 har samma enhetskod K-1. Varje enhet får bara finnas en gång i filen."
        in shown
    )
    assert not Unit.objects.filter(code__startswith="K-").exists()
