"""Read side of the cycle's evaluation: who the questionnaires go to, their results, and the
cycle report SLK sets next year's cycle up from (participation, examiner hours, how the
timeline was kept, the questionnaire results), with its XLSX and PDF documents.

Every function reads in a fixed number of queries, whatever the number of applications,
examiners or answers: the answers are aggregated in Python from one query, so the same
code runs on SQLite and PostgreSQL.
"""

import io
import re
import statistics
import uuid
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from award.audit_actions import AuditAction as AwardAction
from award.models import PHASE_ENDS, TIMELINE_FIELDS, AuditEntry, AwardCycle
from evaluation.models import Questionnaire, QuestionnaireResponse
from evaluation.questionnaire import questions_for
from examiners.models import PoolMember, Team
from scoring import queries
from submissions.audit_actions import AuditAction as SubmissionAction
from submissions.models import Application

# --- Who the questionnaire goes to ---------------------------------------------------------


def questionnaire_recipients(*, cycle, audience: str):
    """The people the cycle's questionnaire for `audience` goes to: every contact of a unit
    with a submitted application (applicants), or every examiner of a confirmed team
    (examiners). Distinct users with an e-mail address."""
    users = get_user_model().objects.filter(is_active=True).exclude(email="")
    if audience == Questionnaire.Audience.APPLICANTS:
        users = users.filter(
            units__applications__track__cycle=cycle,
            units__applications__status=Application.Status.SUBMITTED,
        )
    elif audience == Questionnaire.Audience.EXAMINERS:
        users = users.filter(
            examiner_profile__memberships__teams__team__cycle=cycle,
            examiner_profile__memberships__teams__team__status=Team.Status.CONFIRMED,
        )
    else:
        return users.none()
    return users.distinct().order_by("last_name", "first_name", "pk")


def is_recipient(questionnaire: Questionnaire, user) -> bool:
    if not user.is_authenticated:
        return False
    return (
        questionnaire_recipients(cycle=questionnaire.cycle, audience=questionnaire.audience)
        .filter(pk=user.pk)
        .exists()
    )


def questionnaire_for_respondent_or_none(user, pk: int):
    """The questionnaire, if it was sent to the user; None otherwise (the view answers 404)."""
    questionnaire = Questionnaire.objects.select_related("cycle").filter(pk=pk).first()
    if questionnaire is None or not is_recipient(questionnaire, user):
        return None
    return questionnaire


# --- Questionnaire results -------------------------------------------------------------------


@dataclass
class ScaleResult:
    question: object
    n: int
    mean: float | None
    # (value, label, count, percent of the answers), 1 to 5
    distribution: list[tuple[int, str, int, int]]
    svg: str = ""  # the chart, filled in by `with_charts` for the pages that show it

    @property
    def text_alternative(self) -> str:
        counts = "; ".join(f"{label}: {count}" for _value, label, count, _percent in self.distribution)
        return _("Antal svar per värde. %(counts)s.") % {"counts": counts}


@dataclass
class TextResult:
    question: object
    answers: list[str]


@dataclass
class AudienceResults:
    audience: str
    label: str
    questionnaire: Questionnaire | None
    recipients: int
    responses: int
    scales: list[ScaleResult] = field(default_factory=list)
    texts: list[TextResult] = field(default_factory=list)

    @property
    def response_rate(self) -> int | None:
        """Percent of the recipients who answered (None before anyone was asked)."""
        if not self.recipients:
            return None
        return min(100, round(100 * self.responses / self.recipients))


def aggregate(questions, answer_sets: list[dict]) -> tuple[list[ScaleResult], list[TextResult]]:
    """Mean and distribution per scale question, and every free-text answer per text
    question, from the responses' stored answers."""
    scales, texts = [], []
    for question in questions:
        values = [a.get(question.key) for a in answer_sets]
        if question.is_scale:
            numbers = [v for v in values if isinstance(v, int) and not isinstance(v, bool)]
            distribution = []
            for value, label in question.value_labels():
                count = numbers.count(value)
                percent = round(100 * count / len(numbers)) if numbers else 0
                distribution.append((value, label, count, percent))
            scales.append(
                ScaleResult(
                    question=question,
                    n=len(numbers),
                    mean=round(statistics.mean(numbers), 2) if numbers else None,
                    distribution=distribution,
                )
            )
        else:
            texts.append(
                TextResult(question=question, answers=[v for v in values if isinstance(v, str) and v])
            )
    return scales, texts


