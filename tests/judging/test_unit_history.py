"""The unit's history page: the cycles it entered, its results once announced, and its
criterion profile over the cycles that released scores; its contacts and SLK only."""

import pytest
from django.urls import reverse

from award.models import PastResult, Track
from judging import charts
from judging.queries import unit_history
from submissions.models import Application
from tests.support import factories
from tests.support.history import earlier_entry

pytestmark = pytest.mark.django_db


def _page(client, user, unit):
    client.force_login(user)
    return client.get(reverse("judging:unit_history", args=[unit.pk]))


def test_the_unit_sees_its_cycles_results_and_profile(client, unit_contact, unit, cycle):
    earlier_entry(unit, cycle.year - 2, scores=(30, 40, 50, 60))
    earlier_entry(unit, cycle.year - 1, scores=(50, 60, 70, 80), outcome="honourable_mention")
    factories.submitted_application(
        cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD), unit, status=Application.Status.DRAFT
    )
    response = _page(client, unit_contact, unit)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Hedersomnämnande" in content
    assert "Inte meddelat ännu" in content  # this year's entry
    assert reverse("judging:unit_profile_svg", args=[unit.pk]) in content
    history = unit_history(unit)
    assert [e.year for e in history["entries"]] == [cycle.year, cycle.year - 1, cycle.year - 2]
    (profile,) = history["profiles"]
    assert profile.years == [cycle.year - 2, cycle.year - 1]
    assert profile.rows[0]["scores"] == [30, 50]
    # The text alternative: each criterion's scores per year in a table.
    assert "<caption" in content and ">80<" in content


def test_scores_only_where_the_report_is_released_and_shows_scores(unit, cycle):
    earlier_entry(unit, cycle.year - 3, show_scores=False)
    earlier_entry(unit, cycle.year - 2, released=False, outcome="winner")
    earlier_entry(unit, cycle.year - 1, approved=False)
    history = unit_history(unit)
    assert history["profiles"] == []
    assert all(e.scores == {} and e.total is None for e in history["entries"])
    # The decision of a cycle whose release date has not come is not announced yet, and
    # the past result the signature wrote is not shown for it either.
    assert all(e.result == "" for e in history["entries"])
    # A released report without scores is still released.
    assert [e.report_released for e in history["entries"]] == [False, False, True]


def test_an_imported_past_result_is_part_of_the_history(unit, cycle):
    factories.PastResultFactory(unit=unit, year=2011, outcome=PastResult.Outcome.WINNER)
    (entry,) = unit_history(unit)["entries"]
    assert (entry.year, entry.result, entry.application) == (2011, "Vinnare", None)


def test_another_units_contact_gets_404(client, other_unit_contact, unit, cycle):
    earlier_entry(unit, cycle.year - 1)
    assert _page(client, other_unit_contact, unit).status_code == 404
    response = client.get(reverse("judging:unit_profile_svg", args=[unit.pk]))
    assert response.status_code == 404


def test_slk_sees_any_units_history(client, slk, unit, cycle):
    earlier_entry(unit, cycle.year - 1, outcome="winner")
    response = _page(client, slk, unit)
    assert response.status_code == 200 and "Vinnare" in response.content.decode()


def test_an_examiner_is_refused_the_page(client, examiner, unit):
    assert _page(client, examiner, unit).status_code == 403


def test_the_chart_is_an_svg_of_the_profile(client, unit_contact, unit, cycle):
    earlier_entry(unit, cycle.year - 1)
    client.force_login(unit_contact)
    response = client.get(reverse("judging:unit_profile_svg", args=[unit.pk]) + "?spar=quality_award")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert "<svg" in svg and str(cycle.year - 1) in svg and "Kriterium" in svg


def test_the_profile_chart_draws_several_years(unit, cycle):
    for offset in (4, 3, 2, 1):
        earlier_entry(unit, cycle.year - offset)
    (profile,) = unit_history(unit)["profiles"]
    svg = charts.render("unit_profile", {"profile": profile})
    assert all(str(cycle.year - offset) in svg for offset in (4, 3, 2, 1))


@pytest.mark.parametrize("cycles", [1, 3])
def test_the_page_reads_a_fixed_number_of_queries(
    client, unit_contact, unit, cycle, cycles, django_assert_max_num_queries
):
    for offset in range(1, cycles + 1):
        earlier_entry(unit, cycle.year - offset, outcome="winner")
    factories.PastResultFactory(unit=unit, year=2009)
    client.force_login(unit_contact)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("judging:unit_history", args=[unit.pk]))
    assert response.status_code == 200
    content = response.content.decode()
    assert content.count("Vinnare") >= cycles + 1
