"""The stored figures (scoring.figures) the committee's pages read: after every kind of
change they equal a computation from scratch, and the pages show them."""

import datetime as dt

import pytest

from judging import consolidation
from judging import services as judging_services
from scoring import figures, services
from scoring.models import Assessment, AssessmentFigures, Consensus
from submissions import services as submission_services
from tests.support.teams import fill, finalise
from tests.support.world import shared

pytestmark = pytest.mark.django_db
SHARED_WORLD = ("cycle", "slk", "judged_track")  # built once for the module (tests/support/world.py)


def assert_stored_is_fresh(cycle):
    finals = Consensus.objects.filter(application__track__cycle=cycle, status=Consensus.Status.FINAL)
    assert finals.exists()
    for consensus in finals:
        assert (consensus.total_points, consensus.visit_total_points) == figures.fresh_consensus_totals(
            consensus
        ), consensus.application.code
    stored = {
        f.application_id: {
            "spreads": f.spreads,
            "calibrated": f.calibrated,
            "calibrated_total": f.calibrated_total,
            "max_spread": f.max_spread,
        }
        for f in AssessmentFigures.objects.filter(application__track__cycle=cycle)
    }
    assert stored == figures.fresh_calibration(cycle)


def _rows(track):
    view = consolidation.consolidated(track)
    return {row.application.pk: row for group in view["classes"] for row in group["rows"]}


@pytest.fixture
def judged_track(_world, cycle, quality, slk):
    """Two teams of four, two applications each, finalised with different severities."""
    return shared(_world, "judged_track", cycle=cycle, quality=quality, slk=slk)


def test_a_new_consensus_stores_its_totals_and_the_calibration(cycle, quality, judged_track):
    assert_stored_is_fresh(cycle)
    first = judged_track["apps"][0]
    consensus = Consensus.objects.get(application=first)
    assert consensus.total_points == 600 and consensus.visit_total_points is None
    row = _rows(quality)[first.pk]
    assert row.total == consensus.total_points
    # The page's spreads and calibration are the stored ones, and the same as computed now.
    fresh = consolidation._criterion_aggregates(cycle, track_id=quality.pk)
    assert {c: row.spreads[c] for c in row.spreads} == {c: fresh[(first.pk, c)][0] for c in row.spreads}
    assert row.calibrated == {c: fresh[(first.pk, c)][1] for c in row.calibrated}
    assert row.calibrated_total is not None

    finalise(judged_track["apps"][1], judged_track["members"], [30, 40, 50, 60], 45)
    assert_stored_is_fresh(cycle)


def test_a_submitted_and_a_reopened_assessment_recalibrate_the_cycle(cycle, quality, judged_track):
    before = dict(AssessmentFigures.objects.values_list("application_id", "calibrated"))
    second = judged_track["other_apps"][1]
    user = judged_track["other_members"][0].profile.user
    assessment = services.assessment_submit(assessment=fill(second, user, 20), by=user)
    assert_stored_is_fresh(cycle)
    # One harsher examiner's score moves the cycle's grand mean: every calibrated score moves.
    after = dict(AssessmentFigures.objects.values_list("application_id", "calibrated"))
    assert set(after) == {*before, second.pk}
    assert any(after[pk] != before[pk] for pk in before)

    services.assessment_reopen(assessment=assessment, by=user)
    assert Assessment.objects.get(pk=assessment.pk).status == Assessment.Status.DRAFT
    assert_stored_is_fresh(cycle)
    assert not AssessmentFigures.objects.filter(application=second).exists()
    assert dict(AssessmentFigures.objects.values_list("application_id", "calibrated")) == before


def test_a_revision_after_the_site_visit_stores_the_visit_total(cycle, quality, slk, judged_track):
    application = judged_track["apps"][0]
    leader = judged_track["members"][0].profile.user
    visit = judging_services.site_visit_select(application=application, by=slk)
    services.site_visit_save(
        visit=visit,
        data=services.VisitData(dt.date(2027, 3, 1), "Lag A", visit.questions, "Som beskrivet", done=True),
        base_version=visit.version,
        by=leader,
    )
    item = Consensus.objects.get(application=application).items.order_by("criterion__number").first()
    services.visit_score_revise(
        item=item, score=90, reason="Sågs på plats", base_version=item.version, by=leader
    )
    assert_stored_is_fresh(cycle)
    consensus = Consensus.objects.get(application=application)
    assert consensus.total_points == 600
    assert consensus.visit_total_points == 600 + item.criterion.weight * 30 / 100
    row = _rows(quality)[application.pk]
    assert (row.total, row.visit_total, row.final_total) == (
        600,
        consensus.visit_total_points,
        row.visit_total,
    )

    # Taking the revision back leaves no visit total.
    item.refresh_from_db()
    services.visit_score_revise(item=item, score=None, reason="", base_version=item.version, by=leader)
    assert_stored_is_fresh(cycle)
    assert Consensus.objects.get(application=application).visit_total_points is None


def test_a_withdrawn_application_leaves_the_page_and_its_class_reranks(cycle, quality, slk, judged_track):
    first, other = judged_track["apps"][0], judged_track["other_apps"][0]
    same_class = first.competition_class_id == other.competition_class_id
    submission_services.application_withdraw(application=other, reason="Chefen slutar", by=slk)
    assert_stored_is_fresh(cycle)
    rows = _rows(quality)
    assert other.pk not in rows
    assert rows[first.pk].rank == 1
    if same_class:
        assert rows[first.pk].calibrated_rank == 1


def test_store_all_writes_what_the_services_wrote(cycle, judged_track):
    """What the data migration runs: every figure from scratch."""
    stored_totals = dict(Consensus.objects.values_list("pk", "total_points"))
    stored = dict(AssessmentFigures.objects.values_list("application_id", "calibrated_total"))
    Consensus.objects.update(total_points=None, visit_total_points=None)
    AssessmentFigures.objects.all().delete()
    figures.store_all()
    assert dict(Consensus.objects.values_list("pk", "total_points")) == stored_totals
    assert dict(AssessmentFigures.objects.values_list("application_id", "calibrated_total")) == stored
    assert_stored_is_fresh(cycle)
