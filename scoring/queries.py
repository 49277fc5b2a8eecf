"""Read side of scoring: what each page shows, in a fixed number of queries."""

import statistics
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch

from award import request_memo
from award.models import AwardCycle, Criterion, PastResult
from examiners.models import Team, TeamMember
from scoring import rules, totals
from scoring.models import Assessment, AssessmentItem, Consensus, ConsensusItem, FeedbackReport
from submissions.models import Application

ASSESS = "submissions.assess_application"


def _submitted_items(application: Application):
    return (
        AssessmentItem.objects.filter(
            assessment__application=application, assessment__status=Assessment.Status.SUBMITTED
        )
        .select_related("assessment__member__profile__user", "criterion")
        .order_by("criterion__number", "assessment__member__profile__user__last_name")
    )


def _blocking_teams(user):
    """The confirmed team places of `user` (whatever their roles): independence binds
    everyone in a team, SLK staff and superusers included."""
    return TeamMember.objects.filter(member__profile__user=user, team__status=Team.Status.CONFIRMED)


def _withheld(user, applications) -> frozenset[int]:
    if not user.is_authenticated:
        return frozenset()
    own_submitted = Assessment.objects.filter(
        application=OuterRef("pk"), member__profile__user=user, status=Assessment.Status.SUBMITTED
    )
    # One Exists, not exclude() over the relation: that would match the user's draft and a
    # teammate's submission as if they were one assessment.
    withheld = applications.filter(
        assignment__team__in=_blocking_teams(user).values("team"), consensus__isnull=True
    ).exclude(Exists(own_submitted))
    return frozenset(withheld.values_list("pk", flat=True))


def withheld_assessments(user, cycle) -> frozenset[int]:
    """Independence (rule R10) over a cycle: the applications whose individual assessments
    `user` may not see yet, because they are in its team, their own assessment is not
    submitted and the consensus has not started. Binds everyone in a team, SLK staff and
    superusers included; every page and export that shows individual assessments asks."""
    return _withheld(user, Application.objects.filter(track__cycle=cycle))


def withholds_team_assessments(user, application: Application) -> bool:
    """`withheld_assessments` for one application."""
    return bool(_withheld(user, Application.objects.filter(pk=application.pk)))


def own_assessment(application: Application, member) -> tuple[Assessment, list[AssessmentItem]]:
    """The examiner's own assessment and its items in criterion order, for a page. Before
    the first save it is not in the database: an unsaved, empty assessment stands in for
    it, so that reading the page writes nothing (`services.assessment_for` starts it)."""
    assessment = Assessment.objects.filter(application=application, member=member).first()
    if assessment is not None:
        items = list(assessment.items.select_related("criterion").order_by("criterion__number"))
        return assessment, items
    assessment = Assessment(application=application, member=member)
    criteria = Criterion.objects.filter(track_id=application.track_id).order_by("number")
    return assessment, [AssessmentItem(assessment=assessment, criterion=c) for c in criteria]


def individual_spreads(application: Application) -> dict[int, int | None]:
    """criterion id -> spread (max − min) of the submitted individual scores."""
    scores: dict[int, list[int]] = {}
    for item in _submitted_items(application):
        scores.setdefault(item.criterion_id, []).append(item.score)
    return {criterion_id: totals.spread(values) for criterion_id, values in scores.items()}


def criterion_rows(application: Application, *, include_drafts=False) -> list[dict]:
    """Per criterion: the criterion, every submitted individual item, and mean, median,
    spread and the flag. Three queries whatever the team's size or the criteria's number."""
    criteria = list(Criterion.objects.filter(track_id=application.track_id).order_by("number"))
    items = list(_submitted_items(application))
    threshold = application.track.cycle.discussion_threshold
    return [
        _criterion_row(criterion, [i for i in items if i.criterion_id == criterion.pk], threshold)
        for criterion in criteria
    ]


def criterion_row(application: Application, criterion: Criterion) -> dict:
    """One criterion's row of `criterion_rows`, in one query (what a consensus save needs)."""
    items = list(_submitted_items(application).filter(criterion=criterion))
    return _criterion_row(criterion, items, application.track.cycle.discussion_threshold)


def _criterion_row(criterion: Criterion, own: list, threshold: int) -> dict:
    scores = [i.score for i in own if i.score is not None]
    spread = totals.spread(scores)
    return {
        "criterion": criterion,
        "items": own,
        "mean": round(statistics.mean(scores), 1) if scores else None,
        "median": statistics.median(scores) if scores else None,
        "spread": spread,
        "flagged": rules.flagged(spread, threshold),
        "strengths": [(text, i.assessment.member.profile) for i in own for text in i.strengths],
        "improvements": [(text, i.assessment.member.profile) for i in own for text in i.improvements],
    }


def consensus_with_items(application: Application) -> Consensus | None:
    return (
        Consensus.objects.filter(application=application)
        .select_related("team", "started_by", "finalised_by")
        .prefetch_related(Prefetch("items", queryset=ConsensusItem.objects.select_related("criterion")))
        .first()
    )


