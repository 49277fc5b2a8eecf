"""Demo data for the judging committee and the evaluation, on top of demo.scoring.

Last year's cycle is complete: the committee met twice (demo.scoring records the first
meeting, which chose the two site visits; here, the final one, which decided), every class of the
quality award and the Förnyelsepriset track has a signed decision, SLK has recorded the
units' consent to publish good examples, the decisions were announced on the feedback
release date, and the questionnaires to the units and the examiners have been answered
by most of their recipients.

This year's cycle is in individual assessment: one committee member has declared a
conflict, and the teams whose members have all submitted have finalised the consensus of
the applications they had not started on, so the committee's consolidated view already
has totals. The two consensus discussions demo.scoring started stay open.

Winners and honourable mentions follow the consolidated view's ranking within each class:
the highest-ranked application that may win (judging_rules.winner_refusal) wins if it reaches
WINNER_LEVEL; the next eligible ones at MENTION_LEVEL or above get an honourable mention.
With demo.scoring's levels this reproduces the past results demo.award records for last
year, so the award seed and the signed decisions agree.

Every change goes through the judging, evaluation and scoring services, each at its
moment on the demo.clock. The mail the services send after commit (the decisions, the
questionnaire links) is not sent: those messages belong to last year, and a demo seed
mails nobody. Each part is only seeded while it does not exist, so a second run writes
nothing. The texts come from demo/data/judging.json; random choices from fixed seeds.
"""

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Max

from award.models import STOCKHOLM, AwardCycle, CommitteeMembership, Phase, Track, Unit
from demo import award as award_demo
from demo import scoring as scoring_demo
from demo import submissions as submissions_demo
from demo import texts
from demo.clock import stockholm
from evaluation import services as evaluation_services
from evaluation.models import Questionnaire
from evaluation.report import questionnaire_recipients
from examiners.models import Team
from judging import rules as judging_rules
from judging import services as judging_services
from judging.consolidation import consolidated
from judging.models import CommitteeConflict, Decision, DecisionOutcome, Meeting
from scoring import services
from scoring.models import Assessment, AssessmentItem, Consensus
from submissions.models import Application

SEED = award_demo.SEED
WINNER = DecisionOutcome.Outcome.WINNER
HONOURABLE_MENTION = DecisionOutcome.Outcome.HONOURABLE_MENTION

# Points of 1000 (after any site visit) the committee asks of a winner and of an
# honourable mention.
WINNER_LEVEL = Decimal(650)
MENTION_LEVEL = Decimal(575)
MENTIONS_PER_CLASS = 2

# Share of each questionnaire's recipients who answer.
ANSWER_SHARE = 0.7

_DATA = texts.load("judging")

# (judge's username, unit, reason): conflicts the committee declared, per cycle.
PREVIOUS_CONFLICTS = [(c["judge"], c["unit"], c["reason"]) for c in _DATA["conflicts"]["previous"]]
CURRENT_CONFLICTS = [(c["judge"], c["unit"], c["reason"]) for c in _DATA["conflicts"]["current"]]

# --- Texts (demo/data/judging.json) -----------------------------------------------------------

# The committee's citations for last year's winners and honourable mentions, by unit.
CITATIONS = _DATA["citations"]
# For a unit without a citation of its own: in its own words (demo.scoring._words).
CITATION_TEMPLATES = {Track.Kind(kind): text for kind, text in _DATA["citation_templates"].items()}

# What the unit agreed to publish among the good examples, by unit; a unit listed in
# WITHOUT_CONSENT has a summary drafted but has not (yet) agreed.
GOOD_EXAMPLES = _DATA["good_examples"]
WITHOUT_CONSENT = set(_DATA["without_consent"])
GOOD_EXAMPLE_TEMPLATE = _DATA["good_example_template"]

FINAL_NOTES = _DATA["meeting_notes"]["final"]
CONFLICT_NOTE = _DATA["meeting_notes"]["conflict"]

RATIONALE_WINNER = _DATA["rationale"]["winner"]
RATIONALE_BELOW_LEVEL = _DATA["rationale"]["below_level"]
RATIONALE_NONE_ELIGIBLE = _DATA["rationale"]["none_eligible"]
RATIONALE_EMPTY = _DATA["rationale"]["empty"]
RATIONALE_MENTIONS = _DATA["rationale"]["mentions"]

