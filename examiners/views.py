"""Examiner home, volunteering, conflicts, the pool (SLK) and teams (SLK). Every change
goes through `services`; refusals come back as messages and change nothing."""

from django.contrib import messages
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_POST

from award import listing
from award.models import AwardCycle
from award.roles import Role, role_required
from award.web import flash_form_errors, service_call
from examiners import queries, services, steps
from examiners.forms import (
    AssignForm,
    ConflictForm,
    ManagerApprovalForm,
    MaxTeamsForm,
    MemberAddForm,
    OpeningForm,
    TeamCreateForm,
    VolunteerForm,
)
from examiners.models import Assignment, Conflict, PoolMember, Team, TeamMember
from examiners.training import queries as training_queries
from submissions.models import Application


def _current_cycle():
    return AwardCycle.objects.current()


def _cycle(year):
    return get_object_or_404(AwardCycle, year=year)


# --- The examiner's own pages ---------------------------------------------------------


@role_required(Role.EXAMINER)
def home(request):
    """The examiner's work in every cycle in progress: the newest cycle's pool status (or
    the invitation to join it), and each earlier cycle in which they serve in a team,
    until that cycle's work is finished (AwardCycle.is_finished)."""
    cycles = list(AwardCycle.objects.in_progress())
    newest = _current_cycle()
    if newest is not None and newest not in cycles:
        cycles.insert(0, newest)
    rows = []
    for cycle in cycles:
        member = queries.membership_for(request.user, cycle)
        row = {"cycle": cycle, "member": member, "phase_end": cycle.phase_end(cycle.phase)}
        if member is not None:
            row.update(queries.examiner_page(member))
            steps.annotate(member=member, teams=row["teams"])
            row["training"] = member.training_status()
            row["conflict_form"] = ConflictForm()
        if cycle == newest or row.get("teams"):
            rows.append(row)
    return render(
        request,
        "examiners/home.html",
        {"rows": rows, "practice_cases": training_queries.practice_cases_for(request.user)},
    )


def volunteer(request):
    """Any member of staff may offer to examine in the current cycle."""
    cycle = _current_cycle()
    if cycle is None:
        raise Http404
    existing = queries.membership_for(request.user, cycle)
    class_names = sorted({c.name for track in cycle.tracks.all() for c in track.classes.all()})
    form = VolunteerForm(request.POST or None, class_names=class_names)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        volunteer_data = services.VolunteerData(
            organisation=data["organisation"],
            employer_unit=data["employer_unit"],
            employer=data["employer"],
            job_title=data["job_title"],
            areas=data["areas"],
            available=data["available"],
            availability_note=data["availability_note"],
            manager_name=data["manager_name"],
            conflicts=[(unit, data["conflict_reason"]) for unit in data["conflict_units"]],
        )
        with service_call(
            request, success=_("Tack! Din intresseanmälan är mottagen. Stadsledningskontoret hör av sig.")
        ):
            services.pool_volunteer(cycle=cycle, user=request.user, data=volunteer_data)
            return redirect("home")
    return render(request, "examiners/volunteer.html", {"form": form, "cycle": cycle, "existing": existing})


def _own_membership(request, cycle=None) -> PoolMember:
    """The user's place in the pool of `cycle` (default the current cycle); 404 if none."""
    member = queries.membership_for(request.user, cycle or _current_cycle())
    if member is None:
        raise Http404
    return member


@require_POST
@role_required(Role.EXAMINER)
def conflict_declare(request):
    # The examiner's page has a form per cycle they serve in; it names the cycle's year.
    year = request.POST.get("year", "")
    member = _own_membership(request, _cycle(year) if year.isdigit() else None)
    form = ConflictForm(request.POST)
    if not form.is_valid():
        flash_form_errors(request, form)
        return redirect("examiners:home")
    with service_call(request, success=_("Jävet är registrerat. Stadsledningskontoret ser det.")):
        services.conflict_declare(
            member=member,
            target=form.target,
            reason=form.cleaned_data["reason"],
            source=Conflict.Source.EXAMINER,
            by=request.user,
        )
    return redirect("examiners:home")