def consensus_totals(consensus: Consensus | None) -> dict:
    """The weighted totals before and after the site visit."""
    if consensus is None:
        return {"before": None, "after": None}
    items = list(consensus.items.all())
    before = totals.weighted_total((i.criterion.weight, i.score) for i in items)
    after = totals.weighted_total((i.criterion.weight, i.final_score) for i in items)
    return {"before": before, "after": after if any(i.visit_score is not None for i in items) else None}


def score_history(application: Application):
    """Every recorded change to the application's scores and texts, oldest first."""
    from award.audit import entries_for

    return entries_for(application).filter(action__startswith="scoring.").order_by("at", "pk")


def hours_summary(cycle) -> dict:
    """Hours recorded per examiner, per team and per application, summed in the database."""
    from django.db.models import Sum

    base = Assessment.objects.filter(application__track__cycle=cycle, hours__isnull=False)
    return {
        "examiners": list(
            base.values("member__profile__user__first_name", "member__profile__user__last_name", "member_id")
            .annotate(total=Sum("hours"))
            .order_by("member__profile__user__last_name")
        ),
        "teams": list(
            base.values("application__assignment__team__name")
            .annotate(total=Sum("hours"))
            .order_by("application__assignment__team__name")
        ),
        "applications": list(
            base.values("application__code", "application__unit__name")
            .annotate(total=Sum("hours"))
            .order_by("application__code")
        ),
        "total": base.aggregate(total=Sum("hours"))["total"],
    }


def team_member_for(user, application: Application) -> TeamMember | None:
    """The user's place in the application's confirmed team, if they still have access.
    Asked once per request (`award.request_memo`): by a view's check and by its service."""
    if not user.is_authenticated or not request_memo.has_object_perm(user, ASSESS, application):
        return None
    return request_memo.remembered(
        ("team_member", user.pk, application.pk),
        lambda: (
            TeamMember.objects.select_related("member__profile__user", "team")
            .filter(
                member__profile__user=user,
                team__status=Team.Status.CONFIRMED,
                team__assignments__application=application,
            )
            .first()
        ),
    )


def report_released(report: FeedbackReport | None, on=None) -> bool:
    """The unit sees its report only when SLK has approved it and the cycle's feedback
    release date has come (after the committee's decision)."""
    return report is not None and report.is_approved and report.application.track.cycle.feedback_released(on)


def last_released_report(application: Application) -> FeedbackReport | None:
    """The unit's feedback report from its latest earlier entry in the same kind of track
    that the unit may read (approved, and its cycle's release date come: R12), or None.
    Only this unit's, never another's."""
    return (
        FeedbackReport.objects.filter(
            status=FeedbackReport.Status.APPROVED,
            application__unit_id=application.unit_id,
            application__track__kind=application.track.kind,
            application__track__cycle__year__lt=application.track.cycle.year,
            application__track__cycle__in=AwardCycle.objects.feedback_released(),
        )
        .select_related("application__track__cycle")
        .order_by("-application__track__cycle__year")
        .first()
    )


def earlier_improvements(application: Application) -> dict[int, list[str]]:
    """{criterion number: areas for improvement} of `last_released_report`: criteria are
    each cycle's own, so they are matched by number."""
    report = last_released_report(application)
    if report is None:
        return {}
    return {
        item.criterion.number: list(item.improvements)
        for item in report.items.select_related("criterion")
        if item.improvements
    }


@dataclass
class EarlierEntry:
    """The unit's latest earlier entry in the same kind of track, with what may be said of
    its result: the announced outcome (the award's record of the unit's results, once that
    cycle's decisions are announced), the total of its released feedback report where the
    cycle showed the unit scores, and the final consensus's total once the cycle's results
    are out (for the committee and SLK, who decide on consensus totals)."""

    application: Application
    result: str
    report_released: bool
    report_total: Decimal | None
    consensus_total: Decimal | None


def earlier_entry(application: Application, on=None) -> EarlierEntry | None:
    """The same unit's submitted application of the latest earlier cycle in a track of the
    same kind, or None. Nothing of an individual examiner's and nothing the cycle has not
    released: the outcome and totals only once its feedback release date has come. Four
    queries at most."""
    earlier = (
        Application.objects.filter(
            unit_id=application.unit_id,
            track__kind=application.track.kind,
            track__cycle__year__lt=application.track.cycle.year,
            status=Application.Status.SUBMITTED,
        )
        .select_related("track__cycle", "competition_class", "consensus")
        .order_by("-track__cycle__year")
        .first()
    )
    if earlier is None:
        return None
    cycle = earlier.track.cycle
    entry = EarlierEntry(earlier, "", False, None, None)
    if not cycle.feedback_released(on):
        return entry
    result = PastResult.objects.filter(
        unit_id=earlier.unit_id, year=cycle.year, track_kind=earlier.track.kind
    ).first()
    entry.result = result.get_outcome_display() if result else ""
    consensus = getattr(earlier, "consensus", None)
    if consensus is not None and consensus.is_final:
        entry.consensus_total = consensus.visit_total_points or consensus.total_points
    report = (
        FeedbackReport.objects.filter(application=earlier).select_related("application__track__cycle").first()
    )
    entry.report_released = report_released(report, on)
    if entry.report_released and cycle.show_scores_to_units:
        entry.report_total = totals.weighted_total(
            report.items.values_list("criterion__weight", "score").order_by("criterion__number")
        )
    return entry
