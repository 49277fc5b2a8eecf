"""The committee's consolidated view, pinned where mutation testing found it unpinned
(README, "Mutation testing"): one class at a time, only finalised consensus, the two-year
marks, the viewer's own conflicts, independence for a viewer in a team, and the
calibration's edge cases."""

import pytest

from award.models import CommitteeMembership, PastResult, Track
from judging import consolidation
from judging import services as judging_services
from judging.models import CommitteeConflict
from scoring import services
from scoring.models import Consensus, SiteVisit
from tests.support import factories
from tests.support.teams import fill, judged, set_consensus_scores

pytestmark = pytest.mark.django_db


def _rows(track, **kwargs):
    view = consolidation.consolidated(track, **kwargs)
    return {row.application.pk: row for group in view["classes"] for row in group["rows"]}


@pytest.fixture
def two_classes(quality):
    first, second = quality.classes.order_by("order")[:2]
    apps = {
        "a": judged(factories.submitted_application(quality, competition_class=first)),
        "b": judged(factories.submitted_application(quality, competition_class=first)),
        "c": judged(factories.submitted_application(quality, competition_class=second)),
    }
    set_consensus_scores(apps["a"], [50, 50, 50, 50])
    set_consensus_scores(apps["b"], [70, 70, 70, 70])
    set_consensus_scores(apps["c"], [90, 90, 90, 90])
    return {"first": first, "second": second, **apps}


def test_one_class_is_the_same_as_that_class_in_the_whole_track(quality, two_classes):
    whole = _rows(quality)
    first = _rows(quality, class_id=two_classes["first"].pk)
    assert set(first) == {two_classes["a"].pk, two_classes["b"].pk}
    for pk, row in first.items():
        assert (row.total, row.rank) == (whole[pk].total, whole[pk].rank)
    assert (first[two_classes["b"].pk].rank, first[two_classes["a"].pk].rank) == (1, 2)
    assert whole[two_classes["c"].pk].rank == 1  # ranks are per class


def test_only_a_finalised_consensus_counts(quality, two_classes, slk):
    Consensus.objects.filter(application=two_classes["a"]).update(status=Consensus.Status.OPEN)
    rows = _rows(quality)
    assert rows[two_classes["a"].pk].total is None and rows[two_classes["a"].pk].rank is None
    assert rows[two_classes["b"].pk].rank == 1


def test_a_chosen_visit_is_shown(quality, two_classes, slk):
    judging_services.site_visit_select(application=two_classes["b"], by=slk)
    for kwargs in ({}, {"class_id": two_classes["first"].pk}):
        rows = _rows(quality, **kwargs)
        assert rows[two_classes["b"].pk].had_visit
        assert rows[two_classes["b"].pk].visit_status == SiteVisit.Status.PLANNED
        assert not rows[two_classes["a"].pk].had_visit
        assert rows[two_classes["a"].pk].visit_status == ""


@pytest.mark.parametrize("class_scope", [False, True])
def test_a_recent_win_in_this_track_marks_the_application(quality, cycle, two_classes, class_scope):
    kwargs = {"class_id": two_classes["first"].pk} if class_scope else {}
    unit = two_classes["a"].unit
    PastResult.objects.create(
        unit=unit, year=cycle.year - 1, track_kind=Track.Kind.QUALITY_AWARD, outcome="winner"
    )
    PastResult.objects.create(
        unit=unit, year=cycle.year - 2, track_kind=Track.Kind.QUALITY_AWARD, outcome="winner"
    )
    marks = _rows(quality, **kwargs)[two_classes["a"].pk].marks
    assert marks == [f"Vann {cycle.year - 1}: får inte vinna förrän {cycle.year + 2}."]


def test_only_a_win_within_two_years_in_the_same_track_marks(quality, cycle, two_classes):
    b, c = two_classes["b"].unit, two_classes["c"].unit
    a = two_classes["a"].unit
    PastResult.objects.create(
        unit=a, year=cycle.year - 3, track_kind=Track.Kind.QUALITY_AWARD, outcome="winner"
    )
    PastResult.objects.create(
        unit=b, year=cycle.year - 1, track_kind=Track.Kind.RENEWAL_PRIZE, outcome="winner"
    )
    PastResult.objects.create(
        unit=c, year=cycle.year - 1, track_kind=Track.Kind.QUALITY_AWARD, outcome="honourable_mention"
    )
    rows = _rows(quality)
    assert all(row.marks == [] for row in rows.values())
    # This year's own result (written when the decision is signed) is no mark either.
    PastResult.objects.create(unit=a, year=cycle.year, track_kind=Track.Kind.QUALITY_AWARD, outcome="winner")
    assert _rows(quality)[two_classes["a"].pk].marks == []
    PastResult.objects.create(
        unit=a, year=cycle.year - 2, track_kind=Track.Kind.QUALITY_AWARD, outcome="winner"
    )
    assert _rows(quality)[two_classes["a"].pk].marks == [
        f"Vann {cycle.year - 2}: får inte vinna förrän {cycle.year + 1}."
    ]


