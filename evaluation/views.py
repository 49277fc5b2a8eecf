"""Evaluating the cycle: SLK sends the questionnaires and reads their results and the cycle
report (also as XLSX and PDF); each recipient answers their questionnaire once.

Who may open what: the evaluation and the report pages are SLK's (403 for everyone else);
a questionnaire opens only for the people it was sent to (404 for anyone else, SLK too, so
nobody learns whom it went to). Every change goes through `services`.
"""

from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from award.models import AwardCycle
from award.roles import Role, role_required
from award.spreadsheets import XLSX_CONTENT_TYPE
from award.web import service_call
from evaluation import report as cycle_report
from evaluation import services as evaluation_services
from evaluation.forms import QuestionnaireForm, SendForm
from evaluation.models import Questionnaire, QuestionnaireResponse
from judging.current import redirect_to_cycle


@role_required(Role.SLK, Role.COMMITTEE)
def current(request):
    """The navigation's link: the latest cycle whose feedback has been released."""
    return redirect_to_cycle(request, "evaluation:evaluation", released=True)


def _cycle(year):
    return get_object_or_404(AwardCycle, year=year)


@role_required(Role.SLK)
def evaluation(request, year):
    cycle = _cycle(year)
    if request.method == "POST":
        form = SendForm(request.POST)
        if form.is_valid():
            audience = form.cleaned_data["audience"]
            with service_call(
                request,
                success=_("Enkäten till %(audience)s är skickad.")
                % {"audience": str(Questionnaire.Audience(audience).label).lower()},
            ):
                evaluation_services.questionnaire_send(cycle=cycle, audience=audience, by=request.user)
        return redirect("evaluation:evaluation", year=cycle.year)
    return render(
        request,
        "evaluation/evaluation.html",
        {
            "cycle": cycle,
            "parts": cycle_report.with_charts(cycle_report.questionnaire_results(cycle)),
            "released": cycle.feedback_released(),
        },
    )


@role_required(Role.SLK)
def report(request, year):
    cycle = _cycle(year)
    context = cycle_report.cycle_report(cycle)
    export = request.GET.get("format")
    if export == "xlsx":
        response = HttpResponse(cycle_report.report_xlsx(context), content_type=XLSX_CONTENT_TYPE)
        response["Content-Disposition"] = f'attachment; filename="omgangsrapport-{cycle.year}.xlsx"'
        return response
    cycle_report.with_charts(context["questionnaires"])
    if export == "pdf":
        response = HttpResponse(cycle_report.report_pdf(request, context), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="omgangsrapport-{cycle.year}.pdf"'
        return response
    return render(request, "evaluation/report.html", context)


def questionnaire_answer(request, pk):
    questionnaire = cycle_report.questionnaire_for_respondent_or_none(request.user, pk)
    if questionnaire is None:
        raise Http404
    context = {"questionnaire": questionnaire, "cycle": questionnaire.cycle}
    if QuestionnaireResponse.objects.filter(questionnaire=questionnaire, respondent=request.user).exists():
        return render(request, "evaluation/thanks.html", context)
    form = QuestionnaireForm(request.POST or None, questionnaire=questionnaire)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form, success=_("Tack för dina svar!")):
            form.save(by=request.user)
            return redirect("evaluation:questionnaire_answer", pk=questionnaire.pk)
    return render(request, "evaluation/answer.html", {**context, "form": form})