def questionnaire_results(cycle) -> list[AudienceResults]:
    """Per audience: the questionnaire (None if not sent), how many it goes to, how many
    answered, and the aggregated answers. Four queries."""
    sent = {q.audience: q for q in Questionnaire.objects.filter(cycle=cycle).select_related("sent_by")}
    answers: dict[str, list[dict]] = {}
    for audience, stored in QuestionnaireResponse.objects.filter(questionnaire__cycle=cycle).values_list(
        "questionnaire__audience", "answers"
    ):
        answers.setdefault(audience, []).append(stored or {})
    blocks = []
    for audience, label in Questionnaire.Audience.choices:
        given = answers.get(audience, [])
        scales, texts = aggregate(questions_for(audience), given)
        blocks.append(
            AudienceResults(
                audience=audience,
                label=str(label),
                questionnaire=sent.get(audience),
                recipients=questionnaire_recipients(cycle=cycle, audience=audience).count(),
                responses=len(given),
                scales=scales,
                texts=texts,
            )
        )
    return blocks


# --- Charts ---------------------------------------------------------------------------------

_PROLOGUE = re.compile(r"^.*?(?=<svg)", re.S)
_METADATA = re.compile(r"<metadata>.*?</metadata>|<style[^>]*>.*?</style>", re.S)
_STYLE_ATTRIBUTE = re.compile(r'style="([^"]*)"')
# An id and the two ways matplotlib refers to one; colours (#ffffff) are left alone.
_ID_OR_REFERENCE = re.compile(r'(id="|xlink:href="#|url\(#)([A-Za-z_][\w.\-]*)')


def _as_attributes(match) -> str:
    pairs = (part.split(":", 1) for part in match.group(1).split(";") if ":" in part)
    return " ".join(f'{name.strip()}="{value.strip()}"' for name, value in pairs)


def _inline_safe(svg: str, label: str) -> str:
    """Matplotlib's SVG made fit to sit inside a page under a Content-Security-Policy that
    forbids inline styles: style attributes become the equivalent presentation attributes
    and the one <style> rule moves onto the root element; ids are made unique to the chart.
    Labelled as an image with the numbers as its text alternative."""
    from django.utils.html import escape

    svg = _PROLOGUE.sub("", svg, count=1)
    svg = _METADATA.sub("", svg)
    svg = _STYLE_ATTRIBUTE.sub(_as_attributes, svg)
    # Several charts share a page: their ids (figure_1, glyphs, clip paths) must not clash.
    prefix = f"c{uuid.uuid4().hex[:8]}-"
    svg = _ID_OR_REFERENCE.sub(lambda m: m.group(1) + prefix + m.group(2), svg)
    return svg.replace(
        "<svg ",
        f'<svg role="img" aria-label="{escape(label)}" stroke-linejoin="round" stroke-linecap="butt" ',
        1,
    )


def scale_chart_svg(result: ScaleResult) -> str:
    """A bar chart of one scale question's answers: the number of answers per value."""
    # Imported here: only the pages with charts pay for loading matplotlib.
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    figure = Figure(figsize=(4.8, 2.2))
    axes = figure.add_subplot()
    values = [str(value) for value, _label, _count, _percent in result.distribution]
    counts = [count for _value, _label, count, _percent in result.distribution]
    axes.bar(values, counts, color="#00606b")
    axes.set_xlabel(_("Svar (1–5)"))
    axes.set_ylabel(_("Antal svar"))
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.set_ylim(0, max([*counts, 1]))
    axes.spines[["top", "right"]].set_visible(False)
    figure.tight_layout()
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return _inline_safe(buffer.getvalue(), result.text_alternative)


def with_charts(blocks: list[AudienceResults]) -> list[AudienceResults]:
    for block in blocks:
        for result in block.scales:
            if result.n:
                result.svg = scale_chart_svg(result)
    return blocks


