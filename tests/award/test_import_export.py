"""Spreadsheet import and export through the resources (award.resources). The admin's
upload, preview and confirm steps are tested in test_admin.py."""

import pytest
from import_export.formats.base_formats import CSV, XLSX

from award.models import Criterion, Organisation, PastResult, Track, Unit
from award.resources import (
    BooleanWidget,
    CriterionResource,
    IntegerWidget,
    OrganisationResource,
    PastResultResource,
    UnitResource,
)
from tests.support import factories
from tests.support.imports import (
    CRITERION_HEADERS,
    UNIT_HEADERS,
    csv_text,
    dataset,
    messages_of,
    unit_row,
    xlsx_bytes,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def district(db):
    return factories.OrganisationFactory(code="SDF01", name="Skärholmens stadsdelsförvaltning")


def test_unit_csv_import_creates_every_row(district):
    text = csv_text(UNIT_HEADERS, [unit_row("ENH1"), unit_row("ENH2", staff_count="7")])

    result = UnitResource().import_data(CSV().create_dataset(text), dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors()
    assert result.totals["new"] == 2
    unit = Unit.objects.get(code="ENH2")
    assert unit.organisation == district
    assert unit.staff_count == 7
    assert unit.has_operational_plan is True
    assert unit.is_private_provider is False
    assert unit.stockholmers_share is None


def test_unit_xlsx_import_creates_every_row_with_native_cell_types(district):
    rows = [
        ["ENH1", "Förskolan Ett", "SDF01", "Eva Chef", "eva@example.se", 12, "ja", "nej", None],
        ["ENH2", "Hemtjänst Två", "SDF01", "Per Chef", "per@example.se", 30.0, True, True, 60],
    ]

    result = UnitResource().import_data(XLSX().create_dataset(xlsx_bytes(UNIT_HEADERS, rows)), dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors(), messages_of(result)
    assert result.totals["new"] == 2
    private = Unit.objects.get(code="ENH2")
    assert private.staff_count == 30
    assert private.is_private_provider is True
    assert private.stockholmers_share == 60


def test_unit_import_ignores_empty_rows_at_the_end_of_a_sheet(district):
    rows = [unit_row("ENH1"), [None] * len(UNIT_HEADERS), [""] * len(UNIT_HEADERS)]

    result = UnitResource().import_data(dataset(UNIT_HEADERS, rows), dry_run=False)

    assert not result.has_validation_errors(), messages_of(result)
    assert Unit.objects.count() == 1


def test_unit_import_updates_a_unit_with_the_same_code(district):
    factories.UnitFactory(code="ENH1", organisation=district, name="Gammalt namn", staff_count=5)

    result = UnitResource().import_data(dataset(UNIT_HEADERS, [unit_row("ENH1", staff_count="9")]))

    assert result.totals["update"] == 1
    unit = Unit.objects.get(code="ENH1")
    assert (unit.name, unit.staff_count) == ("Förskolan ENH1", 9)


@pytest.mark.parametrize(
    ("bad", "column", "message"),
    [
        ({"organisation": "FINNS-EJ"}, "organisation", "Det finns ingen förvaltning med kod ”FINNS-EJ”"),
        (
            {"is_private_provider": "ja", "stockholmers_share": "150"},
            "stockholmers_share",
            "mindre än eller lika med 100",
        ),
        ({"staff_count": "tolv"}, "staff_count", "Kolumnen ”staff_count”: ”tolv” är inte ett heltal."),
        ({"staff_count": "12,5"}, "staff_count", "”12,5” är inte ett heltal."),
        ({"has_operational_plan": "kanske"}, "has_operational_plan", "”kanske” är varken ja eller nej"),
        ({"head_email": "inte-en-adress"}, "head_email", "giltig e-postadress"),
        (
            {"stockholmers_share": "40"},
            "stockholmers_share",
            "Andel stockholmare anges bara för privata utförare.",
        ),
    ],
)
@pytest.mark.parametrize("dry_run", [True, False])
def test_unit_file_with_one_bad_row_imports_nothing_and_names_the_row(
    district, bad, column, message, dry_run
):
    rows = [unit_row("ENH1"), unit_row("ENH2", **bad), unit_row("ENH3")]

    result = UnitResource().import_data(dataset(UNIT_HEADERS, rows), dry_run=dry_run)

    assert Unit.objects.count() == 0
    assert not result.has_errors(), "a bad cell must be a row-level message, not an exception"
    assert [row.number for row in result.invalid_rows] == [2]
    assert any(m.startswith(f"row 2, {column}: ") and message in m for m in messages_of(result)), messages_of(
        result
    )


def test_unit_file_with_a_bad_row_does_not_change_existing_units(district):
    factories.UnitFactory(code="ENH1", organisation=district, staff_count=5)

    UnitResource().import_data(
        dataset(UNIT_HEADERS, [unit_row("ENH1", staff_count="50"), unit_row("ENH2", organisation="X")])
    )

    assert Unit.objects.get(code="ENH1").staff_count == 5
    assert not Unit.objects.filter(code="ENH2").exists()


def test_unit_import_refuses_a_file_without_the_code_column(district):
    headers = [h for h in UNIT_HEADERS if h != "code"]

    result = UnitResource().import_data(dataset(headers, [unit_row("ENH1")[1:]]))

    assert result.has_errors()
    assert "Filen saknar kolumnerna ”code”" in str(result.base_errors[0].error)
    assert Unit.objects.count() == 0


@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_unit_export_reimports_with_no_changes(district, file_format):
    factories.UnitFactory(code="ENH1", organisation=district, has_operational_plan=True)
    factories.UnitFactory(
        code="ENH2", organisation=district, is_private_provider=True, stockholmers_share=75, staff_count=40
    )
    fmt = file_format()

    exported = fmt.export_data(UnitResource().export(force_native_type=fmt.is_binary()))
    result = UnitResource().import_data(fmt.create_dataset(exported), dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors(), messages_of(result)
    assert result.totals["skip"] == 2
    assert result.totals["new"] == result.totals["update"] == 0


def test_unit_export_uses_codes_and_ja_nej():
    unit = factories.UnitFactory(code="ENH9", is_private_provider=True, stockholmers_share=80)

    exported = UnitResource().export()

    assert exported.headers == UNIT_HEADERS
    row = dict(zip(exported.headers, exported[0], strict=True))
    assert row["organisation"] == unit.organisation.code
    assert (row["has_operational_plan"], row["is_private_provider"]) == ("ja", "ja")
    assert row["stockholmers_share"] == "80"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ja", True),
        ("Ja", True),
        (" JA ", True),
        ("nej", False),
        ("NEJ", False),
        ("1", True),
        ("0", False),
        (1, True),
        (0, False),
        ("true", True),
        ("False", False),
        (True, True),
        ("", None),
        (None, None),
    ],
)
def test_boolean_widget_reads_swedish_spreadsheets(value, expected):
    assert BooleanWidget().clean(value) is expected


@pytest.mark.parametrize("value", ["kanske", "2", "yes!"])
def test_boolean_widget_refuses_other_words(value):
    with pytest.raises(ValueError, match="varken ja eller nej"):
        BooleanWidget().clean(value)


@pytest.mark.parametrize(
    ("value", "expected"), [("12", 12), (" 1 200 ", 1200), (7.0, 7), ("", None), (None, None)]
)
def test_integer_widget_reads_whole_numbers(value, expected):
    assert IntegerWidget().clean(value) == expected


@pytest.mark.parametrize("value", ["tolv", "12,5", 3.5, "1e400", True])
def test_integer_widget_refuses_anything_else_in_swedish(value):
    with pytest.raises(ValueError, match="är inte ett heltal"):
        IntegerWidget().clean(value)


def test_organisation_import_by_code_with_kind_value_or_label():
    factories.OrganisationFactory(code="FF1", name="Gammalt namn", kind=Organisation.Kind.DISTRICT)
    headers = ["code", "name", "kind"]
    rows = [
        ["SDF01", "Skärholmens stadsdelsförvaltning", "district"],
        ["FF1", "Utbildningsförvaltningen", "Fackförvaltning"],
        ["BOL1", "Micasa Fastigheter", "company"],
    ]

    result = OrganisationResource().import_data(dataset(headers, rows))

    assert not result.has_validation_errors(), messages_of(result)
    assert (result.totals["new"], result.totals["update"]) == (2, 1)
    assert Organisation.objects.get(code="FF1").kind == Organisation.Kind.SPECIALIST
    assert Organisation.objects.get(code="BOL1").kind == Organisation.Kind.COMPANY


def test_organisation_import_refuses_an_unknown_kind():
    result = OrganisationResource().import_data(
        dataset(["code", "name", "kind"], [["X1", "Något", "kommun"]])
    )

    assert Organisation.objects.count() == 0
    assert any("row 1, kind:" in m and "inget giltigt alternativ" in m for m in messages_of(result)), (
        messages_of(result)
    )


@pytest.fixture
def draft_cycle(db):
    cycle = factories.AwardCycleFactory(year=2031)
    factories.TrackFactory(cycle=cycle, kind=Track.Kind.QUALITY_AWARD)
    factories.TrackFactory(cycle=cycle, kind=Track.Kind.RENEWAL_PRIZE)
    return cycle


def test_criterion_import_resolves_the_track_from_cycle_and_kind(draft_cycle):
    rows = [
        [2031, "quality_award", 1, "Ledarskap", "approach", 600, 6000, "Beskriv hur…", "Titta på…"],
        [2031, "quality_award", 2, "Resultat", "results", 400, 4000, "", ""],
        [2031, "renewal_prize", 1, "Förnyelsen", "approach", 1000, 5000, "", ""],
    ]

    result = CriterionResource().import_data(dataset(CRITERION_HEADERS, rows), dry_run=False)

    assert not result.has_errors() and not result.has_validation_errors(), messages_of(result)
    quality = draft_cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    assert list(quality.criteria.values_list("number", "title", "weight")) == [
        (1, "Ledarskap", 600),
        (2, "Resultat", 400),
    ]
    assert quality.criteria.get(number=2).kind == Criterion.Kind.RESULTS
    assert draft_cycle.tracks.get(kind=Track.Kind.RENEWAL_PRIZE).criteria.get().weight == 1000


def test_criterion_import_updates_the_criterion_with_the_same_cycle_track_and_number(draft_cycle):
    track = draft_cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    factories.CriterionFactory(track=track, number=1, title="Gammal rubrik", weight=100)
    other_year = factories.complete_cycle(year=2032)
    rows = [[2031, "quality_award", 1, "Ny rubrik", "approach", 250, 6000, "", ""]]

    result = CriterionResource().import_data(dataset(CRITERION_HEADERS, rows))

    assert result.totals["update"] == 1
    assert track.criteria.get(number=1).title == "Ny rubrik"
    assert other_year.tracks.get(kind=Track.Kind.QUALITY_AWARD).criteria.get(number=1).title != "Ny rubrik"


@pytest.mark.parametrize(
    ("cycle", "track", "message"),
    [
        (1999, "quality_award", "Kolumnen ”track”: Det finns ingen omgång för år 1999."),
        (2031, "vinnarpriset", "Omgången 2031 har inget spår av typen ”vinnarpriset”"),
        ("tjugo", "quality_award", "Omgångens år ”tjugo” är inte ett årtal."),
    ],
)
def test_criterion_import_refuses_an_unknown_cycle_or_track(draft_cycle, cycle, track, message):
    rows = [
        [2031, "quality_award", 1, "Ledarskap", "approach", 500, 6000, "", ""],
        [cycle, track, 2, "Resultat", "results", 500, 6000, "", ""],
    ]

    result = CriterionResource().import_data(dataset(CRITERION_HEADERS, rows), dry_run=False)

    assert Criterion.objects.count() == 0
    assert not result.has_errors()
    assert any(m.startswith("row 2, track: ") and message in m for m in messages_of(result)), messages_of(
        result
    )


def test_criterion_export_reimports_with_no_changes():
    factories.complete_cycle(year=2033)

    exported = CriterionResource().export()
    result = CriterionResource().import_data(CSV().create_dataset(exported.csv))

    assert exported.headers == CRITERION_HEADERS
    assert exported[0][:2] == ("2033", "quality_award")
    assert not result.has_validation_errors(), messages_of(result)
    assert result.totals["skip"] == Criterion.objects.count() == 9


def test_past_result_import_creates_and_updates_by_unit_year_and_track():
    unit = factories.UnitFactory(code="ENH1")
    factories.PastResultFactory(
        unit=unit, year=2021, track_kind="quality_award", outcome="honourable_mention"
    )
    headers = ["unit", "year", "track_kind", "outcome"]
    rows = [
        ["ENH1", 2021, "quality_award", "winner"],
        ["ENH1", 2022, "renewal_prize", "Hedersomnämnande"],
    ]

    result = PastResultResource().import_data(dataset(headers, rows))

    assert not result.has_validation_errors(), messages_of(result)
    assert (result.totals["new"], result.totals["update"]) == (1, 1)
    assert set(unit.past_results.values_list("year", "track_kind", "outcome")) == {
        (2021, "quality_award", "winner"),
        (2022, "renewal_prize", "honourable_mention"),
    }


def test_past_result_import_refuses_an_unknown_unit_and_imports_nothing():
    factories.UnitFactory(code="ENH1")
    headers = ["unit", "year", "track_kind", "outcome"]
    rows = [["ENH1", 2021, "quality_award", "winner"], ["ENH404", 2021, "quality_award", "winner"]]

    result = PastResultResource().import_data(dataset(headers, rows))

    assert PastResult.objects.count() == 0
    assert any(
        m.startswith("row 2, unit: ") and "Det finns ingen enhet med enhetskod ”ENH404”" in m
        for m in messages_of(result)
    ), messages_of(result)


@pytest.mark.parametrize("file_format", [CSV, XLSX])
def test_formula_like_text_is_escaped_on_export_and_reimports_unchanged(district, file_format):
    factories.UnitFactory(code="ENH1", organisation=district, name='=HYPERLINK("http://x.example","klicka")')
    factories.UnitFactory(code="ENH2", organisation=district, name="-Förskolan Minus", head_name="@Anna")
    fmt = file_format()

    exported = fmt.export_data(UnitResource().export(force_native_type=fmt.is_binary()))
    dataset = fmt.create_dataset(exported)
    result = UnitResource().import_data(dataset, dry_run=False)

    names = dict(zip(dataset["code"], dataset["name"], strict=True))
    assert names["ENH1"].startswith("'=")
    if not fmt.is_binary():
        assert names["ENH2"] == "'-Förskolan Minus"
    assert result.totals["skip"] == 2, messages_of(result)
    assert Unit.objects.get(code="ENH1").name.startswith("=HYPERLINK")
