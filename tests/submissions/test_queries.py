import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from award.models import Track
from submissions import queries, services
from submissions import views as submission_views
from submissions.exports import OVERVIEW_HEADER
from submissions.models import Application
from tests.support import factories
from tests.support.applications import answer_all, pdf_bytes, register, upload

pytestmark = pytest.mark.django_db

# Pinned query counts, the same for one application and for thirty: the page needs
# session, user, roles, cycles, counts, the two filter choices and the list; the export
# only the session, user, roles, cycle and the list.
OVERVIEW_MAX_QUERIES = 9  # with the paginator's count
EXPORT_MAX_QUERIES = 5


def _fill(cycle, slk, count):
    """`count` applications in both tracks and all classes, from units of three
    organisations, each with answers and an attachment."""
    organisations = [factories.OrganisationFactory() for _ in range(3)]
    classes = list(cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD).classes.all())
    applications = []
    for i in range(count):
        unit = factories.UnitFactory(organisation=organisations[i % 3])
        if i % 4 == 3:
            application = register(cycle, unit, slk, kind=Track.Kind.RENEWAL_PRIZE, deficit_forecast=True)
        else:
            application = register(cycle, unit, slk, competition_class=classes[i % len(classes)])
        answer_all(application, slk)
        services.attachment_add(
            application=application, uploaded_file=upload("plan.pdf", pdf_bytes()), description="", by=slk
        )
        applications.append(application)
    return applications


@pytest.mark.parametrize("count", [1, 30])
def test_overview_query_count_does_not_grow_with_applications(
    client, cycle, slk, media_root, django_assert_max_num_queries, count
):
    applications = _fill(cycle, slk, count)
    client.force_login(slk)
    with django_assert_max_num_queries(OVERVIEW_MAX_QUERIES):
        response = client.get(reverse("submissions:overview"))
    assert response.status_code == 200
    content = response.content.decode()
    assert all(a.code in content for a in applications)
    assert f"{count} anmäl" in content


@pytest.mark.parametrize("count", [1, 30])
def test_overview_export_query_count_does_not_grow(
    client, cycle, slk, media_root, django_assert_max_num_queries, count
):
    _fill(cycle, slk, count)
    client.force_login(slk)
    with django_assert_max_num_queries(EXPORT_MAX_QUERIES):
        response = client.get(reverse("submissions:overview"), {"export": "xlsx"})
    assert response.status_code == 200
    assert len(_rows(response)) == count


@pytest.mark.parametrize("count", [1, 30])
def test_unit_contacts_list_query_count_does_not_grow(
    client, cycle, unit, unit_contact, django_assert_max_num_queries, count
):
    classes = list(cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD).classes.all())
    register(cycle, unit, unit_contact)
    for _ in range(count - 1):
        other = factories.UnitFactory()
        other.contacts.add(unit_contact)
        register(cycle, other, unit_contact, competition_class=classes[1])
    client.force_login(unit_contact)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("submissions:application_list"))
    assert response.status_code == 200
    assert response.content.decode().count("0 / 4") == count


# --- filters and counts ----------------------------------------------------------------------------------


@pytest.fixture
def states(cycle, slk, unit_contact, unit):
    """One application in each state the overview tells apart."""
    classes = list(cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD).classes.all())
    organisation = factories.OrganisationFactory(name="Kulturförvaltningen")

    pending = register(cycle, unit, unit_contact, competition_class=classes[0])
    draft = register(
        cycle, factories.UnitFactory(organisation=organisation), slk, competition_class=classes[1]
    )
    services.registration_decide(application=draft, approve=True, reason="", by=slk)
    submitted = register(cycle, factories.UnitFactory(), slk, competition_class=classes[1])
    answer_all(submitted, slk)
    services.application_submit(application=submitted, by=slk)
    withdrawn = register(
        cycle, factories.UnitFactory(organisation=organisation), slk, kind=Track.Kind.RENEWAL_PRIZE
    )
    services.application_withdraw(application=withdrawn, reason="", by=slk)
    rejected = register(cycle, factories.UnitFactory(), slk, competition_class=classes[2])
    services.registration_decide(application=rejected, approve=False, reason="Fel huvudman", by=slk)
    return {
        "pending": pending,
        "draft": draft,
        "submitted": submitted,
        "withdrawn": withdrawn,
        "rejected": rejected,
        "classes": classes,
        "organisation": organisation,
    }


def _listed_codes(response):
    content = response.content.decode()
    table = content[content.index("<caption>") :]
    return {a.code for a in Application.objects.all() if a.code in table}


@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("pending", {"pending", "submitted"}),
        ("draft", {"pending", "draft"}),
        ("submitted", {"submitted"}),
        ("withdrawn", {"withdrawn"}),
        ("rejected", {"rejected"}),
        ("", {"pending", "draft", "submitted", "withdrawn", "rejected"}),
    ],
)
def test_overview_filters_by_state(client, slk, states, state, expected):
    client.force_login(slk)
    response = client.get(reverse("submissions:overview"), {"state": state})
    assert _listed_codes(response) == {states[key].code for key in expected}


def test_overview_filters_by_class(client, slk, states):
    client.force_login(slk)
    response = client.get(reverse("submissions:overview"), {"competition_class": states["classes"][1].pk})
    assert _listed_codes(response) == {states["draft"].code, states["submitted"].code}


def test_overview_filters_by_organisation(client, slk, states):
    client.force_login(slk)
    response = client.get(reverse("submissions:overview"), {"organisation": states["organisation"].pk})
    assert _listed_codes(response) == {states["draft"].code, states["withdrawn"].code}


