"""The consensus page: the leader (or SLK) agrees the team's scores and texts with every
member's submitted assessment side by side; members read it. Who may open it is decided
in `scoring.access`."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from award.autosave import autosave
from award.web import service_call
from examiners.models import TeamMember
from scoring import queries, rules, services
from scoring.access import Viewer, lead_or_refuse, viewer_for, viewer_of
from scoring.consensus.forms import ConsensusItemForm, StartForm
from scoring.models import Assessment, Consensus, ConsensusItem, SiteVisit


def _team(application):
    assignment = getattr(application, "assignment", None)
    if assignment is None or not assignment.team.is_confirmed:
        return None
    return assignment.team


def _grouped(pairs) -> list[tuple[str, list[str]]]:
    """(text, profile) pairs grouped by text, with the names of everyone who wrote it."""
    groups: dict[str, list[str]] = {}
    for text, profile in pairs:
        names = groups.setdefault(text, [])
        if str(profile) not in names:
            names.append(str(profile))
    return list(groups.items())


# --- Consensus -------------------------------------------------------------------------


def _member_statuses(application) -> list[dict]:
    """Each member's assessment submitted or not; nothing of its content."""
    team = _team(application)
    if team is None:
        return []
    submitted = set(
        Assessment.objects.filter(application=application, status=Assessment.Status.SUBMITTED).values_list(
            "member_id", flat=True
        )
    )
    return [
        {"name": str(tm.member.profile), "is_leader": tm.is_leader, "submitted": tm.member_id in submitted}
        for tm in TeamMember.objects.filter(team=team).select_related("member__profile__user")
    ]


def _item_form(viewer, item, row, data=None) -> ConsensusItemForm:
    strength_groups = _grouped(row["strengths"])
    improvement_groups = _grouped(row["improvements"])
    return ConsensusItemForm(
        data,
        prefix=f"c{item.pk}",
        initial=None
        if data is not None
        else ConsensusItemForm.initial_for(item, strength_groups, improvement_groups),
        scale=viewer.application.track.cycle.scale,
        criterion=row["criterion"],
        strength_groups=strength_groups,
        improvement_groups=improvement_groups,
        flagged=row["flagged"],
        spread=row["spread"],
    )


def _consensus_context(viewer: Viewer, *, bound=None, conflict=None) -> dict:
    """Everything the consensus page shows, in a fixed number of queries. `bound` is a
    (consensus item id, form) refused on save and shown again with what the user wrote;
    `conflict` the row as saved by someone else meanwhile."""
    application = viewer.application
    cycle = application.track.cycle
    consensus = queries.consensus_with_items(application)
    context = {
        "application": application,
        "viewer": viewer,
        "team": _team(application),
        "consensus": consensus,
        "threshold": cycle.discussion_threshold,
    }
    if consensus is None:
        context["members"] = _member_statuses(application)
        context["start_form"] = StartForm() if viewer.is_slk else None
        return context
    consensus.application = application  # already loaded with what the services read
    editable = viewer.can_lead and not consensus.is_final
    items = {item.criterion_id: item for item in consensus.items.all()}
    rows = queries.criterion_rows(application)
    examiners = {}
    for row in rows:
        for individual in row["items"]:
            examiners.setdefault(individual.assessment.member_id, individual.assessment.member.profile)
    editors = get_user_model().objects.in_bulk({i.updated_by_id for i in items.values() if i.updated_by_id})
    columns = sorted(
        examiners.items(), key=lambda pair: (pair[1].user.last_name, pair[1].user.first_name, pair[0])
    )
    for row in rows:
        scores = {i.assessment.member_id: i.score for i in row["items"]}
        item = items.get(row["criterion"].pk)
        row["scores"] = [scores.get(member_id) for member_id, _profile in columns]
        row["strength_groups"] = _grouped(row["strengths"])
        row["improvement_groups"] = _grouped(row["improvements"])
        row["item"] = item
        row["updated_by"] = editors.get(item.updated_by_id) if item else None
        row["band"] = cycle.scale.descriptor_for(row["criterion"].kind, item.score if item else None)
        row["bands"] = [b for b in cycle.scale.bands.all() if b.kind == row["criterion"].kind]
        if item is not None and editable:
            if bound is not None and bound[0] == item.pk:
                row["form"] = bound[1]
                row["conflict"] = conflict
            else:
                row["form"] = _item_form(viewer, item, row)
    context.update(
        rows=rows,
        examiners=[profile for _member_id, profile in columns],
        totals=queries.consensus_totals(consensus),
        editable=editable,
        missing=rules.consensus_missing(consensus, {r["criterion"].pk: r["spread"] for r in rows})
        if editable
        else [],
        site_visit=SiteVisit.objects.filter(application=application).first() if consensus.is_final else None,
    )
    return context


