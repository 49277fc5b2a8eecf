from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from award import dashboard, queries, services
from award.forms import PhaseCloseForm, PhaseExtendForm, ReminderDaysForm
from award.models import AwardCycle
from award.roles import Role, role_required
from award.web import service_call


@login_not_required
def start(request):
    """The public start page: what the award is and the current cycle's timeline."""
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "award/start.html", {"cycle": AwardCycle.objects.current()})


@login_not_required
def accessibility(request):
    """The accessibility statement (tillgänglighetsredogörelse) that Swedish law requires of
    a public-sector web service: how accessible the platform is, what is known not to be,
    and how to report a problem. Public, linked from every page's footer."""
    return render(request, "award/accessibility.html", {"contact": settings.DEFAULT_FROM_EMAIL})


@login_not_required
def help_page(request):
    """Help and contact: what each of the user's roles does here and whom to ask."""
    return render(request, "award/help.html", {"contact": settings.DEFAULT_FROM_EMAIL})


def home(request):
    """Each role's work in every cycle that has some for the user: last year's cycle stays
    here until its work is finished, beside this year's."""
    cycles = queries.start_page_cycles()
    units = request.user.units.select_related("organisation") if request.user.is_authenticated else []
    sections = queries.home_sections(user=request.user, cycles=cycles)
    for section in sections:
        for entry in section["cycles"]:
            entry["todos"] = dashboard.todos(role=section["role"], user=request.user, cycle=entry["cycle"])
    return render(
        request,
        "award/home.html",
        {
            "cycles": cycles,
            "current": cycles[0] if cycles else None,  # the latest opened cycle
            "sections": sections,
            "units": units,
        },
    )


@role_required(Role.SLK)
def cycle_list(request):
    """Every cycle with its status and phase. The menu's links that do not know the year
    lead here while there is no cycle at all, so the page says how one is created."""
    cycles = AwardCycle.objects.order_by("-year")
    return render(
        request,
        "award/cycle_list.html",
        {"cycles": cycles, "current": AwardCycle.objects.current()},
    )


@role_required(Role.SLK)
def cycle_detail(request, year):
    cycle = get_object_or_404(AwardCycle.objects.select_related("scale"), year=year)
    return _cycle_page(request, cycle)


def _cycle_page(request, cycle, *, reminders_form=None):
    return render(
        request,
        "award/cycle_detail.html",
        {
            "cycle": cycle,
            "opening_errors": queries.cycle_opening_errors(cycle)
            if cycle.status == AwardCycle.Status.DRAFT
            else [],
            "close_form": PhaseCloseForm(prefix="close"),
            "extend_form": PhaseExtendForm(prefix="extend", initial={"until": cycle.phase_end(cycle.phase)}),
            "reminders_form": reminders_form
            or ReminderDaysForm(
                prefix="reminders",
                initial={name: getattr(cycle, name) for name in ReminderDaysForm.base_fields},
            ),
            "log": queries.cycle_log(cycle),
        },
    )


@require_POST
@role_required(Role.SLK)
def cycle_reminders(request, year):
    """SLK sets the days the worker reminds people (award/reminders.py). A wrong value is
    shown beside its box on the cycle's page, with what was typed, and nothing changes."""
    cycle = get_object_or_404(AwardCycle.objects.select_related("scale"), year=year)
    form = ReminderDaysForm(request.POST, prefix="reminders")
    if form.is_valid():
        with service_call(request, form=form):
            changed = services.cycle_reminders_set(cycle=cycle, by=request.user, **form.cleaned_data)
            messages.success(
                request,
                _("Påminnelserna är ändrade.") if changed else _("Påminnelserna var redan inställda så."),
            )
            return redirect("award:cycle_detail", year=year)
    return _cycle_page(request, cycle, reminders_form=form)


@require_POST
@role_required(Role.SLK)
def cycle_phase_close(request, year):
    cycle = get_object_or_404(AwardCycle, year=year)
    form = PhaseCloseForm(request.POST, prefix="close")
    if not form.is_valid():
        messages.error(request, _("Ange en motivering för att avsluta fasen."))
        return redirect("award:cycle_detail", year=year)
    before = cycle.phase
    with service_call(request):
        after = services.phase_close_early(cycle=cycle, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(
            request,
            _("Fasen ”%(before)s” är avslutad. Nu pågår ”%(after)s”.")
            % {"before": before.label, "after": after.label},
        )
    return redirect("award:cycle_detail", year=year)


@require_POST
@role_required(Role.SLK)
def cycle_phase_extend(request, year):
    cycle = get_object_or_404(AwardCycle, year=year)
    form = PhaseExtendForm(request.POST, prefix="extend")
    if not form.is_valid():
        messages.error(request, _("Ange ett giltigt datum och en motivering för att förlänga fasen."))
        return redirect("award:cycle_detail", year=year)
    with service_call(request):
        changed = services.phase_extend(
            cycle=cycle,
            by=request.user,
            until=form.cleaned_data["until"],
            reason=form.cleaned_data["reason"],
        )
        messages.success(
            request,
            _("Fasen är förlängd. %(count)s datum i tidplanen ändrades.") % {"count": len(changed)},
        )
    return redirect("award:cycle_detail", year=year)


@role_required(Role.SLK)
def outbox(request):
    """Every e-mail the platform has sent or will send: pending, sent, failed with the
    reason, and the workers' heartbeat (is anything sending them?)."""
    from django.core.paginator import Paginator

    from award.models import OutboxMessage
    from award.web import page_links

    status = request.GET.get("status", "")
    page = Paginator(queries.outbox_messages(status=status), 50).get_page(request.GET.get("sida"))
    counts = queries.outbox_counts()
    return render(
        request,
        "award/outbox.html",
        {
            "messages_page": page,
            "pagination": page_links(request, page),
            "status": status,
            "statuses": [(value, label, counts[value]) for value, label in OutboxMessage.Status.choices],
            "workers": queries.workers(),
        },
    )


@require_POST
@role_required(Role.SLK)
def outbox_resend(request, pk):
    from award.models import OutboxMessage

    message = get_object_or_404(OutboxMessage, pk=pk)
    with service_call(request):
        services.outbox_resend(message=message, by=request.user)
        messages.success(
            request, _("E-postmeddelandet till %(to)s skickas igen.") % {"to": message.recipient}
        )
    return redirect(
        request.POST.get("next") if request.POST.get("next", "").startswith("/") else "award:outbox"
    )
