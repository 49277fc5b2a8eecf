"""The committee's charts: their numbers on the known data set, their text alternatives,
their cache, and who may see every page of urls_reports."""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from award.roles import Role
from judging import charts
from judging import services as judging_services
from judging.models import Meeting
from judging.reports import urls as urls_reports
from tests.support import factories
from tests.support.teams import confirmed_team, finalise

pytestmark = pytest.mark.django_db
SHARED_WORLD = ("cycle", "slk", "committee", "scored")  # built once for the module (tests/support/world.py)


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def _sign_winner(cycle, committee, slk, application):
    meeting = judging_services.meeting_record(
        cycle=cycle,
        kind=Meeting.Kind.FINAL,
        date=cycle.final_committee_meeting,
        present=committee.values(),
        by=slk,
    )
    decision = judging_services.decision_save(
        meeting=meeting,
        track=application.track,
        competition_class=application.competition_class,
        no_award=False,
        rationale="Bäst i klassen",
        outcomes=[
            judging_services.OutcomeData(application=application, outcome="winner", citation="Föredömligt")
        ],
        by=committee["chair"],
    )
    return judging_services.decision_sign(decision=decision, by=committee["chair"])


# --- Numbers ---------------------------------------------------------------------------


def test_track_data_has_the_class_totals_and_the_criteria_scores(scored):
    data = charts.track_data(scored["track"])
    (klass,) = data["classes"]
    assert sorted(klass.totals) == [450.0, 650.0, 800.0]
    assert klass.median == 650.0
    assert klass.winners == []
    for criterion in data["criteria"]:
        assert criterion.scores == [45, 65, 80]
        assert criterion.summary == {"count": 3, "min": 45, "median": 65, "mean": 63.3, "max": 80}


def test_winners_are_marked_once_the_decision_is_signed(scored, cycle, committee, slk):
    _sign_winner(cycle, committee, slk, scored["b1"])
    (klass,) = charts.track_data(scored["track"])["classes"]
    assert klass.winners == [scored["b1"].code]


def test_calibration_is_each_examiners_mean_deviation_from_the_consensus(scored, cycle):
    by_name = {(e.teams, e.assessments, e.mean_deviation) for e in charts.calibration_data(cycle)}
    # Team A agreed 45 and 65 where two members gave 5 less and two 5 more, on both of its
    # applications; team B agreed 80 on scores of 70, 80, 80 and 90.
    assert by_name == {
        ("Lag A", 2, -5.0),
        ("Lag A", 2, 5.0),
        ("Lag B", 1, -10.0),
        ("Lag B", 1, 0.0),
        ("Lag B", 1, 10.0),
    }
    assert len(charts.calibration_data(cycle)) == 8


def test_profile_is_the_application_against_its_class_median(scored):
    points = charts.profile_data(scored["a1"])
    assert points and all((p.score, p.class_median, p.difference) == (45, 65, -20) for p in points)


# --- Pages and SVG ---------------------------------------------------------------------


