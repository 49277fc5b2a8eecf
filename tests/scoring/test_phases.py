"""Phases that hold (issue 15): the individual assessment closes at its deadline unless SLK
extends it (for one team or every team, with a reason), hours lock when the consensus
starts, and the refusals are Swedish and keep what was typed."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from award.models import AuditEntry, end_of_day
from scoring import services
from scoring.models import AssessmentItem
from tests.support.teams import fill, submit_all

pytestmark = pytest.mark.django_db
SHARED_WORLD = ("cycle", "slk", "team_world")  # built once for the module (tests/support/world.py)


def _after_deadline(cycle, days=1):
    return time_machine.travel(end_of_day(cycle.assessment_deadline) + dt.timedelta(days=days), tick=False)


def _save(item, user, score=50):
    return services.assessment_item_save(
        item=item, data=services.ItemData(score, ["Styrka"], []), base_version=item.version, by=user
    )


def test_after_the_deadline_the_assessment_cannot_change_or_be_submitted(team_world):
    cycle, user = team_world["cycle"], team_world["examiner"]
    assessment = fill(team_world["application"], user, 40)
    item = assessment.items.first()
    with _after_deadline(cycle):
        with pytest.raises(ValidationError, match="Sista dag för den individuella bedömningen var"):
            _save(item, user, 60)
        with pytest.raises(ValidationError, match="förlänga tiden"):
            services.assessment_submit(assessment=assessment, by=user)
    item.refresh_from_db()
    assert item.score == 40


def test_on_the_deadline_itself_it_still_can(team_world):
    cycle, user = team_world["cycle"], team_world["examiner"]
    assessment = fill(team_world["application"], user, 40)
    with time_machine.travel(end_of_day(cycle.assessment_deadline) - dt.timedelta(minutes=5), tick=False):
        _save(assessment.items.first(), user, 60)


def test_slk_extends_for_one_team_with_a_reason(team_world, slk):
    cycle, user = team_world["cycle"], team_world["examiner"]
    assessment = fill(team_world["application"], user, 40)
    until = cycle.assessment_deadline + dt.timedelta(days=5)
    with pytest.raises(ValidationError, match="motivering"):
        services.assessment_deadline_extend(
            cycle=cycle, team=team_world["team"], until=until, reason=" ", by=slk
        )
    with pytest.raises(PermissionDenied):
        services.assessment_deadline_extend(
            cycle=cycle, team=team_world["team"], until=until, reason="Sjuk", by=team_world["leader"]
        )
    assert (
        services.assessment_deadline_extend(
            cycle=cycle, team=team_world["team"], until=until, reason="Examinatorn var sjuk.", by=slk
        )
        == 1
    )
    with _after_deadline(cycle):
        _save(assessment.items.first(), user, 60)
        services.assessment_submit(assessment=assessment, by=user)
        # The other team keeps the cycle's deadline.
        other = team_world["other_examiner"]
        with pytest.raises(ValidationError, match="Sista dag"):
            fill(team_world["elsewhere"], other, 40)
    entry = AuditEntry.objects.get(action="scoring.assessment_deadline_extend")
    assert entry.reason == "Examinatorn var sjuk." and entry.actor == slk


def test_slk_extends_for_every_team(team_world, slk):
    cycle = team_world["cycle"]
    until = cycle.assessment_deadline + dt.timedelta(days=3)
    assert (
        services.assessment_deadline_extend(cycle=cycle, until=until, reason="Alla behöver tid.", by=slk) == 2
    )
    with pytest.raises(ValidationError, match="måste gå längre"):
        services.assessment_deadline_extend(cycle=cycle, until=cycle.assessment_deadline, reason="x", by=slk)
    with _after_deadline(cycle):
        fill(team_world["elsewhere"], team_world["other_examiner"], 40)


def test_hours_lock_when_the_consensus_starts_but_slk_may_correct(team_world, slk):
    application, user, leader = team_world["application"], team_world["examiner"], team_world["leader"]
    submit_all(team_world, 50)
    assessment = services.assessment_for(application=application, by=user)
    services.hours_record(assessment=assessment, hours=3, by=user)
    services.consensus_start(application=application, by=leader)
    with pytest.raises(ValidationError, match="Konsensus har startat; tiden är låst"):
        services.hours_record(assessment=assessment, hours=5, by=user)
    assessment.refresh_from_db()
    assert assessment.hours == 3
    services.hours_record(assessment=assessment, hours=4, by=slk)


@pytest.mark.parametrize("htmx", [False, True])
def test_the_page_refuses_in_swedish_and_keeps_what_was_typed(client, team_world, htmx):
    cycle, user, application = team_world["cycle"], team_world["examiner"], team_world["application"]
    assessment = fill(application, user, 40)
    item = assessment.items.select_related("criterion").first()
    url = reverse("scoring:assessment_item", args=[application.pk, item.criterion_id])
    prefix = f"k{item.criterion_id}"
    typed = "Ett helt nytt stycke om styrkorna"
    data = {
        f"{prefix}-score": "60",
        f"{prefix}-strengths": typed,
        f"{prefix}-improvements": "",
        f"{prefix}-notes": "",
        f"{prefix}-version": str(item.version),
    }
    with _after_deadline(cycle):
        client.force_login(user)
        response = client.post(url, data, **({"HTTP_HX_REQUEST": "true"} if htmx else {}))
    page = response.content.decode()
    assert "Sista dag för den individuella bedömningen var" in page
    if not htmx:  # the page again, with the text in its box; autosave leaves the box alone
        assert typed in page
    assert AssessmentItem.objects.get(pk=item.pk).score == 40
