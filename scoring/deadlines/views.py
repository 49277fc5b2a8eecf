"""SLK extends the individual assessment's deadline, for one team or every team of the
cycle, with a reason (scoring.services.assessment_deadline_extend)."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from award.models import AwardCycle
from award.roles import Role, role_required
from award.web import service_call
from scoring import services
from scoring.deadlines.forms import AssessmentExtendForm
from scoring.deadlines.queries import team_deadlines


@role_required(Role.SLK)
def assessment_deadline(request, year):
    cycle = get_object_or_404(AwardCycle, year=year)
    form = AssessmentExtendForm(request.POST or None, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        team = form.cleaned_data["team"]
        with service_call(request, form=form):
            count = services.assessment_deadline_extend(
                cycle=cycle,
                team=team,
                until=form.cleaned_data["until"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
            messages.success(
                request,
                _("Tiden för individuell bedömning är förlängd till och med %(date)s för %(team)s.")
                % {
                    "date": form.cleaned_data["until"].isoformat(),
                    "team": team.name if team else _("alla %(count)s lag") % {"count": count},
                },
            )
            return redirect("scoring:assessment_deadline", year=year)
    return render(
        request,
        "scoring/deadlines/assessment_deadline.html",
        {"cycle": cycle, "form": form, "rows": team_deadlines(cycle)},
    )