@role_required(Role.EXAMINER)
def application_open(request, pk):
    """The way into an assigned application: the first time, the examiner answers whether
    they have a conflict with the unit. Other applications answer 404. The application's
    own cycle decides, so last year's team still reaches it once this year's has opened."""
    member = _own_membership(request, AwardCycle.objects.filter(tracks__applications__pk=pk).first())
    application = get_object_or_404(
        Application.objects.select_related("unit__organisation"),
        pk=pk,
        assignment__team__members__member=member,
        assignment__team__status=Team.Status.CONFIRMED,
    )
    if member.conflict_reasons(application):
        raise Http404
    # Where the examiner was going (the assessment page, say), or the application itself.
    wanted = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        wanted = reverse("submissions:application_detail", args=[application.pk])
    if member.openings.filter(application=application).exists():
        return redirect(wanted)
    form = OpeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        may_read = services.application_open(
            member=member,
            application=application,
            conflict_reason=form.cleaned_data["reason"] if form.cleaned_data["has_conflict"] else "",
            by=request.user,
        )
        if may_read:
            return redirect(wanted)
        messages.success(request, _("Jävet är registrerat. Du har inte längre åtkomst till bidraget."))
        return redirect("examiners:home")
    return render(request, "examiners/opening.html", {"application": application, "form": form})


# --- The pool (SLK) -------------------------------------------------------------------


@role_required(Role.SLK)
def current(request, page):
    """The pool, training or teams of the current cycle, for links that do not know the
    year; before any cycle has opened, of the latest draft (its pool and training can be
    prepared), and with no cycle at all the list of cycles, which says how to create one."""
    cycle = _current_cycle() or AwardCycle.objects.order_by("-year").first()
    if cycle is None:
        return redirect("award:cycle_list")
    return redirect(f"examiners:{page}", year=cycle.year)


POOL_COLUMNS = [
    listing.Column("namn", _lazy("Namn"), ("profile__user__last_name", "profile__user__first_name", "pk")),
    listing.Column(
        "forvaltning", _lazy("Förvaltning"), ("profile__organisation__name", "profile__user__last_name", "pk")
    ),
    listing.Column("status", _lazy("Status"), ("status", "profile__user__last_name", "pk")),
    listing.Column("lag", _lazy("Lag"), ("team_count", "profile__user__last_name", "pk")),
]


@role_required(Role.SLK)
def pool(request, year):
    cycle = _cycle(year)
    order, headers = listing.sorting(request, POOL_COLUMNS, default="status")
    text, found = listing.search(request, queries.POOL_MEMBER_SEARCH)
    everyone = queries.pool_members(cycle)
    counts = dict(
        PoolMember.objects.filter(cycle=cycle).values_list("status").annotate(n=Count("pk")).order_by()
    )
    members = list(everyone.filter(found).order_by(*order))
    for member in members:
        member.training = member.training_status()
        member.problems = (
            services.rules.member_errors(member) if member.status == PoolMember.Status.ACCEPTED else []
        )
    counts = {status: counts.get(status, 0) for status in PoolMember.Status}
    return render(
        request,
        "examiners/pool.html",
        {
            "cycle": cycle,
            "members": members,
            "counts": counts,
            "Status": PoolMember.Status,
            "headers": headers,
            "text": text,
            "keep": [(listing.SORT, request.GET[listing.SORT])] if request.GET.get(listing.SORT) else [],
        },
    )


def _pool_member(pk) -> PoolMember:
    return get_object_or_404(PoolMember.objects.select_related("cycle", "profile__user"), pk=pk)


@role_required(Role.SLK)
def pool_member(request, pk):
    cycle = _pool_member(pk).cycle
    member = queries.pool_members(cycle).get(pk=pk)
    return render(
        request,
        "examiners/pool_member.html",
        {
            "member": member,
            "training": member.training_status(),
            "problems": services.rules.member_errors(member),
            "approval_form": ManagerApprovalForm(
                initial={"manager_name": member.manager_name, "approved_on": member.manager_approved_on}
            ),
            "max_teams_form": MaxTeamsForm(initial={"max_teams": member.max_teams}),
            "conflict_form": ConflictForm(),
        },
    )


