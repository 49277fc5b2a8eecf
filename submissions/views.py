"""Pages for units (register, write, submit, withdraw) and for SLK (follow and decide).

Each view fetches its application through a visibility-checked query (404 when the user may
not see it), validates with a form, calls one service and redirects.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from award import listing
from award.autosave import autosave
from award.models import AwardCycle, Phase
from award.roles import Role, has_role, role_required
from award.web import page_links, service_call
from submissions import earlier_feedback, eligibility, exports, queries, services
from submissions.forms import (
    AnswerForm,
    AttachmentForm,
    DecisionForm,
    DetailsForm,
    ExtendForm,
    ImprovementNotesForm,
    OptionalReasonForm,
    OverviewFilterForm,
    RegistrationForm,
    ReopenForm,
)
from submissions.models import Answer, Application, Attachment


def _application(request, pk) -> Application:
    return queries.application_for_user_or_404(request.user, pk)


def _unit_application(request, pk) -> Application:
    """An application the user may change as the unit's contact (SLK reads but does not write)."""
    if not has_role(request.user, Role.SLK):
        # The usual case in one query: the application, read only if the user may change it.
        try:
            return queries.applications_for_user(request.user, "submissions.change_application").get(pk=pk)
        except Application.DoesNotExist:
            pass  # 404 or 403, told apart below
    application = _application(request, pk)
    if not request.user.has_perm("submissions.change_application", application):
        raise PermissionDenied
    return application


# --- unit contacts ------------------------------------------------------------------


@role_required(Role.UNIT_CONTACT, Role.SLK)
def application_list(request):
    applications = queries.with_completeness(queries.applications_for_user(request.user)).order_by(
        "-track__cycle__year", "code"
    )
    if has_role(request.user, Role.SLK):
        return redirect("submissions:overview")
    cycle = AwardCycle.objects.current()
    return render(
        request,
        "submissions/application_list.html",
        {
            "applications": applications,
            "cycle": cycle,
            "registration_open": cycle is not None and cycle.phase == Phase.REGISTRATION,
        },
    )


@role_required(Role.UNIT_CONTACT)
def register(request):
    cycle = AwardCycle.objects.current()
    if cycle is None or cycle.phase != Phase.REGISTRATION:
        messages.error(request, _("Anmälan är inte öppen just nu."))
        return redirect("submissions:application_list")
    units = request.user.units.select_related("organisation").prefetch_related("past_results")
    form = RegistrationForm(request.POST or None, units=units, cycle=cycle)
    if request.method == "POST" and form.is_valid():
        data = services.RegistrationData(**form.cleaned_data)
        if not data.track.has_classes:
            data.competition_class = None
        with service_call(request, form=form):
            application = services.application_register(data=data, by=request.user)
            messages.success(
                request,
                _("%(unit)s är anmäld till %(track)s med bidragskoden %(code)s. Nu kan ni börja skriva.")
                % {"unit": application.unit.name, "track": application.track.name, "code": application.code},
            )
            return redirect("submissions:application_detail", pk=application.pk)
    tracks = list(cycle.tracks.all())
    checklists = [
        {
            "unit": unit,
            "tracks": [
                {
                    "track": track,
                    "result": eligibility.check(unit=unit, track=track, past_results=unit.past_results.all()),
                }
                for track in tracks
            ],
        }
        for unit in units
    ]
    return render(
        request, "submissions/register.html", {"form": form, "cycle": cycle, "checklists": checklists}
    )


def application_detail(request, pk):
    application = _application(request, pk)
    answers = list(application.answers.select_related("criterion").order_by("criterion__number"))
    can_edit = request.user.has_perm("submissions.change_application", application)
    context = {
        "application": application,
        "answers": answers,
        "missing": queries.missing_parts(application, answers),
        "attachments": application.attachments.all(),
        "can_edit": can_edit and application.is_editable,
        "can_withdraw": can_edit and not queries.withdraw_refusal(application),
        "is_slk": has_role(request.user, Role.SLK),
        "details_form": DetailsForm(instance=application),
        "attachment_form": AttachmentForm(),
        "max_file_mb": _mb("ATTACHMENT_MAX_FILE_BYTES"),
        "max_total_mb": _mb("ATTACHMENT_MAX_TOTAL_BYTES"),
    }
    if context["is_slk"]:
        context.update(
            decision_form=DecisionForm(prefix="decision"),
            extend_form=ExtendForm(prefix="extend"),
            reopen_form=ReopenForm(prefix="reopen"),
            log=_log(application),
        )
    return render(request, "submissions/application_detail.html", context)