def test_overview_filters_combine(client, slk, states):
    client.force_login(slk)
    response = client.get(
        reverse("submissions:overview"), {"organisation": states["organisation"].pk, "state": "withdrawn"}
    )
    assert _listed_codes(response) == {states["withdrawn"].code}


def test_overview_with_nothing_matching_says_so(client, slk, states):
    client.force_login(slk)
    response = client.get(
        reverse("submissions:overview"), {"competition_class": states["classes"][0].pk, "state": "rejected"}
    )
    assert "Inga anmälningar matchar filtret." in response.content.decode()


def test_overview_of_another_year(client, slk, states, cycle):
    earlier = factories.complete_cycle(year=cycle.year - 1)
    client.force_login(slk)
    response = client.get(reverse("submissions:overview"), {"year": earlier.year})
    content = response.content.decode()
    assert f"Anmälningar och bidrag {earlier.year}" in content
    assert _listed_codes(response) == set()


def test_counts_per_class_and_state(cycle, states):
    counts = queries.overview_counts(cycle=cycle)
    by_label = {row["label"]: row for row in counts["rows"]}
    first, second, third = (c.name for c in states["classes"])
    assert list(by_label) == [first, second, third, "Förnyelsepriset"]
    assert by_label[first] == {
        "label": first,
        "total": 1,
        "pending": 1,
        "draft": 1,
        "submitted": 0,
        "withdrawn": 0,
        "rejected": 0,
    }
    assert by_label[second] == {
        "label": second,
        "total": 2,
        "pending": 1,
        "draft": 1,
        "submitted": 1,
        "withdrawn": 0,
        "rejected": 0,
    }
    assert by_label[third]["rejected"] == 1 and by_label[third]["draft"] == 0
    assert by_label["Förnyelsepriset"]["withdrawn"] == 1 and by_label["Förnyelsepriset"]["pending"] == 0
    assert counts["totals"] == {
        "total": 5,
        "pending": 2,
        "draft": 2,
        "submitted": 1,
        "withdrawn": 1,
        "rejected": 1,
    }


def test_counts_shown_on_the_overview(client, slk, states):
    client.force_login(slk)
    content = client.get(reverse("submissions:overview")).content.decode()
    footer = content[content.index("<tfoot>") : content.index("</tfoot>")]
    numbers = [cell.split("<")[0] for cell in footer.split('<td class="num">')[1:]]
    assert numbers == ["5", "2", "2", "1", "1", "1"]


# --- the XLSX export ------------------------------------------------------------------------------------


def _rows(response):
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows())
    assert [cell.value for cell in rows[0]] == OVERVIEW_HEADER
    return rows[1:]


def test_export_has_one_row_per_application(client, slk, states, cycle):
    client.force_login(slk)
    response = client.get(reverse("submissions:overview"), {"export": "xlsx"})
    assert response["Content-Disposition"] == f'attachment; filename="tavlingsbidrag-{cycle.year}.xlsx"'
    rows = {row[0].value: [cell.value for cell in row] for row in _rows(response)}
    assert set(rows) == {
        a.code
        for key, a in states.items()
        if key in {"pending", "draft", "submitted", "withdrawn", "rejected"}
    }
    submitted = states["submitted"]
    row = rows[submitted.code]
    assert row[1:7] == [
        "Kvalitetsutmärkelsen",
        states["classes"][1].name,
        submitted.unit.name,
        submitted.unit.organisation.name,
        "Väntar på godkännande",
        "Inlämnat",
    ]
    assert row[7:10] == [4, 4, "Ja"]
    assert rows[states["rejected"].code][5:7] == ["Avslagen", "Avslagen"]
    assert not rows[states["withdrawn"].code][2]  # Förnyelsepriset has no classes


def test_export_follows_the_filter(client, slk, states):
    client.force_login(slk)
    response = client.get(reverse("submissions:overview"), {"export": "xlsx", "state": "submitted"})
    assert [row[0].value for row in _rows(response)] == [states["submitted"].code]


def test_export_marks_deficit_as_not_award_eligible(client, slk, cycle, unit, unit_contact):
    application = register(cycle, unit, unit_contact, deficit_last_year=True)
    client.force_login(slk)
    (row,) = _rows(client.get(reverse("submissions:overview"), {"export": "xlsx"}))
    assert row[0].value == application.code
    assert row[9].value == "Nej"
    assert "underskott (förra årets resultat)" in row[10].value


# openpyxl writes any other text as a plain string already; a leading "=" is what would
# become a live formula.
@pytest.mark.parametrize("name", ['=HYPERLINK("http://example.com","Klicka")', "=1+2"])
def test_export_neutralises_formulas(client, slk, cycle, unit_contact, unit, name):
    unit.name = name
    unit.save()
    register(cycle, unit, unit_contact)
    client.force_login(slk)
    (row,) = _rows(client.get(reverse("submissions:overview"), {"export": "xlsx"}))
    cell = row[3]
    assert cell.value == name
    assert cell.data_type == "s"


def test_overview_pages_a_long_list_and_keeps_the_filter(client, slk, states, monkeypatch):
    monkeypatch.setattr(submission_views, "OVERVIEW_PAGE_SIZE", 2)
    client.force_login(slk)
    everything = {states[key].code for key in ("pending", "draft", "submitted", "withdrawn", "rejected")}
    first = client.get(reverse("submissions:overview"), {"state": ""})
    html = first.content.decode()
    assert "5 anmälningar" in html and "Visar 1–2 av 5." in html
    assert re.search(r'href="[^"]*state=[^"]*sida=2" rel="next"', html)
    seen = set()
    for number in (1, 2, 3):
        page = client.get(reverse("submissions:overview"), {"state": "", "sida": number})
        seen |= {a.code for a in page.context["applications"]}
    assert seen == everything
