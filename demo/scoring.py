"""Demo scoring for the demo city of demo.award: individual assessments, consensus, site
visits and feedback reports for the applications of demo.submissions, assessed by the
teams of demo.examiners.

This year's cycle is in individual assessment: some teams have all submitted, some are
writing drafts, a few have not started, and two consensus discussions have begun (one
with flagged spreads and the team's notes, one started by SLK before everyone had
submitted). Last year's cycle is complete history: every assessment submitted, every
consensus finalised, two site visits with revised scores, and the feedback reports
written, approved by SLK and released to the units.

Last year's cycle has no teams from demo.examiners, so this module confirms them through
the examiners services (proposal, confirmation, opening). Its one new examiner needs the
basic training to be qualified, so last year gets a basic training with attendance, also
through the services. The site visits need the committee's first meeting, which chose
them: it is recorded here, through the judging services.

Every state change goes through scoring.services (and the examiners and judging
services), each at its moment on the demo.clock, so permissions, versions, timestamps and
audit entries are what production gives. Opening an application (and answering the
conflict question) is the first step of assessment, so this module takes it for this
year's teams too. A cycle's scoring is only seeded while it has no assessments, so a
second run writes nothing. The comments come from demo/data/scoring.json; random choices
come from fixed seeds.
"""

import datetime as dt
import functools
import random
import statistics
from collections import Counter
from decimal import Decimal

from award.models import Phase
from demo import award as award_demo
from demo import examiners as examiners_demo
from demo import submissions as submissions_demo
from demo import texts
from demo.clock import stockholm
from examiners import services as examiner_services
from examiners.models import ApplicationOpening, PoolMember, Team, TrainingSession
from judging import services as judging_services
from judging.models import Meeting
from scoring import queries, services
from scoring.models import Assessment, Consensus, FeedbackReport, SiteVisit
from submissions.models import Application

SEED = award_demo.SEED

# --- Sentence banks (demo/data/scoring.json) --------------------------------------------

_DATA = texts.load("scoring")

# Strengths and areas for improvement per criterion, in the unit's own words
# (demo.submissions.WORDS for its kind of work; Förnyelsepriset adds its innovation).
COMMENTS = {title: (c["strengths"], c["improvements"]) for title, c in _DATA["comments"].items()}
GENERIC_COMMENTS = (_DATA["generic_comments"]["strengths"], _DATA["generic_comments"]["improvements"])
# The team's conclusion on a criterion whose individual scores differed a lot.
DISCUSSION_NOTES = _DATA["discussion_notes"]
# Notes the leader sometimes writes although the spread was small.
PLAIN_NOTES = _DATA["plain_notes"]
OVERRIDE_REASON = _DATA["override_reason"]
VISIT_FINDINGS = _DATA["visit_findings"]
# Why a visit moved a score, by the direction it moved.
VISIT_REASONS = _DATA["visit_reasons"]
REPORT_SUMMARY = _DATA["report_summary"]


# --- Plans -------------------------------------------------------------------------------

# Last year's level per unit, consistent with demo.award's past results: the winners and
# honourable mentions lead their tracks. Others get a level from the seeded generator.
PREVIOUS_LEVELS = _DATA["previous_levels"]
# Last year's two site visits, the winner and an honourable mention of the quality award,
# and how the visit changed their scores: (criterion number, change, reason kind).
PREVIOUS_VISITS = {
    unit: [(v["criterion"], v["change"], v["kind"]) for v in visits]
    for unit, visits in _DATA["previous_visits"].items()
}
# This year's teams, by their order: how far each has come with its applications.
CONSENSUS_NOTES = "consensus_notes"  # everyone submitted, consensus started with flagged notes
CONSENSUS_OVERRIDE = "consensus_override"  # SLK started consensus before the last had submitted
SUBMITTED = "submitted"  # everyone (even the last member, who opens it now) submitted
MIXED = "mixed"  # some submitted, the others writing
DRAFTS = "drafts"  # everyone who opened it is writing
NOT_STARTED = "not_started"  # opened, nothing written yet
CURRENT_STAGES = [
    CONSENSUS_NOTES,
    SUBMITTED,
    MIXED,
    DRAFTS,
    MIXED,
    DRAFTS,
    NOT_STARTED,
    CONSENSUS_OVERRIDE,
    MIXED,
    NOT_STARTED,
]


