"""The consensus and site-visit pages.

Who may open them is decided once, in `_viewer`: members of the application's confirmed
team and SLK (and for site visits the judging committee); everyone else gets 404 so an
application's existence does not leak. Seeing a page and acting on it differ: a member
reads the consensus the leader (or SLK) writes, and the refusal of an action to someone
who may see the page is a 403. The services check every rule again.
"""

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from award.models import AwardCycle, CommitteeMembership
from award.roles import Role, has_role, role_required
from award.web import attempt
from examiners.models import TeamMember
from submissions.models import Application

from . import queries, rules, services
from .forms_consensus import ConsensusItemForm, SiteVisitForm, StartForm, VisitScoreForm
from .models import Assessment, Consensus, ConsensusItem, SiteVisit


@dataclass
class Viewer:
    application: Application
    team_member: TeamMember | None
    is_slk: bool
    is_committee: bool

    @property
    def is_leader(self) -> bool:
        return self.team_member is not None and self.team_member.is_leader

    @property
    def can_lead(self) -> bool:
        """Runs the consensus and revises scores after a site visit."""
        return self.is_slk or self.is_leader

    @property
    def in_team(self) -> bool:
        return self.team_member is not None


def _viewer(request, pk, *, committee=False) -> Viewer:
    """The application and the user's place around it; 404 unless they belong to it."""
    application = get_object_or_404(
        Application.objects.select_related(
            "track__cycle__scale", "unit", "assignment__team"
        ).prefetch_related("track__cycle__scale__bands"),
        pk=pk,
    )
    user = request.user
    is_slk = has_role(user, Role.SLK)
    team_member = None if is_slk else queries.team_member_for(user, application)
    # The committee of this cycle only: the role alone is not enough.
    is_committee = (
        committee
        and team_member is None
        and CommitteeMembership.objects.filter(cycle=application.track.cycle, user=user).exists()
    )
    if not (is_slk or team_member or is_committee):
        raise Http404
    return Viewer(application, team_member, is_slk, is_committee)


def _lead_or_refuse(viewer: Viewer) -> None:
    if not viewer.can_lead:
        raise PermissionDenied(_("Bara lagledaren eller stadsledningskontoret kan göra detta."))


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


def _band(scale, criterion, score) -> str:
    if score is None:
        return ""
    band = scale.band_for(criterion.kind, score)
    return band.descriptor if band else ""


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
        row["band"] = _band(cycle.scale, row["criterion"], item.score if item else None)
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
    viewer = _viewer(request, pk)
    return render(request, "scoring/consensus/consensus.html", _consensus_context(viewer))


@require_POST
def consensus_start(request, pk):
    viewer = _viewer(request, pk)
    _lead_or_refuse(viewer)
    form = StartForm(request.POST)
    reason = form.cleaned_data["override_reason"] if form.is_valid() else ""
    attempt(
        request,
        lambda: services.consensus_start(
            application=viewer.application, by=request.user, override_reason=reason
        ),
        success=_("Konsensus har startat. De individuella bedömningarna är nu låsta."),
    )
    return redirect("scoring:consensus", pk=pk)


