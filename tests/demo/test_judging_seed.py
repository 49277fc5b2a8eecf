"""The demo's committee work and evaluation (demo/judging.py), on the demo seeded once for
the test run (tests/support/demo.py SHARED_SEED)."""

import re

import pytest

from award.models import STOCKHOLM, AuditEntry, PastResult, Track, today
from demo import award as award_demo
from demo import judging as demo_committee
from evaluation import services as evaluation_services
from evaluation.models import Questionnaire, QuestionnaireResponse
from evaluation.questionnaire import questions_for
from evaluation.report import questionnaire_recipients
from judging import rules as judging_rules
from judging.consolidation import consolidated
from judging.models import CommitteeConflict, Decision, DecisionOutcome, Meeting
from scoring import queries, rules
from scoring.models import Consensus, ConsensusItem, FeedbackReport, SiteVisit
from tests.support.demo import SHARED_SEED, model_counts, seed_demo_again

pytestmark = pytest.mark.django_db

SEEDED_MODELS = [
    CommitteeConflict,
    Meeting,
    Decision,
    DecisionOutcome,
    PastResult,
    Questionnaire,
    QuestionnaireResponse,
    Consensus,
    ConsensusItem,
    FeedbackReport,
    SiteVisit,
    AuditEntry,
]


def counts() -> dict[str, int]:
    return model_counts(SEEDED_MODELS)


def committee_lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if line.strip().startswith("Domarkommittén")]


def sentences(text: str) -> int:
    return len(re.findall(r"[.!?](?:\s|$)", text))


def signed(cycle):
    return Decision.objects.filter(meeting__cycle=cycle, status=Decision.Status.SIGNED).select_related(
        "meeting", "track", "competition_class", "signed_by"
    )


# --- Last year: meetings and decisions -------------------------------------------------------


def test_last_year_had_both_meetings_with_the_whole_committee(previous):
    meetings = {m.kind: m for m in Meeting.objects.filter(cycle=previous)}
    assert set(meetings) == {Meeting.Kind.SHORTLISTING, Meeting.Kind.FINAL}
    assert meetings[Meeting.Kind.SHORTLISTING].date == previous.first_committee_meeting
    assert meetings[Meeting.Kind.FINAL].date == previous.final_committee_meeting
    committee = {m.user for m in previous.committee.all()}
    for meeting in meetings.values():
        assert set(meeting.present.all()) == committee
        assert meeting.notes.strip()
    visits = SiteVisit.objects.filter(application__track__cycle=previous)
    assert visits.count() == 2
    assert set(visits.values_list("choice__meeting", flat=True)) == {meetings[Meeting.Kind.SHORTLISTING].pk}


def test_every_class_of_both_tracks_has_a_signed_decision(previous):
    decisions = list(signed(previous))
    chair = previous.committee.get(is_chair=True).user
    assert chair.username == "domare1"
    scopes = {(d.track.kind, d.competition_class_id) for d in decisions}
    quality = previous.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    expected = {(Track.Kind.QUALITY_AWARD, c.pk) for c in quality.classes.all()}
    expected.add((Track.Kind.RENEWAL_PRIZE, None))
    assert scopes == expected
    assert len(decisions) == len(expected)
    assert (
        not Decision.objects.filter(meeting__cycle=previous).exclude(status=Decision.Status.SIGNED).exists()
    )
    for decision in decisions:
        assert decision.meeting.kind == Meeting.Kind.FINAL
        assert decision.signed_by == chair
        assert decision.signed_at.astimezone(STOCKHOLM).date() == (previous.final_committee_meeting)
        assert decision.rationale.strip()
        winners = decision.outcomes.filter(outcome=DecisionOutcome.Outcome.WINNER)
        assert decision.no_award != winners.exists(), decision
    assert any(d.no_award for d in decisions)
    assert sum(1 for d in decisions if not d.no_award) >= 2


def test_winners_are_eligible_and_ranked_first_among_those_who_may_win(previous):
    for track in previous.tracks.all():
        rows = [row for group in consolidated(track)["classes"] for row in group["rows"]]
        for decision in signed(previous).filter(track=track):
            in_scope = [
                r
                for r in rows
                if decision.competition_class_id is None
                or r.application.competition_class_id == decision.competition_class_id
            ]
            may_win = [r for r in in_scope if not judging_rules.winner_refusal(r.application)]
            for outcome in decision.outcomes.select_related("application"):
                assert 2 <= sentences(outcome.citation) <= 4, outcome.citation
                if outcome.outcome == DecisionOutcome.Outcome.WINNER:
                    assert judging_rules.winner_refusal(outcome.application) == ""
                    assert outcome.application == may_win[0].application
                    assert may_win[0].final_total >= demo_committee.WINNER_LEVEL
                else:
                    assert outcome.application.award_eligible
            if decision.no_award and may_win:
                assert may_win[0].final_total < demo_committee.WINNER_LEVEL


def test_the_past_results_agree_with_the_signed_decisions(previous):
    decided = {
        (o.application.unit.name, o.decision.track.kind, o.outcome)
        for o in DecisionOutcome.objects.filter(decision__in=signed(previous)).select_related(
            "application__unit", "decision__track"
        )
    }
    recorded = set(
        PastResult.objects.filter(year=previous.year).values_list("unit__name", "track_kind", "outcome")
    )
    assert decided == recorded
    # demo.award's history for last year is what the committee decided.
    assert recorded == {
        (unit, kind, outcome) for unit, years, kind, outcome in award_demo.PAST_RESULTS if years == 1
    }
    assert any(outcome == PastResult.Outcome.WINNER for _u, _k, outcome in recorded)


