"""The saves of an assessment item and a consensus item read their row unlocked (the view's
read) and lock it only by their last statement, a conditional UPDATE ... WHERE version =
base. Every refusal still holds when the state changes between the caller's read and the
save: the other window's save (a conflict, never a silent overwrite, and no audit entry
for the refused one), the submission, the consensus's start, the deadline, finalising."""

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import PermissionDenied, ValidationError

from award.models import AuditEntry, end_of_day
from award.versioning import StaleEdit
from scoring import services
from scoring.models import AssessmentItem, ConsensusItem
from tests.support.teams import fill, submit_all

pytestmark = pytest.mark.django_db
SHARED_WORLD = ("cycle", "slk", "team_world")  # built once for the module (tests/support/world.py)


def _own_item(world, user):
    return (
        AssessmentItem.objects.select_related("assessment", "criterion")
        .filter(assessment__application=world["application"], assessment__member__profile__user=user)
        .order_by("criterion__number")
        .first()
    )


def _save(item, by, score=60, text="Ny styrka", base_version=None):
    return services.assessment_item_save(
        item=item,
        data=services.ItemData(score, [text], []),
        base_version=item.version if base_version is None else base_version,
        by=by,
    )


def test_an_assessment_save_after_another_windows_save_is_a_conflict(team_world):
    examiner = team_world["examiner"]
    fill(team_world["application"], examiner, 40)
    read = _own_item(team_world, examiner)  # the first window's read
    _save(_own_item(team_world, examiner), examiner, 70, "Andra fönstret")
    entries = AuditEntry.objects.count()

    with pytest.raises(StaleEdit) as error:
        _save(read, examiner, 50, "Första fönstret")

    assert (error.value.current.score, error.value.current.version) == (70, read.version + 1)
    saved = AssessmentItem.objects.get(pk=read.pk)
    assert (saved.score, saved.strengths, saved.version) == (70, ["Andra fönstret"], read.version + 1)
    assert AuditEntry.objects.count() == entries


def test_an_assessment_save_returns_the_new_version_and_leaves_the_callers_row(team_world):
    examiner = team_world["examiner"]
    fill(team_world["application"], examiner, 40)
    read = _own_item(team_world, examiner)

    saved = _save(read, examiner, 65, "Tydlig")

    assert (saved.score, saved.version) == (65, read.version + 1)
    assert read.score == 40  # the caller's copy as it was read
    stored = AssessmentItem.objects.get(pk=read.pk)
    assert (stored.score, stored.strengths, stored.version) == (65, ["Tydlig"], read.version + 1)
    entry = AuditEntry.objects.filter(action="scoring.individual").latest("pk")
    assert entry.changes["score"] == [40, 65]


def test_an_assessment_submitted_after_the_read_refuses_the_save(team_world):
    examiner = team_world["examiner"]
    assessment = fill(team_world["application"], examiner, 40)
    read = _own_item(team_world, examiner)
    services.assessment_submit(assessment=assessment, by=examiner)

    with pytest.raises(ValidationError, match="Bedömningen är inlämnad"):
        _save(read, examiner)
    assert AssessmentItem.objects.get(pk=read.pk).score == 40


def test_a_consensus_started_after_the_read_refuses_a_draft_save(team_world, slk):
    examiner, leader = team_world["examiner"], team_world["leader"]
    fill(team_world["application"], examiner, 40)
    services.assessment_submit(assessment=fill(team_world["application"], leader, 50), by=leader)
    read = _own_item(team_world, examiner)
    services.consensus_start(application=team_world["application"], by=slk, override_reason="Sjuk")

    with pytest.raises(ValidationError, match="Konsensus har startat"):
        _save(read, examiner)
    assert AssessmentItem.objects.get(pk=read.pk).score == 40


def test_an_assessment_save_after_the_deadline_is_refused_and_an_extension_opens_it(team_world, slk):
    examiner, cycle = team_world["examiner"], team_world["cycle"]
    fill(team_world["application"], examiner, 40)
    read = _own_item(team_world, examiner)
    with time_machine.travel(end_of_day(cycle.assessment_deadline) + dt.timedelta(days=1), tick=False):
        with pytest.raises(ValidationError, match="Sista dag för den individuella bedömningen var"):
            _save(read, examiner)
        services.assessment_deadline_extend(
            cycle=cycle,
            until=cycle.assessment_deadline + dt.timedelta(days=5),
            reason="Sjukdom i laget.",
            by=slk,
            team=team_world["team"],
        )
        assert _save(read, examiner, 55).score == 55


def test_only_the_examiner_saves_their_own_item(team_world):
    fill(team_world["application"], team_world["examiner"], 40)
    read = _own_item(team_world, team_world["examiner"])
    with pytest.raises(PermissionDenied, match="din egen bedömning"):
        _save(read, team_world["leader"])
    with pytest.raises(ValidationError, match="finns inte på skalan"):
        _save(read, team_world["examiner"], 7)
    assert AssessmentItem.objects.get(pk=read.pk).score == 40


def _consensus_item(world):
    submit_all(world)
    consensus = services.consensus_start(application=world["application"], by=world["leader"])
    return consensus, _consensus_read(consensus.items.order_by("criterion__number").first().pk)


def _consensus_read(pk):
    return ConsensusItem.objects.select_related("criterion", "consensus__application").get(pk=pk)


def _agree(item, by, score, text):
    return services.consensus_item_save(
        item=item,
        data=services.ItemData(score, [text], []),
        discussion_note="",
        base_version=item.version,
        by=by,
    )


def test_a_consensus_save_after_another_save_is_a_conflict(team_world, slk):
    _consensus, read = _consensus_item(team_world)
    _agree(_consensus_read(read.pk), slk, 70, "SLK:s text")
    entries = AuditEntry.objects.count()

    with pytest.raises(StaleEdit) as error:
        _agree(read, team_world["leader"], 50, "Ledarens text")

    assert (error.value.current.score, error.value.current.version) == (70, read.version + 1)
    saved = ConsensusItem.objects.get(pk=read.pk)
    assert (saved.score, saved.strengths, saved.updated_by) == (70, ["SLK:s text"], slk)
    assert AuditEntry.objects.count() == entries


def test_a_consensus_finalised_after_the_read_refuses_the_save(team_world):
    consensus, read = _consensus_item(team_world)
    leader = team_world["leader"]
    for item in consensus.items.all():
        _agree(item, leader, 50, "Enig styrka")
    services.consensus_finalise(consensus=consensus, by=leader)

    with pytest.raises(ValidationError, match="Konsensus är fastställd"):
        _agree(read, leader, 60, "För sent")
    assert ConsensusItem.objects.get(pk=read.pk).score == 50


def test_a_member_cannot_save_the_consensus(team_world):
    _consensus, read = _consensus_item(team_world)
    with pytest.raises(PermissionDenied):
        _agree(read, team_world["examiner"], 60, "Medlemmens text")
    assert ConsensusItem.objects.get(pk=read.pk).score is None
