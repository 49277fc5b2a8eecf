"""The committee's numbers on a known data set, and its decisions' rules."""

import datetime as dt
import random
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from award.models import CommitteeMembership, PastResult
from judging import consolidation
from judging import services as judging_services
from judging.models import Decision
from scoring import figures, services
from scoring.models import AssessmentItem
from tests.support import factories
from tests.support.decisions import final_meeting, winner
from tests.support.teams import confirmed_team, finalise

pytestmark = pytest.mark.django_db
SHARED_WORLD = ("cycle", "slk", "committee", "scored")  # built once for the module (tests/support/world.py)


def _row(view, application):
    return next(r for group in view["classes"] for r in group["rows"] if r.application == application)


def test_consolidated_numbers_on_known_data(scored):
    view = consolidation.consolidated(scored["track"])
    a1, a2, b1 = (_row(view, scored[k]) for k in ("a1", "a2", "b1"))
    assert (a1.total, a2.total, b1.total) == (Decimal("450.0"), Decimal("650.0"), Decimal("800.0"))
    assert (a1.max_spread, b1.max_spread) == (10, 20)
    assert (b1.rank, a2.rank, a1.rank) == (1, 2, 3)
    # Team B's examiners only ever scored b1, so standardised against themselves they sit at
    # their own mean: the calibration pulls b1 to the middle, below a2.
    assert a2.calibrated_rank < b1.calibrated_rank
    assert "standardiseras" in view["method"]


def test_calibration_corrects_a_uniformly_harsh_examiner():
    # Examiner 1 scores 20 below examiner 2 on the same two applications.
    result = consolidation.calibrate([(1, 1, 30), (2, 1, 50), (3, 2, 50), (4, 2, 70)])
    assert result[1] == pytest.approx(result[3]) and result[2] == pytest.approx(result[4])


def test_eligibility_marks_follow_the_application(scored, cycle):
    application = scored["a2"]
    application.award_eligible = False
    application.eligibility_note = "Underskott i årets prognos."
    application.save()
    PastResult.objects.create(
        unit=scored["b1"].unit, year=cycle.year - 1, track_kind="quality_award", outcome="winner"
    )
    view = consolidation.consolidated(scored["track"])
    assert "Underskott i årets prognos." in _row(view, application).marks
    assert any(f"Vann {cycle.year - 1}" in m for m in _row(view, scored["b1"]).marks)


def test_consolidated_view_query_count_is_constant(scored, cycle, quality, slk, django_assert_num_queries):
    # The per-criterion figures (detail) cost two queries more, however many rows.
    with django_assert_num_queries(8):
        consolidation.consolidated(quality, detail=False)
    with django_assert_num_queries(10):
        consolidation.consolidated(quality)
    team, members, apps = confirmed_team(cycle, quality, slk, name="Lag C", applications=2)
    for application in apps:
        finalise(application, members, [50, 50, 50, 50], 50)
    with django_assert_num_queries(8):
        consolidation.consolidated(quality, detail=False)
    with django_assert_num_queries(10):
        consolidation.consolidated(quality)


def test_ineligible_application_cannot_win(scored, cycle, committee, slk):
    meeting = final_meeting(cycle, committee, slk)
    application = scored["b1"]
    application.award_eligible = False
    application.eligibility_note = "Underskott förra året."
    application.save()
    with pytest.raises(ValidationError) as error:
        judging_services.decision_save(
            meeting=meeting,
            track=scored["track"],
            competition_class=application.competition_class,
            no_award=False,
            rationale="Bäst i klassen",
            outcomes=[winner(application)],
            by=committee["member"],
        )
    assert "kan inte tilldelas utmärkelsen: Underskott förra året." in " ".join(error.value.messages)
    assert not Decision.objects.exists()


def test_recent_winner_cannot_win_again(scored, cycle, committee, slk):
    meeting = final_meeting(cycle, committee, slk)
    application = scored["b1"]
    PastResult.objects.create(
        unit=application.unit, year=cycle.year - 2, track_kind="quality_award", outcome="winner"
    )
    with pytest.raises(ValidationError) as error:
        judging_services.decision_save(
            meeting=meeting,
            track=scored["track"],
            competition_class=application.competition_class,
            no_award=False,
            rationale="Bäst",
            outcomes=[winner(application)],
            by=committee["member"],
        )
    assert f"tidigast {cycle.year + 1}" in " ".join(error.value.messages)


