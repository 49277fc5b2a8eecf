"""Links that do not know the year (the navigation) lead to a cycle whose page answers for
the user (`award.queries.navigation_cycle`). SLK with no cycle at all goes to the list of
cycles, which says how to create one; someone else with no such cycle to their start
page, told why."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from award.queries import navigation_cycle
from award.roles import Role, has_role, role_required


def redirect_to_cycle(request, view_name: str, *, released: bool = False):
    cycle = navigation_cycle(request.user, released=released)
    if cycle is None:
        if not has_role(request.user, Role.SLK):
            messages.info(request, _("Du ingår inte i domarkommittén för någon omgång som pågår."))
            return redirect("home")
        return redirect("award:cycle_list")
    return redirect(view_name, year=cycle.year)


@role_required(Role.SLK, Role.COMMITTEE)
def current(request, page):
    return redirect_to_cycle(request, f"judging:{page}")