# --- Questionnaire answers -------------------------------------------------------------------

APPLICANT_CHANGES = _DATA["questionnaire_answers"]["applicant_changes"]
APPLICANT_OTHER = _DATA["questionnaire_answers"]["applicant_other"]
EXAMINER_CHANGES = _DATA["questionnaire_answers"]["examiner_changes"]


# --- Helpers -------------------------------------------------------------------------------


def _users(data) -> dict:
    return {u.username: u for u in [data["users"]["slk"], *data["users"]["judges"]]}


def _chair(cycle):
    return CommitteeMembership.objects.select_related("user").get(cycle=cycle, is_chair=True).user


def _entries(cycle, today):
    return submissions_demo.CURRENT_ENTRIES if cycle.year == today.year else submissions_demo.PREVIOUS_ENTRIES


def _declare_conflicts(cycle, conflicts, *, data, at, clock) -> None:
    judges = _users(data)
    for n, (username, unit_name, reason) in enumerate(conflicts):
        member, unit = judges[username], Unit.objects.get(name=unit_name)
        if CommitteeConflict.objects.filter(cycle=cycle, member=member, unit=unit).exists():
            continue
        clock.run(
            at + dt.timedelta(minutes=10 * n),
            judging_services.committee_conflict_declare,
            cycle=cycle,
            member=member,
            target=unit,
            reason=reason,
            by=member,
        )


# --- Last year: meetings and decisions -----------------------------------------------------


def _candidates(track):
    """Per competition class (None for Förnyelsepriset), the consolidated rows ranked."""
    rows = [row for group in consolidated(track)["classes"] for row in group["rows"]]
    if not track.has_classes:
        return [(None, rows)]
    return [
        (c, [r for r in rows if r.application.competition_class_id == c.pk])
        for c in track.classes.order_by("order", "name")
    ]


def _citation(application, today) -> str:
    if application.unit.name in CITATIONS:
        return CITATIONS[application.unit.name]
    words = scoring_demo._words(application, _entries(application.track.cycle, today))
    return scoring_demo._text(CITATION_TEMPLATES[application.track.kind], words)


def _choose(rows):
    """(winner row or None, honourable mention rows, refusals) by rank."""
    scored = [r for r in rows if r.final_total is not None]
    refusals = {r.application.pk: judging_rules.winner_refusal(r.application) for r in scored}
    may_win = [r for r in scored if not refusals[r.application.pk]]
    winner = may_win[0] if may_win and may_win[0].final_total >= WINNER_LEVEL else None
    mentions = [r for r in may_win if r is not winner and r.final_total >= MENTION_LEVEL][:MENTIONS_PER_CLASS]
    return winner, mentions, [refusals[r.application.pk] for r in scored if refusals[r.application.pk]]


def _rationale(track, rows, winner, mentions, refusals) -> str:
    scope = "klassen" if track.has_classes else track.name
    if winner is not None:
        visit = " efter platsbesöket" if winner.visit_total is not None else ""
        text = RATIONALE_WINNER.format(
            unit=winner.application.unit.name,
            scope=scope,
            total=f"{winner.final_total.normalize():f}".replace(".", ","),
            visit=visit,
        )
    elif not rows:
        text = RATIONALE_EMPTY.format(scope=scope)
    elif len(refusals) == len([r for r in rows if r.final_total is not None]):
        reasons = " ".join(f"{r.application.unit.name}: {' '.join(r.marks)}" for r in rows if r.marks)
        text = RATIONALE_NONE_ELIGIBLE.format(reasons=reasons, scope=scope)
    else:
        entries = "Klassens bidrag" if track.has_classes else "Årets bidrag"
        text = RATIONALE_BELOW_LEVEL.format(entries=entries, level=WINNER_LEVEL, scope=scope)
    if mentions:
        text += RATIONALE_MENTIONS.format(units=" och ".join(r.application.unit.name for r in mentions))
    return text


