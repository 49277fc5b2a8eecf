"""The unit's earlier entry beside this year's: on the examiners' assessment page and the
committee's drill-down, with the result once announced and the totals each may see."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from award.models import CommitteeMembership, Track
from award.roles import Role
from scoring.queries import earlier_entry
from tests.support import factories
from tests.support.history import earlier_entry as make_earlier
from tests.support.teams import confirmed_team

pytestmark = pytest.mark.django_db

HEADING = "Enhetens förra bidrag"


@pytest.fixture
def world(cycle, slk):
    track = cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    _team, members, (application,) = confirmed_team(cycle, track, slk)
    return {"application": application, "examiner": members[1].profile.user}


def _assessment(client, world):
    client.force_login(world["examiner"])
    response = client.get(reverse("scoring:assessment", args=[world["application"].pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_examiners_see_the_earlier_result_and_the_released_total(client, world, cycle):
    earlier = make_earlier(
        world["application"].unit, cycle.year - 1, scores=(40, 40, 40, 40), outcome="winner"
    )
    content = _assessment(client, world)
    assert HEADING in content and earlier.code in content and "Vinnare" in content
    assert "Totalpoäng i återföringen till enheten" in content and "400" in content
    # The committee's consensus total is not the examiners' to see, and no link to an
    # application they have no access to.
    assert "Konsensustotal" not in content
    assert reverse("submissions:application_detail", args=[earlier.pk]) not in content


def test_nothing_of_the_result_before_the_earlier_cycle_releases_it(client, world, cycle):
    make_earlier(world["application"].unit, cycle.year - 1, released=False, outcome="winner")
    entry = earlier_entry(world["application"])
    assert entry is not None
    assert (entry.result, entry.report_total, entry.consensus_total, entry.report_released) == (
        "",
        None,
        None,
        False,
    )
    content = _assessment(client, world)
    assert "Inte meddelat ännu" in content and "Vinnare" not in content


def test_no_total_where_the_cycle_did_not_show_scores(world, cycle):
    make_earlier(world["application"].unit, cycle.year - 1, show_scores=False)
    entry = earlier_entry(world["application"])
    assert entry.report_released and entry.report_total is None


def test_another_units_entry_is_not_the_earlier_one(client, world, cycle):
    make_earlier(factories.UnitFactory(), cycle.year - 1, outcome="winner")
    assert earlier_entry(world["application"]) is None
    assert HEADING not in _assessment(client, world)


def test_only_the_same_kind_of_track_counts(world, cycle):
    renewal = factories.complete_cycle(year=cycle.year - 1).tracks.get(kind=Track.Kind.RENEWAL_PRIZE)
    factories.submitted_application(renewal, world["application"].unit)
    assert earlier_entry(world["application"]) is None


def test_the_latest_earlier_cycle_is_shown(world, cycle):
    make_earlier(world["application"].unit, cycle.year - 2)
    latest = make_earlier(world["application"].unit, cycle.year - 1)
    assert earlier_entry(world["application"]).application == latest


def test_the_committee_sees_the_consensus_total_and_links_where_it_sat(client, world, cycle):
    earlier = make_earlier(world["application"].unit, cycle.year - 1, outcome="honourable_mention")
    member = factories.user_with_role(Role.COMMITTEE)
    CommitteeMembership.objects.create(cycle=cycle, user=member)
    client.force_login(member)
    url = reverse("judging:drilldown", args=[world["application"].pk])
    content = client.get(url).content.decode()
    assert HEADING in content and "Hedersomnämnande" in content and "Konsensustotal" in content
    drilldown = reverse("judging:drilldown", args=[earlier.pk])
    assert drilldown not in content  # not on last year's committee
    CommitteeMembership.objects.create(cycle=earlier.track.cycle, user=member)
    assert drilldown in client.get(url).content.decode()
    # Only SLK is offered the unit's history page.
    assert reverse("judging:unit_history", args=[earlier.unit_id]) not in content


def test_slk_gets_the_links(client, world, cycle, slk):
    earlier = make_earlier(world["application"].unit, cycle.year - 1)
    client.force_login(slk)
    content = client.get(reverse("judging:drilldown", args=[world["application"].pk])).content.decode()
    assert reverse("judging:drilldown", args=[earlier.pk]) in content
    assert reverse("judging:unit_history", args=[earlier.unit_id]) in content


def test_the_earlier_entry_costs_a_fixed_number_of_queries(client, world, cycle):
    client.force_login(world["examiner"])
    url = reverse("scoring:assessment", args=[world["application"].pk])
    with CaptureQueriesContext(connection) as without:
        assert client.get(url).status_code == 200
    make_earlier(world["application"].unit, cycle.year - 2, outcome="winner")
    make_earlier(world["application"].unit, cycle.year - 1, outcome="honourable_mention")
    with CaptureQueriesContext(connection) as with_two:
        response = client.get(url)
    assert response.status_code == 200 and HEADING in response.content.decode()
    # the earlier application, its past result, its report and the report's items, the
    # examiner's permission on it (guardian: user and group)
    assert len(with_two) <= len(without) + 6
