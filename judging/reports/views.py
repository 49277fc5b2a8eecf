"""The committee's charts and the cycle's export.

Who may see what: SLK everything; a member of the cycle's judging committee the charts of
that cycle and its export, but not the examiner calibration (it names examiners, for
SLK's calibration workshop). Anyone else with the committee role gets 404 for another
cycle's pages, so a page does not tell who sits on which committee; examiners and unit
contacts get 403.

Each chart page shows the charts as <img> (an SVG from the `*_svg` view beside it: the
SVG carries matplotlib's inline styles, which the Content-Security-Policy allows in an
image but not in the page) with a caption and the same numbers as a table for screen
readers.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from award.models import AwardCycle, Track
from award.roles import Role, has_role, role_required
from judging import charts
from judging import exports as exports_cycle
from judging import queries as judging_queries
from scoring import queries
from submissions.models import Application

# A track's charts, by the name in their URL, and the part of `charts.track_data` each draws.
TRACK_CHARTS = {"totals": "classes", "criteria": "criteria"}


def _cycle_for(user, year: int) -> AwardCycle:
    """The cycle, if the user is SLK or sits on its committee; 404 otherwise."""
    cycle = get_object_or_404(AwardCycle, year=year)
    judging_queries.require_committee_or_slk(user, cycle)
    return cycle


def _track_for(user, year: int, track_pk: int) -> Track:
    cycle = _cycle_for(user, year)
    return get_object_or_404(Track.objects.select_related("cycle"), pk=track_pk, cycle=cycle)


def _application_for(user, pk: int) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("track__cycle", "competition_class"),
        pk=pk,
        status=Application.Status.SUBMITTED,
    )
    _cycle_for(user, application.track.cycle.year)
    return application


def _svg_response(svg: str) -> HttpResponse:
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    # The page around it is private; so is the chart.
    response["Cache-Control"] = "private, no-cache"
    return response


@require_GET
@role_required(Role.COMMITTEE, Role.SLK)
def track_charts(request, year, track_pk):
    track = _track_for(request.user, year, track_pk)
    data = charts.track_data(track)
    return render(
        request,
        "judging/reports/charts.html",
        {
            "cycle": track.cycle,
            "track": track,
            "classes": data["classes"],
            "criteria": data["criteria"],
            "tracks": track.cycle.tracks.order_by("pk"),
        },
    )


@require_GET
@role_required(Role.COMMITTEE, Role.SLK)
def track_chart_svg(request, year, track_pk, chart):
    part = TRACK_CHARTS.get(chart)
    if part is None:
        raise Http404
    track = _track_for(request.user, year, track_pk)
    data = {part: charts.track_data(track)[part]}
    return _svg_response(charts.chart_svg(chart, f"track-{track.pk}", data))


@require_GET
@role_required(Role.SLK)
def calibration_chart(request, year):
    cycle = get_object_or_404(AwardCycle, year=year)
    examiners = charts.calibration_data(cycle)
    return render(request, "judging/reports/calibration.html", {"cycle": cycle, "examiners": examiners})


@require_GET
@role_required(Role.SLK)
def calibration_chart_svg(request, year):
    cycle = get_object_or_404(AwardCycle, year=year)
    data = {"examiners": charts.calibration_data(cycle)}
    return _svg_response(charts.chart_svg("calibration", f"cycle-{cycle.pk}", data))


@require_GET
@role_required(Role.COMMITTEE, Role.SLK)
def profile_chart(request, pk):
    application = _application_for(request.user, pk)
    points = charts.profile_data(application)
    return render(
        request,
        "judging/reports/profile.html",
        {"application": application, "cycle": application.track.cycle, "points": points},
    )


@require_GET
@role_required(Role.COMMITTEE, Role.SLK)
def profile_chart_svg(request, pk):
    application = _application_for(request.user, pk)
    data = {"points": charts.profile_data(application), "code": application.code}
    return _svg_response(charts.chart_svg("profile", f"application-{application.pk}", data))


@require_GET
@role_required(Role.COMMITTEE, Role.SLK)
def cycle_export(request, year):
    cycle = _cycle_for(request.user, year)
    fmt = request.GET.get("format")
    options = {
        "named": has_role(request.user, Role.SLK),  # the committee sees examiners as numbers
        "withheld": queries.withheld_assessments(request.user, cycle),
    }
    if fmt == "xlsx":
        return exports_cycle.xlsx_response(cycle, **options)
    if fmt == "csv":
        sheet = request.GET.get("sheet")
        if sheet is None:
            return exports_cycle.csv_zip_response(cycle, **options)
        if sheet not in exports_cycle.SHEETS:
            raise Http404
        return exports_cycle.csv_response(cycle, sheet, **options)
    if fmt is not None:
        raise Http404
    return render(
        request,
        "judging/reports/export.html",
        {"cycle": cycle, "sheets": exports_cycle.SHEETS.values()},
    )