def _scopes(cycle):
    """(track, competition class or None, its consolidated rows ranked): one decision each,
    in the order the committee takes them."""
    return [
        (track, competition_class, rows)
        for track in cycle.tracks.order_by("kind")
        for competition_class, rows in _candidates(track)
    ]


def _conflict_notes(cycle, scopes) -> str:
    """Who will step out of which decision, as decision_sign records it: a member whose
    conflict covers a submitted application of the decision's class (or track)."""
    notes = []
    for conflict in CommitteeConflict.objects.filter(cycle=cycle).select_related(
        "member", "unit", "organisation"
    ):
        for track, competition_class, _rows in scopes:
            candidates = Application.objects.filter(track=track, status=Application.Status.SUBMITTED)
            if competition_class is not None:
                candidates = candidates.filter(competition_class=competition_class)
            if any(conflict.covers(a) for a in candidates.select_related("unit")):
                notes.append(
                    CONFLICT_NOTE.format(
                        member=conflict.member.get_full_name() or conflict.member.username,
                        unit=conflict.unit or conflict.organisation,
                        scope=f"klassen {competition_class.name}" if competition_class else track.name,
                    )
                )
    return "".join(notes)


def seed_previous_committee(cycle, *, data, clock) -> None:
    """The final meeting, the signed decisions, the good examples and the announcement
    (the first meeting, which chose the site visits, is demo.scoring's)."""
    today = clock.today
    slk = data["users"]["slk"]
    chair = _chair(cycle)
    present = [m.user for m in CommitteeMembership.objects.filter(cycle=cycle).select_related("user")]
    _declare_conflicts(
        cycle, PREVIOUS_CONFLICTS, data=data, at=stockholm(cycle.consensus_deadline, 10), clock=clock
    )

    day = cycle.final_committee_meeting
    scopes = _scopes(cycle)
    # Recorded as the meeting began, so the decisions can refer to it; its notes say who
    # stepped out of which decision.
    final = clock.run(
        stockholm(day, 12, 55),
        judging_services.meeting_record,
        cycle=cycle,
        kind=Meeting.Kind.FINAL,
        date=day,
        present=present,
        notes=FINAL_NOTES + _conflict_notes(cycle, scopes),
        by=slk,
    )
    decisions = []
    for n, (track, competition_class, rows) in enumerate(scopes):
        winner, mentions, refusals = _choose(rows)
        outcomes = [judging_services.OutcomeData(winner.application, WINNER, "")] if winner else []
        outcomes += [judging_services.OutcomeData(r.application, HONOURABLE_MENTION, "") for r in mentions]
        for outcome in outcomes:
            outcome.citation = _citation(outcome.application, today)
        decision = clock.run(
            stockholm(day, 13, 10 * n),
            judging_services.decision_save,
            meeting=final,
            track=track,
            competition_class=competition_class,
            no_award=winner is None,
            rationale=_rationale(track, rows, winner, mentions, refusals),
            outcomes=outcomes,
            by=chair,
        )
        decisions.append(
            clock.run(stockholm(day, 15, 5 * n), judging_services.decision_sign, decision=decision, by=chair)
        )

    # After the ceremony SLK asks the units for their consent to publish a summary.
    consent_day = cycle.ceremony_date + dt.timedelta(days=3)
    outcomes = DecisionOutcome.objects.filter(decision__in=decisions).select_related(
        "application__unit", "application__track__cycle", "decision"
    )
    for n, outcome in enumerate(outcomes.order_by("outcome", "application__code")):
        application = outcome.application
        summary = GOOD_EXAMPLES.get(application.unit.name) or scoring_demo._text(
            GOOD_EXAMPLE_TEMPLATE, scoring_demo._words(application, _entries(cycle, today))
        )
        clock.run(
            stockholm(consent_day + dt.timedelta(days=n % 3), 10, 15 * n % 60),
            judging_services.good_example_save,
            outcome=outcome,
            summary=summary,
            consented=application.unit.name not in WITHOUT_CONSENT,
            by=slk,
        )

    # Last year's announcements are history: the demo seed mails nobody.
    clock.run(
        stockholm(cycle.feedback_release, 8),
        judging_services.decisions_notify,
        cycle=cycle,
        by=slk,
        notify=False,
    )


# --- Last year: the questionnaires ---------------------------------------------------------


