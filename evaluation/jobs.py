"""The evaluation's long work, run by the worker with progress (award/jobs.py; registered in
apps.py): the cycle report as PDF, the same document as the page's download."""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest

from award.models import AwardCycle
from evaluation import report


def _request_for(user) -> HttpRequest:
    """A request as from the site's own address (AWARD_SITE_URL), for the templates and the
    PDF's base URL: the worker has none of its own."""
    site = urlsplit(settings.SITE_URL)
    request = HttpRequest()
    request.user = user
    request.META = {
        "HTTP_HOST": site.netloc,
        "SERVER_NAME": site.hostname or "localhost",
        "SERVER_PORT": str(site.port or (443 if site.scheme == "https" else 80)),
        "wsgi.url_scheme": site.scheme or "http",
    }
    if site.scheme == "https":
        request.META["HTTP_X_FORWARDED_PROTO"] = "https"
    return request


def cycle_report_pdf(job, progress):
    cycle = AwardCycle.objects.get(year=job.params["year"])
    progress(0, 3)
    context = report.cycle_report(cycle)
    progress(1, 3)
    report.with_charts(context["questionnaires"])
    progress(2, 3)
    data = report.report_pdf(_request_for(job.requested_by), context)
    return f"omgangsrapport-{cycle.year}.pdf", "application/pdf", data
