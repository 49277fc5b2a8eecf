"""SLK looks scores up in the admin but cannot change them there."""

import pytest
from django.urls import reverse

from scoring.models import Assessment
from tests.support.teams import submit_all

pytestmark = pytest.mark.django_db
SHARED_WORLD = ("cycle", "slk", "team_world")  # built once for the module (tests/support/world.py)

MODELS = ["assessment", "consensus", "sitevisit", "feedbackreport"]


@pytest.mark.parametrize("model", MODELS)
def test_slk_reads_scoring_lists(client, slk, team_world, model):
    submit_all(team_world)
    client.force_login(slk)
    assert client.get(reverse(f"admin:scoring_{model}_changelist")).status_code == 200


def test_slk_cannot_change_an_assessment_in_the_admin(client, slk, team_world):
    assessment = submit_all(team_world)[0]
    client.force_login(slk)
    url = reverse("admin:scoring_assessment_change", args=[assessment.pk])
    assert client.get(url).status_code == 200
    client.post(url, {"status": "draft", "hours": "99"})
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.SUBMITTED and assessment.hours is None
    assert (
        client.post(
            reverse("admin:scoring_assessment_delete", args=[assessment.pk]), {"post": "yes"}
        ).status_code
        == 403
    )


@pytest.mark.parametrize("role", ["examiner", "unit_contact", "committee_member"])
def test_other_roles_have_no_admin(client, request, role):
    client.force_login(request.getfixturevalue(role))
    response = client.get(reverse("admin:scoring_assessment_changelist"))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