@require_POST
@role_required(Role.SLK)
def pool_decide(request, pk):
    member = _pool_member(pk)
    accept = request.POST.get("decision") == "accept"
    decided = _("%(name)s är antagen till poolen.") if accept else _("%(name)s är inte antagen.")
    with service_call(request, success=decided % {"name": member.profile}):
        services.pool_decide(member=member, accept=accept, by=request.user)
    return redirect("examiners:pool_member", pk=member.pk)


@require_POST
@role_required(Role.SLK)
def manager_approval(request, pk):
    member = _pool_member(pk)
    form = ManagerApprovalForm(request.POST)
    if form.is_valid():
        with service_call(
            request, success=_("Chefens godkännande för %(name)s är registrerat.") % {"name": member.profile}
        ):
            services.manager_approval_record(
                member=member,
                manager_name=form.cleaned_data["manager_name"],
                approved_on=form.cleaned_data["approved_on"],
                by=request.user,
            )
    else:
        messages.error(request, _("Ange chefens namn och ett giltigt datum."))
    return redirect("examiners:pool_member", pk=member.pk)


@require_POST
@role_required(Role.SLK)
def max_teams(request, pk):
    member = _pool_member(pk)
    form = MaxTeamsForm(request.POST)
    if form.is_valid():
        with service_call(
            request,
            success=_("%(name)s kan nu ingå i högst %(count)s lag.")
            % {"name": member.profile, "count": form.cleaned_data["max_teams"]},
        ):
            services.pool_member_settings(
                member=member, max_teams=form.cleaned_data["max_teams"], by=request.user
            )
    else:
        messages.error(request, _("Ange ett antal mellan 1 och 5."))
    return redirect("examiners:pool_member", pk=member.pk)


@require_POST
@role_required(Role.SLK)
def conflict_record(request, pk):
    member = _pool_member(pk)
    form = ConflictForm(request.POST)
    if form.is_valid():
        with service_call(request, success=_("Jävet är registrerat.")):
            services.conflict_declare(
                member=member,
                target=form.target,
                reason=form.cleaned_data["reason"],
                source=Conflict.Source.SLK,
                by=request.user,
            )
    else:
        flash_form_errors(request, form)
    return redirect("examiners:pool_member", pk=member.pk)


# --- Teams (SLK) ----------------------------------------------------------------------


@role_required(Role.SLK)
def teams(request, year):
    cycle = _cycle(year)
    # What a new proposal would do with the applications still without a team.
    preview = queries.proposal_make(cycle)
    unassigned = list(queries.unassigned_applications(cycle))
    for application in unassigned:
        application.unplaced_reason = preview.unplaced.get(application.pk, "")
    return render(
        request,
        "examiners/teams.html",
        {
            "cycle": cycle,
            "teams": queries.teams_with_checks(cycle),
            "unassigned": unassigned,
            "create_form": TeamCreateForm(cycle=cycle),
        },
    )


@require_POST
@role_required(Role.SLK)
def teams_propose(request, year):
    cycle = _cycle(year)
    with service_call(
        request,
        success=_("Ett nytt förslag är skapat. Granska lagen, justera dem och fastställ dem ett i taget."),
    ):
        services.proposal_apply(cycle=cycle, by=request.user)
    return redirect("examiners:teams", year=cycle.year)


@require_POST
@role_required(Role.SLK)
def team_create(request, year):
    cycle = _cycle(year)
    form = TeamCreateForm(request.POST, cycle=cycle)
    if form.is_valid():
        with service_call(
            request, success=_("Laget %(name)s är skapat.") % {"name": form.cleaned_data["name"]}
        ):
            services.team_create(
                cycle=cycle, track=form.cleaned_data["track"], name=form.cleaned_data["name"], by=request.user
            )
    else:
        messages.error(request, _("Ange ett namn och ett spår."))
    return redirect("examiners:teams", year=cycle.year)


def _team(pk) -> Team:
    return get_object_or_404(Team.objects.select_related("cycle", "track"), pk=pk)