def _applicant_answers(user, cycle, rng) -> dict:
    outcome = (
        DecisionOutcome.objects.signed()
        .filter(application__unit__contacts=user, application__track__cycle=cycle)
        .exists()
    )
    answers = {
        "criteria_clarity": rng.choice([3, 4, 4, 5]),
        "feedback_usefulness": rng.choice([4, 5, 5]) if outcome else rng.choice([2, 3, 4, 4, 5]),
        "workload": rng.choice([2, 3, 3, 4]),
    }
    if rng.random() < 0.6:
        answers["change"] = rng.choice(APPLICANT_CHANGES)
    if rng.random() < 0.4:
        answers["other"] = rng.choice(APPLICANT_OTHER)
    return answers


def _examiner_answers(user, cycle, rng) -> dict:
    answers = {
        "criteria_clarity": rng.choice([3, 4, 4, 5]),
        "training_usefulness": rng.choice([3, 4, 5, 5]),
        "workload_hours": rng.choice([2, 3, 3, 4]),
        "team_work": rng.choice([2, 4, 4, 5, 5]),
    }
    if rng.random() < 0.7:
        answers["change"] = rng.choice(EXAMINER_CHANGES)
    return answers


ANSWERS = {
    Questionnaire.Audience.APPLICANTS: _applicant_answers,
    Questionnaire.Audience.EXAMINERS: _examiner_answers,
}


def seed_previous_questionnaires(cycle, *, data, clock) -> None:
    """A week after the feedback release SLK sent both questionnaires; most answered within
    three weeks."""
    slk = data["users"]["slk"]
    sent_day = cycle.feedback_release + dt.timedelta(days=7)
    for n, audience in enumerate(Questionnaire.Audience.values):
        if Questionnaire.objects.filter(cycle=cycle, audience=audience).exists():
            continue
        rng = random.Random(f"{SEED}-questionnaire-{cycle.year}-{audience}")  # noqa: S311  (demo data)
        questionnaire = clock.run(
            stockholm(sent_day, 9, 30 * n),
            evaluation_services.questionnaire_send,
            cycle=cycle,
            audience=audience,
            by=slk,
            notify=False,
        )
        recipients = list(questionnaire_recipients(cycle=cycle, audience=audience))
        answering = rng.sample(recipients, round(len(recipients) * ANSWER_SHARE))
        for user in sorted(answering, key=lambda u: u.pk):
            answers = ANSWERS[audience](user, cycle, rng)
            at = scoring_demo._moment(sent_day + dt.timedelta(days=rng.randint(0, 20)), rng, latest=21)
            clock.run(
                at,
                evaluation_services.questionnaire_answer,
                questionnaire=questionnaire,
                respondent=user,
                answers=answers,
                by=user,
            )


# --- This year: consensus for the consolidated view ------------------------------------------


def _everyone_submitted(application, members) -> bool:
    submitted = Assessment.objects.filter(application=application, status=Assessment.Status.SUBMITTED)
    return submitted.filter(member__in=members).count() == len(members)


def seed_current_consensus(cycle, *, clock) -> None:
    """The teams whose members have all submitted agree on the applications whose consensus
    has not started, and finalise it the day after; the consolidated view gets its totals."""
    teams = Team.objects.filter(cycle=cycle, status=Team.Status.CONFIRMED).order_by("name")
    for team in teams:
        members = scoring_demo._team_members(team)
        leader = members[0].profile.user
        for assignment in team.assignments.select_related("application__unit", "application__track").order_by(
            "application__code"
        ):
            application = assignment.application
            if Consensus.objects.filter(application=application).exists() or not _everyone_submitted(
                application, members
            ):
                continue
            rng = random.Random(f"{SEED}-committee-{cycle.year}-{application.code}")  # noqa: S311  (demo data)
            given = {}
            for item in AssessmentItem.objects.filter(
                assessment__application=application, assessment__status=Assessment.Status.SUBMITTED
            ).order_by("assessment__member_id", "criterion__number"):
                given.setdefault(item.criterion_id, []).append((item.strengths, item.improvements))
            # The team met two days after the last submission (demo.scoring's submissions end
            # at least three days before today).
            last = Assessment.objects.filter(application=application).aggregate(last=Max("submitted_at"))[
                "last"
            ]
            day = min(
                last.astimezone(STOCKHOLM).date() + dt.timedelta(days=2), clock.today - dt.timedelta(days=1)
            )
            started = scoring_demo._moment(day, rng, earliest=9, latest=9)
            consensus = clock.run(started, services.consensus_start, application=application, by=leader)
            scoring_demo._consensus_items(
                application,
                consensus,
                given=given,
                words=scoring_demo._words(application, _entries(cycle, clock.today)),
                clock=clock,
                by=leader,
                start=started + dt.timedelta(minutes=15),
                rng=rng,
            )
            final_at = scoring_demo._moment(day, rng, earliest=15, latest=16)
            clock.run(final_at, services.consensus_finalise, consensus=consensus, by=leader)


