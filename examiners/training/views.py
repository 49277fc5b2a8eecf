"""SLK's training pages: the cycle's sessions, a session's roster with enrolment and
attendance, who in the pool is qualified, the session's practice case and the trainer's
calibration page; and the trainee's own assessment of the practice case.

Each view fetches its object, validates with a form, calls one service (through
`award.web.service_call`) and redirects. A service's refusal is shown as a message, or
above the form when the page is shown again, and nothing changes.
"""

from functools import wraps

from django.contrib import messages
from django.db.models import prefetch_related_objects
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from award import listing
from award.autosave import autosave
from award.models import AwardCycle
from award.roles import Role, role_required
from award.spreadsheets import XLSX_CONTENT_TYPE, StreamingWorkbook
from award.web import flash_form_errors, service_call
from examiners import queries, rules, services
from examiners.models import (
    Enrolment,
    PracticeAssessment,
    PracticeAssessmentItem,
    PracticeCase,
    PracticeCaseItem,
    TrainingDay,
    TrainingSession,
)
from examiners.training import charts as training_charts
from examiners.training import queries as queries_training
from examiners.training.forms import (
    AttendanceForm,
    EnrolForm,
    PracticeCaseForm,
    PracticeCopyForm,
    PracticeItemForm,
    QualificationFilterForm,
    SessionForm,
)


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


ROSTER_COLUMNS = [
    listing.Column("namn", _lazy("Namn"), tuple(queries_training.ROSTER_ORDER)),
    listing.Column(
        "forvaltning",
        _lazy("Förvaltning eller bolag"),
        ("member__profile__organisation__name", *queries_training.ROSTER_ORDER),
    ),
]


@role_required(Role.SLK)
def session_roster(request, pk):
    session = _session(pk)
    order, headers = listing.sorting(request, ROSTER_COLUMNS, default="namn")
    text, found = listing.search(request, [f"member__{field}" for field in queries.POOL_MEMBER_SEARCH])
    roster = queries_training.session_roster(session, found=found, order=order)
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
            "case": _case_of(session),
            "headers": headers,
            "text": text,
            "keep": [(listing.SORT, request.GET[listing.SORT])] if request.GET.get(listing.SORT) else [],
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
                % {"date": date_format(day.date), "present": present, "total": len(enrolled)},
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
    "Övningsfall",
    "Samtal: avvikelse från referensen (procentenheter)",
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
        _("Inlämnat") if row.practice_done else _("Inte gjort"),
        row.practice_flag if row.practice_flag is not None else "",
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


# --- The practice case: SLK's case and the trainer's calibration ---------------------------


def _case_of(session: TrainingSession):
    return PracticeCase.objects.filter(session=session).select_related("track").first()


@role_required(Role.SLK)
def practice_case(request, pk):
    """The session's practice case: its texts and the reference consensus, set by SLK."""
    session = _session(pk)
    case = _case_of(session)
    form = PracticeCaseForm(request.POST or None, session=session, case=case)
    if request.method == "POST" and form.is_valid():
        with service_call(request, form=form):
            case = form.save(by=request.user)
            messages.success(request, _("Övningsfallet %(title)s är sparat.") % {"title": case.title})
            return redirect("examiners:practice_case", pk=session.pk)
    return render(
        request,
        "examiners/training/practice_case.html",
        {
            "session": session,
            "cycle": session.cycle,
            "case": case,
            "form": form,
            "copy_form": PracticeCopyForm(session=session),
        },
    )


@require_POST
@role_required(Role.SLK)
def practice_case_copy(request, pk):
    session = _session(pk)
    form = PracticeCopyForm(request.POST, session=session)
    if not form.is_valid():
        flash_form_errors(request, form)
    else:
        with service_call(request):
            form.save(by=request.user)
            messages.success(
                request,
                _(
                    "Bidragets texter är kopierade utan enhetens namn och kod. Läs igenom dem och sätt referensen."
                ),
            )
    return redirect("examiners:practice_case", pk=session.pk)


def _calibration_for(pk):
    session = _session(pk)
    case = _case_of(session)
    if case is None:
        raise Http404
    return queries_training.calibration(case)


@role_required(Role.SLK)
def practice_calibration(request, pk):
    """The trainer's page at the session: per criterion every trainee's score by number
    against the reference, the spread, and each trainee's mean deviation (names here,
    for the trainer; the projected chart shows numbers only)."""
    calibration = _calibration_for(pk)
    session = calibration.case.session
    return render(
        request,
        "examiners/training/calibration.html",
        {"session": session, "cycle": session.cycle, "calibration": calibration},
    )


@require_GET
@role_required(Role.SLK)
def practice_calibration_svg(request, pk):
    response = HttpResponse(
        training_charts.calibration_svg(_calibration_for(pk)), content_type="image/svg+xml"
    )
    response["Cache-Control"] = "private, no-cache"
    return response


