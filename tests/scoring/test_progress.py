"""SLK's list of where the examination stands, and the start page's three counts that
link to it filtered: assessments overdue, consensus waiting, reports to approve."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from scoring import progress, services
from tests.support.teams import confirmed_team, fill, report_drafted, submit_all

pytestmark = pytest.mark.django_db
SHARED_WORLD = ("cycle", "slk", "team_world")  # built once for the module (tests/support/world.py)


def _url(cycle, shown=""):
    return reverse("scoring:progress", args=[cycle.year]) + (f"?visa={shown}" if shown else "")


def test_assessments_after_the_deadline_are_overdue_and_listed(client, team_world, slk):
    cycle = team_world["cycle"]
    late = cycle.assessment_deadline + dt.timedelta(days=1)
    assert progress.counts(cycle, today=late)["sena"] == 2  # both teams' applications
    assert progress.counts(cycle, today=cycle.assessment_deadline)["sena"] == 0


def test_consensus_waits_once_every_assessment_is_in(client, team_world, slk):
    cycle = team_world["cycle"]
    assert progress.counts(cycle)["konsensus"] == 0
    submit_all(team_world)
    assert progress.counts(cycle)["konsensus"] == 1
    client.force_login(slk)
    response = client.get(_url(cycle, "konsensus"))
    assert response.status_code == 200
    html = response.content.decode()
    assert team_world["application"].code in html and team_world["elsewhere"].code not in html
    assert "4 av 4 inlämnade" in html and "kan startas" in html


def test_a_report_with_its_summary_waits_for_approval(client, team_world, slk):
    report = report_drafted(team_world)
    cycle = team_world["cycle"]
    assert progress.counts(cycle)["rapporter"] == 0  # nothing written yet
    services.report_save(
        report=report, summary="Sammanfattat", items=[], base_version=report.version, by=team_world["leader"]
    )
    assert progress.counts(cycle)["rapporter"] == 1


def test_the_start_page_links_each_count_to_the_filtered_list(client, team_world, slk):
    submit_all(team_world)
    client.force_login(slk)
    html = client.get(reverse("home")).content.decode()
    link = _url(team_world["cycle"], "konsensus")
    assert f'<a href="{link}"><span class="todo-count">1</span> Konsensus som väntar</a>' in html


def test_the_lists_query_count_does_not_grow(client, team_world, slk, quality, django_assert_max_num_queries):
    cycle = team_world["cycle"]
    client.force_login(slk)
    with CaptureQueriesContext(connection) as one:
        response = client.get(_url(cycle))
    assert response.status_code == 200
    confirmed_team(cycle, quality, slk, name="Lag C", applications=2)
    fill(team_world["application"], team_world["examiner"], 40)
    with django_assert_max_num_queries(len(one)):
        response = client.get(_url(cycle))
    assert response.status_code == 200 and response.content.decode().count("av 4 inlämnade") == 4