# --- Summary ---------------------------------------------------------------------------------


def _counted(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def _cycle_parts(cycle) -> list[str]:
    parts = []
    conflicts = CommitteeConflict.objects.filter(cycle=cycle).count()
    if conflicts:
        parts.append(_counted(conflicts, "anmält jäv", "anmälda jäv"))
    meetings = Meeting.objects.filter(cycle=cycle).count()
    if meetings:
        parts.append(_counted(meetings, "domarmöte", "domarmöten"))
    signed = Decision.objects.filter(meeting__cycle=cycle, status=Decision.Status.SIGNED)
    if signed.exists():
        outcomes = DecisionOutcome.objects.filter(decision__in=signed)
        parts.append(
            f"{_counted(signed.count(), 'signerat beslut', 'signerade beslut')} "
            f"({_counted(outcomes.filter(outcome=WINNER).count(), 'vinnare', 'vinnare')}, "
            f"{_counted(outcomes.filter(outcome=HONOURABLE_MENTION).count(), 'hedersomnämnande', 'hedersomnämnanden')}, "
            f"{signed.filter(no_award=True).count()} utan utmärkelse)"
        )
        consented = outcomes.filter(unit_consented=True).count()
        parts.append(_counted(consented, "gott exempel publicerat", "goda exempel publicerade"))
    for questionnaire in Questionnaire.objects.filter(cycle=cycle).order_by("audience"):
        recipients = questionnaire_recipients(cycle=cycle, audience=questionnaire.audience).count()
        parts.append(
            f"enkäten till {str(questionnaire.get_audience_display()).lower()} besvarad av "
            f"{questionnaire.responses.count()} av {recipients}"
        )
    return parts or ["inget ännu"]


def summary_line(cycles) -> str:
    return "Domarkommittén " + "; ".join(f"{c.year}: {', '.join(_cycle_parts(c))}" for c in cycles) + "."


# --- Entry point -----------------------------------------------------------------------------


def _scored(cycle) -> bool:
    """Every submitted application of the cycle has a final consensus (demo.scoring's history)."""
    submitted = Application.objects.filter(track__cycle=cycle, status=Application.Status.SUBMITTED)
    return submitted.exists() and not submitted.exclude(consensus__status=Consensus.Status.FINAL).exists()


def seed(data, *, clock) -> list[str]:
    """Add the committee's work and the evaluation to the demo city (after demo.scoring);
    returns the summary lines."""
    today = clock.today
    cycles: dict[int, AwardCycle] = data["cycles"]
    current = cycles[today.year]
    previous = cycles.get(today.year - 1)
    if previous is not None and previous.phase_on(today) == Phase.FEEDBACK and _scored(previous):
        if not Meeting.objects.filter(cycle=previous, kind=Meeting.Kind.FINAL).exists():
            seed_previous_committee(previous, data=data, clock=clock)
        seed_previous_questionnaires(previous, data=data, clock=clock)
    if current.phase_on(today) == Phase.ASSESSMENT:
        if not CommitteeConflict.objects.filter(cycle=current).exists():
            _declare_conflicts(
                current,
                CURRENT_CONFLICTS,
                data=data,
                at=stockholm(current.application_deadline + dt.timedelta(days=2), 11),
                clock=clock,
            )
        seed_current_consensus(current, clock=clock)
    return [summary_line([c for c in (current, previous) if c is not None])]