def _round(value: float, step: int) -> int:
    return int(min(100, max(0, step * round(value / step))))


def _work_of(unit) -> int:
    return next(spec.work for spec in award_demo.UNITS if spec.name == unit.name)


def _words(application, entries) -> dict:
    """The unit's words for the comments: its kind of work, and for Förnyelsepriset what
    it renewed."""
    words = {k: v for k, v in submissions_demo.WORDS[_work_of(application.unit)].items() if k != "antal"}
    words["enheten"] = application.unit.name
    spec = next(
        (e for e in entries if e.unit == application.unit.name and e.track == application.track.kind), None
    )
    if spec is not None and spec.innovation:
        innovation = submissions_demo.INNOVATIONS[spec.innovation]
        words["namn"] = innovation["namn"]
        words["malgrupp"] = innovation["malgrupp"]
    else:
        words.setdefault("namn", "förnyelsen")
        words.setdefault("malgrupp", words["brukarna"])
    return words


class _Words(dict):
    """Capitalised placeholders ({Enheten}) give the word with a capital first letter."""

    def __missing__(self, key):
        lower = key[:1].lower() + key[1:]
        if lower in self:
            value = self[lower]
            return value[:1].upper() + value[1:]
        raise KeyError(key)


def _text(template: str, words: dict) -> str:
    text = template.format_map(_Words(words))
    return text[:1].upper() + text[1:]


def _counts(score: int, rng: random.Random) -> tuple[int, int]:
    """How many strengths and areas for improvement, 3–5 sentences in all."""
    if score >= 60:
        return rng.choice([(3, 1), (3, 2), (2, 1)])
    if score >= 40:
        return rng.choice([(2, 1), (2, 2), (3, 2)])
    return rng.choice([(1, 2), (1, 3), (2, 2)])


def _comments(criterion, score, words, rng) -> tuple[list[str], list[str]]:
    strengths, improvements = COMMENTS.get(criterion.title, GENERIC_COMMENTS)
    n_strengths, n_improvements = _counts(score, rng)
    return (
        [_text(t, words) for t in rng.sample(strengths, min(n_strengths, len(strengths)))],
        [_text(t, words) for t in rng.sample(improvements, min(n_improvements, len(improvements)))],
    )


def _plan_scores(criteria, members, *, level: int, step: int, threshold: int, flagged: set, rng) -> dict:
    """(member pk, criterion pk) -> score: close together, except one examiner far off on
    the `flagged` criterion numbers."""
    leniency = {m.pk: rng.choice([[-5, -5, 0], [-5, 0, 5], [0, 5, 5]]) for m in members}
    scores = {}
    for criterion in criteria:
        centre = min(90, max(15, level + rng.choice([-10, -5, 0, 0, 5, 10])))
        for member in members:
            scores[member.pk, criterion.pk] = _round(centre + rng.choice(leniency[member.pk]), step)
        if criterion.number in flagged and len(members) > 1:
            outlier = rng.choice(members)
            others = [scores[m.pk, criterion.pk] for m in members if m.pk != outlier.pk]
            gap = threshold + rng.choice([0, step])
            high, low = max(others) + gap, min(others) - gap
            value = high if (rng.random() < 0.5 and high <= 95) or low < 5 else low
            scores[outlier.pk, criterion.pk] = _round(value, step) if 0 <= value <= 100 else max(others)
    return scores


# --- Time ----------------------------------------------------------------------------------


def _moment(day: dt.date, rng: random.Random, *, earliest: int = 8, latest: int = 17) -> dt.datetime:
    """A moment of `day` in whole five minutes, between `earliest` and `latest` o'clock."""
    return stockholm(day, rng.randint(earliest, latest), rng.choice(range(0, 60, 5)))


# --- Individual assessments -----------------------------------------------------------------


def _team_members(team) -> list[PoolMember]:
    """Leader first, then the others as demo.examiners orders them."""
    return [
        tm.member
        for tm in team.members.select_related("member__profile__user", "member__cycle").order_by(
            "-is_leader", "pk"
        )
    ]


