"""The demo's scoring (demo/scoring.py), seeded once for the module through the seed_demo
command."""

import pytest

from award.models import AuditEntry, AwardCycle, today
from examiners import services as examiner_services
from examiners.models import ApplicationOpening, Team
from scoring import queries, rules
from scoring.models import (
    Assessment,
    AssessmentItem,
    Consensus,
    ConsensusItem,
    FeedbackItem,
    FeedbackReport,
    SiteVisit,
)
from submissions.models import Application
from tests.support.demo import model_counts, seed_demo_again

pytestmark = pytest.mark.django_db

SEEDED_MODELS = [
    Assessment,
    AssessmentItem,
    Consensus,
    ConsensusItem,
    SiteVisit,
    FeedbackReport,
    FeedbackItem,
    Team,
    ApplicationOpening,
    AuditEntry,
]


def counts() -> dict[str, int]:
    return model_counts(SEEDED_MODELS)


def scoring_lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if line.strip().startswith("Bedömningar")]


def submitted_applications(cycle):
    return Application.objects.filter(track__cycle=cycle, status=Application.Status.SUBMITTED).select_related(
        "track__cycle__scale", "unit"
    )


def team_users(application):
    return [
        tm.member.profile.user
        for tm in application.assignment.team.members.select_related("member__profile__user")
    ]


# --- This year: individual assessment under way -----------------------------------------


def test_this_years_assessments_are_a_realistic_mix(current):
    assessments = Assessment.objects.filter(application__track__cycle=current)
    submitted = assessments.filter(status=Assessment.Status.SUBMITTED)
    drafts = assessments.filter(status=Assessment.Status.DRAFT)
    assert submitted.count() >= 10 and drafts.count() >= 5
    applications = list(submitted_applications(current))
    by_state = {"all": 0, "some": 0, "none": 0}
    for application in applications:
        done = submitted.filter(application=application).count()
        members = len(team_users(application))
        by_state[
            "all" if done == members else "some" if assessments.filter(application=application) else "none"
        ] += 1
    assert by_state["all"] >= 3
    assert by_state["some"] >= 3
    assert by_state["none"] >= 1
    # The phase is individual assessment: a consensus is final only where the whole team
    # has submitted (demo.judging fills the consolidated view), and its feedback
    # report is a draft.
    final = Consensus.objects.filter(application__track__cycle=current, status=Consensus.Status.FINAL)
    for consensus in final:
        application = consensus.application
        assert submitted.filter(application=application).count() == len(team_users(application))
    reports = FeedbackReport.objects.filter(application__track__cycle=current)
    assert set(reports.values_list("application_id", flat=True)) == {c.application_id for c in final}
    assert not reports.exclude(status=FeedbackReport.Status.DRAFT).exists()
    assert not SiteVisit.objects.filter(application__track__cycle=current).exists()


def test_drafts_are_partly_written_and_submitted_ones_complete(current):
    scale = current.scale
    for assessment in Assessment.objects.filter(application__track__cycle=current).prefetch_related(
        "items__criterion"
    ):
        items = list(assessment.items.all())
        scored = [i for i in items if i.score is not None]
        assert all(scale.is_valid_score(i.score) for i in scored)
        for item in scored:
            assert 3 <= len(item.strengths) + len(item.improvements) <= 5, item
        if assessment.is_submitted:
            assert rules.assessment_missing(assessment, items) == []
            assert 8 <= assessment.hours <= 20
            assert current.application_deadline < assessment.submitted_at.date() < today()
        else:
            assert assessment.submitted_at is None
            assert 0 < len(scored) < len(items)


def test_only_examiners_who_opened_the_application_assess_it(current):
    for assessment in Assessment.objects.filter(application__track__cycle=current).select_related("member"):
        assert ApplicationOpening.objects.filter(
            member=assessment.member, application=assessment.application
        ).exists()


def test_two_consensus_started_one_with_flagged_notes_one_by_slk(current):
    started = list(
        Consensus.objects.filter(
            application__track__cycle=current, status=Consensus.Status.OPEN
        ).select_related("started_by")
    )
    assert len(started) == 2
    overridden = [c for c in started if c.override_reason]
    assert len(overridden) == 1
    assert overridden[0].started_by.username == "slk"
    by_leader = next(c for c in started if not c.override_reason)
    rows = queries.criterion_rows(by_leader.application)
    flagged = [row for row in rows if row["flagged"]]
    assert flagged
    items = {i.criterion_id: i for i in by_leader.items.all()}
    for row in flagged:
        assert items[row["criterion"].pk].discussion_note, row["criterion"]
    # The individual assessments are frozen with every member's submitted.
    waiting = Assessment.objects.filter(application=by_leader.application, status=Assessment.Status.DRAFT)
    assert not waiting.exists()