def test_a_member_with_a_conflict_stepped_out_of_that_decision(previous):
    (conflict,) = CommitteeConflict.objects.filter(cycle=previous).select_related("member", "unit")
    assert conflict.member.username == "domare3" and conflict.reason.strip()
    for decision in signed(previous):
        covered = any(
            conflict.covers(o.application) for o in decision.outcomes.select_related("application__unit")
        )
        assert decision.stepped_out.filter(pk=conflict.member_id).exists() == covered
    assert Decision.objects.filter(stepped_out=conflict.member).exists()


def test_decisions_were_announced_on_the_feedback_release_without_mail_now(seeded, previous):
    for decision in signed(previous):
        assert decision.notified_at.astimezone(STOCKHOLM).date() == previous.feedback_release
    assert AuditEntry.objects.filter(action="committee.notify").count() == signed(previous).count()
    assert SHARED_SEED.on_commit == 0


def test_good_examples_show_only_consented_summaries(client, previous):
    outcomes = list(
        DecisionOutcome.objects.filter(decision__in=signed(previous)).select_related("application__unit")
    )
    consented = [o for o in outcomes if o.unit_consented]
    withheld = [o for o in outcomes if not o.unit_consented]
    assert len(consented) >= 2 and len(withheld) == 1
    winners = [o for o in outcomes if o.outcome == DecisionOutcome.Outcome.WINNER]
    assert sum(o.unit_consented for o in winners) >= len(winners) - 1
    response = client.get("/goda-exempel/")
    assert response.status_code == 200
    page = response.content.decode()
    for outcome in outcomes:
        assert outcome.application.unit.name in page
        assert outcome.public_summary.strip()
    for outcome in consented:
        assert outcome.public_summary.split(".")[0] in page
    assert withheld[0].public_summary.split(".")[0] not in page


# --- Last year: the questionnaires ---------------------------------------------------------


@pytest.mark.parametrize("audience", Questionnaire.Audience.values)
def test_most_recipients_answered_each_questionnaire_with_varied_answers(previous, audience):
    questionnaire = Questionnaire.objects.get(cycle=previous, audience=audience)
    assert questionnaire.sent_by.username == "slk"
    assert previous.feedback_release <= questionnaire.sent_at.date() < today()
    recipients = set(questionnaire_recipients(cycle=previous, audience=audience))
    responses = list(questionnaire.responses.select_related("respondent"))
    assert 0.6 <= len(responses) / len(recipients) <= 0.8
    questions = questions_for(audience)
    for response in responses:
        assert response.respondent in recipients
        assert evaluation_services._clean_answers(questions, response.answers) == response.answers
        assert questionnaire.sent_at <= response.submitted_at and response.submitted_at.date() < today()
    for question in questions:
        given = [r.answers[question.key] for r in responses if question.key in r.answers]
        if question.is_scale:
            assert len(given) == len(responses) and len(set(given)) >= 2
    texts = [r.answers[q.key] for r in responses for q in questions if not q.is_scale and q.key in r.answers]
    assert texts and len(set(texts)) >= 2


# --- This year: in assessment, the consolidated view already filled ---------------------------


def test_this_year_has_one_conflict_and_no_meetings_or_decisions(current):
    (conflict,) = CommitteeConflict.objects.filter(cycle=current).select_related("member", "unit")
    assert conflict.member.username == "domare2" and conflict.unit is not None
    assert current.application_deadline < conflict.recorded_at.date() < today()
    assert not Meeting.objects.filter(cycle=current).exists()
    assert not Decision.objects.filter(track__cycle=current).exists()


def test_the_consolidated_view_has_totals_for_the_finalised_applications(current):
    rows = [
        row
        for track in current.tracks.all()
        for group in consolidated(track)["classes"]
        for row in group["rows"]
        if row.total is not None
    ]
    assert len(rows) >= 3
    final = Consensus.objects.filter(application__track__cycle=current, status=Consensus.Status.FINAL)
    assert {r.application.pk for r in rows} == set(final.values_list("application_id", flat=True))
    for row in rows:
        assert row.rank is not None
        consensus = row.application.consensus
        assert current.application_deadline < consensus.finalised_at.date() < today()
        spreads = queries.individual_spreads(row.application)
        assert rules.consensus_missing(consensus, spreads) == []


def test_the_summary_counts_the_committee_in_swedish(seeded, current, previous):
    (line,) = committee_lines(seeded)
    assert line.startswith(
        f"Domarkommittén {current.year}: 1 anmält jäv; {previous.year}: 1 anmält jäv, 2 domarmöten, "
    )
    decisions = signed(previous)
    assert f"{decisions.count()} signerade beslut" in line
    assert (
        "enkäten till sökande enheter besvarad av" in line and "enkäten till examinatorer besvarad av" in line
    )


def test_seeding_again_writes_nothing_and_prints_the_same_summary(seeded):
    before = counts()
    again, writes = seed_demo_again()
    assert again == seeded
    assert counts() == before
    assert writes == []
