"""The site-visit page: the team records the visit (date, participants, questions,
findings) and the leader revises consensus scores after it with a reason, both kept. The
committee that chose the visit reads it. Who may open it is decided in `scoring.access`."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from award.web import service_call
from scoring import queries, services
from scoring.access import Viewer, lead_or_refuse, viewer_for
from scoring.models import ConsensusItem, SiteVisit
from scoring.site_visits.forms import SiteVisitForm, VisitScoreForm


def _visit_context(
    viewer: Viewer, *, visit_form=None, visit_conflict=None, bound=None, conflict=None
) -> dict:
    """The site-visit page: the visit record and the scores before and after it. `bound`
    is a (consensus item id, form) refused on save, `conflict` the row saved meanwhile."""
    application = viewer.application
    scale = application.track.cycle.scale
    consensus = queries.consensus_with_items(application)
    visit = SiteVisit.objects.filter(application=application).select_related("selected_by").first()
    final = consensus is not None and consensus.is_final
    done = visit is not None and visit.status == SiteVisit.Status.DONE
    can_edit_visit = visit is not None and (viewer.is_slk or viewer.in_team)
    can_revise = done and final and viewer.can_lead
    if can_edit_visit and visit_form is None:
        visit_form = SiteVisitForm(
            initial={
                "visit_date": visit.visit_date,
                "participants": visit.participants,
                "questions": visit.questions,
                "findings": visit.findings,
                "version": visit.version,
            },
            done_already=done,
        )
    rows = []
    for item in consensus.items.all() if final else []:
        row = {
            "item": item,
            "criterion": item.criterion,
            "bands": [b for b in scale.bands.all() if b.kind == item.criterion.kind],
        }
        if can_revise:
            if bound is not None and bound[0] == item.pk:
                row["form"], row["conflict"] = bound[1], conflict
            else:
                row["form"] = VisitScoreForm(
                    prefix=f"v{item.pk}",
                    initial={"score": item.visit_score, "reason": item.visit_reason, "version": item.version},
                    scale=scale,
                    criterion=item.criterion,
                )
        rows.append(row)
    return {
        "application": application,
        "viewer": viewer,
        "consensus": consensus,
        "final": final,
        "visit": visit,
        "done": done,
        "can_select": visit is None and final and (viewer.is_slk or viewer.is_committee),
        "visit_form": visit_form if can_edit_visit else None,
        "visit_conflict": visit_conflict,
        "can_revise": can_revise,
        "rows": rows,
        "totals": queries.consensus_totals(consensus) if final else None,
    }


def site_visit(request, pk):
    viewer = viewer_for(request, pk, committee=True)
    return render(request, "scoring/site_visits/site_visit.html", _visit_context(viewer))


@require_POST
def site_visit_save(request, pk):
    viewer = viewer_for(request, pk, committee=True)
    if not (viewer.is_slk or viewer.in_team):
        raise PermissionDenied(_("Bara laget och stadsledningskontoret skriver om platsbesöket."))
    visit = get_object_or_404(SiteVisit, application=viewer.application)
    done_already = visit.status == SiteVisit.Status.DONE
    form = SiteVisitForm(request.POST, done_already=done_already)
    conflict = None
    if form.is_valid():
        data = form.cleaned_data
        with service_call(request, form=form) as outcome:
            services.site_visit_save(
                visit=visit,
                data=services.VisitData(
                    visit_date=data["visit_date"],
                    participants=data["participants"],
                    questions=data["questions"],
                    findings=data["findings"],
                    done=data.get("done", False),
                ),
                base_version=data["version"],
                by=request.user,
            )
            messages.success(
                request,
                _("Platsbesöket hos %(unit)s (%(code)s) är sparat.")
                % {"unit": viewer.application.unit.name, "code": viewer.application.code},
            )
            return redirect("scoring:site_visit", pk=pk)
        if outcome.stale is not None:
            # Keep what the user wrote, on top of the version now saved.
            conflict = outcome.stale
            post = request.POST.copy()
            post["version"] = str(conflict.version)
            form = SiteVisitForm(post, done_already=conflict.status == SiteVisit.Status.DONE)
            form.is_valid()
    context = _visit_context(viewer, visit_form=form, visit_conflict=conflict)
    return render(request, "scoring/site_visits/site_visit.html", context)


@require_POST
def visit_score_revise(request, pk, item_id):
    viewer = viewer_for(request, pk, committee=True)
    lead_or_refuse(viewer)
    item = get_object_or_404(
        ConsensusItem.objects.select_related("criterion"),
        pk=item_id,
        consensus__application=viewer.application,
    )
    form = VisitScoreForm(
        request.POST,
        prefix=f"v{item.pk}",
        scale=viewer.application.track.cycle.scale,
        criterion=item.criterion,
    )
    conflict = None
    if form.is_valid():
        with service_call(request, form=form) as outcome:
            services.visit_score_revise(
                item=item,
                score=form.cleaned_data["score"],
                reason=form.cleaned_data["reason"],
                base_version=form.cleaned_data["version"],
                by=request.user,
            )
            messages.success(
                request, _("Poängen för kriterium %(n)s är sparad.") % {"n": item.criterion.number}
            )
            return redirect(reverse("scoring:site_visit", args=[pk]) + f"#kriterium-{item.criterion.number}")
        if outcome.stale is not None:
            conflict = outcome.stale
            post = request.POST.copy()
            post[form.add_prefix("version")] = str(conflict.version)
            form = VisitScoreForm(
                post,
                prefix=f"v{item.pk}",
                scale=viewer.application.track.cycle.scale,
                criterion=item.criterion,
            )
            form.is_valid()
    context = _visit_context(viewer, bound=(item.pk, form), conflict=conflict)
    return render(request, "scoring/site_visits/site_visit.html", context)
