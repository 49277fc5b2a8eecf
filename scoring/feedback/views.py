"""The feedback report (återföringsrapport): the team edits it, SLK approves it, the unit
reads it and downloads it as a PDF once it is released.

Who may open what: the team of the application and SLK open the editing page (anyone else
gets 404); the unit's contacts open the unit's version only when `queries.report_released`
says so (404 before, so the unit learns nothing of its scores early); SLK may preview it at
any time. Every change goes through `services`.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from award.autosave import autosave
from award.roles import Role, has_role
from award.web import service_call
from scoring import exports, queries, services
from scoring.feedback.forms import ReportForm
from scoring.models import FeedbackReport
from submissions.models import Application
from submissions.queries import application_for_user_or_404

UNIT_PERM = "submissions.change_application"


def _report(application: Application) -> FeedbackReport | None:
    report = FeedbackReport.objects.filter(application=application).select_related("approved_by").first()
    if report is not None:
        report.application = application
    return report


def _items(report: FeedbackReport) -> list:
    return list(report.items.select_related("criterion").order_by("criterion__number"))


def _team_or_slk(request, pk) -> tuple[Application, bool]:
    """The application and whether the user may change its report (leader or SLK). Team
    members read; anyone else gets 404."""
    application = get_object_or_404(
        Application.objects.select_related("track__cycle", "unit__organisation", "competition_class"), pk=pk
    )
    if has_role(request.user, Role.SLK):
        return application, True
    member = queries.team_member_for(request.user, application)
    if member is None:
        raise Http404
    return application, member.is_leader


def report_edit(request, pk):
    application, may_edit = _team_or_slk(request, pk)
    report = _report(application)
    context = {
        "application": application,
        "report": report,
        "may_edit": may_edit,
        "is_slk": has_role(request.user, Role.SLK),
        "show_scores_to_units": application.cycle.show_scores_to_units,
    }
    if report is None:
        return render(request, "scoring/feedback/report_edit.html", context)
    items = _items(report)
    form = ReportForm.for_report(report, items) if may_edit and not report.is_approved else None
    saved = {}
    if request.method == "POST":
        form = ReportForm(request.POST, items=items)
        if request.htmx:
            return autosave(
                request,
                form=form,
                save=lambda: form.save(report=report, by=request.user),
                # The page keeps the old version, so the save button then shows both texts.
                stale_message=_(
                    "Inte sparat: någon annan har sparat rapporten sedan du öppnade sidan. Din text står "
                    "kvar: tryck på ”Spara rapporten” för att jämföra med den sparade versionen."
                ),
            )
        if form.is_valid():
            with service_call(request) as outcome:
                form.save(report=report, by=request.user)
                messages.success(
                    request, _("Återföringsrapporten för %(code)s är sparad.") % {"code": application.code}
                )
                return redirect("scoring:report_edit", pk=application.pk)
            current = outcome.stale
            if current is None:
                return redirect("scoring:report_edit", pk=application.pk)
            saved = {item.criterion_id: item for item in _items(current)}
            context["saved_summary"] = current.summary
            context["conflict"] = True
            form = form.rebase(current.version)
    rows = (
        [
            {
                "item": item,
                "strengths": strengths,
                "improvements": improvements,
                "saved": saved.get(item.criterion_id),
            }
            for item, strengths, improvements in form.rows()
        ]
        if form is not None
        else [{"item": item} for item in items]
    )
    context.update(
        form=form,
        rows=rows,
        released=queries.report_released(report),
        can_redraft=may_edit and not report.is_approved,
        can_approve=context["is_slk"] and not report.is_approved,
    )
    return render(request, "scoring/feedback/report_edit.html", context)


def _confirm(request, *, application, title, text, button):
    """Ask before an action that cannot be undone; the form posts back to the same URL."""
    return render(
        request,
        "scoring/feedback/confirm.html",
        {"application": application, "title": title, "text": text, "button": button},
    )


def report_redraft(request, pk):
    """Write the report's per-criterion texts again from the final consensus (the summary
    stays). Asks first, since it replaces what the team has edited."""
    application, may_edit = _team_or_slk(request, pk)
    report = _report(application)
    if report is None or not may_edit:
        raise PermissionDenied
    if request.method == "POST":
        with service_call(request, success=_("Utkastet är skrivet om från konsensus.")):
            services.report_draft(application=application, by=request.user)
        return redirect("scoring:report_edit", pk=application.pk)
    return _confirm(
        request,
        application=application,
        title=_("Skriv om utkastet från konsensus"),
        text=_(
            "Styrkor och förbättringsområden per kriterium ersätts med dem i den fastställda "
            "konsensusen. Sammanfattningen behålls. Ändringar ni har gjort per kriterium försvinner."
        ),
        button=_("Skriv om utkastet"),
    )


def report_approve(request, pk):
    application, _may_edit = _team_or_slk(request, pk)
    if not has_role(request.user, Role.SLK):
        raise PermissionDenied
    report = _report(application)
    if report is None:
        raise Http404
    if request.method == "POST":
        with service_call(
            request,
            success=_("Rapporten är godkänd. Enheten kan läsa den från och med %(date)s.")
            % {"date": date_format(application.cycle.feedback_release)},
        ):
            services.report_approve(report=report, by=request.user)
        return redirect("scoring:report_edit", pk=application.pk)
    return _confirm(
        request,
        application=application,
        title=_("Godkänn återföringsrapporten"),
        text=_(
            "En godkänd rapport kan inte ändras längre. Enheten kan läsa den från och med "
            "%(date)s, när återföringsrapporterna släpps."
        )
        % {"date": date_format(application.cycle.feedback_release)},
        button=_("Godkänn rapporten"),
    )


# --- The unit's version -----------------------------------------------------------------


def _unit_report(request, pk) -> dict:
    """The report as the unit sees it: for the unit's contacts only once released, for SLK
    at any time (as a preview). 404 otherwise, so nothing shows before release."""
    application = application_for_user_or_404(request.user, pk)
    is_slk = has_role(request.user, Role.SLK)
    if not is_slk and not request.user.has_perm(UNIT_PERM, application):
        raise Http404
    report = _report(application)
    released = queries.report_released(report)
    if report is None or not (released or is_slk):
        raise Http404
    return {
        "application": application,
        "report": report,
        "items": _items(report),
        "show_scores": application.cycle.show_scores_to_units,
        "preview": not released,
    }


def report_unit(request, pk):
    return render(request, "scoring/feedback/report_unit.html", _unit_report(request, pk))


def report_pdf(request, pk):
    context = _unit_report(request, pk)
    application = context["application"]
    response = HttpResponse(exports.report_pdf(request, context), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="aterforingsrapport-{application.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response