# --- Participation ----------------------------------------------------------------------------


def _counts():
    return {
        "registered": Count("pk"),
        "approved": Count("pk", filter=Q(registration_status=Application.RegistrationStatus.APPROVED)),
        "submitted": Count("pk", filter=Q(status=Application.Status.SUBMITTED)),
        "withdrawn": Count("pk", filter=Q(status=Application.Status.WITHDRAWN)),
    }


COUNT_KEYS = ("registered", "approved", "submitted", "withdrawn")


def participation(cycle) -> dict:
    """Registrations, approved registrations, submitted and withdrawn applications per
    competition class (every class, also those nobody entered) and per organisation."""
    applications = Application.objects.filter(track__cycle=cycle).order_by()
    by_class = {
        (row["track_id"], row["competition_class_id"]): row
        for row in applications.values("track_id", "competition_class_id").annotate(**_counts())
    }
    classes = []
    for track in cycle.tracks.prefetch_related("classes").order_by("kind"):
        scopes = list(track.classes.all()) if track.has_classes else [None]
        for scope in scopes:
            row = by_class.get((track.pk, scope.pk if scope else None), {})
            classes.append(
                {
                    "track": track.name,
                    "class": scope.name if scope else "",
                    **{key: row.get(key, 0) for key in COUNT_KEYS},
                }
            )
        unclassed = by_class.get((track.pk, None)) if track.has_classes else None
        if unclassed:
            classes.append(
                {"track": track.name, "class": _("Utan klass"), **{key: unclassed[key] for key in COUNT_KEYS}}
            )
    organisations = [
        {
            "organisation": row["unit__organisation__name"],
            "units": row["units"],
            **{k: row[k] for k in COUNT_KEYS},
        }
        for row in applications.values("unit__organisation__name")
        .annotate(units=Count("unit", distinct=True), **_counts())
        .order_by("unit__organisation__name")
    ]
    totals = applications.aggregate(**_counts())
    return {"classes": classes, "organisations": organisations, "totals": totals}


def examiners(cycle) -> dict:
    """The pool and the teams, with the hours the examiners recorded (queries.hours_summary)."""
    hours = queries.hours_summary(cycle)
    in_teams = (
        PoolMember.objects.filter(cycle=cycle, teams__team__status=Team.Status.CONFIRMED).distinct().count()
    )
    counted = len(hours["examiners"])
    return {
        "accepted": PoolMember.objects.filter(cycle=cycle, status=PoolMember.Status.ACCEPTED).count(),
        "in_teams": in_teams,
        "teams": Team.objects.confirmed().filter(cycle=cycle).count(),
        "hours": hours,
        "mean_per_examiner": round(hours["total"] / counted, 1)
        if hours["total"] is not None and counted
        else None,
    }


# --- How the timeline was kept ----------------------------------------------------------------

_PHASE_OF_FIELD = {end_field: phase for phase, end_field, _inclusive in PHASE_ENDS}


def _phase_of(action: str, changed: list[str]) -> str:
    """The phase an entry closed or extended. The phase's own end date is the latest date
    a closing changed (earlier ones were only pulled back to it) and the earliest date an
    extension changed (later ones were only pushed on)."""
    ends = [name for name in changed if name in _PHASE_OF_FIELD]
    if not ends:
        return ""
    name = ends[-1] if action == AwardAction.CYCLE_PHASE_CLOSED_EARLY else ends[0]
    return str(_PHASE_OF_FIELD[name].label)


@dataclass
class TimelineChange:
    at: object
    action: str
    label: str
    phase: str
    dates: list[tuple[str, str, str, int]]  # (label, old, new, days moved)
    reason: str
    actor: object