def test_an_ineligible_application_is_marked_with_its_note_or_the_deficit(quality, two_classes):
    a, b = two_classes["a"], two_classes["b"]
    a.award_eligible = b.award_eligible = False
    a.eligibility_note = "Underskott i årets prognos."
    a.save(update_fields=["award_eligible", "eligibility_note"])
    b.save(update_fields=["award_eligible"])
    rows = _rows(quality)
    assert rows[a.pk].marks == ["Underskott i årets prognos."]
    assert rows[b.pk].marks == ["Kan inte tilldelas utmärkelsen (underskott)."]


@pytest.fixture
def member(cycle):
    user = factories.user_with_role("committee")
    CommitteeMembership.objects.create(cycle=cycle, user=user)
    return user


def _conflict(cycle, member, application):
    return CommitteeConflict.objects.create(
        cycle=cycle, member=member, unit=application.unit, reason="Jäv", recorded_by=member
    )


def test_the_viewers_own_conflicts_mark_the_rows(quality, cycle, two_classes, member):
    other = factories.user_with_role("committee")
    CommitteeMembership.objects.create(cycle=cycle, user=other)
    _conflict(cycle, member, two_classes["a"])
    _conflict(cycle, other, two_classes["b"])
    later = factories.complete_cycle()
    CommitteeConflict.objects.create(
        cycle=later, member=member, unit=two_classes["c"].unit, reason="Ett annat år", recorded_by=member
    )
    rows = _rows(quality, viewer=member)
    assert {pk for pk, row in rows.items() if row.conflict} == {two_classes["a"].pk}
    assert not any(row.conflict for row in _rows(quality).values())


