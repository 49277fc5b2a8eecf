"""An autosave is the most frequent request of the examination (issue 18: at most ten
queries, the item's row locked for one statement). Pinned exactly, in production terms
plus the test harness's SAVEPOINT and RELEASE around the service's transaction (two more
here; production sends neither, its transaction is the connection's own).

An assessment item, 9 in production: the session, the user, the application, the
viewer's permissions on it (one statement) and place in the team (each read once per
request, award.request_memo), the item; in the service's transaction the assessment's
row locked with whether the consensus has started and the team's deadline, the audit
entry, and last the conditional UPDATE of the item (WHERE version = base).

A consensus item, 10: the session, the user, the item with its application, the user's
roles, permissions and team place, the criterion's submitted assessments (the form's
choices); in the transaction the consensus's row locked (still open?), the audit entry,
the conditional UPDATE."""

import pytest
from django.urls import reverse

from scoring import services
from scoring.models import AssessmentItem
from tests.support.teams import fill, submit_all

pytestmark = pytest.mark.django_db


HARNESS = 2  # SAVEPOINT and RELEASE, sent by the test's wrapping transaction only


def _item_statements(queries, table: str) -> tuple[list[str], list[str]]:
    """The statements between the service's SAVEPOINT and RELEASE that touch `table`."""
    sql = [q["sql"] for q in queries]
    start = next(i for i, s in enumerate(sql) if s.startswith("SAVEPOINT"))
    end = next(i for i, s in enumerate(sql) if s.startswith("RELEASE SAVEPOINT"))
    inside = sql[start + 1 : end]
    return inside, [s for s in inside if f'"{table}"' in s]


def test_an_assessment_autosave_costs_a_fixed_number_of_queries(
    client, team_world, django_assert_num_queries
):
    application, examiner = team_world["application"], team_world["examiner"]
    fill(application, examiner, 40)  # the assessment exists: an autosave, not the first save
    item = AssessmentItem.objects.filter(assessment__member__profile__user=examiner).order_by(
        "criterion__number"
    )[0]
    client.force_login(examiner)
    url = reverse("scoring:assessment_item", args=[application.pk, item.criterion_id])
    prefix = f"k{item.criterion_id}"
    data = {
        f"{prefix}-score": "60",
        f"{prefix}-strengths": "Tydlig styrning",
        f"{prefix}-version": item.version,
    }

    with django_assert_num_queries(9 + HARNESS) as captured:
        response = client.post(url, data, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "Sparat automatiskt" in response.content.decode()
    item.refresh_from_db()
    assert (item.score, item.strengths) == (60, ["Tydlig styrning"])
    _locked_by_its_last_statement(captured.captured_queries, "scoring_assessmentitem")


def test_a_consensus_autosave_costs_a_fixed_number_of_queries(client, team_world, django_assert_num_queries):
    submit_all(team_world)
    consensus = services.consensus_start(application=team_world["application"], by=team_world["leader"])
    item = consensus.items.order_by("criterion__number")[0]
    client.force_login(team_world["leader"])
    url = reverse("scoring:consensus_item_save", args=[team_world["application"].pk, item.pk])
    prefix = f"c{item.pk}"
    data = {
        f"{prefix}-score": "55",
        f"{prefix}-strengths": "Tydliga mål",
        f"{prefix}-improvements": "",
        f"{prefix}-discussion_note": "",
        f"{prefix}-version": str(item.version),
    }

    with django_assert_num_queries(10 + HARNESS) as captured:
        response = client.post(url, data, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "Sparat automatiskt" in response.content.decode()
    item.refresh_from_db()
    assert item.score == 55
    _locked_by_its_last_statement(captured.captured_queries, "scoring_consensusitem")


def _locked_by_its_last_statement(queries, table: str) -> None:
    """Inside the service's transaction the item's row is touched once: by the conditional
    UPDATE, its last statement (so its lock is held until the commit that follows)."""
    inside, touching = _item_statements(queries, table)
    assert len(touching) == 1, touching
    assert touching[0] == inside[-1]
    assert touching[0].startswith(f'UPDATE "{table}"')
    assert '"version" = ' in touching[0].split("WHERE", 1)[1]
