"""Where the examination of a cycle stands, application by application: how many of the
team's individual assessments are in, the consensus and the feedback report. SLK's list
(/bedomning/lage/<year>/) and the start page's counts read the same filters, so a number on
the start page is exactly the rows its link shows. A fixed number of queries."""

import datetime as dt

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from examiners.models import Team, TeamMember
from scoring.models import Assessment, Consensus, FeedbackReport
from submissions.models import Application

# ?visa= of SLK's list: (label, the rows' filter given today's date)
FILTERS = {
    "sena": _("Individuella bedömningar efter sista dagen"),
    "konsensus": _("Konsensus som väntar"),
    "rapporter": _("Återföringsrapporter att godkänna"),
}


def filter_for(name: str, today: dt.date) -> Q:
    """The rows of `examination()` that one of FILTERS names."""
    if name == "sena":
        # Not all of the team's assessments are in, the team's deadline is past, and the
        # consensus has not started (it freezes the assessments).
        return Q(assessment_deadline__lt=today, submitted__lt=F("members"), consensus__isnull=True)
    if name == "konsensus":
        # A consensus is started and not finalised, or every assessment is in and it can start.
        return ~Q(consensus__status=Consensus.Status.FINAL) & (
            Q(consensus__status=Consensus.Status.OPEN) | Q(members__gt=0, submitted__gte=F("members"))
        )
    if name == "rapporter":
        # A draft with its summary written: what SLK's approval waits for.
        return Q(feedback_report__status=FeedbackReport.Status.DRAFT) & ~Q(feedback_report__summary="")
    return Q()


def examination(cycle):
    """The cycle's applications given to a confirmed team (withdrawn ones left out), each
    with `members` (the team's size), `submitted` (individual assessments submitted),
    `assessment_deadline` (the team's extension, else the cycle's), its team, consensus
    and feedback report."""
    members = (
        TeamMember.objects.filter(team=OuterRef("assignment__team"))
        .order_by()
        .values("team")
        .annotate(n=Count("pk"))
        .values("n")
    )
    submitted = (
        Assessment.objects.filter(application=OuterRef("pk"), status=Assessment.Status.SUBMITTED)
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Application.objects.filter(
            assignment__team__cycle=cycle, assignment__team__status=Team.Status.CONFIRMED
        )
        .exclude(status=Application.Status.WITHDRAWN)
        .select_related(
            "unit", "competition_class", "track", "assignment__team", "consensus", "feedback_report"
        )
        .annotate(
            members=Coalesce(Subquery(members, output_field=IntegerField()), 0),
            submitted=Coalesce(Subquery(submitted, output_field=IntegerField()), 0),
            assessment_deadline=Coalesce(
                "assignment__team__assessment_deadline_extended_to", "track__cycle__assessment_deadline"
            ),
        )
        .order_by("code")
    )


def counts(cycle, today: dt.date | None = None) -> dict[str, int]:
    """How many rows each of FILTERS shows, in one query."""
    today = today or timezone.localdate()
    return examination(cycle).aggregate(
        **{name: Count("pk", filter=filter_for(name, today)) for name in FILTERS}
    )