def test_conflicted_member_cannot_decide_and_is_recorded_as_stepping_out(scored, cycle, committee, slk):
    application = scored["b1"]
    judging_services.committee_conflict_declare(
        cycle=cycle,
        member=committee["conflicted"],
        target=application.unit,
        reason="Min man arbetar där",
        by=committee["conflicted"],
    )
    meeting = final_meeting(cycle, committee, slk)
    kwargs = dict(
        meeting=meeting,
        track=scored["track"],
        competition_class=application.competition_class,
        no_award=False,
        rationale="Bäst i klassen",
        outcomes=[winner(application)],
    )
    with pytest.raises(ValidationError) as error:
        judging_services.decision_save(**kwargs, by=committee["conflicted"])
    assert "jäv" in " ".join(error.value.messages)
    decision = judging_services.decision_save(**kwargs, by=committee["member"])
    with pytest.raises(PermissionDenied):
        judging_services.decision_sign(decision=decision, by=committee["member"])
    judging_services.decision_sign(decision=decision, by=committee["chair"])
    decision.refresh_from_db()
    assert list(decision.stepped_out.all()) == [committee["conflicted"]]
    assert PastResult.objects.filter(unit=application.unit, year=cycle.year, outcome="winner").exists()


def test_signed_decision_is_locked_and_corrected_by_a_new_one(scored, cycle, committee, slk):
    meeting = final_meeting(cycle, committee, slk)
    application = scored["b1"]
    decision = judging_services.decision_save(
        meeting=meeting,
        track=scored["track"],
        competition_class=application.competition_class,
        no_award=False,
        rationale="Bäst",
        outcomes=[winner(application)],
        by=committee["chair"],
    )
    judging_services.decision_sign(decision=decision, by=committee["chair"])
    with pytest.raises(ValidationError) as error:
        judging_services.decision_save(
            meeting=meeting,
            track=scored["track"],
            competition_class=application.competition_class,
            no_award=True,
            rationale="Ändrat",
            outcomes=[],
            by=committee["chair"],
            decision=decision,
        )
    assert "låst" in " ".join(error.value.messages)
    correction = judging_services.decision_correct(
        decision=decision, reason="Fel klass angavs", by=committee["chair"]
    )
    correction = judging_services.decision_save(
        meeting=meeting,
        track=scored["track"],
        competition_class=application.competition_class,
        no_award=False,
        rationale="Rättat",
        outcomes=[judging_services.OutcomeData(application, "honourable_mention", "Hedervärt")],
        by=committee["chair"],
        decision=correction,
        base_version=correction.version,
    )
    judging_services.decision_sign(decision=correction, by=committee["chair"])
    decision.refresh_from_db()
    assert decision.status == Decision.Status.SUPERSEDED
    assert PastResult.objects.get(unit=application.unit, year=cycle.year).outcome == "honourable_mention"


def test_units_and_examiners_are_told_once_after_release(
    scored, cycle, committee, slk, django_capture_on_commit_callbacks
):
    meeting = final_meeting(cycle, committee, slk)
    application = scored["b1"]
    application.unit.contacts.add(factories.UserFactory(email="kontakt@example.se"))
    decision = judging_services.decision_save(
        meeting=meeting,
        track=scored["track"],
        competition_class=application.competition_class,
        no_award=False,
        rationale="Bäst",
        outcomes=[winner(application)],
        by=committee["chair"],
    )
    judging_services.decision_sign(decision=decision, by=committee["chair"])
    assert (
        judging_services.decisions_notify(cycle=cycle, on=cycle.feedback_release - dt.timedelta(days=1)) == 0
    )
    with django_capture_on_commit_callbacks(execute=True):
        sent = judging_services.decisions_notify(cycle=cycle, on=cycle.feedback_release)
    assert sent == 3  # every application of the class hears the decision
    winner_mail = next(m for m in mail.outbox if "kontakt@example.se" in m.to)
    assert "Vinnare" in winner_mail.body
    assert judging_services.decisions_notify(cycle=cycle, on=cycle.feedback_release) == 0


def test_member_conflicted_with_a_losing_candidate_steps_out_of_the_class(scored, cycle, committee, slk):
    meeting = final_meeting(cycle, committee, slk)
    judging_services.committee_conflict_declare(
        cycle=cycle,
        member=committee["conflicted"],
        target=scored["a1"].unit,
        reason="Tidigare chef där",
        by=slk,
    )
    decision = judging_services.decision_save(
        meeting=meeting,
        track=scored["track"],
        competition_class=scored["b1"].competition_class,
        no_award=False,
        rationale="Bäst",
        outcomes=[winner(scored["b1"])],
        by=committee["member"],
    )
    judging_services.decision_sign(decision=decision, by=committee["chair"])
    assert list(decision.stepped_out.all()) == [committee["conflicted"]]