def _mb(setting_name):
    from django.conf import settings

    return getattr(settings, setting_name) // 1_000_000


def _log(application):
    """The application's last 50 events (the page shows each by its AuditEntry.label)."""
    from award import audit

    return audit.entries_for(application)[:50]


def answer_edit(request, pk, criterion_id):
    application = _unit_application(request, pk)
    answer = get_object_or_404(
        Answer.objects.select_related("criterion", "updated_by"),
        application=application,
        criterion_id=criterion_id,
    )
    criterion = answer.criterion
    form_kwargs = {"max_length": criterion.max_length, "described_by": "guidance count"}
    conflict = None
    if request.method == "POST":
        form = AnswerForm(request.POST, **form_kwargs)

        def save() -> Answer:
            return services.answer_save(
                application=application,
                criterion_id=criterion.pk,
                text=form.cleaned_data["text"],
                base_version=form.cleaned_data["version"],
                by=request.user,
                answer=answer,
            )

        if request.htmx:
            return autosave(request, form=form, save=save, stale_message=_answer_saved_meanwhile)
        if form.is_valid():
            with service_call(request, form=form) as outcome:
                answer = save()
                messages.success(
                    request,
                    _("Svaret på kriterium %(number)s, %(title)s, är sparat.")
                    % {"number": criterion.number, "title": criterion.title},
                )
                return redirect(_next_answer_url(application, answer) or application_url(application))
            conflict = outcome.stale
    else:
        form = AnswerForm(initial={"text": answer.text, "version": answer.version}, **form_kwargs)
    # A refused POST stays on the page with the reason, so the text just written is not lost.
    if request.method != "POST" and not application.is_editable:
        messages.info(request, _("Bidraget kan inte ändras längre."))
        return redirect("submissions:application_detail", pk=application.pk)
    if conflict is not None:
        # Keep what the editor wrote, but work on from the version now saved.
        form = AnswerForm(
            initial={"text": form.cleaned_data["text"], "version": conflict.version}, **form_kwargs
        )
    areas = earlier_feedback.areas_for(application).get(criterion.number, [])
    return render(
        request,
        "submissions/answer_edit.html",
        {
            "application": application,
            "answer": answer,
            "criterion": criterion,
            "form": form,
            "conflict": conflict,
            "notes_form": ImprovementNotesForm(areas=areas, notes=answer.improvement_notes)
            if areas
            else None,
        },
    )


@require_POST
def improvement_notes(request, pk, criterion_id):
    """What the unit has done about last feedback's areas for improvement on a criterion."""
    application = _unit_application(request, pk)
    answer = get_object_or_404(
        Answer.objects.select_related("criterion"), application=application, criterion_id=criterion_id
    )
    areas = earlier_feedback.areas_for(application).get(answer.criterion.number, [])
    form = ImprovementNotesForm(request.POST, areas=areas)
    url = reverse("submissions:answer_edit", args=[application.pk, criterion_id])
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect(url)
    with service_call(request, success=_("Det ni har gjort åt förbättringsområdena är sparat.")):
        services.answer_improvements_save(
            application=application, criterion_id=criterion_id, notes=form.notes(), by=request.user
        )
    return redirect(f"{url}#forbattringar")


def application_url(application):
    return reverse("submissions:application_detail", args=[application.pk])


def _next_answer_url(application, answer):
    following = (
        application.answers.filter(criterion__number__gt=answer.criterion.number)
        .order_by("criterion__number")
        .values_list("criterion_id", flat=True)
        .first()
    )
    if following is None:
        return None
    return reverse("submissions:answer_edit", args=[application.pk, following])


def _answer_saved_meanwhile(saved: Answer) -> str:
    # The status line cannot show both texts; the save button's page does.
    return _(
        "%(who)s sparade det här svaret medan du skrev. Din text är inte sparad men "
        "står kvar i rutan: tryck på ”Spara och gå vidare” för att jämföra texterna."
    ) % {"who": saved.updated_by or _("Någon annan")}


