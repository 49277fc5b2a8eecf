"""An application's score history (scoring:history) reads in a fixed number of queries
however many changes it lists (issue 18: every page's query count constant in N)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.support.teams import fill

pytestmark = pytest.mark.django_db


def _get(client, application):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("scoring:history", args=[application.pk]))
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_the_history_costs_the_same_with_three_times_the_changes(client, team_world, slk):
    application, members = team_world["application"], team_world["members"]
    fill(application, members[1].profile.user, 40)
    client.force_login(slk)
    _get(client, application)  # the session and caches settle
    few_content, few = _get(client, application)
    assert "40" in few_content

    for member, score in zip(members[2:], (60, 70), strict=False):
        fill(application, member.profile.user, score)
    many_content, many = _get(client, application)

    assert many_content.count("<tr") > few_content.count("<tr")
    assert many == few
    assert many <= 15