def test_conflicted_member_cannot_correct_or_choose_site_visits(scored, cycle, committee, slk):
    judging_services.committee_conflict_declare(
        cycle=cycle, member=committee["conflicted"], target=scored["b1"].unit, reason="Släkt", by=slk
    )
    with pytest.raises(ValidationError):
        judging_services.site_visit_select(application=scored["b1"], by=committee["conflicted"])
    outsider = factories.user_with_role("committee")
    with pytest.raises(PermissionDenied):
        judging_services.site_visit_select(application=scored["b1"], by=outsider)
    meeting = final_meeting(cycle, committee, slk)
    decision = judging_services.decision_save(
        meeting=meeting,
        track=scored["track"],
        competition_class=scored["b1"].competition_class,
        no_award=False,
        rationale="Bäst",
        outcomes=[winner(scored["b1"])],
        by=committee["member"],
    )
    judging_services.decision_sign(decision=decision, by=committee["chair"])
    with pytest.raises(ValidationError) as error:
        judging_services.decision_correct(decision=decision, reason="Fel", by=committee["conflicted"])
    assert "jäv" in " ".join(error.value.messages)


def test_scores_cannot_be_revised_after_the_report_is_approved(scored, slk):
    application = scored["b1"]
    visit = judging_services.site_visit_select(application=application, by=slk)
    services.site_visit_save(
        visit=visit,
        data=services.VisitData(dt.date(2027, 3, 1), "Lag B", "", "Som beskrivet", done=True),
        base_version=visit.version,
        by=slk,
    )
    report = application.feedback_report
    services.report_save(report=report, summary="Starkt.", items=[], base_version=report.version, by=slk)
    report.refresh_from_db()
    services.report_approve(report=report, by=slk)
    item = application.consensus.items.first()
    with pytest.raises(ValidationError) as error:
        services.visit_score_revise(item=item, score=90, reason="Bättre", base_version=item.version, by=slk)
    assert "godkänd" in " ".join(error.value.messages)


def test_conflict_rules_hold_for_superusers_too(scored, cycle, committee, slk):
    """Conflicts are rules of the award, not permissions: a superuser on the committee
    with a conflict is refused like anyone else."""
    from award.roles import has_role

    superuser = factories.UserFactory(is_superuser=True, is_staff=True)
    assert has_role(superuser, "slk")
    CommitteeMembership.objects.create(cycle=cycle, user=superuser)
    judging_services.committee_conflict_declare(
        cycle=cycle, member=superuser, target=scored["b1"].unit, reason="Jäv", by=superuser
    )
    meeting = final_meeting(cycle, committee, slk)
    with pytest.raises(ValidationError) as error:
        judging_services.decision_save(
            meeting=meeting,
            track=scored["track"],
            competition_class=scored["b1"].competition_class,
            no_award=False,
            rationale="Bäst",
            outcomes=[winner(scored["b1"])],
            by=superuser,
        )
    assert "jäv" in " ".join(error.value.messages)
    with pytest.raises(ValidationError):
        judging_services.site_visit_select(application=scored["b1"], by=superuser)


def test_database_calibration_matches_the_reference_including_clamping(scored):
    # The consolidated view calibrates in SQL; `calibrate` is the readable reference. Spread
    # the scores wide (seeded) so that some calibrated scores fall outside 0–100 and clamp.
    rng = random.Random(8)
    items = list(AssessmentItem.objects.filter(assessment__status="submitted"))
    for item in items:
        item.score = rng.choice([0, 5, 10, 50, 90, 95, 100])
    AssessmentItem.objects.bulk_update(items, ["score"])
    figures.store_calibration(scored["track"].cycle)  # written straight to the table: store anew
    triples = [(i.pk, i.assessment.member_id, i.score) for i in items]
    reference = consolidation.calibrate(triples)
    assert any(reference[pk] in (0.0, 100.0) and score not in (0, 100) for pk, _m, score in triples)
    expected: dict[tuple[int, int], list[float]] = {}
    raw: dict[tuple[int, int], list[int]] = {}
    for item in items:
        key = (item.assessment.application_id, item.criterion_id)
        expected.setdefault(key, []).append(reference[item.pk])
        raw.setdefault(key, []).append(item.score)

    view = consolidation.consolidated(scored["track"])
    rows = [r for group in view["classes"] for r in group["rows"]]
    assert len(rows) == 3
    for row in rows:
        for criterion_id, value in row.calibrated.items():
            values = expected[(row.application.pk, criterion_id)]
            assert value == pytest.approx(round(sum(values) / len(values), 1), abs=0.051)
            scores = raw[(row.application.pk, criterion_id)]
            assert row.spreads[criterion_id] == max(scores) - min(scores)
        assert row.max_spread == max(row.spreads.values())