@require_POST
def details_save(request, pk):
    application = _unit_application(request, pk)
    form = DetailsForm(request.POST, instance=Application(film_url=application.film_url))
    if form.is_valid():
        with service_call(request, success=_("Länken till filmen är sparad.")):
            services.application_details_save(
                application=application, film_url=form.cleaned_data["film_url"], by=request.user
            )
    else:
        messages.error(request, _("Ange en giltig webbadress."))
    return redirect("submissions:application_detail", pk=application.pk)


@require_POST
def attachment_upload(request, pk):
    application = _unit_application(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Välj en fil att ladda upp."))
    else:
        with service_call(request):
            attachment = services.attachment_add(
                application=application,
                uploaded_file=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
                by=request.user,
            )
            messages.success(
                request, _("Bilagan %(name)s är uppladdad.") % {"name": attachment.original_name}
            )
    return redirect(application_url(application) + "#bilagor")


def attachment_download(request, pk, attachment_id):
    application = _application(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_id, application=application)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    response = FileResponse(
        handle,
        as_attachment=attachment.kind != Attachment.Kind.PDF,
        filename=attachment.original_name,
        content_type={
            Attachment.Kind.PDF: "application/pdf",
            Attachment.Kind.PNG: "image/png",
            Attachment.Kind.JPEG: "image/jpeg",
        }.get(attachment.kind, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def attachment_delete(request, pk, attachment_id):
    application = _unit_application(request, pk)
    attachment = get_object_or_404(Attachment, pk=attachment_id, application=application)
    with service_call(
        request, success=_("Bilagan %(name)s är borttagen.") % {"name": attachment.original_name}
    ):
        services.attachment_remove(attachment=attachment, by=request.user)
    return redirect(application_url(application) + "#bilagor")


def submit(request, pk):
    application = _unit_application(request, pk)
    if request.method == "POST":
        with service_call(request):
            services.application_submit(application=application, by=request.user)
            return redirect("submissions:receipt", pk=application.pk)
        return redirect("submissions:application_detail", pk=application.pk)
    missing = queries.missing_parts(application)
    return render(
        request, "submissions/submit_confirm.html", {"application": application, "missing": missing}
    )


def receipt(request, pk):
    application = _application(request, pk)
    if application.status != Application.Status.SUBMITTED:
        return redirect("submissions:application_detail", pk=application.pk)
    return render(request, "submissions/receipt.html", {"application": application})


def withdraw(request, pk):
    application = _unit_application(request, pk)
    form = OptionalReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with service_call(request, success=_("Bidraget %(code)s är återtaget.") % {"code": application.code}):
            services.application_withdraw(
                application=application, reason=form.cleaned_data["reason"], by=request.user
            )
        return redirect("submissions:application_detail", pk=application.pk)
    return render(request, "submissions/withdraw_confirm.html", {"application": application, "form": form})


def _print_context(application):
    return {
        "application": application,
        "answers": application.answers.select_related("criterion").order_by("criterion__number"),
        "attachments": application.attachments.all(),
    }


def print_view(request, pk):
    application = _application(request, pk)
    return render(request, "submissions/print.html", _print_context(application))


def pdf(request, pk):
    application = _application(request, pk)
    content = exports.application_pdf(request, _print_context(application))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tavlingsbidrag-{application.code}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- SLK --------------------------------------------------------------------------------

OVERVIEW_PAGE_SIZE = 100
"""Rows per page of SLK's overview; the Excel export always has every row of the filter."""


OVERVIEW_COLUMNS = [
    listing.Column("bidrag", _lazy("Bidrag"), ("code",)),
    listing.Column("enhet", _lazy("Enhet"), ("unit__name", "code")),
    listing.Column("forvaltning", _lazy("Förvaltning"), ("unit__organisation__name", "unit__name", "code")),
    listing.Column(
        "klass", _lazy("Klass"), ("track__kind", "competition_class__order", "unit__name", "code")
    ),
    listing.Column("status", _lazy("Status"), ("status", "registration_status", "code")),
    listing.Column("besvarat", _lazy("Besvarat"), ("answered", "code")),
    listing.Column("andrad", _lazy("Senast ändrad"), ("updated_at", "code")),
]


@role_required(Role.SLK)
def overview(request):
    cycles = AwardCycle.objects.all()
    year = request.GET.get("year")
    cycle = (
        get_object_or_404(AwardCycle, year=year)
        if year and year.isdigit()
        else AwardCycle.objects.current() or cycles.first()
    )
    if cycle is None:
        return render(request, "submissions/overview.html", {"cycle": None})
    form = OverviewFilterForm(request.GET or None, cycle=cycle)
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        filters = {
            "state": data["state"],
            "class_id": data["competition_class"].pk if data["competition_class"] else None,
            "organisation_id": data["organisation"].pk if data["organisation"] else None,
        }
    order, headers = listing.sorting(request, OVERVIEW_COLUMNS, default="klass")
    text, found = listing.search(request, ["code", "unit__name", "unit__organisation__name"])
    applications = queries.overview(cycle=cycle, **filters).filter(found).order_by(*order)
    if request.GET.get("export") == "xlsx":
        return exports.overview_xlsx_response(cycle=cycle, applications=applications)
    page = Paginator(applications, OVERVIEW_PAGE_SIZE).get_page(request.GET.get("sida"))
    return render(
        request,
        "submissions/overview.html",
        {
            "cycle": cycle,
            "cycles": cycles,
            "form": form,
            "applications": page.object_list,
            "count": page.paginator.count,
            "pagination": page_links(request, page),
            "counts": queries.overview_counts(cycle=cycle),
            "export_query": request.GET.urlencode(),
            "bulk_approve": filters.get("state") == "pending" and page.paginator.count > 0,
            "headers": headers,
            "text": text,
        },
    )


@require_POST
@role_required(Role.SLK)
def registration_decide(request, pk):
    application = _application(request, pk)
    form = DecisionForm(request.POST, prefix="decision")
    if not form.is_valid():
        messages.error(request, _("Välj godkänn eller avslå."))
    else:
        approve = form.cleaned_data["decision"] == "approve"
        names = {"code": application.code, "unit": application.unit.name}
        done = (
            _("Anmälan %(code)s från %(unit)s är godkänd.")
            if approve
            else _("Anmälan %(code)s från %(unit)s är avslagen.")
        )
        with service_call(request, success=done % names):
            services.registration_decide(
                application=application,
                approve=approve,
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
    return redirect("submissions:application_detail", pk=application.pk)


@require_POST
@role_required(Role.SLK)
def registrations_approve(request):
    """The overview's "approve the marked ones": every marked registration in one go."""
    year = request.POST.get("year", "")
    ids = [pk for pk in request.POST.getlist("application") if pk.isdigit()]
    applications = Application.objects.filter(pk__in=ids, track__cycle__year=year if year.isdigit() else 0)
    with service_call(request) as outcome:
        count = services.registrations_approve(applications=applications.order_by("code"), by=request.user)
    if not outcome.refused:
        messages.success(
            request,
            ngettext("%(count)s anmälan är godkänd.", "%(count)s anmälningar är godkända.", count)
            % {"count": count},
        )
    url = reverse("submissions:overview")
    return redirect(f"{url}?{urlencode({'year': year, 'state': 'pending'})}" if year.isdigit() else url)


@require_POST
@role_required(Role.SLK)
def extend(request, pk):
    application = _application(request, pk)
    form = ExtendForm(request.POST, prefix="extend")
    if not form.is_valid():
        messages.error(request, _("Ange ett datum och en motivering."))
    else:
        with service_call(
            request,
            success=_("%(unit)s har fått förlängd tid för %(code)s till och med %(date)s.")
            % {
                "unit": application.unit.name,
                "code": application.code,
                "date": date_format(form.cleaned_data["until"]),
            },
        ):
            services.application_extend(application=application, by=request.user, **form.cleaned_data)
    return redirect("submissions:application_detail", pk=application.pk)


@require_POST
@role_required(Role.SLK)
def reopen(request, pk):
    application = _application(request, pk)
    form = ReopenForm(request.POST, prefix="reopen")
    if not form.is_valid():
        messages.error(request, _("Ange en motivering."))
    else:
        with service_call(
            request,
            success=_("%(code)s är öppnat igen för %(unit)s.")
            % {"code": application.code, "unit": application.unit.name},
        ):
            services.application_reopen(application=application, by=request.user, **form.cleaned_data)
    return redirect("submissions:application_detail", pk=application.pk)