def test_track_charts_page_has_figures_with_captions_and_data_tables(client, scored, cycle, slk):
    client.force_login(slk)
    response = client.get(reverse("judging:charts", args=[cycle.year, scored["track"].pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<figure") == 2 and html.count("<figcaption") == 2
    assert html.count('<table class="visually-hidden">') == 2
    for chart in ("totals", "criteria"):
        assert reverse("judging:chart_svg", args=[cycle.year, scored["track"].pk, chart]) in html
    assert 'alt="' in html
    for application, total in ((scored["a1"], "450,0"), (scored["a2"], "650,0"), (scored["b1"], "800,0")):
        assert application.code in html and total in html
    # No unit names: the charts can be shown at the shortlisting meeting.
    assert scored["a1"].unit.name not in html


def test_chart_svg_is_served_as_svg(client, scored, cycle, committee, slk):
    _sign_winner(cycle, committee, slk, scored["b1"])
    client.force_login(committee["member"])
    response = client.get(reverse("judging:chart_svg", args=[cycle.year, scored["track"].pk, "totals"]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("image/svg+xml")
    svg = response.content.decode()
    assert "<svg" in svg and scored["b1"].code in svg  # the winner is labelled


def test_calibration_page_lists_every_examiner(client, scored, cycle, slk):
    client.force_login(slk)
    html = client.get(reverse("judging:calibration_chart", args=[cycle.year])).content.decode()
    assert "<figcaption" in html and 'class="visually-hidden"' in html
    assert reverse("judging:calibration_chart_svg", args=[cycle.year]) in html
    assert html.count('<th scope="row">') == 8
    response = client.get(reverse("judging:calibration_chart_svg", args=[cycle.year]))
    assert response["Content-Type"].startswith("image/svg+xml") and b"<svg" in response.content


def test_profile_page_has_the_numbers_as_a_table(client, scored, committee):
    client.force_login(committee["member"])
    html = client.get(reverse("judging:profile_chart", args=[scored["a1"].pk])).content.decode()
    assert "<figcaption" in html and "-20" in html and "45" in html
    response = client.get(reverse("judging:profile_chart_svg", args=[scored["a1"].pk]))
    assert response["Content-Type"].startswith("image/svg+xml") and b"<svg" in response.content


def test_unknown_track_chart_is_not_found(client, scored, cycle, slk):
    client.force_login(slk)
    assert (
        client.get(reverse("judging:chart_svg", args=[cycle.year, scored["track"].pk, "pie"])).status_code
        == 404
    )
    other = factories.complete_cycle(cycle.year + 1)
    url = reverse("judging:charts", args=[other.year, scored["track"].pk])
    assert client.get(url).status_code == 404


# --- Cache -----------------------------------------------------------------------------


def test_a_cached_chart_is_not_redrawn_until_its_data_changes(client, scored, cycle, committee, slk):
    client.force_login(slk)
    url = reverse("judging:chart_svg", args=[cycle.year, scored["track"].pk, "totals"])
    with mock.patch("judging.charts.render", wraps=charts.render) as render:
        first = client.get(url).content
        assert client.get(url).content == first
        assert render.call_count == 1
        _sign_winner(cycle, committee, slk, scored["b1"])
        changed = client.get(url).content
        assert render.call_count == 2 and changed != first
        client.get(url)
        assert render.call_count == 2


def test_a_changed_score_redraws_exactly_the_charts_it_changes(client, scored, cycle, slk):
    client.force_login(slk)
    criteria_url = reverse("judging:chart_svg", args=[cycle.year, scored["track"].pk, "criteria"])
    profile_url = reverse("judging:profile_chart_svg", args=[scored["a2"].pk])
    item = scored["a1"].consensus.items.order_by("criterion__number").first()
    with mock.patch("judging.charts.render", wraps=charts.render) as render:
        client.get(criteria_url), client.get(profile_url)
        assert render.call_count == 2
        # What SLK could do in the admin: a2's profile still compares with a median of 65.
        item.score = 50
        item.save()
        client.get(criteria_url), client.get(profile_url)
        assert render.call_count == 3
        # Now the class median of the first criterion moves to 70.
        item.score = 70
        item.save()
        client.get(criteria_url), client.get(profile_url)
        assert render.call_count == 5


# --- Who sees what ---------------------------------------------------------------------

EVERYONE_ON_THE_COMMITTEE = {"committee_member": 200, "slk": 200}
SLK_ONLY = {"committee_member": 403, "slk": 200}

# Expected status per URL name and user: anonymous → login; unit contacts and examiners →
# 403 (wrong role); a committee member of another cycle → 404 (the page does not tell who
# sits on which committee) or 403 where the page is SLK's alone.
EXPECTED = {
    "charts": EVERYONE_ON_THE_COMMITTEE | {"other_committee": 404},
    "chart_svg": EVERYONE_ON_THE_COMMITTEE | {"other_committee": 404},
    "calibration_chart": SLK_ONLY | {"other_committee": 403},
    "calibration_chart_svg": SLK_ONLY | {"other_committee": 403},
    "profile_chart": EVERYONE_ON_THE_COMMITTEE | {"other_committee": 404},
    "profile_chart_svg": EVERYONE_ON_THE_COMMITTEE | {"other_committee": 404},
    "cycle_export": EVERYONE_ON_THE_COMMITTEE | {"other_committee": 404},
}


def test_the_permission_matrix_covers_every_url_of_the_reports():
    assert set(EXPECTED) == {pattern.name for pattern in urls_reports.urlpatterns}


def test_permission_matrix(client, scored, cycle, committee, slk, committee_member):
    application = scored["a1"]
    unit_contact = factories.user_with_role(Role.UNIT_CONTACT)
    application.unit.contacts.add(unit_contact)  # even the application's own unit is refused
    examiner = application.assessments.first().member.profile.user
    users = {
        "unit_contact": unit_contact,
        "examiner": examiner,
        "committee_member": committee["member"],
        "other_committee": committee_member,  # the role, but not on this cycle's committee
        "slk": slk,
    }
    kwargs = {
        "charts": [cycle.year, scored["track"].pk],
        "chart_svg": [cycle.year, scored["track"].pk, "totals"],
        "calibration_chart": [cycle.year],
        "calibration_chart_svg": [cycle.year],
        "profile_chart": [application.pk],
        "profile_chart_svg": [application.pk],
        "cycle_export": [cycle.year],
    }
    for name, expected in EXPECTED.items():
        url = reverse(f"judging:{name}", args=kwargs[name])
        client.logout()
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), name
        for who, user in users.items():
            client.force_login(user)
            status = client.get(url).status_code
            assert status == expected.get(who, 403), (name, who, status)


def test_charts_page_query_count_does_not_grow_with_applications(
    client,
    scored,
    cycle,
    quality,
    slk,
    django_assert_max_num_queries,
):
    client.force_login(slk)
    url = reverse("judging:charts", args=[cycle.year, quality.pk])
    with CaptureQueriesContext(connection) as three:
        response = client.get(url)
    assert response.status_code == 200
    assert all(scored[key].code in response.content.decode() for key in ("a1", "a2", "b1"))
    _team, members, apps = confirmed_team(cycle, quality, slk, name="Lag C", applications=2)
    for application in apps:
        finalise(application, members, [50, 50, 50, 50], 50)
    with django_assert_max_num_queries(len(three.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200
    assert all(application.code in response.content.decode() for application in apps)
