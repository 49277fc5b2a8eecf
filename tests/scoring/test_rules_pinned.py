"""Each place in scoring that enforces an award rule, pinned by a test that fails when that
place is disabled: only what was judged can win or be mentioned (R15), when the draft is
saved and again when the chair signs; an ineligible winner refused at the signature (R5,
R6); a conflicted member refused when a draft is changed and when the chair signs (R13);
a spread exactly at the threshold (R11); "no award this year" (R14); and the committee's
totals with criteria of unequal weight and a rounding tie."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from award.models import CommitteeMembership, Criterion, PastResult
from judging import consolidation
from judging import rules as judging_rules
from judging import services as judging_services
from judging.decisions.views import decision_edit_url
from judging.models import Decision, Meeting
from scoring import queries, rules, services, totals
from scoring.models import Consensus, SiteVisit
from tests.support import factories
from tests.support.teams import judged, set_consensus_scores, submit_all

pytestmark = pytest.mark.django_db


def _msg(error) -> str:
    return " ".join(error.value.messages)


@pytest.fixture
def committee(cycle):
    chair, member, conflicted = (factories.user_with_role("committee") for _ in range(3))
    CommitteeMembership.objects.create(cycle=cycle, user=chair, is_chair=True)
    CommitteeMembership.objects.create(cycle=cycle, user=member)
    CommitteeMembership.objects.create(cycle=cycle, user=conflicted)
    return {"chair": chair, "member": member, "conflicted": conflicted}


@pytest.fixture
def final(cycle, committee, slk):
    return judging_services.meeting_record(
        cycle=cycle,
        kind=Meeting.Kind.FINAL,
        date=cycle.final_committee_meeting,
        present=committee.values(),
        by=slk,
    )


@pytest.fixture
def klass(quality):
    """Three applications of one class: judged (b1, a2) and never assessed (a1)."""
    return {
        "b1": judged(factories.submitted_application(quality)),
        "a2": judged(factories.submitted_application(quality)),
        "a1": factories.submitted_application(quality),
        "track": quality,
    }


def _save(final, klass, outcomes, *, by, no_award=False, decision=None):
    return judging_services.decision_save(
        meeting=final,
        track=klass["track"],
        competition_class=klass["b1"].competition_class,
        no_award=no_award,
        rationale="Kommitténs skäl",
        outcomes=[judging_services.OutcomeData(a, outcome, "Motivering") for a, outcome in outcomes],
        by=by,
        decision=decision,
        base_version=decision.version if decision is not None else None,
    )


def _visit(application, *, by, done):
    visit = judging_services.site_visit_select(application=application, by=by)
    if done:
        services.site_visit_save(
            visit=visit,
            data=services.VisitData(dt.date(2030, 3, 1), "Laget", "", "Som beskrivet", done=True),
            base_version=visit.version,
            by=by,
        )
    return visit


# --- R15: only what was judged can win or be mentioned ---------------------------------------


@pytest.mark.parametrize("outcome", ["winner", "honourable_mention"])
def test_an_application_never_assessed_cannot_be_named(final, klass, committee, outcome):
    with pytest.raises(ValidationError) as error:
        _save(final, klass, [(klass["a1"], outcome)], by=committee["member"])
    assert f"{klass['a1'].code} kan inte bli vinnare eller få hedersomnämnande" in _msg(error)
    assert "ingen fastställd konsensus (inte startad)" in _msg(error)
    assert not Decision.objects.exists()


def test_an_open_consensus_is_not_enough(final, klass, committee, quality, slk):
    team = klass["b1"].consensus.team
    Consensus.objects.create(application=klass["a1"], team=team, started_by=slk)
    with pytest.raises(ValidationError) as error:
        _save(final, klass, [(klass["a1"], "honourable_mention")], by=committee["member"])
    assert "ingen fastställd konsensus (pågår)" in _msg(error)


def test_a_chosen_site_visit_must_be_done_first(final, klass, committee, slk):
    _visit(klass["b1"], by=slk, done=False)
    for outcome in ("winner", "honourable_mention"):
        with pytest.raises(ValidationError) as error:
            _save(final, klass, [(klass["b1"], outcome)], by=committee["member"])
        assert f"{klass['b1'].code} kan inte bli vinnare" in _msg(error)
        assert "besöket är inte genomfört" in _msg(error)
    visit = SiteVisit.objects.get(application=klass["b1"])
    services.site_visit_save(
        visit=visit,
        data=services.VisitData(dt.date(2030, 3, 1), "Laget", "", "Som beskrivet", done=True),
        base_version=visit.version,
        by=slk,
    )
    decision = _save(final, klass, [(klass["b1"], "winner")], by=committee["member"])
    judging_services.decision_sign(decision=decision, by=committee["chair"])


def test_the_rule_holds_for_a_superuser(final, klass, cycle):
    superuser = factories.UserFactory(is_superuser=True, is_staff=True)
    CommitteeMembership.objects.create(cycle=cycle, user=superuser)
    with pytest.raises(ValidationError) as error:
        _save(final, klass, [(klass["a1"], "winner")], by=superuser)
    assert "ingen fastställd konsensus" in _msg(error)


def test_the_chair_cannot_sign_when_a_visit_was_chosen_after_the_draft(final, klass, committee, slk):
    decision = _save(final, klass, [(klass["b1"], "winner")], by=committee["member"])
    _visit(klass["b1"], by=slk, done=False)
    with pytest.raises(ValidationError) as error:
        judging_services.decision_sign(decision=decision, by=committee["chair"])
    assert "besöket är inte genomfört" in _msg(error)
    decision.refresh_from_db()
    assert decision.status == Decision.Status.DRAFT
    assert not PastResult.objects.exists()


def test_the_chair_cannot_sign_a_mention_whose_consensus_is_gone(final, klass, committee):
    """A draft saved before the rule existed (the demo's K26-013) is refused at signing."""
    decision = _save(final, klass, [(klass["a2"], "honourable_mention")], by=committee["member"])
    Consensus.objects.filter(application=klass["a2"]).update(status=Consensus.Status.OPEN)
    with pytest.raises(ValidationError) as error:
        judging_services.decision_sign(decision=decision, by=committee["chair"])
    assert f"{klass['a2'].code} kan inte bli vinnare eller få hedersomnämnande" in _msg(error)


def test_the_rule_reads_the_database_not_the_callers_copy(final, klass, committee, slk):
    # The caller's object remembers the visit as planned; the database says it is done.
    application = klass["b1"]
    visit = _visit(application, by=slk, done=False)
    SiteVisit.objects.filter(pk=visit.pk).update(status=SiteVisit.Status.DONE)
    assert application.site_visit.status == SiteVisit.Status.PLANNED
    _save(final, klass, [(application, "winner")], by=committee["member"])


# --- R5, R6 at the signature -----------------------------------------------------------------


def test_the_chair_cannot_sign_a_winner_found_ineligible_after_the_draft(final, klass, committee):
    decision = _save(final, klass, [(klass["b1"], "winner")], by=committee["member"])
    klass["b1"].award_eligible = False
    klass["b1"].eligibility_note = "Underskott i årets prognos."
    klass["b1"].save(update_fields=["award_eligible", "eligibility_note"])
    with pytest.raises(ValidationError) as error:
        judging_services.decision_sign(decision=decision, by=committee["chair"])
    assert "kan inte tilldelas utmärkelsen: Underskott i årets prognos." in _msg(error)
    assert not PastResult.objects.exists()


def test_the_chair_cannot_sign_a_winner_that_won_recently(final, klass, committee, cycle):
    decision = _save(final, klass, [(klass["b1"], "winner")], by=committee["member"])
    PastResult.objects.create(
        unit=klass["b1"].unit, year=cycle.year - 2, track_kind="quality_award", outcome="winner"
    )
    with pytest.raises(ValidationError) as error:
        judging_services.decision_sign(decision=decision, by=committee["chair"])
    assert f"tidigast {cycle.year + 1}" in _msg(error)


def test_an_ineligible_application_may_still_be_mentioned_and_signed(final, klass, committee):
    klass["b1"].award_eligible = False
    klass["b1"].save(update_fields=["award_eligible"])
    decision = _save(final, klass, [(klass["b1"], "honourable_mention")], by=committee["member"])
    judging_services.decision_sign(decision=decision, by=committee["chair"])


# --- R13: a conflicted member neither records nor signs -------------------------------------


def test_a_conflicted_member_cannot_change_a_draft_naming_that_application(final, klass, committee, cycle):
    decision = _save(final, klass, [(klass["b1"], "winner")], by=committee["member"])
    judging_services.committee_conflict_declare(
        cycle=cycle,
        member=committee["conflicted"],
        target=klass["b1"].unit,
        reason="Släkt",
        by=committee["conflicted"],
    )
    # The change leaves b1 out: only the draft's saved outcomes name it.
    with pytest.raises(ValidationError) as error:
        _save(
            final,
            klass,
            [(klass["a2"], "honourable_mention")],
            by=committee["conflicted"],
            decision=decision,
        )
    assert f"Du har jäv mot {klass['b1'].code} och deltar inte i beslutet" in _msg(error)
    decision.refresh_from_db()
    assert decision.version == 1
    assert list(decision.outcomes.values_list("application", flat=True)) == [klass["b1"].pk]


def test_a_conflicted_chair_cannot_sign(final, klass, committee, cycle):
    decision = _save(final, klass, [(klass["b1"], "winner")], by=committee["member"])
    judging_services.committee_conflict_declare(
        cycle=cycle, member=committee["chair"], target=klass["b1"].unit, reason="Jäv", by=committee["chair"]
    )
    with pytest.raises(ValidationError) as error:
        judging_services.decision_sign(decision=decision, by=committee["chair"])
    assert "Ordföranden har jäv" in _msg(error)
    decision.refresh_from_db()
    assert decision.status == Decision.Status.DRAFT


def _declare(member, application, cycle):
    judging_services.committee_conflict_declare(
        cycle=cycle, member=member, target=application.unit, reason="Jäv", by=member
    )


def test_a_conflict_with_any_candidate_keeps_a_member_from_recording_the_class_decision(
    final, klass, committee, cycle
):
    """A class decision decides on every candidate: a conflict with a1, which no outcome
    names, is enough (it was not, before the three services shared one rule)."""
    _declare(committee["conflicted"], klass["a1"], cycle)
    with pytest.raises(ValidationError) as error:
        _save(final, klass, [(klass["b1"], "winner")], by=committee["conflicted"])
    assert f"Du har jäv mot {klass['a1'].code} och deltar inte i beslutet" in _msg(error)
    assert not Decision.objects.exists()


def test_a_chair_with_a_conflict_with_any_candidate_cannot_sign(final, klass, committee, cycle):
    decision = _save(final, klass, [(klass["b1"], "winner")], by=committee["member"])
    _declare(committee["chair"], klass["a1"], cycle)
    with pytest.raises(ValidationError) as error:
        judging_services.decision_sign(decision=decision, by=committee["chair"])
    assert f"Ordföranden har jäv mot {klass['a1'].code}" in _msg(error)
    decision.refresh_from_db()
    assert decision.status == Decision.Status.DRAFT


def test_recording_signing_stepping_out_and_correcting_ask_one_rule(final, klass, committee, monkeypatch):
    decision = _save(final, klass, [(klass["b1"], "winner")], by=committee["member"])
    conflicted = {committee["member"], committee["chair"]}

    def scope_conflicts(*, track, class_id, member=None):
        users = [member] if member is not None else list(conflicted)
        return {user: [klass["a2"]] for user in users if user in conflicted}

    monkeypatch.setattr(judging_rules, "scope_conflicts", scope_conflicts)
    with pytest.raises(ValidationError, match=f"Du har jäv mot {klass['a2'].code}"):
        _save(final, klass, [(klass["b1"], "winner")], by=committee["member"], decision=decision)
    with pytest.raises(ValidationError, match=f"Ordföranden har jäv mot {klass['a2'].code}"):
        judging_services.decision_sign(decision=decision, by=committee["chair"])

    conflicted.discard(committee["chair"])
    judging_services.decision_sign(decision=decision, by=committee["chair"])
    decision.refresh_from_db()
    assert set(decision.stepped_out.all()) == {committee["member"]}
    with pytest.raises(ValidationError, match=f"Du har jäv mot {klass['a2'].code}"):
        judging_services.decision_correct(decision=decision, reason="Fel", by=committee["member"])


# --- R14: "no award this year" ----------------------------------------------------------------


def test_no_award_this_year_is_a_valid_decision(
    final, klass, committee, cycle, django_capture_on_commit_callbacks
):
    klass["b1"].unit.contacts.add(factories.UserFactory(email="b1@example.se"))
    decision = _save(final, klass, [], by=committee["member"], no_award=True)
    judging_services.decision_sign(decision=decision, by=committee["chair"])
    decision.refresh_from_db()
    assert decision.status == Decision.Status.SIGNED and decision.no_award
    assert not decision.outcomes.exists() and not PastResult.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert judging_services.decisions_notify(cycle=cycle, on=cycle.feedback_release) == 3
    body = next(m for m in mail.outbox if "b1@example.se" in m.to).body
    assert "Kommittén delar inte ut någon utmärkelse i klassen i år." in body


def test_no_award_may_still_mention(final, klass, committee):
    decision = _save(
        final, klass, [(klass["a2"], "honourable_mention")], by=committee["member"], no_award=True
    )
    judging_services.decision_sign(decision=decision, by=committee["chair"])
    assert PastResult.objects.get(unit=klass["a2"].unit).outcome == "honourable_mention"


def test_no_award_cannot_name_a_winner(final, klass, committee):
    with pytest.raises(ValidationError) as error:
        _save(final, klass, [(klass["b1"], "winner")], by=committee["member"], no_award=True)
    assert "Ett beslut om ingen utmärkelse kan inte ha vinnare." in _msg(error)


def test_a_decision_is_either_an_outcome_or_no_award(final, klass, committee):
    with pytest.raises(ValidationError) as error:
        _save(final, klass, [], by=committee["member"])
    assert "Ange minst en vinnare, eller att ingen utmärkelse delas ut i år." in _msg(error)
    assert not Decision.objects.exists()


# --- The notices promise a report only where one will come -----------------------------------


def test_only_units_with_a_finalised_consensus_are_promised_a_report(
    final, klass, committee, cycle, django_capture_on_commit_callbacks
):
    for key in ("b1", "a1"):
        klass[key].unit.contacts.add(factories.UserFactory(email=f"{key}@example.se"))
    decision = _save(final, klass, [(klass["b1"], "winner")], by=committee["member"])
    judging_services.decision_sign(decision=decision, by=committee["chair"])
    with django_capture_on_commit_callbacks(execute=True):
        judging_services.decisions_notify(cycle=cycle, on=cycle.feedback_release)
    bodies = {key: next(m for m in mail.outbox if f"{key}@example.se" in m.to).body for key in ("b1", "a1")}
    assert "Återföringsrapporten finns att läsa" in bodies["b1"]
    assert "Återföringsrapporten" not in bodies["a1"]
    assert "ingen återföringsrapport" in bodies["a1"]
    assert judging_rules.report_coming(klass["b1"]) and not judging_rules.report_coming(klass["a1"])


# --- R11: a spread exactly at the threshold ---------------------------------------------------


def test_flagged_starts_exactly_at_the_threshold():
    assert rules.flagged(20, 20)
    assert not rules.flagged(19, 20)
    assert not rules.flagged(None, 20)
    assert rules.flagged(0, 0)


def _agree(consensus, leader, note=""):
    for item in consensus.items.all():
        services.consensus_item_save(
            item=item,
            data=services.ItemData(50, ["Enig styrka"], []),
            discussion_note=note,
            base_version=item.version,
            by=leader,
        )


def test_a_spread_exactly_at_the_threshold_needs_a_note(team_world):
    assert team_world["cycle"].discussion_threshold == 20
    submit_all(team_world, scores=[40, 50, 55, 60])  # spread 20: at the threshold
    leader = team_world["leader"]
    consensus = services.consensus_start(application=team_world["application"], by=leader)
    assert all(
        row["flagged"] and row["spread"] == 20 for row in queries.criterion_rows(consensus.application)
    )
    _agree(consensus, leader)
    with pytest.raises(ValidationError) as error:
        services.consensus_finalise(consensus=consensus, by=leader)
    assert "Kriterium 1 har en spridning på 20 procentenheter" in _msg(error)
    _agree(consensus, leader, note="Vi landade i 50.")
    services.consensus_finalise(consensus=consensus, by=leader)


def test_the_committee_flags_what_the_consensus_flags_at_the_threshold(team_world):
    submit_all(team_world, scores=[40, 50, 55, 60])  # spread 20: at the threshold
    application = team_world["application"]
    row = next(
        r
        for g in consolidation.consolidated(application.track)["classes"]
        for r in g["rows"]
        if r.application == application
    )
    assert (
        [flagged for *_cell, flagged in row.cells]
        == [r["flagged"] for r in queries.criterion_rows(application)]
        == [True] * len(row.criteria)
    )


def test_every_flag_is_the_rules(team_world, monkeypatch):
    """The consensus's refusal, its rows (and through them the pages) and the committee's
    consolidated view all ask rules.flagged; a copy elsewhere would not follow this."""
    monkeypatch.setattr(rules, "flagged", lambda spread, threshold: False)
    submit_all(team_world, scores=[40, 50, 55, 60])  # spread 20, which the real rule flags
    application = team_world["application"]
    assert not any(r["flagged"] for r in queries.criterion_rows(application))
    rows = [r for g in consolidation.consolidated(application.track)["classes"] for r in g["rows"]]
    assert not any(flagged for r in rows for *_cell, flagged in r.cells)
    leader = team_world["leader"]
    consensus = services.consensus_start(application=application, by=leader)
    _agree(consensus, leader)
    services.consensus_finalise(consensus=consensus, by=leader)  # no note asked for


def test_a_spread_below_the_threshold_needs_no_note(team_world):
    submit_all(team_world, scores=[45, 50, 55, 60])  # spread 15
    leader = team_world["leader"]
    consensus = services.consensus_start(application=team_world["application"], by=leader)
    _agree(consensus, leader)
    services.consensus_finalise(consensus=consensus, by=leader)


def test_the_threshold_is_the_cycles(team_world):
    cycle = team_world["cycle"]
    cycle.discussion_threshold = 25
    cycle.save(update_fields=["discussion_threshold"])
    submit_all(team_world, scores=[40, 50, 55, 60])  # spread 20: below this cycle's 25
    leader = team_world["leader"]
    consensus = services.consensus_start(application=team_world["application"], by=leader)
    _agree(consensus, leader)
    criteria = consensus.items.values_list("criterion", flat=True)
    assert "spridning på 25" in " ".join(rules.consensus_missing(consensus, dict.fromkeys(criteria, 25)))
    services.consensus_finalise(consensus=consensus, by=leader)


# --- The committee's totals: unequal weights and a rounding tie --------------------------------


def test_weighted_total_weighs_each_criterion_by_its_own_weight():
    # The unweighted mean of (100, 0, 0, 0) is higher than of (0, 0, 0, 50); the weights reverse it.
    assert totals.weighted_total([(100, 100), (100, 0), (100, 0), (700, 0)]) == Decimal("100.0")
    assert totals.weighted_total([(100, 0), (100, 0), (100, 0), (700, 50)]) == Decimal("350.0")
    assert totals.weighted_total([(150, 80), (250, 60), (600, 45)]) == Decimal("540.0")
    assert totals.contribution(233, 5) == Decimal("11.65")
    assert totals.contribution(700, None) == Decimal(0)


def test_weighted_total_rounds_a_half_away_from_zero():
    # 233 × 5 / 100 = 11.65: exactly half a tenth, after an even digit.
    assert totals.weighted_total([(233, 5), (267, 0), (200, 0), (300, 0)]) == Decimal("11.7")
    assert totals.weighted_total([(233, 5), (267, 0), (200, 50), (300, 70)]) == Decimal("321.7")
    assert totals.weighted_total([(233, 15), (767, 0)]) == Decimal("35.0")  # 34.95
    assert totals.weighted_total([]) is None
    assert totals.weighted_total([(500, 50), (500, None)]) is None


def test_spread_is_highest_minus_lowest_of_the_given_scores():
    assert totals.spread([40, 60, 50]) == 20
    assert totals.spread([None, 30, None, 45]) == 15
    assert totals.spread([70]) == 0
    assert totals.spread([None]) is None and totals.spread([]) is None


def _set_weights(track, weights):
    for criterion, weight in zip(track.criteria.order_by("number"), weights, strict=True):
        Criterion.objects.filter(pk=criterion.pk).update(weight=weight)


def _rows(track):
    view = consolidation.consolidated(track)
    return {row.application.pk: row for group in view["classes"] for row in group["rows"]}


def test_the_committee_ranks_by_weighted_totals(quality):
    _set_weights(quality, [100, 100, 100, 700])
    broad = judged(factories.submitted_application(quality))
    results = judged(factories.submitted_application(quality))
    set_consensus_scores(broad, [100, 0, 0, 0])
    set_consensus_scores(results, [0, 0, 0, 50])
    rows = _rows(quality)
    assert (rows[broad.pk].total, rows[results.pk].total) == (Decimal("100.0"), Decimal("350.0"))
    assert (rows[results.pk].rank, rows[broad.pk].rank) == (1, 2)


def test_the_committee_totals_round_half_up_and_tie_on_the_rounded_total(quality):
    _set_weights(quality, [233, 267, 200, 300])
    half = judged(factories.submitted_application(quality))
    whole = judged(factories.submitted_application(quality))
    low = judged(factories.submitted_application(quality))
    set_consensus_scores(half, [5, 0, 50, 70])  # 11.65 + 0 + 100 + 210 = 321.65
    set_consensus_scores(whole, [0, 10, 50, 65])  # 0 + 26.7 + 100 + 195 = 321.7
    set_consensus_scores(low, [0, 0, 0, 0])
    rows = _rows(quality)
    assert rows[half.pk].total == Decimal("321.7")
    assert rows[whole.pk].total == Decimal("321.7")
    # Tied after rounding, so the same rank (competition ranking: 1, 1, 3).
    assert rows[half.pk].rank == rows[whole.pk].rank == 1
    assert rows[low.pk].rank == 3


def test_the_calibrated_total_rounds_as_every_total_does(team_world, quality):
    """An examiner team that scores alike is not recalibrated, so the calibrated total is the
    consensus total: the same rounding (totals.rounded), at a half too. The calibration
    once rounded half to even (321.6)."""
    _set_weights(quality, [233, 267, 200, 300])
    scores = [5, 0, 50, 70]  # 11.65 + 0 + 100 + 210 = 321.65
    submit_all(team_world, scores=[scores] * len(team_world["members"]))
    application = judged(team_world["application"])
    set_consensus_scores(application, scores)
    row = _rows(quality)[application.pk]
    assert row.calibrated == {c.pk: float(s) for c, s in zip(row.criteria, scores, strict=True)}
    assert row.calibrated_total == row.total == Decimal("321.7")


def test_the_total_after_a_visit_keeps_the_unrevised_criteria(quality):
    _set_weights(quality, [233, 267, 200, 300])
    application = judged(factories.submitted_application(quality))
    set_consensus_scores(application, [0, 0, 50, 70], visit_scores={0: 5})  # 310.0, after the visit 321.65
    row = _rows(quality)[application.pk]
    assert row.total == Decimal("310.0")
    assert row.visit_total == Decimal("321.7")
    assert row.final_total == Decimal("321.7")


# --- The decision page shows what cannot be chosen, and why -----------------------------------


def test_the_page_offers_only_what_may_be_given_and_says_why(client, final, klass, committee):
    klass["a2"].award_eligible = False
    klass["a2"].eligibility_note = "Underskott förra året."
    klass["a2"].save(update_fields=["award_eligible", "eligibility_note"])
    url = decision_edit_url(final, klass["track"], klass["b1"].competition_class)
    client.force_login(committee["member"])
    response = client.get(url)
    page = response.content.decode()
    choices = {
        key: [value for value, _label in response.context["form"].fields[f"outcome_{klass[key].pk}"].choices]
        for key in ("a1", "a2", "b1")
    }
    assert choices == {
        "a1": [""],
        "a2": ["", "honourable_mention"],
        "b1": ["", "winner", "honourable_mention"],
    }
    assert f"{klass['a1'].code} kan inte bli vinnare eller få hedersomnämnande" in page
    assert "Kan inte väljas" in page and "Kan inte vinna" in page

    response = client.post(
        url,
        {"rationale": "Skäl", f"outcome_{klass['a1'].pk}": "winner", f"citation_{klass['a1'].pk}": "Bäst"},
    )
    assert not Decision.objects.exists()
    assert f"outcome_{klass['a1'].pk}" in response.context["form"].errors


def test_a_saved_outcome_now_refused_is_shown_and_refused_with_the_reason(
    client, final, klass, committee, slk
):
    decision = _save(final, klass, [(klass["b1"], "winner")], by=committee["member"])
    _visit(klass["b1"], by=slk, done=False)
    url = decision_edit_url(final, klass["track"], klass["b1"].competition_class)
    client.force_login(committee["member"])
    response = client.get(url)
    name = f"outcome_{klass['b1'].pk}"
    assert response.context["form"][name].value() == "winner"  # still shown as saved
    response = client.post(
        url,
        {
            "rationale": "Skäl",
            "version": str(decision.version),
            name: "winner",
            f"citation_{klass['b1'].pk}": "Bäst",
        },
    )
    assert "besöket är inte genomfört" in response.context["form"].errors[name][0]
    decision.refresh_from_db()
    assert decision.version == 1


def test_the_signature_page_says_why_it_cannot_be_signed(client, final, klass, committee, slk):
    decision = _save(final, klass, [(klass["b1"], "winner")], by=committee["member"])
    _visit(klass["b1"], by=slk, done=False)
    client.force_login(committee["chair"])
    page = client.get(reverse("judging:decision_sign", args=[decision.pk])).content.decode()
    assert "besöket är inte genomfört" in page
    assert "Ja, signera beslutet" not in page


def test_a_correction_may_name_the_same_winner_again(final, klass, committee, cycle):
    """Signing wrote this year's result for the winner; that result is not a recent win
    in the way of a correction that keeps the winner (R6 looks at earlier cycles only)."""
    decision = _save(final, klass, [(klass["b1"], "winner")], by=committee["member"])
    judging_services.decision_sign(decision=decision, by=committee["chair"])
    correction = judging_services.decision_correct(
        decision=decision, reason="Citatet rättas", by=committee["chair"]
    )
    correction = _save(final, klass, [(klass["b1"], "winner")], by=committee["chair"], decision=correction)
    judging_services.decision_sign(decision=correction, by=committee["chair"])
    assert PastResult.objects.get(unit=klass["b1"].unit, year=cycle.year).outcome == "winner"