def _assess(application, member, *, scores, words, criteria, upto, submit, start, end, clock, rng):
    """One examiner fills `upto` criteria between `start` and `end`, records the hours and
    submits when `submit`. Returns, per criterion, the comments given."""
    user = member.profile.user
    assessment = clock.run(start, services.assessment_for, application=application, by=user)
    items = {i.criterion_id: i for i in assessment.items.all()}
    given = {}
    span = max(int((end - start).total_seconds() // 60), len(criteria))
    for n, criterion in enumerate(criteria[:upto]):
        item = items[criterion.pk]
        score = scores[member.pk, criterion.pk]
        strengths, improvements = _comments(criterion, score, words, rng)
        given[criterion.pk] = (strengths, improvements)
        at = start + dt.timedelta(minutes=span * n // max(len(criteria), 1))
        clock.run(
            at,
            services.assessment_item_save,
            item=item,
            data=services.ItemData(score=score, strengths=strengths, improvements=improvements),
            base_version=item.version,
            by=user,
        )
    if submit:  # the time spent is recorded with the finished assessment
        hours = Decimal(rng.randrange(16, 41)) / 2  # 8–20 hours, in half hours
        clock.run(end, services.hours_record, assessment=assessment, hours=hours, by=user)
        clock.run(end, services.assessment_submit, assessment=assessment, by=user)
    return given


def _open(team_member: PoolMember, application, at: dt.datetime, *, clock) -> None:
    """The examiner opens the application, saying they have no conflict."""
    if not ApplicationOpening.objects.filter(member=team_member, application=application).exists():
        clock.run(
            at,
            examiner_services.application_open,
            member=team_member,
            application=application,
            by=team_member.profile.user,
        )


# --- Consensus ---------------------------------------------------------------------------


def _consensus_texts(criterion, score, given: list, words, rng) -> tuple[list[str], list[str]]:
    """The team's agreed comments: those most examiners wrote, as many as the score calls for."""
    n_strengths, n_improvements = _counts(score, rng)
    strengths = Counter(text for s, _i in given for text in s)
    improvements = Counter(text for _s, i in given for text in i)
    pick = lambda counter, n: [t for t, _c in sorted(counter.items(), key=lambda x: (-x[1], x[0]))[:n]]  # noqa: E731
    chosen = pick(strengths, n_strengths), pick(improvements, n_improvements)
    if not chosen[0] and not chosen[1]:
        return _comments(criterion, score, words, rng)
    return chosen


def _consensus_items(application, consensus, *, given, words, clock, by, start, rng, only=None):
    """The leader saves the agreed score and comments per criterion, with the discussion's
    conclusion on every flagged criterion. Returns the number of flagged criteria."""
    rows = {row["criterion"].pk: row for row in queries.criterion_rows(application)}
    step = application.track.cycle.scale.step
    notes = rng.sample(DISCUSSION_NOTES, len(DISCUSSION_NOTES))  # a different note per criterion
    flagged = 0
    for n, item in enumerate(consensus.items.select_related("criterion").order_by("criterion__number")):
        if only is not None and n >= only:
            break
        row = rows[item.criterion_id]
        scores = [i.score for i in row["items"] if i.score is not None]
        score = _round(statistics.median(scores), step)
        strengths, improvements = _consensus_texts(
            item.criterion, score, given.get(item.criterion_id, []), words, rng
        )
        note = ""
        if row["flagged"]:
            flagged += 1
            template = notes[(flagged - 1) % len(notes)]
            note = _text(template, {**words, "low": min(scores), "high": max(scores), "score": score})
        elif rng.random() < 0.15:
            note = rng.choice(PLAIN_NOTES)
        clock.run(
            start + dt.timedelta(minutes=20 * n),
            services.consensus_item_save,
            item=item,
            data=services.ItemData(score=score, strengths=strengths, improvements=improvements),
            discussion_note=note,
            base_version=item.version,
            by=by,
        )
    return flagged


# --- This year ---------------------------------------------------------------------------


def _flagged_numbers(criteria, rng, *, share: float) -> set:
    if rng.random() >= share:
        return set()
    return set(rng.sample([c.number for c in criteria], rng.choice([1, 1, 2])))


def seed_current(cycle, *, data, clock) -> None:
    slk = data["users"]["slk"]
    step, threshold = cycle.scale.step, cycle.discussion_threshold
    deadline = cycle.application_deadline
    last_day = max(clock.today - dt.timedelta(days=1), deadline + dt.timedelta(days=4))
    teams = list(Team.objects.filter(cycle=cycle, status=Team.Status.CONFIRMED).order_by("name"))
    for index, team in enumerate(teams):
        stage = CURRENT_STAGES[index % len(CURRENT_STAGES)]
        members = _team_members(team)
        applications = [
            a.application for a in team.assignments.select_related("application__unit", "application__track")
        ]
        for number, application in enumerate(applications):
            rng = random.Random(f"{SEED}-scoring-{cycle.year}-{application.code}")  # noqa: S311  (demo data)
            criteria = list(application.track.criteria.order_by("number"))
            words = _words(application, submissions_demo.CURRENT_ENTRIES)
            consensus_here = stage in (CONSENSUS_NOTES, CONSENSUS_OVERRIDE) and number == 0
            flagged = (
                {criteria[1].number, criteria[3].number}
                if stage == CONSENSUS_NOTES and number == 0
                else _flagged_numbers(criteria, rng, share=0.5)
            )
            scores = _plan_scores(
                criteria,
                members,
                level=rng.randint(35, 65),
                step=step,
                threshold=threshold,
                flagged=flagged,
                rng=rng,
            )
            # Every member but the last opened the application in the first days after the
            # deadline, saying they have no conflict; the last has still to answer that
            # question, except in the teams that have all submitted, where they opened it a
            # few days later.
            opened = {member.pk for member in members[:-1]}
            for member in members:
                if member.pk in opened:
                    at = _moment(deadline + dt.timedelta(days=rng.randint(1, 3)), rng)
                    _open(member, application, at, clock=clock)
            everyone = stage in (CONSENSUS_NOTES, SUBMITTED)
            if everyone:
                for member in members:
                    if member.pk not in opened:
                        at = _moment(deadline + dt.timedelta(days=rng.randint(4, 7)), rng)
                        _open(member, application, at, clock=clock)
                        opened.add(member.pk)
            given = {}
            for position, member in enumerate(members):
                if member.pk not in opened or stage == NOT_STARTED:
                    continue
                if stage in (CONSENSUS_NOTES, SUBMITTED, CONSENSUS_OVERRIDE):
                    submit, upto = True, len(criteria)
                elif stage == MIXED:
                    submit = position % 2 == 0
                    upto = len(criteria) if submit else rng.randint(2, len(criteria) - 1)
                else:  # drafts
                    submit, upto = False, rng.randint(1, len(criteria) - 1)
                start_day = deadline + dt.timedelta(days=rng.randint(3, 7))
                end_day = min(
                    start_day + dt.timedelta(days=rng.randint(2, 9)), last_day - dt.timedelta(days=3)
                )
                start, end = (
                    _moment(start_day, rng, latest=12),
                    _moment(max(end_day, start_day), rng, earliest=13, latest=21),
                )
                texts = _assess(
                    application,
                    member,
                    scores=scores,
                    words=words,
                    criteria=criteria,
                    upto=upto,
                    submit=submit,
                    start=start,
                    end=end,
                    clock=clock,
                    rng=rng,
                )
                if submit:
                    for criterion_pk, pair in texts.items():
                        given.setdefault(criterion_pk, []).append(pair)
            if not consensus_here:
                continue
            started = _moment(last_day - dt.timedelta(days=rng.randint(0, 1)), rng, earliest=9, latest=10)
            if stage == CONSENSUS_NOTES:
                leader = members[0].profile.user
                consensus = clock.run(started, services.consensus_start, application=application, by=leader)
                only = None if len(criteria) <= 5 else len(criteria) - 2
                _consensus_items(
                    application,
                    consensus,
                    given=given,
                    words=words,
                    clock=clock,
                    by=leader,
                    start=started + dt.timedelta(minutes=30),
                    rng=rng,
                    only=only,
                )
            else:
                waiting = [m for m in members if m.pk not in opened]
                name = str(waiting[0].profile) if waiting else "En examinator"
                consensus = clock.run(
                    started,
                    services.consensus_start,
                    application=application,
                    by=slk,
                    override_reason=OVERRIDE_REASON.format(name=name),
                )
                leader = members[0].profile.user
                _consensus_items(
                    application,
                    consensus,
                    given=given,
                    words=words,
                    clock=clock,
                    by=leader,
                    start=started + dt.timedelta(hours=2),
                    rng=rng,
                    only=2,
                )


# --- Last year -----------------------------------------------------------------------------


def seed_previous_training(cycle, *, slk, clock) -> None:
    """Last year's new examiners went through the basic training (both days), as the
    training rule requires of anyone who examined for the first time."""
    new = [
        m
        for m in PoolMember.objects.filter(cycle=cycle, status=PoolMember.Status.ACCEPTED).select_related(
            "profile", "cycle"
        )
        if not m.is_experienced
    ]
    if not new or TrainingSession.objects.filter(cycle=cycle, kind=TrainingSession.Kind.BASIC).exists():
        return
    created = stockholm(cycle.registration_closes, 13)
    days = [cycle.application_deadline + dt.timedelta(days=n) for n in examiners_demo.BASIC_DAYS]
    session = clock.run(
        created,
        examiner_services.session_save,
        session=TrainingSession(
            cycle=cycle, kind=TrainingSession.Kind.BASIC, **examiners_demo.BASIC_TRAINING
        ),
        days=days,
        by=slk,
        notify=False,
    )
    enrolled_at = stockholm(cycle.registration_closes + dt.timedelta(days=3), 9)
    for n, member in enumerate(new):
        at = enrolled_at + dt.timedelta(minutes=5 * n)
        clock.run(at, examiner_services.enrol, session=session, member=member, by=slk)
    for day in session.days.order_by("date"):
        clock.run(
            stockholm(day.date, 16, 30),
            examiner_services.attendance_mark,
            day=day,
            present_member_ids=[m.pk for m in new],
            by=slk,
        )


def seed_previous_teams(cycle, *, slk, clock) -> list[Team]:
    """Propose and confirm last year's teams; every member opened their applications."""
    if not Team.objects.filter(cycle=cycle, status=Team.Status.CONFIRMED).exists():
        proposed_at = stockholm(cycle.application_deadline + dt.timedelta(days=1), 9)
        confirmed_at = stockholm(cycle.application_deadline + dt.timedelta(days=1), 10)
        for team in clock.run(proposed_at, examiner_services.proposal_apply, cycle=cycle, by=slk):
            clock.run(confirmed_at, examiner_services.team_confirm, team=team, by=slk)
    teams = list(Team.objects.filter(cycle=cycle, status=Team.Status.CONFIRMED).order_by("name"))
    for team in teams:
        for n, member in enumerate(_team_members(team)):
            for assignment in team.assignments.select_related("application"):
                day = cycle.application_deadline + dt.timedelta(days=1 + (n + assignment.pk) % 3)
                _open(member, assignment.application, stockholm(day, 13 + n % 4, 15), clock=clock)
    return teams


def seed_previous(cycle, *, data, clock) -> None:
    slk = data["users"]["slk"]
    step, threshold = cycle.scale.step, cycle.discussion_threshold
    deadline = cycle.application_deadline
    seed_previous_training(cycle, slk=slk, clock=clock)
    teams = seed_previous_teams(cycle, slk=slk, clock=clock)
    finalised = []
    for team in teams:
        members = _team_members(team)
        leader = members[0].profile.user
        for assignment in team.assignments.select_related("application__unit", "application__track"):
            application = assignment.application
            rng = random.Random(f"{SEED}-scoring-{cycle.year}-{application.code}")  # noqa: S311  (demo data)
            criteria = list(application.track.criteria.order_by("number"))
            words = _words(application, submissions_demo.PREVIOUS_ENTRIES)
            level = PREVIOUS_LEVELS.get(application.unit.name) or rng.randint(35, 55)
            flagged = _flagged_numbers(criteria, rng, share=0.7)
            scores = _plan_scores(
                criteria, members, level=level, step=step, threshold=threshold, flagged=flagged, rng=rng
            )
            given = {}
            for member in members:
                start_day = deadline + dt.timedelta(days=rng.randint(4, 14))
                end_day = min(start_day + dt.timedelta(days=rng.randint(3, 14)), cycle.assessment_deadline)
                texts = _assess(
                    application,
                    member,
                    scores=scores,
                    words=words,
                    criteria=criteria,
                    upto=len(criteria),
                    submit=True,
                    start=_moment(start_day, rng, latest=12),
                    end=_moment(end_day, rng, earliest=13, latest=21),
                    clock=clock,
                    rng=rng,
                )
                for criterion_pk, pair in texts.items():
                    given.setdefault(criterion_pk, []).append(pair)
            day = cycle.assessment_deadline + dt.timedelta(days=rng.randint(1, 8))
            started = _moment(day, rng, earliest=9, latest=9)
            consensus = clock.run(started, services.consensus_start, application=application, by=leader)
            _consensus_items(
                application,
                consensus,
                given=given,
                words=words,
                clock=clock,
                by=leader,
                start=started + dt.timedelta(minutes=15),
                rng=rng,
            )
            final_at = _moment(
                min(day + dt.timedelta(days=rng.randint(0, 4)), cycle.consensus_deadline),
                rng,
                earliest=15,
                latest=16,
            )
            clock.run(final_at, services.consensus_finalise, consensus=consensus, by=leader)
            finalised.append((application, members, words, rng))

    visited = [entry for entry in finalised if entry[0].unit.name in PREVIOUS_VISITS]
    visits = _shortlisting(cycle, [application for application, *_rest in visited], slk=slk, clock=clock)
    for (application, members, words, rng), visit in zip(visited, visits, strict=True):
        _visit(application, members, visit, words=words, clock=clock, rng=rng)
    for application, members, words, rng in finalised:
        _report(application, members, words=words, slk=slk, clock=clock, rng=rng)


def _shortlisting(cycle, applications, *, slk, clock) -> list:
    """The committee's first meeting, which chose the site visits, recorded by SLK. It is
    here rather than in demo.judging because the visits need it; its notes are the
    committee's text (demo/data/judging.json)."""
    day = cycle.first_committee_meeting
    meeting = clock.run(
        stockholm(day, 16),
        judging_services.meeting_record,
        cycle=cycle,
        kind=Meeting.Kind.SHORTLISTING,
        date=day,
        present=[m.user for m in cycle.committee.select_related("user")],
        notes=texts.load("judging")["meeting_notes"]["shortlisting"].format(
            visits=" och ".join(sorted(a.unit.name for a in applications)) or "inga bidrag"
        ),
        by=slk,
    )
    return clock.run(
        stockholm(day, 16, 5),
        judging_services.site_visits_choose,
        meeting=meeting,
        applications=applications,
        by=slk,
    )


def _visit(application, members, visit, *, words, clock, rng) -> None:
    """The team plans the visit five days ahead, records its findings on the day and
    revises scores the day after."""
    cycle = application.track.cycle
    leader = members[0].profile.user
    visit_day = cycle.site_visits_start + dt.timedelta(
        days=rng.randint(1, (cycle.site_visits_end - cycle.site_visits_start).days - 2)
    )
    participants = (
        ", ".join(str(m.profile) for m in members)
        + f"; från enheten {application.unit.head_name} och medarbetare"
    )
    findings = " ".join(_text(t, words) for t in VISIT_FINDINGS)
    planned_at = stockholm(visit_day - dt.timedelta(days=5), 10)
    visit = clock.run(
        planned_at,
        services.site_visit_save,
        visit=visit,
        data=services.VisitData(visit_day, participants, visit.questions, "", done=False),
        base_version=visit.version,
        by=leader,
    )
    done_at = stockholm(visit_day, 16, 30)
    visit = clock.run(
        done_at,
        services.site_visit_save,
        visit=visit,
        data=services.VisitData(visit_day, participants, visit.questions, findings, done=True),
        base_version=visit.version,
        by=leader,
    )
    step = cycle.scale.step
    items = {i.criterion.number: i for i in application.consensus.items.select_related("criterion")}
    for n, (number, change, kind) in enumerate(PREVIOUS_VISITS[application.unit.name]):
        item = items[number]
        at = stockholm(visit_day + dt.timedelta(days=1), 10, 5 * n)
        clock.run(
            at,
            services.visit_score_revise,
            item=item,
            score=_round(item.score + change, step),
            reason=_text(rng.choice(VISIT_REASONS[kind]), words),
            base_version=item.version,
            by=leader,
        )


def _report(application, members, *, words, slk, clock, rng) -> None:
    cycle = application.track.cycle
    leader = members[0].profile.user
    report = FeedbackReport.objects.get(application=application)
    items = list(report.items.select_related("criterion").order_by("criterion__number"))
    ranked = sorted(items, key=lambda i: (-(i.score or 0), i.criterion.number))
    visited = SiteVisit.objects.filter(application=application).exists()
    summary = " ".join(
        _text(
            t,
            {
                **words,
                "track": application.track.name,
                "year": cycle.year,
                "best": ranked[0].criterion.title.lower(),
                "worst": ranked[-1].criterion.title.lower(),
                "visit": " och för ett givande platsbesök" if visited else "",
            },
        )
        for t in REPORT_SUMMARY
    )
    # The leader tidies the drafted texts: the strengths first as written, at most three
    # areas for improvement, the most important first.
    data = [
        services.ReportItemData(i.criterion_id, list(i.strengths), list(reversed(i.improvements))[:3])
        for i in items
    ]
    written_at = _moment(cycle.final_committee_meeting + dt.timedelta(days=rng.randint(1, 4)), rng)
    report = clock.run(
        written_at,
        services.report_save,
        report=report,
        summary=summary,
        items=data,
        base_version=report.version,
        by=leader,
    )
    approved_at = _moment(cycle.feedback_release - dt.timedelta(days=rng.randint(2, 6)), rng)
    clock.run(approved_at, services.report_approve, report=report, by=slk)


# --- Summary ----------------------------------------------------------------------------


def _counted(n: int, singular: str, plural: str) -> str:
    return f"{n} {singular if n == 1 else plural}"


def _cycle_parts(cycle) -> list[str]:
    assessments = Assessment.objects.filter(application__track__cycle=cycle)
    consensus = Consensus.objects.filter(application__track__cycle=cycle)
    open_, final = (
        consensus.filter(status=Consensus.Status.OPEN).count(),
        consensus.filter(status=Consensus.Status.FINAL).count(),
    )
    visits = SiteVisit.objects.filter(application__track__cycle=cycle).count()
    approved = FeedbackReport.objects.filter(
        application__track__cycle=cycle, status=FeedbackReport.Status.APPROVED
    ).count()
    parts = []
    if assessments.exists():
        submitted = assessments.filter(status=Assessment.Status.SUBMITTED).count()
        parts.append(f"{assessments.count()} individuella ({submitted} inlämnade)")
    if open_:
        parts.append(f"{open_} konsensus påbörjade")
    if final:
        parts.append(f"{final} konsensus fastställda")
    if visits:
        parts.append(_counted(visits, "platsbesök", "platsbesök"))
    if approved:
        parts.append(_counted(approved, "återföringsrapport godkänd", "återföringsrapporter godkända"))
    return parts or ["inga ännu"]


def summary_line(cycles) -> str:
    return "Bedömningar " + "; ".join(f"{c.year}: {', '.join(_cycle_parts(c))}" for c in cycles) + "."


def _submitted(cycle):
    return Application.objects.filter(track__cycle=cycle, status=Application.Status.SUBMITTED)


def seed(data, *, clock):
    """Add the scoring of both cycles to the demo city built by demo.award, its
    applications from demo.submissions and its teams from demo.examiners; returns the
    summary lines."""
    today = clock.today
    cycles = data["cycles"]
    current = cycles[today.year]
    previous = cycles.get(today.year - 1)
    done = list(Phase)[list(Phase).index(Phase.FEEDBACK) :]
    if (
        previous is not None
        and previous.phase_on(today) in done
        and _submitted(previous).exists()
        and not Assessment.objects.filter(application__track__cycle=previous).exists()
    ):
        seed_previous(previous, data=data, clock=clock)
    if (
        current.phase_on(today) == Phase.ASSESSMENT
        and Team.objects.filter(cycle=current, status=Team.Status.CONFIRMED).exists()
        and not Assessment.objects.filter(application__track__cycle=current).exists()
    ):
        seed_current(current, data=data, clock=clock)
    # Counted after the later stages (demo.judging finalises more consensus).
    return [functools.partial(summary_line, [c for c in (current, previous) if c is not None])]