def test_a_viewers_conflicts_cost_no_query_per_row(quality, cycle, two_classes, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count():
        with CaptureQueriesContext(connection) as queries:
            rows = _rows(quality, viewer=member)
            for row in rows.values():
                assert row.application.unit.organisation.name and row.application.competition_class.name
        return len(queries.captured_queries), rows

    _conflict(cycle, member, two_classes["a"])
    one, _rows_before = count()
    for _ in range(2):
        _conflict(cycle, member, judged(factories.submitted_application(quality)))
    CommitteeConflict.objects.create(
        cycle=cycle,
        member=member,
        organisation=two_classes["b"].unit.organisation,
        reason="Min förvaltning",
        recorded_by=member,
    )
    three, rows = count()
    assert three == one
    assert sum(row.conflict for row in rows.values()) == 4


def test_a_viewer_in_the_team_sees_no_spread_before_submitting(team_world, slk):
    """Independence (R10) holds in the committee's view too: a committee member or SLK
    administrator who examines the application sees no spread until their own is in."""
    application, members = team_world["application"], team_world["members"]
    for member in members[1:]:
        user = member.profile.user
        services.assessment_submit(assessment=fill(application, user, [40, 60, 50, 70]), by=user)
    track = application.track
    waiting = members[0].profile.user
    assert all(s is None for s in _rows(track, viewer=waiting)[application.pk].spreads.values())
    assert all(s is not None for s in _rows(track, viewer=slk)[application.pk].spreads.values())
    assert _rows(track)[application.pk].max_spread == 0


# --- The calibration's edge cases (the readable reference of the SQL) --------------------------


def test_calibration_of_one_score_is_the_score():
    assert consolidation.calibrate([(1, 1, 30)]) == {1: 30.0}
    assert consolidation.calibrate([(1, 1, None)]) == {}


def test_calibration_of_two_examiners_with_one_score_each_meets_in_the_middle():
    # Each examiner's own spread is zero: both stand at the grand mean.
    assert consolidation.calibrate([(1, 1, 30), (2, 2, 50)]) == {1: 40.0, 2: 40.0}


def test_calibration_clamps_to_the_scale():
    # Examiner 1 spreads 0..100, examiner 2 always 50: extremes stay within 0..100.
    result = consolidation.calibrate([(1, 1, 0), (2, 1, 100), (3, 2, 50), (4, 2, 50)])
    assert all(0.0 <= v <= 100.0 for v in result.values())
    assert result[3] == result[4] == pytest.approx(50.0)


def test_ranking_is_competition_ranking():
    class R:
        def __init__(self, pk, value):
            self.application = type("A", (), {"pk": pk})()
            self.value = value

    rows = [R(1, 10), R(2, 30), R(3, 30), R(4, None), R(5, 5)]
    assert consolidation._rank(rows, lambda r: r.value) == {2: 1, 3: 1, 1: 3, 5: 4}


def test_rows_are_grouped_by_class_or_by_the_track(cycle, quality, two_classes):
    view = consolidation.consolidated(quality)
    assert [g["name"] for g in view["classes"]] == [two_classes["first"].name, two_classes["second"].name]
    row = _rows(quality)[two_classes["a"].pk]
    assert row.class_name == two_classes["first"].name
    assert [c for c, *_rest in row.cells] == list(quality.criteria.order_by("number"))
    assert row.cells[0][1] == 50  # criterion, consensus, after visit, spread, calibrated
    renewal = cycle.tracks.get(kind=Track.Kind.RENEWAL_PRIZE)
    entry = judged(factories.submitted_application(renewal))
    (group,) = consolidation.consolidated(renewal)["classes"]
    assert group["name"] == renewal.name and [r.application for r in group["rows"]] == [entry]


def test_only_a_signed_decision_shows_its_outcome(cycle, quality, two_classes, slk):
    from judging.models import Decision, DecisionOutcome, Meeting

    chair = factories.user_with_role("committee")
    CommitteeMembership.objects.create(cycle=cycle, user=chair, is_chair=True)
    meeting = judging_services.meeting_record(
        cycle=cycle, kind=Meeting.Kind.FINAL, date=cycle.final_committee_meeting, present=[chair], by=slk
    )
    decision = judging_services.decision_save(
        meeting=meeting,
        track=quality,
        competition_class=two_classes["first"],
        no_award=False,
        rationale="Bäst",
        outcomes=[
            judging_services.OutcomeData(two_classes["b"], DecisionOutcome.Outcome.WINNER, "Föredömligt")
        ],
        by=chair,
    )
    assert {row.outcome for row in _rows(quality).values()} == {""}
    judging_services.decision_sign(decision=decision, by=chair)
    assert Decision.objects.get().status == Decision.Status.SIGNED
    for kwargs in ({}, {"class_id": two_classes["first"].pk}):
        rows = _rows(quality, **kwargs)
        assert rows[two_classes["b"].pk].outcome == "Vinnare"
        assert rows[two_classes["a"].pk].outcome == ""


def test_the_calibrated_total_weighs_the_calibrated_scores(team_world):
    from decimal import Decimal

    from tests.support.teams import submit_all

    submit_all(team_world, scores=50)  # everyone alike: calibrated 50 on every criterion
    application = team_world["application"]
    row = _rows(application.track)[application.pk]
    assert set(row.calibrated.values()) == {50.0}
    assert row.calibrated_total == Decimal("500.0")
    assert row.calibrated_rank == 1


def test_classes_come_in_their_set_order_and_rows_by_rank_then_code(quality, two_classes):
    from award.models import CompetitionClass

    CompetitionClass.objects.filter(pk=two_classes["first"].pk).update(order=9)
    unscored = factories.submitted_application(quality, competition_class=two_classes["first"])
    tied = judged(factories.submitted_application(quality, competition_class=two_classes["first"]))
    set_consensus_scores(tied, [70, 70, 70, 70])  # ties with b
    view = consolidation.consolidated(quality)
    assert view["criteria"] == list(quality.criteria.order_by("number"))
    assert [g["name"] for g in view["classes"]] == [two_classes["second"].name, two_classes["first"].name]
    first = view["classes"][1]["rows"]
    assert [r.application for r in first] == sorted([two_classes["b"], tied], key=lambda a: a.code) + [
        two_classes["a"],
        unscored,
    ]
    assert [r.rank for r in first] == [1, 1, 3, None]


def test_one_class_gets_its_spreads_and_calibration_from_the_database(team_world):
    application, members = team_world["application"], team_world["members"]
    for member, scores in zip(
        members, ([40, 45, 50, 55], [60, 45, 65, 70], [50, 55, 45, 60], [55, 50, 60, 65])
    ):
        user = member.profile.user
        services.assessment_submit(assessment=fill(application, user, scores), by=user)
    track = application.track
    whole = _rows(track)[application.pk]
    one_class = _rows(track, class_id=application.competition_class_id)[application.pk]
    assert one_class.spreads == whole.spreads and one_class.calibrated == whole.calibrated
    assert [one_class.spreads[c.pk] for c in one_class.criteria] == [20, 10, 20, 15]
    # Calibrated scores are rounded to one decimal, as the page shows them.
    assert all(value == round(value, 1) for value in one_class.calibrated.values())
    assert any(value != round(value) for value in one_class.calibrated.values())
    by_object = consolidation._criterion_aggregates(track.cycle, track_id=track.pk)
    assert consolidation._criterion_aggregates(track.cycle.pk, track_id=track.pk) == by_object
