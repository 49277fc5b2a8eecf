"""The committee's consolidated view reads in a fixed number of queries in every mode
added since the first benchmark: a whole class on one page (?alla=1) and the per-criterion
figures (?kriterier=1), which read the stored figures of the rows shown (issue 18)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.support.teams import confirmed_team, finalise

pytestmark = pytest.mark.django_db


def _count(client, track, query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("judging:consolidated", args=[track.cycle.year, track.pk]), query)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


@pytest.mark.parametrize("query", [{}, {"alla": "1"}, {"kriterier": "1"}, {"alla": "1", "kriterier": "1"}])
def test_every_mode_costs_the_same_with_three_times_the_applications(
    client, cycle, quality, slk, committee, query
):
    _team, members, apps = confirmed_team(cycle, quality, slk, applications=1)
    finalise(apps[0], members, [40, 50, 60, 70], 60)
    client.force_login(committee["member"])
    _count(client, quality, query)  # the session and caches settle
    few_html, few = _count(client, quality, query)
    assert apps[0].code in few_html

    _team, members, more = confirmed_team(cycle, quality, slk, name="Lag B", applications=2)
    for application, score in zip(more, (50, 70), strict=True):
        finalise(application, members, [score] * 4, score)
    many_html, many = _count(client, quality, query)

    assert all(a.code in many_html for a in [*apps, *more])
    assert many == few
    assert many <= (17 if "kriterier" in query else 15)