@role_required(Role.SLK)
def team_detail(request, pk):
    team = _team(pk)
    checked = next(t for t in queries.teams_with_checks(team.cycle) if t.pk == team.pk)
    applications = queries.unassigned_applications(team.cycle).filter(track=team.track)
    return render(
        request,
        "examiners/team_detail.html",
        {
            "team": checked,
            "member_form": MemberAddForm(cycle=team.cycle),
            "assign_form": AssignForm(applications=applications),
        },
    )


@require_POST
@role_required(Role.SLK)
def team_member_add(request, pk):
    team = _team(pk)
    form = MemberAddForm(request.POST, cycle=team.cycle)
    if form.is_valid():
        member = form.cleaned_data["member"]
        with service_call(request, success=_("%(name)s är med i laget.") % {"name": member.profile}):
            services.team_member_add(
                team=team, member=member, leader=form.cleaned_data["leader"], by=request.user
            )
    else:
        messages.error(request, _("Välj en examinator ur poolen."))
    return redirect("examiners:team_detail", pk=team.pk)


@require_POST
@role_required(Role.SLK)
def team_member_remove(request, pk, member_pk):
    team = _team(pk)
    team_member = get_object_or_404(TeamMember, team=team, member_id=member_pk)
    with service_call(
        request, success=_("%(name)s är borttagen ur laget.") % {"name": team_member.member.profile}
    ):
        services.team_member_remove(team_member=team_member, by=request.user)
    return redirect("examiners:team_detail", pk=team.pk)


@require_POST
@role_required(Role.SLK)
def team_leader(request, pk, member_pk):
    team = _team(pk)
    member = get_object_or_404(PoolMember, pk=member_pk, teams__team=team)
    with service_call(request, success=_("%(name)s är lagledare.") % {"name": member.profile}):
        services.team_leader_set(team=team, member=member, by=request.user)
    return redirect("examiners:team_detail", pk=team.pk)


@require_POST
@role_required(Role.SLK)
def team_assign(request, pk):
    team = _team(pk)
    form = AssignForm(
        request.POST, applications=queries.unassigned_applications(team.cycle).filter(track=team.track)
    )
    if form.is_valid():
        application = form.cleaned_data["application"]
        with service_call(request, success=_("%(code)s är tilldelat laget.") % {"code": application.code}):
            services.team_assign(team=team, application=application, by=request.user)
    else:
        messages.error(request, _("Välj ett inskickat bidrag utan lag."))
    return redirect("examiners:team_detail", pk=team.pk)


@require_POST
@role_required(Role.SLK)
def team_unassign(request, pk, application_pk):
    team = _team(pk)
    assignment = get_object_or_404(
        Assignment.objects.select_related("application"), team=team, application_id=application_pk
    )
    with service_call(
        request, success=_("%(code)s är inte längre tilldelat laget.") % {"code": assignment.application.code}
    ):
        services.team_unassign(assignment=assignment, by=request.user)
    return redirect("examiners:team_detail", pk=team.pk)


@require_POST
@role_required(Role.SLK)
def team_confirm(request, pk):
    team = _team(pk)
    with service_call(
        request,
        success=_("Laget %(name)s är fastställt. Medlemmarna kan nu läsa och bedöma lagets bidrag.")
        % {"name": team.name},
    ):
        services.team_confirm(team=team, by=request.user)
    return redirect("examiners:team_detail", pk=team.pk)


@require_POST
@role_required(Role.SLK)
def team_delete(request, pk):
    team = _team(pk)
    year = team.cycle.year
    with service_call(request, success=_("Laget %(name)s är upplöst.") % {"name": team.name}):
        services.team_delete(team=team, by=request.user)
        return redirect("examiners:teams", year=year)
    return redirect("examiners:team_detail", pk=team.pk)


@require_POST
@role_required(Role.SLK)
def team_flag_clear(request, pk):
    team = _team(pk)
    with service_call(
        request, success=_("Markeringen på laget %(name)s är borttagen.") % {"name": team.name}
    ):
        services.team_flag_clear(team=team, by=request.user)
    return redirect("examiners:team_detail", pk=team.pk)
