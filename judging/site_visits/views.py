"""The committee's side of site visits: the list of applications with a finalised
consensus to choose from, and the choice of one (from its site-visit page). The team's
visit record is scoring's (`scoring:site_visit`)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from award.models import AwardCycle
from award.roles import Role, role_required
from award.web import service_call
from judging import queries as judging_queries
from judging import services
from scoring import queries
from scoring.access import viewer_for
from scoring.models import Consensus, ConsensusItem
from submissions.models import Application


@require_POST
def site_visit_select(request, pk):
    viewer = viewer_for(request, pk, committee=True)
    if not (viewer.is_slk or viewer.is_committee):
        raise PermissionDenied(_("Bara domarkommittén eller stadsledningskontoret väljer platsbesök."))
    with service_call(
        request,
        success=_("%(code)s %(unit)s är utvalt för platsbesök.")
        % {"code": viewer.application.code, "unit": viewer.application.unit.name},
    ):
        services.site_visit_select(application=viewer.application, by=request.user)
    return redirect("scoring:site_visit", pk=pk)


def _final_consensus_applications(cycle):
    """Applications of the cycle with a final consensus, with their site visit and the
    consensus items the totals need. A fixed number of queries whatever their number."""
    return (
        Application.objects.filter(track__cycle=cycle, consensus__status=Consensus.Status.FINAL)
        .select_related("unit", "track", "consensus", "site_visit")
        .prefetch_related(
            Prefetch("consensus__items", queryset=ConsensusItem.objects.select_related("criterion"))
        )
        .order_by("track__kind", "code")
    )


@role_required(Role.SLK, Role.COMMITTEE)
def site_visit_list(request, year):
    cycle = get_object_or_404(AwardCycle, year=year)
    judging_queries.require_committee_or_slk(request.user, cycle)
    rows = [
        {
            "application": application,
            "visit": getattr(application, "site_visit", None),
            "totals": queries.consensus_totals(application.consensus),
        }
        for application in _final_consensus_applications(cycle)
    ]
    return render(request, "judging/site_visits/list.html", {"cycle": cycle, "rows": rows})