def timeline_kept(cycle) -> dict:
    """Every recorded change of the cycle's timeline (from the audit trail, 'cycle.*'), and
    each date as first planned against as it ended up. A date's first plan is its old value
    in the earliest entry that moved it."""
    import datetime as dt

    entries = (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(AwardCycle),
            object_id=str(cycle.pk),
            action__startswith="cycle.",
        )
        .select_related("actor")
        .order_by("at", "pk")
    )
    field_labels = {name: str(AwardCycle._meta.get_field(name).verbose_name) for name in TIMELINE_FIELDS}
    planned: dict[str, dt.date] = {}
    changes = []
    for entry in entries:
        # A draft's timeline_set moves its plan; only closing and extending a phase move a
        # date away from the plan. Both are listed with the dates they moved.
        moves_phase = entry.action.startswith("cycle.phase_")
        moved = entry.changes if moves_phase or entry.action == AwardAction.CYCLE_TIMELINE_SET else {}
        names = [name for name in TIMELINE_FIELDS if name in moved]
        dates = []
        for name in names:
            old, new = (dt.date.fromisoformat(value) for value in moved[name])
            if moves_phase:
                planned.setdefault(name, old)
            dates.append((field_labels[name], old.isoformat(), new.isoformat(), (new - old).days))
        changes.append(
            TimelineChange(
                at=entry.at,
                action=entry.action,
                label=entry.label,
                phase=_phase_of(entry.action, names) if moves_phase else "",
                dates=dates,
                reason=entry.reason,
                actor=entry.actor,
            )
        )
    dates = []
    for name in TIMELINE_FIELDS:
        final = getattr(cycle, name)
        first = planned.get(name, final)
        dates.append(
            {"label": field_labels[name], "planned": first, "final": final, "days": (final - first).days}
        )
    phase_changes = [c for c in changes if c.action.startswith("cycle.phase_")]
    return {
        "changes": changes,
        "dates": dates,
        "closed_early": sum(1 for c in phase_changes if c.action == AwardAction.CYCLE_PHASE_CLOSED_EARLY),
        "extended": sum(1 for c in phase_changes if c.action == AwardAction.CYCLE_PHASE_EXTENDED),
    }


def deadline_extensions(cycle) -> list[dict]:
    """Applications given more time than the cycle's deadline, whether and when they were
    submitted, and SLK's recorded reason (the latest 'application.extend' entry)."""
    applications = list(
        Application.objects.filter(track__cycle=cycle, deadline_extended_to__isnull=False)
        .select_related("unit")
        .order_by("code")
    )
    reasons = {}
    for object_id, reason in (
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Application),
            object_id__in=[str(a.pk) for a in applications],
            action=SubmissionAction.APPLICATION_EXTEND,
        )
        .order_by("at", "pk")
        .values_list("object_id", "reason")
    ):
        reasons[object_id] = reason
    deadline = cycle.application_deadline_at
    return [
        {
            "code": a.code,
            "unit": a.unit.name,
            "extended_to": a.deadline_extended_to,
            "status": a.get_status_display(),
            "submitted_at": a.submitted_at,
            "after_deadline": bool(a.submitted_at and a.submitted_at > deadline),
            "reason": reasons.get(str(a.pk), ""),
        }
        for a in applications
    ]


# --- The whole report -------------------------------------------------------------------------


def cycle_report(cycle) -> dict:
    extensions = deadline_extensions(cycle)
    return {
        "cycle": cycle,
        "participation": participation(cycle),
        "examiners": examiners(cycle),
        "timeline": timeline_kept(cycle),
        "extensions": extensions,
        "submitted_after_deadline": sum(1 for e in extensions if e["after_deadline"]),
        "questionnaires": questionnaire_results(cycle),
        "made_at": timezone.now(),
    }


# --- Documents --------------------------------------------------------------------------------


