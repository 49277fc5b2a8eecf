"""Independence (rule R10) binds everyone in a team: an SLK administrator or a superuser who
serves as an examiner sees nothing of the teammates' assessments, on any page or in any
export, until their own is submitted or the consensus has started."""

import pytest
from django.urls import reverse

from scoring import services
from tests.support.teams import fill

SECRET = "Hemlig styrka från lagkamraten"


@pytest.fixture
def superuser_in_team(team_world):
    """The team's examiner is also a superuser (who counts as SLK); a teammate has submitted."""
    user = team_world["examiner"]
    user.is_superuser = user.is_staff = True
    user.save(update_fields=["is_superuser", "is_staff"])
    teammate = team_world["members"][2].profile.user
    services.assessment_submit(
        assessment=fill(team_world["application"], teammate, 85, strengths=(SECRET,)), by=teammate
    )
    return user


def _pages(client, world):
    application = world["application"]
    return {
        "assessment": client.get(reverse("scoring:assessment", args=[application.pk])),
        "history": client.get(reverse("scoring:history", args=[application.pk])),
        "drilldown": client.get(reverse("judging:drilldown", args=[application.pk])),
        "export": client.get(
            reverse("judging:cycle_export", args=[world["cycle"].year]),
            {"format": "csv", "sheet": "examinatorer"},
        ),
    }


@pytest.mark.parametrize("own_draft", [False, True], ids=["not started", "own draft"])
def test_a_superuser_in_the_team_sees_nothing_of_the_others_before_submitting(
    client, team_world, superuser_in_team, own_draft
):
    if own_draft:
        fill(team_world["application"], superuser_in_team, 50)
    client.force_login(superuser_in_team)
    pages = _pages(client, team_world)
    assert all(r.status_code == 200 for r in pages.values()), {k: r.status_code for k, r in pages.items()}
    assert SECRET not in pages["assessment"].content.decode()
    assert SECRET not in pages["history"].content.decode()
    assert "har inte lämnat in din egen" in pages["history"].content.decode()
    assert pages["drilldown"].context["withheld"] and pages["drilldown"].context["examiners"] == []
    export = b"".join(pages["export"].streaming_content).decode()
    assert team_world["application"].code not in export


def test_after_submitting_the_superuser_sees_the_team(client, team_world, superuser_in_team):
    application = team_world["application"]
    services.assessment_submit(assessment=fill(application, superuser_in_team, 50), by=superuser_in_team)
    client.force_login(superuser_in_team)
    pages = _pages(client, team_world)
    assert SECRET in pages["assessment"].content.decode()
    assert SECRET in pages["history"].content.decode()
    assert not pages["drilldown"].context["withheld"] and len(pages["drilldown"].context["examiners"]) == 2
    export = b"".join(pages["export"].streaming_content).decode()
    assert application.code in export


def test_slk_outside_the_team_reads_everything(client, team_world, superuser_in_team, slk):
    client.force_login(slk)
    pages = _pages(client, team_world)
    assert SECRET in pages["history"].content.decode()
    assert not pages["drilldown"].context["withheld"]
    assert team_world["application"].code in b"".join(pages["export"].streaming_content).decode()


def test_the_consolidated_view_withholds_the_spread_of_the_viewers_own_team(
    client, team_world, superuser_in_team
):
    application = team_world["application"]
    url = reverse("judging:consolidated", args=[team_world["cycle"].year, application.track_id])
    client.force_login(superuser_in_team)
    response = client.get(url)
    assert response.status_code == 200
    rows = [r for group in response.context["groups"] for r in group["rows"]]
    row = next(r for r in rows if getattr(r, "application", None) and r.application.pk == application.pk)
    assert row.max_spread is None and not row.calibrated
