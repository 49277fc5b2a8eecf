"""The examiner's page shows each application's progress (criteria scored n of m, submitted,
the consensus's state) and only the steps open in the cycle's phase: no consensus link
before its phase, no site visit without one, the report for the leader once the consensus
is final."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from award.models import AwardCycle, Phase
from tests.support import factories
from tests.support.teams import confirmed_team, fill, submit_all

pytestmark = pytest.mark.django_db


def _move_to(cycle, phase):
    for offset in range(0, -200, -1):
        AwardCycle.objects.filter(pk=cycle.pk).update(**factories.timeline(phase_offset=offset))
        cycle.refresh_from_db()
        if cycle.phase == phase:
            return
    raise AssertionError(phase)


def _home(client, user):
    client.force_login(user)
    return client.get(reverse("examiners:home")).content.decode()


def test_during_the_assessment_only_the_assessment_is_offered(client, team_world):
    _move_to(team_world["cycle"], Phase.ASSESSMENT)
    application = team_world["application"]
    fill(application, team_world["examiner"], [40, 50, None, None])
    html = _home(client, team_world["examiner"])
    assert reverse("scoring:assessment", args=[application.pk]) in html
    assert "2 av 4 kriterier bedömda" in html
    assert reverse("scoring:consensus", args=[application.pk]) not in html
    assert reverse("scoring:site_visit", args=[application.pk]) not in html
    assert reverse("scoring:report_edit", args=[application.pk]) not in html


def test_in_the_consensus_phase_the_consensus_and_its_state_appear(client, team_world):
    submit_all(team_world)
    _move_to(team_world["cycle"], Phase.CONSENSUS)
    application = team_world["application"]
    html = _home(client, team_world["examiner"])
    assert "din bedömning är inlämnad" in html and "konsensus inte startad" in html
    assert reverse("scoring:consensus", args=[application.pk]) in html
    assert reverse("scoring:report_edit", args=[application.pk]) not in html  # not final, and not the leader


def test_the_pages_queries_do_not_grow_with_the_applications(
    client, cycle, quality, slk, django_assert_max_num_queries
):
    _team, members, _apps = confirmed_team(cycle, quality, slk, applications=1)
    user = members[1].profile.user
    client.force_login(user)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("examiners:home")).status_code == 200
    _team, more, _apps = confirmed_team(cycle, quality, slk, name="Lag B", applications=2)
    client.force_login(more[1].profile.user)
    with django_assert_max_num_queries(len(one)):
        response = client.get(reverse("examiners:home"))
    assert response.status_code == 200 and response.content.decode().count("kriterier bedömda") == 2