def _yes_no(value: bool) -> str:
    return _("Ja") if value else _("Nej")


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def report_xlsx(report: dict) -> bytes:
    """The report as a workbook, one sheet per part; numbers as numbers, no formulas."""
    from award.spreadsheets import StreamingWorkbook

    book = StreamingWorkbook()
    count_header = [_("Anmälda"), _("Godkända anmälningar"), _("Inlämnade bidrag"), _("Återtagna")]
    part = report["participation"]

    sheet = book.sheet(_("Deltagande per klass"), [_("Spår"), _("Tävlingsklass"), *count_header])
    for row in part["classes"]:
        book.append(sheet, [row["track"], row["class"], *(row[k] for k in COUNT_KEYS)])
    book.append(sheet, [_("Totalt"), "", *(part["totals"][k] for k in COUNT_KEYS)])

    sheet = book.sheet(_("Deltagande per förvaltning"), [_("Förvaltning"), _("Enheter"), *count_header])
    for row in part["organisations"]:
        book.append(sheet, [row["organisation"], row["units"], *(row[k] for k in COUNT_KEYS)])

    people = report["examiners"]
    hours = people["hours"]
    sheet = book.sheet(_("Examinatorer"), [_("Uppgift"), _("Värde")])
    for label, value in [
        (_("Antagna examinatorer"), people["accepted"]),
        (_("Examinatorer i fastställda lag"), people["in_teams"]),
        (_("Fastställda lag"), people["teams"]),
        (_("Registrerade timmar totalt"), hours["total"] or 0),
        (_("Timmar per examinator i genomsnitt"), people["mean_per_examiner"]),
    ]:
        book.append(sheet, [label, value])
    sheet = book.sheet(_("Timmar per lag"), [_("Lag"), _("Timmar")])
    for row in hours["teams"]:
        book.append(sheet, [row["application__assignment__team__name"] or _("Utan lag"), row["total"]])

    timeline = report["timeline"]
    sheet = book.sheet(_("Tidsplan"), [_("Datum"), _("Planerat"), _("Blev"), _("Förskjutning (dagar)")])
    for row in timeline["dates"]:
        book.append(sheet, [row["label"], row["planned"], row["final"], row["days"]])
    sheet = book.sheet(
        _("Ändringar av tidsplanen"),
        [_("Tidpunkt"), _("Händelse"), _("Fas"), _("Datum som flyttades"), _("Skäl"), _("Utförd av")],
    )
    for change in timeline["changes"]:
        moved = "; ".join(f"{label}: {old} → {new}" for label, old, new, _days in change.dates)
        book.append(
            sheet,
            [_when(change.at), change.label, change.phase, moved, change.reason, str(change.actor or "")],
        )
    sheet = book.sheet(
        _("Förlängd tid"),
        [
            _("Bidrag"),
            _("Enhet"),
            _("Förlängt till"),
            _("Status"),
            _("Inlämnat"),
            _("Efter sista dag"),
            _("Skäl"),
        ],
    )
    for row in report["extensions"]:
        book.append(
            sheet,
            [
                row["code"],
                row["unit"],
                row["extended_to"],
                row["status"],
                _when(row["submitted_at"]),
                _yes_no(row["after_deadline"]),
                row["reason"],
            ],
        )

    sheet = book.sheet(
        _("Enkäter"),
        [_("Målgrupp"), _("Fråga"), _("Antal svar"), _("Medelvärde"), "1", "2", "3", "4", "5"],
    )
    for block in report["questionnaires"]:
        book.append(
            sheet,
            [
                block.label,
                _("Svarsfrekvens: %(n)s av %(of)s") % {"n": block.responses, "of": block.recipients},
            ],
        )
        for result in block.scales:
            book.append(
                sheet,
                [
                    block.label,
                    str(result.question.text),
                    result.n,
                    result.mean,
                    *(count for _value, _label, count, _percent in result.distribution),
                ],
            )
    sheet = book.sheet(_("Fritextsvar"), [_("Målgrupp"), _("Fråga"), _("Svar")])
    for block in report["questionnaires"]:
        for result in block.texts:
            for answer in result.answers:
                book.append(sheet, [block.label, str(result.question.text), answer])
    return book.to_bytes()


def report_html(request, context: dict) -> str:
    from django.template.loader import render_to_string

    return render_to_string("evaluation/report_pdf.html", {**context, "for_pdf": True}, request=request)


def report_pdf(request, context: dict) -> bytes:
    # Imported here: WeasyPrint loads Pango at import, which only the PDF pages need.
    from django.contrib.staticfiles import finders
    from weasyprint import CSS, HTML

    stylesheets = [CSS(filename=finders.find("css/print.css"))]
    html = HTML(string=report_html(request, context), base_url=request.build_absolute_uri("/"))
    return html.write_pdf(stylesheets=stylesheets)
