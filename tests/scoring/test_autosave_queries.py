"""An autosave is the most frequent request of the examination. Pinned where it stands
(issue 18 asks for at most ten; from 33 and 20): the session and the user, the application,
the viewer's permissions on it and place in the team (each read once per request,
award.request_memo), the row, and in the service's transaction the row's lock, the
application's lock and the consensus check, the assessment deadline (assignment, team),
the update, the audit entry; in a test also the savepoint and its release."""

import pytest
from django.urls import reverse

from scoring import services
from scoring.models import AssessmentItem
from tests.support.teams import fill, submit_all

pytestmark = pytest.mark.django_db


def test_an_assessment_autosave_costs_a_fixed_number_of_queries(
    client, team_world, django_assert_max_num_queries
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

    with django_assert_max_num_queries(17):
        response = client.post(url, data, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "Sparat automatiskt" in response.content.decode()
    item.refresh_from_db()
    assert (item.score, item.strengths) == (60, ["Tydlig styrning"])


def test_a_consensus_autosave_costs_a_fixed_number_of_queries(
    client, team_world, django_assert_max_num_queries
):
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

    with django_assert_max_num_queries(16):
        response = client.post(url, data, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert "Sparat automatiskt" in response.content.decode()
    item.refresh_from_db()
    assert item.score == 55
