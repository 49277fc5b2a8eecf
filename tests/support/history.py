"""A unit's earlier entry in the award: a cycle of an earlier year in which the unit's
application was judged, its feedback report approved with scores and areas for
improvement, and (optionally) the committee's signed decision naming it."""

import datetime as dt

from award.models import AwardCycle, CommitteeMembership, Track, today
from award.roles import Role
from judging import services as judging_services
from judging.models import Meeting
from scoring.models import FeedbackItem, FeedbackReport
from tests.support import factories
from tests.support.teams import judged


def earlier_entry(
    unit,
    year: int,
    *,
    scores=(40, 50, 60, 70),
    area: str = "Följ upp resultaten systematiskt",
    released: bool = True,
    show_scores: bool = True,
    approved: bool = True,
    outcome: str | None = None,
):
    """The unit's judged application in `year`'s cycle (made if missing, its every date
    behind us), with a feedback report giving `scores` on criteria 1, 2… and `area` on
    criterion 1; `released` puts the feedback release date behind or ahead of today;
    `outcome` ("winner", "honourable_mention") has the chair sign a decision naming it."""
    cycle = AwardCycle.objects.filter(year=year).first() or factories.complete_cycle(
        year=year, open=True, **factories.timeline(phase_offset=-200)
    )
    AwardCycle.objects.filter(pk=cycle.pk).update(
        show_scores_to_units=show_scores,
        feedback_release=today() - dt.timedelta(days=10) if released else today() + dt.timedelta(days=10),
    )
    cycle.refresh_from_db()
    track = cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    application = judged(factories.submitted_application(track, unit))
    report = FeedbackReport.objects.create(
        application=application,
        status=FeedbackReport.Status.APPROVED if approved else FeedbackReport.Status.DRAFT,
    )
    for criterion, score in zip(track.criteria.order_by("number"), scores, strict=False):
        FeedbackItem.objects.create(
            report=report,
            criterion=criterion,
            score=score,
            strengths=["Tydliga mål"],
            improvements=[area] if criterion.number == 1 else [],
        )
    if outcome:
        chair = factories.user_with_role(Role.COMMITTEE)
        CommitteeMembership.objects.create(cycle=cycle, user=chair, is_chair=True)
        meeting = judging_services.meeting_record(
            cycle=cycle,
            kind=Meeting.Kind.FINAL,
            date=cycle.final_committee_meeting,
            present=[chair],
            by=chair,
        )
        decision = judging_services.decision_save(
            meeting=meeting,
            track=track,
            competition_class=application.competition_class,
            no_award=False,
            rationale="Kommitténs skäl",
            outcomes=[judging_services.OutcomeData(application, outcome, "Ett föredöme.")],
            by=chair,
        )
        judging_services.decision_sign(decision=decision, by=chair)
    return application
