"""The examination's part of the examiner's page (examiners.steps): per application, how
many criteria the examiner has scored, whether their assessment is submitted, the
consensus's state, and only the steps open now: the assessment always (read-only once it
is closed), the consensus once it has started or its phase has come, the site visit when
the committee chose one, the feedback report for the leader once the consensus is final.
Five queries, whatever the number of applications."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from award.models import Criterion, Phase
from examiners.steps import Progress, Step
from scoring.models import Assessment, Consensus, FeedbackReport, SiteVisit

_ORDER = list(Phase)


def _reached(cycle, phase: Phase) -> bool:
    return _ORDER.index(cycle.phase) >= _ORDER.index(phase)


def examiner_progress(*, member, applications) -> dict:
    if not applications:
        return {}
    pks = [application.pk for application, _leader in applications]
    own = {
        a.application_id: a
        for a in Assessment.objects.filter(member=member, application_id__in=pks).annotate(
            scored=Count("items", filter=Q(items__score__isnull=False))
        )
    }
    criteria = dict(
        Criterion.objects.filter(track_id__in={a.track_id for a, _l in applications})
        .values("track")
        .annotate(n=Count("pk"))
        .values_list("track", "n")
    )
    consensus = {
        c.application_id: c
        for c in Consensus.objects.filter(application_id__in=pks).only("application", "status")
    }
    visits = set(SiteVisit.objects.filter(application_id__in=pks).values_list("application_id", flat=True))
    reports = set(
        FeedbackReport.objects.filter(application_id__in=pks).values_list("application_id", flat=True)
    )

    result = {}
    for application, is_leader in applications:
        cycle = application.track.cycle
        progress = Progress()
        assessment = own.get(application.pk)
        if assessment is not None and assessment.is_submitted:
            progress.notes.append(_("din bedömning är inlämnad"))
        else:
            progress.notes.append(
                _("%(done)s av %(all)s kriterier bedömda")
                % {
                    "done": assessment.scored if assessment else 0,
                    "all": criteria.get(application.track_id, 0),
                }
            )
        progress.steps.append(
            Step(
                _("Bedöm") if _open_assessment(assessment, cycle) else _("Din bedömning"),
                reverse("scoring:assessment", args=[application.pk]),
            )
        )
        agreed = consensus.get(application.pk)
        if agreed is not None:
            progress.notes.append(_("konsensus fastställd") if agreed.is_final else _("konsensus pågår"))
        elif _reached(cycle, Phase.CONSENSUS):
            progress.notes.append(_("konsensus inte startad"))
        if agreed is not None or _reached(cycle, Phase.CONSENSUS):
            progress.steps.append(Step(_("Konsensus"), reverse("scoring:consensus", args=[application.pk])))
        if application.pk in visits:
            progress.steps.append(Step(_("Platsbesök"), reverse("scoring:site_visit", args=[application.pk])))
        if is_leader and (application.pk in reports or (agreed is not None and agreed.is_final)):
            progress.steps.append(
                Step(_("Återföringsrapport"), reverse("scoring:report_edit", args=[application.pk]))
            )
        result[application.pk] = progress
    return result


def _open_assessment(assessment, cycle) -> bool:
    """Still to be written: not submitted and the consensus phase not yet reached."""
    return not (assessment is not None and assessment.is_submitted) and not _reached(cycle, Phase.CONSENSUS)
