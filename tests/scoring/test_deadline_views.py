"""SLK's page for the individual assessment's deadline (issue 15): every team's day and how
many assessments are out, and the extension for one team or every team, with a reason."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.formats import date_format

from examiners.models import Team
from tests.support.teams import confirmed_team

pytestmark = pytest.mark.django_db


def _url(cycle):
    return reverse("scoring:assessment_deadline", args=[cycle.year])


def test_the_page_lists_each_team_with_its_day(client, slk, team_world):
    client.force_login(slk)
    response = client.get(_url(team_world["cycle"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Lag A" in body and "Lag B" in body
    deadline = team_world["cycle"].assessment_deadline
    assert deadline.isoformat() in body or date_format(deadline, "DATE_FORMAT") in body


def test_the_page_reads_the_same_queries_for_one_team_or_more(
    client, slk, cycle, quality, django_assert_max_num_queries
):
    client.force_login(slk)
    confirmed_team(cycle, quality, slk)
    client.get(_url(cycle))
    with django_assert_max_num_queries(20) as one:
        response = client.get(_url(cycle))
    assert response.status_code == 200 and "Lag A" in response.content.decode()
    confirmed_team(cycle, quality, slk, name="Lag B")
    confirmed_team(cycle, quality, slk, name="Lag C")
    with django_assert_max_num_queries(len(one.captured_queries)):
        response = client.get(_url(cycle))
    assert response.status_code == 200 and "Lag C" in response.content.decode()


def test_slk_extends_one_team(client, slk, team_world):
    cycle = team_world["cycle"]
    until = cycle.assessment_deadline + dt.timedelta(days=3)
    client.force_login(slk)
    response = client.post(
        _url(cycle), {"team": team_world["team"].pk, "until": until.isoformat(), "reason": "Sjukdom"}
    )
    assert response.status_code == 302
    assert Team.objects.get(pk=team_world["team"].pk).assessment_deadline_extended_to == until
    assert Team.objects.get(pk=team_world["other_team"].pk).assessment_deadline_extended_to is None


def test_slk_extends_every_team(client, slk, team_world):
    cycle = team_world["cycle"]
    until = cycle.assessment_deadline + dt.timedelta(days=3)
    client.force_login(slk)
    client.post(_url(cycle), {"team": "", "until": until.isoformat(), "reason": "Strömavbrott"})
    assert set(
        Team.objects.filter(cycle=cycle).values_list("assessment_deadline_extended_to", flat=True)
    ) == {until}


def test_a_refusal_keeps_what_was_typed(client, slk, team_world):
    cycle = team_world["cycle"]
    client.force_login(slk)
    response = client.post(
        _url(cycle),
        {"team": "", "until": cycle.assessment_deadline.isoformat(), "reason": "Vi behöver mer tid"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Förlängningen måste gå längre än" in body and "Vi behöver mer tid" in body
    assert not Team.objects.filter(assessment_deadline_extended_to__isnull=False).exists()
