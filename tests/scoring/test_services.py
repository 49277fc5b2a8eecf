"""The scoring rules, enforced in the services: the scale, independence, freezing at
consensus start, the flagged-spread rule, the weighted total, the site visit's kept
scores, the report's release and the history."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from award.models import Criterion
from award.versioning import StaleEdit
from judging import services as judging_services
from scoring import queries, services, totals
from scoring.models import Assessment, FeedbackReport
from tests.support.teams import fill, submit_all

pytestmark = pytest.mark.django_db
SHARED_WORLD = ("cycle", "slk", "team_world")  # built once for the module (tests/support/world.py)


def _msg(error) -> str:
    return " ".join(error.value.messages)


def test_scores_off_the_scale_are_refused(team_world):
    assessment = services.assessment_for(application=team_world["application"], by=team_world["examiner"])
    item = assessment.items.first()
    for bad in (7, 105):
        with pytest.raises(ValidationError) as error:
            services.assessment_item_save(
                item=item,
                data=services.ItemData(bad, ["s"], []),
                base_version=item.version,
                by=team_world["examiner"],
            )
        assert "finns inte på skalan" in _msg(error)
    item.refresh_from_db()
    assert item.score is None


def test_only_the_team_assesses(team_world):
    with pytest.raises(PermissionDenied):
        services.assessment_for(application=team_world["application"], by=team_world["other_examiner"])


def test_submit_needs_score_and_a_comment_per_criterion(team_world):
    user = team_world["examiner"]
    assessment = fill(team_world["application"], user, 50, strengths=(), improvements=())
    with pytest.raises(ValidationError) as error:
        services.assessment_submit(assessment=assessment, by=user)
    assert "minst en styrka eller ett förbättringsområde" in _msg(error)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT


def test_independence_until_own_submission(team_world):
    user, other = team_world["examiner"], team_world["members"][2].profile.user
    services.assessment_submit(assessment=fill(team_world["application"], other, 60), by=other)
    assert queries.withholds_team_assessments(user, team_world["application"])
    services.assessment_submit(assessment=fill(team_world["application"], user, 50), by=user)
    assert not queries.withholds_team_assessments(user, team_world["application"])
    # Outside the team, independence has nothing to withhold: page access decides.
    assert not queries.withholds_team_assessments(team_world["other_examiner"], team_world["application"])


def test_reopen_until_consensus_then_frozen(team_world):
    assessments = submit_all(team_world)
    user = team_world["examiner"]
    services.assessment_reopen(assessment=assessments[1], by=user)
    services.assessment_submit(assessment=assessments[1], by=user)
    services.consensus_start(application=team_world["application"], by=team_world["leader"])
    with pytest.raises(ValidationError) as error:
        services.assessment_reopen(assessment=assessments[1], by=user)
    assert "Konsensus har startat" in _msg(error)


def test_consensus_waits_for_everyone_unless_slk_overrides(team_world, slk):
    fill(team_world["application"], team_world["examiner"], 50)
    leader = team_world["leader"]
    services.assessment_submit(assessment=fill(team_world["application"], leader, 50), by=leader)
    with pytest.raises(ValidationError) as error:
        services.consensus_start(application=team_world["application"], by=leader)
    assert "Alla har inte lämnat in" in _msg(error)
    with pytest.raises(ValidationError):
        services.consensus_start(application=team_world["application"], by=slk)
    consensus = services.consensus_start(
        application=team_world["application"], by=slk, override_reason="Sjukskriven"
    )
    assert consensus.override_reason == "Sjukskriven"
    # Frozen: the draft cannot change any more.
    item = Assessment.objects.get(member=team_world["members"][1]).items.first()
    with pytest.raises(ValidationError):
        services.assessment_item_save(
            item=item,
            data=services.ItemData(55, ["x"], []),
            base_version=item.version,
            by=team_world["examiner"],
        )


def test_a_member_cannot_start_consensus(team_world):
    submit_all(team_world)
    with pytest.raises(PermissionDenied):
        services.consensus_start(application=team_world["application"], by=team_world["examiner"])


def _agree_all(consensus, by, score=50):
    for item in consensus.items.all():
        services.consensus_item_save(
            item=item,
            data=services.ItemData(score, ["Enig styrka"], ["Enigt område"]),
            discussion_note="",
            base_version=item.version,
            by=by,
        )


def test_flagged_spread_needs_a_discussion_note(team_world):
    submit_all(team_world, scores=[30, 50, 55, 60])  # spread 30 >= 20 on every criterion
    leader = team_world["leader"]
    consensus = services.consensus_start(application=team_world["application"], by=leader)
    rows = queries.criterion_rows(team_world["application"])
    assert all(row["flagged"] and row["spread"] == 30 for row in rows)
    _agree_all(consensus, leader)
    with pytest.raises(ValidationError) as error:
        services.consensus_finalise(consensus=consensus, by=leader)
    assert "spridning på 30 procentenheter" in _msg(error)
    for item in consensus.items.all():
        services.consensus_item_save(
            item=item,
            data=services.ItemData(50, ["Enig styrka"], ["Enigt område"]),
            discussion_note="Vi landade i 50.",
            base_version=item.version,
            by=leader,
        )
    services.consensus_finalise(consensus=consensus, by=leader)
    consensus.refresh_from_db()
    assert consensus.is_final
    assert FeedbackReport.objects.filter(application=team_world["application"]).exists()


def test_concurrent_consensus_edits_do_not_overwrite(team_world, slk):
    submit_all(team_world)
    consensus = services.consensus_start(application=team_world["application"], by=team_world["leader"])
    item = consensus.items.first()
    loaded = item.version
    services.consensus_item_save(
        item=item,
        data=services.ItemData(50, ["Ledarens"], []),
        discussion_note="",
        base_version=loaded,
        by=team_world["leader"],
    )
    with pytest.raises(StaleEdit):
        services.consensus_item_save(
            item=item,
            data=services.ItemData(70, ["SLK:s"], []),
            discussion_note="",
            base_version=loaded,
            by=slk,
        )
    item.refresh_from_db()
    assert (item.score, item.strengths) == (50, ["Ledarens"])


def test_weighted_total_on_known_numbers():
    assert totals.weighted_total([(250, 50), (250, 100), (500, 30)]) == Decimal("525.0")
    assert totals.weighted_total([(333, 55), (667, 45)]) == Decimal("483.3")
    assert totals.weighted_total([(500, 50), (500, None)]) is None


def _finalised(world, score=50):
    submit_all(world)
    leader = world["leader"]
    consensus = services.consensus_start(application=world["application"], by=leader)
    _agree_all(consensus, leader, score)
    return services.consensus_finalise(consensus=consensus, by=leader)


def test_site_visit_keeps_scores_before_and_after(team_world, slk):
    consensus = _finalised(team_world)
    visit = judging_services.site_visit_select(application=team_world["application"], by=slk)
    assert "Kriterium 1" in visit.questions
    item = consensus.items.order_by("criterion__number").first()
    with pytest.raises(ValidationError):
        services.visit_score_revise(
            item=item,
            score=70,
            reason="Bättre än beskrivet",
            base_version=item.version,
            by=team_world["leader"],
        )
    services.site_visit_save(
        visit=visit,
        data=services.VisitData(
            dt.date(2027, 3, 1), "Lag A", visit.questions, "Arbetssättet är förankrat", done=True
        ),
        base_version=visit.version,
        by=team_world["leader"],
    )
    with pytest.raises(ValidationError) as error:
        services.visit_score_revise(
            item=item, score=70, reason="", base_version=item.version, by=team_world["leader"]
        )
    assert "skälet" in _msg(error)
    services.visit_score_revise(
        item=item, score=70, reason="Bättre än beskrivet", base_version=item.version, by=team_world["leader"]
    )
    item.refresh_from_db()
    assert (item.score, item.visit_score, item.final_score) == (50, 70, 70)
    result = queries.consensus_totals(queries.consensus_with_items(team_world["application"]))
    weight = item.criterion.weight
    assert result["before"] == Decimal("500.0")
    assert result["after"] == Decimal("500.0") + Decimal(weight) * Decimal("0.2")


def test_report_invisible_to_unit_until_approved_and_released(team_world, slk):
    _finalised(team_world)
    report = FeedbackReport.objects.get(application=team_world["application"])
    assert report.items.count() == Criterion.objects.filter(track=team_world["application"].track).count()
    assert report.items.first().band  # drafted with the band
    cycle = team_world["cycle"]
    assert not queries.report_released(report, on=cycle.feedback_release)
    services.report_save(
        report=report,
        summary="Ett starkt bidrag.",
        items=[],
        base_version=report.version,
        by=team_world["leader"],
    )
    report.refresh_from_db()
    services.report_approve(report=report, by=slk)
    report.refresh_from_db()
    assert not queries.report_released(report, on=cycle.feedback_release - dt.timedelta(days=1))
    assert queries.report_released(report, on=cycle.feedback_release)


def test_history_records_every_change_with_old_and_new(team_world):
    user = team_world["examiner"]
    assessment = services.assessment_for(application=team_world["application"], by=user)
    item = assessment.items.first()
    services.assessment_item_save(item=item, data=services.ItemData(40, ["a"], []), base_version=1, by=user)
    services.assessment_item_save(item=item, data=services.ItemData(60, ["a"], []), base_version=2, by=user)
    history = list(queries.score_history(team_world["application"]))
    assert [(e.action, e.changes.get("score")) for e in history] == [
        ("scoring.individual_start", None),
        ("scoring.individual", [None, 40]),
        ("scoring.individual", [40, 60]),
    ]
    assert all(e.actor == user for e in history)


def test_hours_per_examiner_team_and_application(team_world):
    user = team_world["examiner"]
    assessment = services.assessment_for(application=team_world["application"], by=user)
    services.hours_record(assessment=assessment, hours=Decimal("12.5"), by=user)
    with pytest.raises(ValidationError):
        services.hours_record(assessment=assessment, hours=Decimal("-1"), by=user)
    summary = queries.hours_summary(team_world["cycle"])
    assert summary["total"] == Decimal("12.5")
    assert summary["teams"][0]["total"] == Decimal("12.5")
