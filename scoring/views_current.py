"""Links that do not know the year (the navigation) lead to a cycle whose page answers for
the user: SLK to the latest opened cycle (for the evaluation, the latest whose feedback
has been released), before any has opened to the latest draft, and with no cycle at all
to the list of cycles, which says how to create one; a committee member to the newest
cycle in progress whose committee they sit on. Someone with no such cycle goes to their
start page, told why."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from award.models import AwardCycle, today
from award.roles import Role, has_role, role_required


def _cycle_for(user, page):
    opened = AwardCycle.objects.filter(status=AwardCycle.Status.OPEN).order_by("-year")
    if has_role(user, Role.SLK):
        if page == "evaluation":
            released = opened.filter(feedback_release__lte=today()).first()
            if released is not None:
                return released
        return opened.first() or AwardCycle.objects.order_by("-year").first()
    seated = opened.filter(committee__user=user)
    return seated.filter(pk__in=AwardCycle.objects.in_progress().values("pk")).first() or seated.first()


@role_required(Role.SLK, Role.COMMITTEE)
def current(request, page):
    cycle = _cycle_for(request.user, page)
    if cycle is None:
        if not has_role(request.user, Role.SLK):
            messages.info(request, _("Du ingår inte i domarkommittén för någon omgång som pågår."))
            return redirect("home")
        return redirect("award:cycle_list")
    return redirect(f"scoring:{page}", year=cycle.year)
