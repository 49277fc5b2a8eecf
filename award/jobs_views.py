"""SLK's page of long work in the background (award/jobs.py): start the cycle export, the
cycle report PDF or the decisions' notices, watch the progress (the row asks for itself
again every two seconds with htmx while the job runs; no script of our own, no reload),
and download the file while it is kept."""

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from award import jobs, services
from award.models import AwardCycle, BackgroundJob
from award.roles import Role, role_required
from award.web import service_call


@role_required(Role.SLK)
def cycle_jobs(request, year):
    cycle = get_object_or_404(AwardCycle, year=year)
    kinds = jobs.kinds()
    listed = list(jobs.for_cycle(cycle.year))
    for job in listed:
        job.label = kinds[job.kind].label if job.kind in kinds else job.kind
    return render(
        request,
        "award/jobs.html",
        {
            "cycle": cycle,
            "kinds": [(name, kind.label) for name, kind in kinds.items()],
            "jobs": listed,
            "job_hours": settings.JOB_FILE_HOURS,
        },
    )


@require_POST
@role_required(Role.SLK)
def job_start(request, year):
    cycle = get_object_or_404(AwardCycle, year=year)
    kind = jobs.kind(request.POST.get("kind", ""))
    if kind is None:
        raise Http404
    with service_call(request):
        services.job_start(kind=request.POST["kind"], params={"year": cycle.year}, by=request.user)
        messages.success(
            request, _("”%(job)s” är startat. Sidan visar hur långt det har kommit.") % {"job": kind.label}
        )
    return redirect("award:cycle_jobs", year=cycle.year)


@role_required(Role.SLK)
def job_status(request, pk):
    """One job's row: polled by htmx while it runs (the row stops asking once it is done)."""
    job = get_object_or_404(BackgroundJob.objects.select_related("requested_by"), pk=pk)
    kind = jobs.kind(job.kind)
    return render(request, "award/includes/job.html", {"job": job, "label": kind.label if kind else job.kind})


@role_required(Role.SLK)
def job_download(request, pk):
    job = get_object_or_404(BackgroundJob, pk=pk)
    if not job.is_done or not job.file or (job.expires_at and job.expires_at < timezone.now()):
        raise Http404
    return FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=job.content_type
    )
