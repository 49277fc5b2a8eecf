"""The unit's history: the cycles it entered, its announced results, and its criterion
profile over the cycles whose released reports showed scores.

Who may see it: the unit's contacts and SLK. A contact of another unit, like anyone who
names a unit that does not exist, gets 404; other roles are refused the kind of page (403).
The chart is an <img> of an SVG beside the page, with the same numbers in a table."""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from award.models import Unit
from award.roles import Role, has_role, role_required
from judging import charts, queries


def _unit_for(user, pk: int) -> Unit:
    unit = get_object_or_404(Unit.objects.select_related("organisation"), pk=pk)
    if not has_role(user, Role.SLK) and not unit.contacts.filter(pk=user.pk).exists():
        raise Http404
    return unit


@require_GET
@role_required(Role.UNIT_CONTACT, Role.SLK)
def unit_history(request, pk):
    unit = _unit_for(request.user, pk)
    history = queries.unit_history(unit)
    return render(
        request,
        "judging/units/history.html",
        {"unit": unit, "entries": history["entries"], "profiles": history["profiles"]},
    )


@require_GET
@role_required(Role.UNIT_CONTACT, Role.SLK)
def unit_profile_svg(request, pk):
    unit = _unit_for(request.user, pk)
    profiles = {p.track_kind: p for p in queries.unit_history(unit)["profiles"]}
    profile = profiles.get(request.GET.get("spar", ""), next(iter(profiles.values()), None))
    if profile is None:  # nothing released with scores yet: empty axes, as the page says
        profile = queries.UnitProfile(track_kind="", track="", years=[], criteria=[], scores={})
    svg = charts.chart_svg("unit_profile", f"unit-{unit.pk}-{profile.track_kind}", {"profile": profile})
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, no-cache"
    return response