def consensus(request, pk):
    viewer = viewer_for(request, pk)
    return render(request, "scoring/consensus/consensus.html", _consensus_context(viewer))


@require_POST
def consensus_start(request, pk):
    viewer = viewer_for(request, pk)
    lead_or_refuse(viewer)
    form = StartForm(request.POST)
    reason = form.cleaned_data["override_reason"] if form.is_valid() else ""
    with service_call(
        request, success=_("Konsensus har startat. De individuella bedömningarna är nu låsta.")
    ):
        services.consensus_start(application=viewer.application, by=request.user, override_reason=reason)
    return redirect("scoring:consensus", pk=pk)


@require_POST
def consensus_item_save(request, pk, item_id):
    # The item with its application in one query (the service saves from this read); the
    # application's bands only for a whole page.
    item = (
        ConsensusItem.objects.select_related(
            "criterion",
            "consensus__application__track__cycle__scale",
            "consensus__application__unit",
            "consensus__application__assignment__team",
        )
        .filter(pk=item_id, consensus__application_id=pk)
        .first()
    )
    if item is None:
        # Refused as before: 404 for who may not see the application, 403 for a member.
        lead_or_refuse(viewer_for(request, pk))
        raise Http404
    viewer = viewer_of(request, item.consensus.application)
    lead_or_refuse(viewer)
    if not request.htmx:
        prefetch_related_objects([viewer.application.track.cycle.scale], "bands")
    # An autosave of a finalised consensus is refused by the service, in the status line.
    if item.consensus.is_final and not request.htmx:
        messages.error(request, _("Konsensus är fastställd och kan inte ändras."))
        return redirect("scoring:consensus", pk=pk)
    row = queries.criterion_row(viewer.application, item.criterion)
    form = _item_form(viewer, item, row, data=request.POST)

    def save() -> ConsensusItem:
        return services.consensus_item_save(
            item=item,
            data=services.ItemData(
                score=form.cleaned_data["score"],
                strengths=form.agreed("strengths"),
                improvements=form.agreed("improvements"),
            ),
            discussion_note=form.cleaned_data["discussion_note"],
            base_version=form.cleaned_data["version"],
            by=request.user,
        )

    if request.htmx:
        return autosave(
            request,
            form=form,
            save=save,
            stale_message=_(
                "Inte sparat: någon annan har sparat det här kriteriet. Din text står kvar: "
                "tryck på Spara för att jämföra och spara igen."
            ),
        )
    conflict = None
    if form.is_valid():
        with service_call(request, form=form) as outcome:
            save()
            messages.success(
                request,
                _("Kriterium %(n)s, %(title)s, är sparat.")
                % {"n": item.criterion.number, "title": item.criterion.title},
            )
            return redirect(reverse("scoring:consensus", args=[pk]) + f"#kriterium-{item.criterion.number}")
        if outcome.stale is not None:
            conflict = outcome.stale
            # Keep what the user wrote, on top of the version now saved, so saving again
            # is a deliberate choice after comparing.
            data = request.POST.copy()
            data[form.add_prefix("version")] = str(conflict.version)
            form = _item_form(viewer, item, row, data=data)
            form.is_valid()
    context = _consensus_context(viewer, bound=(item.pk, form), conflict=conflict)
    return render(request, "scoring/consensus/consensus.html", context)


def consensus_finalise(request, pk):
    viewer = viewer_for(request, pk)
    lead_or_refuse(viewer)
    consensus = get_object_or_404(Consensus, application=viewer.application)
    if consensus.is_final:
        messages.info(request, _("Konsensus är redan fastställd."))
        return redirect("scoring:consensus", pk=pk)
    if request.method == "POST":
        with service_call(
            request, success=_("Konsensus är fastställd. Ett utkast till återföringsrapport är skapat.")
        ):
            services.consensus_finalise(consensus=consensus, by=request.user)
            return redirect("scoring:consensus", pk=pk)
        return redirect("scoring:consensus_finalise", pk=pk)
    consensus.application = viewer.application
    missing = rules.consensus_missing(consensus, queries.individual_spreads(viewer.application))
    return render(
        request,
        "scoring/consensus/finalise_confirm.html",
        {"application": viewer.application, "consensus": consensus, "missing": missing},
    )