@require_POST
def consensus_item_save(request, pk, item_id):
    viewer = _viewer(request, pk)
    _lead_or_refuse(viewer)
    item = get_object_or_404(
        ConsensusItem.objects.select_related("criterion", "consensus"),
        pk=item_id,
        consensus__application=viewer.application,
    )
    if item.consensus.is_final:
        messages.error(request, _("Konsensus är fastställd och kan inte ändras."))
        return redirect("scoring:consensus", pk=pk)
    row = next(
        r for r in queries.criterion_rows(viewer.application) if r["criterion"].pk == item.criterion_id
    )
    form = _item_form(viewer, item, row, data=request.POST)
    conflict = None
    if form.is_valid():
        try:
            saved = services.consensus_item_save(
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
        except services.StaleEdit as error:
            if request.htmx:
                return _autosave_status(request, form, error=_stale_hint())
            conflict = error.current
            # Keep what the user wrote, on top of the version now saved, so saving again
            # is a deliberate choice after comparing.
            data = request.POST.copy()
            data[form.add_prefix("version")] = str(conflict.version)
            form = _item_form(viewer, item, row, data=data)
            form.is_valid()
            messages.error(request, error.messages[0])
        except ValidationError as error:
            if request.htmx:
                return _autosave_status(request, form, error=" ".join(error.messages))
            form.add_error(None, error)
        else:
            if request.htmx:
                return _autosave_status(request, form, item=saved)
            messages.success(request, _("Kriterium %(n)s är sparat.") % {"n": item.criterion.number})
            return redirect(reverse("scoring:consensus", args=[pk]) + f"#kriterium-{item.criterion.number}")
    elif request.htmx:
        # What was refused, naming the box, so the text stays and can be corrected; only a
        # missing version means a stale page.
        return _autosave_status(
            request, form, error=form.error_summary(leave_out=["version"]) or _("Sidan behöver laddas om.")
        )
    context = _consensus_context(viewer, bound=(item.pk, form), conflict=conflict)
    return render(request, "scoring/consensus/consensus.html", context)


def _stale_hint() -> str:
    return _("Någon annan har sparat det här kriteriet. Tryck på Spara för att jämföra och spara igen.")


def _autosave_status(request, form, *, item=None, error=""):
    return render(
        request,
        "scoring/consensus/autosave_status.html",
        {"item": item, "error": error, "version_name": form.add_prefix("version")},
    )


def consensus_finalise(request, pk):
    viewer = _viewer(request, pk)
    _lead_or_refuse(viewer)
    consensus = get_object_or_404(Consensus, application=viewer.application)
    if consensus.is_final:
        messages.info(request, _("Konsensus är redan fastställd."))
        return redirect("scoring:consensus", pk=pk)
    if request.method == "POST":
        done = attempt(
            request,
            lambda: services.consensus_finalise(consensus=consensus, by=request.user),
            success=_("Konsensus är fastställd. Ett utkast till återföringsrapport är skapat."),
        )
        return redirect("scoring:consensus" if done else "scoring:consensus_finalise", pk=pk)
    consensus.application = viewer.application
    missing = rules.consensus_missing(consensus, queries.individual_spreads(viewer.application))
    return render(
        request,
        "scoring/consensus/finalise_confirm.html",
        {"application": viewer.application, "consensus": consensus, "missing": missing},
    )


# --- Site visit ------------------------------------------------------------------------


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
            "band_before": _band(scale, item.criterion, item.score),
            "band_after": _band(scale, item.criterion, item.visit_score),
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
    viewer = _viewer(request, pk, committee=True)
    return render(request, "scoring/consensus/site_visit.html", _visit_context(viewer))


@require_POST
def site_visit_select(request, pk):
    viewer = _viewer(request, pk, committee=True)
    if not (viewer.is_slk or viewer.is_committee):
        raise PermissionDenied(_("Bara domarkommittén eller stadsledningskontoret väljer platsbesök."))
    attempt(
        request,
        lambda: services.site_visit_select(application=viewer.application, by=request.user),
        success=_("Bidraget är utvalt för platsbesök."),
    )
    return redirect("scoring:site_visit", pk=pk)


@require_POST
def site_visit_save(request, pk):
    viewer = _viewer(request, pk, committee=True)
    if not (viewer.is_slk or viewer.in_team):
        raise PermissionDenied(_("Bara laget och stadsledningskontoret skriver om platsbesöket."))
    visit = get_object_or_404(SiteVisit, application=viewer.application)
    done_already = visit.status == SiteVisit.Status.DONE
    form = SiteVisitForm(request.POST, done_already=done_already)
    conflict = None
    if form.is_valid():
        data = form.cleaned_data
        try:
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
        except services.StaleEdit as error:
            conflict = error.current
            post = request.POST.copy()
            post["version"] = str(conflict.version)
            form = SiteVisitForm(post, done_already=conflict.status == SiteVisit.Status.DONE)
            form.is_valid()
            messages.error(request, error.messages[0])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Platsbesöket är sparat."))
            return redirect("scoring:site_visit", pk=pk)
    context = _visit_context(viewer, visit_form=form, visit_conflict=conflict)
    return render(request, "scoring/consensus/site_visit.html", context)


@require_POST
def visit_score_revise(request, pk, item_id):
    viewer = _viewer(request, pk, committee=True)
    _lead_or_refuse(viewer)
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
        try:
            services.visit_score_revise(
                item=item,
                score=form.cleaned_data["score"],
                reason=form.cleaned_data["reason"],
                base_version=form.cleaned_data["version"],
                by=request.user,
            )
        except services.StaleEdit as error:
            conflict = error.current
            post = request.POST.copy()
            post[form.add_prefix("version")] = str(conflict.version)
            form = VisitScoreForm(
                post,
                prefix=f"v{item.pk}",
                scale=viewer.application.track.cycle.scale,
                criterion=item.criterion,
            )
            form.is_valid()
            messages.error(request, error.messages[0])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("Poängen för kriterium %(n)s är sparad.") % {"n": item.criterion.number}
            )
            return redirect(reverse("scoring:site_visit", args=[pk]) + f"#kriterium-{item.criterion.number}")
    context = _visit_context(viewer, bound=(item.pk, form), conflict=conflict)
    return render(request, "scoring/consensus/site_visit.html", context)


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
    if (
        not has_role(request.user, Role.SLK)
        and not CommitteeMembership.objects.filter(cycle=cycle, user=request.user).exists()
    ):
        raise Http404
    rows = [
        {
            "application": application,
            "visit": getattr(application, "site_visit", None),
            "totals": queries.consensus_totals(application.consensus),
        }
        for application in _final_consensus_applications(cycle)
    ]
    return render(request, "scoring/consensus/site_visit_list.html", {"cycle": cycle, "rows": rows})
