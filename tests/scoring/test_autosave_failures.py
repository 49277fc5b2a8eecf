"""The assessment's and the consensus's autosave forms load static/js/autosave.js with its
Swedish messages (issue 12), so an error status, a lost connection or an ended session is
said in the form's status line; an autosave after logout is answered 401."""

import html

import pytest
from django.urls import reverse

from scoring import services
from tests.support.teams import submit_all

pytestmark = pytest.mark.django_db

MESSAGE = "Inte sparat: %(reason)s; din text finns kvar i rutan. Kopiera den innan du laddar om sidan."


def _assert_loads_the_messages(content: str, forms: int):
    assert content.count(" data-autosave") == forms > 0
    assert content.count('/static/js/autosave.js" defer') == 1
    assert f'data-message="{MESSAGE}"' in content
    assert 'data-unreachable="ingen kontakt med servern"' in content


def test_the_assessment_page_loads_the_autosave_messages(client, team_world):
    client.force_login(team_world["examiner"])

    content = html.unescape(
        client.get(reverse("scoring:assessment", args=[team_world["application"].pk])).content.decode()
    )

    criteria = team_world["application"].track.criteria.count()
    _assert_loads_the_messages(content, forms=criteria)


def test_the_consensus_page_loads_the_autosave_messages(client, team_world):
    submit_all(team_world)
    services.consensus_start(application=team_world["application"], by=team_world["leader"])
    client.force_login(team_world["leader"])

    content = html.unescape(
        client.get(reverse("scoring:consensus", args=[team_world["application"].pk])).content.decode()
    )

    _assert_loads_the_messages(content, forms=team_world["application"].track.criteria.count())


def test_an_assessment_autosave_after_logout_is_answered_401(client, team_world):
    criterion = team_world["application"].track.criteria.order_by("number").first()

    response = client.post(
        reverse("scoring:assessment_item", args=[team_world["application"].pk, criterion.pk]),
        {f"k{criterion.pk}-score": "50", f"k{criterion.pk}-version": "1"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 401
    assert "<html" not in response.content.decode()
