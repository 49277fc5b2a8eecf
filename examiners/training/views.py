"""SLK's training pages: the cycle's sessions, a session's roster with enrolment and
attendance, and who in the pool is qualified.

Each view fetches its object, validates with a form, calls one service (through
`award.web.service_call`) and redirects. A service's refusal is shown as a message, or
above the form when the page is shown again, and nothing changes.
"""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from award.models import AwardCycle
from award.roles import Role, role_required
from award.spreadsheets import XLSX_CONTENT_TYPE, StreamingWorkbook
from award.web import service_call
from examiners import services
from examiners.models import Enrolment, TrainingDay, TrainingSession
from examiners.training import queries as queries_training
from examiners.training.forms import AttendanceForm, EnrolForm, QualificationFilterForm, SessionForm


def _cycle(year) -> AwardCycle:
    return get_object_or_404(AwardCycle, year=year)


def _session(pk) -> TrainingSession:
    return get_object_or_404(TrainingSession.objects.select_related("cycle"), pk=pk)


def _names(enrolments) -> str:
    return ", ".join(str(e.member.profile) for e in enrolments)


# --- Sessions -------------------------------------------------------------------------


@role_required(Role.SLK)
def training_list(request, year):
    cycle = _cycle(year)
    return render(
        request,
        "examiners/training/list.html",
        {"cycle": cycle, "sessions": queries_training.sessions_for_cycle(cycle)},
    )


@role_required(Role.SLK)
def session_create(request, year):
    cycle = _cycle(year)
    form = SessionForm(request.POST or None, instance=TrainingSession(cycle=cycle))
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form):
            session = form.save(by=request.user)
            messages.success(request, _("Utbildningen %(title)s är skapad.") % {"title": session.title})
            return redirect("examiners:session_roster", pk=session.pk)
        # Refused: the transaction rolled back, and the in-memory session must not look saved.
        form.instance.pk = None
    return render(request, "examiners/training/session_form.html", {"cycle": cycle, "form": form})


@role_required(Role.SLK)
def session_edit(request, pk):
    session = _session(pk)
    form = SessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form):
            session = form.save(by=request.user)
            messages.success(request, _("Utbildningen %(title)s är ändrad.") % {"title": session.title})
            return redirect("examiners:session_roster", pk=session.pk)
    return render(
        request,
        "examiners/training/session_form.html",
        {"cycle": session.cycle, "form": form, "session": _session(pk)},
    )


@role_required(Role.SLK)
def session_roster(request, pk):
    session = _session(pk)
    roster = queries_training.session_roster(session)
    days = list(session.days.all())
    marked = {(a.enrolment_id, a.day_id): a.present for e in roster.enrolled for a in e.attendance.all()}
    rows = [{"enrolment": e, "marks": [marked.get((e.pk, day.pk)) for day in days]} for e in roster.enrolled]
    return render(
        request,
        "examiners/training/roster.html",
        {
            "session": session,
            "cycle": session.cycle,
            "days": days,
            "rows": rows,
            "waiting": roster.waiting,
            "free": max(session.capacity - len(roster.enrolled), 0),
            "enrol_form": EnrolForm(session=session),
        },
    )


@role_required(Role.SLK)
def session_print(request, pk):
    """The attendance list to print: one row per enrolled examiner, a box per day."""
    session = _session(pk)
    return render(
        request,
        "examiners/training/print.html",
        {
            "session": session,
            "days": list(session.days.all()),
            "enrolled": queries_training.session_roster(session).enrolled,
        },
    )


# --- Enrolment and attendance ---------------------------------------------------------


@require_POST
@role_required(Role.SLK)
def enrol(request, pk):
    session = _session(pk)
    form = EnrolForm(request.POST, session=session)
    if not form.is_valid():
        messages.error(request, _("Välj en antagen examinator som inte redan är anmäld."))
        return redirect("examiners:session_roster", pk=session.pk)
    with service_call(request):
        enrolment = form.save(by=request.user)
        if enrolment.status == Enrolment.Status.ENROLLED:
            message = _("%(name)s är anmäld till %(title)s.")
        else:
            message = _("Utbildningen är full. %(name)s står på väntelistan till %(title)s.")
        messages.success(request, message % {"name": enrolment.member.profile, "title": session.title})
    return redirect("examiners:session_roster", pk=session.pk)