# --- Last year: complete history -----------------------------------------------------------


def test_last_years_teams_are_confirmed_and_meet_the_rules(previous):
    teams = Team.objects.filter(cycle=previous)
    assert teams.exists()
    assert not teams.exclude(status=Team.Status.CONFIRMED).exists()
    for team in teams:
        errors, _warnings = examiner_services.team_errors(team)
        assert errors == [], team
    for application in submitted_applications(previous):
        assert application.assignment.team.cycle == previous


def test_every_last_year_assessment_is_submitted_and_every_consensus_final(previous):
    applications = list(submitted_applications(previous))
    assert len(applications) == 10
    for application in applications:
        assessments = Assessment.objects.filter(application=application)
        assert assessments.count() == len(team_users(application))
        assert not assessments.exclude(status=Assessment.Status.SUBMITTED).exists()
        assert application.consensus.is_final


@pytest.mark.parametrize("year_offset", [0, 1])
def test_every_finalised_consensus_is_on_the_scale_with_notes_on_flagged_criteria(seeded, year_offset):
    cycle = AwardCycle.objects.get(year=today().year - year_offset)
    flagged_total = 0
    for consensus in Consensus.objects.filter(application__track__cycle=cycle, status=Consensus.Status.FINAL):
        application = consensus.application
        spreads = queries.individual_spreads(application)
        assert rules.consensus_missing(consensus, spreads) == []
        items = {i.criterion_id: i for i in consensus.items.all()}
        for row in queries.criterion_rows(application):
            item = items[row["criterion"].pk]
            assert cycle.scale.is_valid_score(item.score)
            assert item.strengths or item.improvements
            if row["flagged"]:
                flagged_total += 1
                assert item.discussion_note.strip()
    if year_offset:
        assert flagged_total >= 3


def test_two_site_visits_with_revised_scores_and_both_kept(previous):
    visits = list(SiteVisit.objects.filter(application__track__cycle=previous))
    assert len(visits) == 2
    revised = 0
    for visit in visits:
        assert visit.status == SiteVisit.Status.DONE
        assert previous.site_visits_start <= visit.visit_date <= previous.site_visits_end
        assert visit.findings and visit.participants and visit.questions
        for item in visit.application.consensus.items.all():
            if item.visit_score is not None:
                revised += 1
                assert item.visit_score != item.score  # the score before the visit is kept
                assert item.final_score == item.visit_score
                assert item.visit_reason.strip()
        totals = queries.consensus_totals(queries.consensus_with_items(visit.application))
        assert totals["after"] is not None and totals["after"] != totals["before"]
    assert revised >= 1


def test_last_years_reports_are_approved_and_released(previous):
    reports = FeedbackReport.objects.filter(application__track__cycle=previous).select_related(
        "approved_by", "application__track__cycle"
    )
    assert reports.count() == 10
    for report in reports:
        assert report.is_approved
        assert report.approved_by.username == "slk"
        assert report.summary.strip()
        assert queries.report_released(report)
        assert previous.final_committee_meeting < report.approved_at.date() < previous.feedback_release
        items = list(report.items.all())
        assert len(items) == report.application.track.criteria.count()
        consensus = {i.criterion_id: i for i in report.application.consensus.items.all()}
        for item in items:
            assert item.score == consensus[item.criterion_id].final_score
            assert item.band


def test_history_is_dated_within_each_cycles_timeline(current, previous):
    for cycle, end in ((previous, previous.feedback_release), (current, today())):
        for application in submitted_applications(cycle):
            for entry in queries.score_history(application):
                assert cycle.application_deadline < entry.at.date() <= end, entry


# --- Summary and idempotency ------------------------------------------------------------


def test_the_summary_counts_the_scoring_in_swedish(seeded, current, previous):
    (line,) = scoring_lines(seeded)
    assessments = Assessment.objects.filter(application__track__cycle=current)
    submitted = assessments.filter(status=Assessment.Status.SUBMITTED).count()
    assert line.startswith(
        f"Bedömningar {current.year}: {assessments.count()} individuella ({submitted} inlämnade)"
    )
    assert "2 konsensus påbörjade" in line
    assert f"; {previous.year}: " in line
    assert "10 konsensus fastställda, 2 platsbesök, 10 återföringsrapporter godkända." in line


def test_seeding_again_changes_nothing(seeded):
    before = counts()
    items = list(ConsensusItem.objects.order_by("pk").values())
    again, writes = seed_demo_again()
    assert scoring_lines(again) == scoring_lines(seeded)
    assert counts() == before
    assert list(ConsensusItem.objects.order_by("pk").values()) == items
    assert writes == []