# --- The practice case: the trainee's own assessment ---------------------------------------


def trainee_of_case(view):
    """Pass the case, the trainee's pool member and their assessment (None before the first
    save) to the view; 404 for anyone not enrolled in the case's session."""

    @wraps(view)
    def wrapper(request, pk, **kwargs):
        case = get_object_or_404(PracticeCase.objects.select_related("session__cycle__scale", "track"), pk=pk)
        member = queries_training.trainee_member(request.user, case)
        if member is None:
            raise Http404
        own = PracticeAssessment.objects.filter(case=case, member=member).first()
        return view(request, case, member, own, **kwargs)

    return wrapper


def _practice_url(case, anchor: str = "") -> str:
    url = reverse("examiners:practice", args=[case.pk])
    return f"{url}#{anchor}" if anchor else url


def _render_practice(request, case, own, *, bound=None, conflicts=None):
    bound, conflicts = bound or {}, conflicts or {}
    scale = case.session.cycle.scale
    prefetch_related_objects([scale], "bands")
    case_items = queries_training.practice_items(case)
    saved = {i.criterion_id: i for i in own.items.all()} if own else {}
    submitted = own is not None and own.is_submitted
    rows = []
    for case_item in case_items:
        criterion = case_item.criterion
        item = saved.get(criterion.pk) or PracticeAssessmentItem(criterion=criterion)
        form = bound.get(criterion.pk) or PracticeItemForm(item=item)
        rows.append(
            {
                "case_item": case_item,
                "criterion": criterion,
                "item": item,
                "form": form,
                "score_groups": [] if submitted else form.score_groups(scale, criterion.kind),
                "band": scale.band_for(criterion.kind, item.score) if item.score is not None else None,
                "conflict": conflicts.get(criterion.pk),
                # The reference only once the trainee's own assessment is in (independence).
                "difference": item.score - case_item.reference_score
                if submitted and item.score is not None and case_item.reference_score is not None
                else None,
            }
        )
    context = {
        "case": case,
        "session": case.session,
        "assessment": own,
        "rows": rows,
        "submitted": submitted,
        "missing": rules.practice_missing([r["item"] for r in rows]),
        "mean_deviation": queries_training.mean_deviation(
            case_items, {i.criterion_id: i.score for i in saved.values()}
        )
        if submitted
        else None,
    }
    return render(request, "examiners/training/practice.html", context)


@trainee_of_case
def practice(request, case, member, own):
    return _render_practice(request, case, own)


@require_POST
@trainee_of_case
def practice_item(request, case, member, own, criterion_id):
    """One criterion: htmx autosave answers with a status line, the save button with the
    page. The first save starts the trainee's assessment."""
    get_object_or_404(PracticeCaseItem, case=case, criterion_id=criterion_id)
    with service_call(request) as outcome:
        own = services.practice_assessment_for(case=case, by=request.user)
    if outcome.refused:
        return redirect(_practice_url(case))
    item = PracticeAssessmentItem.objects.select_related("criterion").get(
        assessment=own, criterion_id=criterion_id
    )
    form = PracticeItemForm(request.POST, item=item)
    if request.htmx:
        return autosave(request, form=form, save=lambda: form.save(item=item, by=request.user))
    if not form.is_valid():
        return _render_practice(request, case, own, bound={item.criterion_id: form})
    with service_call(request, form=form) as outcome:
        form.save(item=item, by=request.user)
        messages.success(request, _("Kriterium %(n)s är sparat.") % {"n": item.criterion.number})
        return redirect(_practice_url(case, f"kriterium-{item.criterion.number}"))
    if outcome.stale is None:
        return _render_practice(request, case, own, bound={item.criterion_id: form})
    data = request.POST.copy()
    data[form.add_prefix("version")] = str(outcome.stale.version)
    return _render_practice(
        request,
        case,
        own,
        bound={item.criterion_id: PracticeItemForm(data, item=item)},
        conflicts={item.criterion_id: outcome.stale},
    )


@trainee_of_case
def practice_submit(request, case, member, own):
    """A confirmation page, then the submission; after it the reference is shown."""
    if request.method == "POST":
        if own is None:
            messages.error(request, _("Du har inte börjat bedöma fallet ännu."))
        else:
            with service_call(
                request, success=_("Din bedömning är inlämnad. Nu ser du referensen och din jämförelse.")
            ):
                services.practice_submit(assessment=own, by=request.user)
        return redirect(_practice_url(case))
    if own is not None and own.is_submitted:
        return redirect(_practice_url(case))
    items = list(own.items.select_related("criterion")) if own else []
    missing = rules.practice_missing(items) if own else [_("Du har inte börjat bedöma fallet ännu.")]
    return render(
        request,
        "examiners/training/practice_submit.html",
        {"case": case, "session": case.session, "missing": missing},
    )