@role_required(Role.SLK)
def enrolment_cancel(request, pk):
    enrolment = get_object_or_404(
        Enrolment.objects.exclude(status=Enrolment.Status.CANCELLED).select_related(
            "session__cycle", "member__profile__user"
        ),
        pk=pk,
    )
    session = enrolment.session
    if request.method == "POST":
        with service_call(request):
            promoted = services.enrolment_cancel(enrolment=enrolment, by=request.user)
            messages.success(
                request,
                _("%(name)s är avanmäld från %(title)s.")
                % {"name": enrolment.member.profile, "title": session.title},
            )
            if promoted:
                messages.success(
                    request,
                    _("Från väntelistan har %(names)s fått en plats och fått besked per e-post.")
                    % {"names": _names(promoted)},
                )
        return redirect("examiners:session_roster", pk=session.pk)
    return render(
        request,
        "examiners/training/cancel_confirm.html",
        {"enrolment": enrolment, "session": session, "cycle": session.cycle},
    )


@role_required(Role.SLK)
def attendance(request, pk, day_pk):
    day = get_object_or_404(TrainingDay.objects.select_related("session__cycle"), pk=day_pk, session_id=pk)
    session = day.session
    enrolled = queries_training.session_roster(session).enrolled
    form = AttendanceForm(request.POST or None, day=day, enrolments=enrolled)
    if request.method == "POST" and form.is_valid():
        with service_call(request):
            present = form.save(by=request.user)
            messages.success(
                request,
                _("Närvaron %(date)s är sparad: %(present)s av %(total)s närvarande.")
                % {"date": day.date.isoformat(), "present": present, "total": len(enrolled)},
            )
        return redirect("examiners:session_roster", pk=session.pk)
    return render(
        request,
        "examiners/training/attendance.html",
        {"session": session, "cycle": session.cycle, "day": day, "form": form, "enrolled": enrolled},
    )


# --- Qualification --------------------------------------------------------------------


@role_required(Role.SLK)
def qualification(request, year):
    cycle = _cycle(year)
    form = QualificationFilterForm(request.GET or None)
    rows = queries_training.qualification_overview(cycle=cycle, qualified=form.qualified_filter())
    return render(
        request,
        "examiners/training/qualification.html",
        {
            "cycle": cycle,
            "form": form,
            "rows": rows,
            "qualified_count": sum(1 for r in rows if r.status.qualified),
            "export_query": request.GET.urlencode(),
        },
    )


QUALIFICATION_HEADER = [
    "Namn",
    "E-post",
    "Förvaltning eller bolag",
    "Ny eller erfaren",
    "Kvalificerad",
    "Utbildningsstatus",
    "Anmäld till",
    "På väntelista till",
]


def _qualification_cells(row) -> list:
    profile = row.member.profile
    return [
        str(profile),
        profile.user.email,
        profile.organisation.name,
        _("Erfaren") if row.experienced else _("Ny"),
        _("Ja") if row.status.qualified else _("Nej"),
        str(row.status.label),
        ", ".join(s.title for s in row.enrolled),
        ", ".join(s.title for s in row.waiting),
    ]


@role_required(Role.SLK)
def qualification_export(request, year):
    cycle = _cycle(year)
    form = QualificationFilterForm(request.GET or None)
    book = StreamingWorkbook()
    sheet = book.sheet(f"Utbildning {cycle.year}", QUALIFICATION_HEADER)
    for row in queries_training.qualification_overview(cycle=cycle, qualified=form.qualified_filter()):
        book.append(sheet, _qualification_cells(row))
    response = HttpResponse(book.to_bytes(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="examinatorsutbildning-{cycle.year}.xlsx"'
    return response
