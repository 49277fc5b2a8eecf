"""Links that do not know the year (the navigation) lead to the current cycle's page."""

from django.http import Http404
from django.shortcuts import redirect

from award.models import AwardCycle
from award.roles import Role, role_required


@role_required(Role.SLK, Role.COMMITTEE)
def current(request, page):
    cycle = AwardCycle.objects.current()
    if cycle is None:
        raise Http404
    return redirect(f"scoring:{page}", year=cycle.year)
