"""SLK's overviews of the examination: an application's whole score history on one page
and the hours the examiners recorded."""

from dataclasses import dataclass

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from award.models import AwardCycle
from award.roles import Role, role_required
from scoring import exports, queries
from scoring.audit_actions import AuditAction
from submissions.models import Application

STAGES = {
    "individual": _("Individuell bedömning"),
    "consensus": _("Konsensus"),
    "site_visit": _("Platsbesök"),
    "feedback": _("Återföringsrapport"),
}

# Entries that change no single field say what happened instead.
ACTIONS = {
    action: action.label
    for action in (
        AuditAction.CONSENSUS_START,
        AuditAction.SITE_VISIT_SELECT,
        AuditAction.REPORT_DRAFT,
        AuditAction.REPORT_REDRAFT,
        AuditAction.HOURS,
    )
}

FIELDS = {
    "score": _("Poäng (%)"),
    "strengths": _("Styrkor"),
    "improvements": _("Förbättringsområden"),
    "discussion_note": _("Slutsats av diskussionen"),
    "visit_score": _("Poäng efter platsbesök (%)"),
    "hours": _("Timmar"),
    "status": _("Status"),
    "summary": _("Sammanfattning"),
    "visit_date": _("Datum för besöket"),
    "participants": _("Deltagare"),
    "questions": _("Frågor att verifiera"),
    "findings": _("Iakttagelser"),
}

STATUSES = {
    "draft": _("utkast"),
    "submitted": _("inlämnad"),
    "open": _("pågår"),
    "final": _("fastställd"),
    "approved": _("godkänd"),
    "planned": _("planerat"),
    "done": _("genomfört"),
}

# Keys of an entry's changes that describe the change rather than being one.
CONTEXT_KEYS = {"stage", "criterion", "examiner", "waiting", "score_before_visit"}


@dataclass
class Value:
    text: str = ""
    lines: list[str] | None = None  # a list of texts (strengths, areas for improvement)


@dataclass
class HistoryRow:
    entry: object
    stage: str
    criterion: object
    examiner: str
    field: str
    old: Value | None = None
    new: Value | None = None
    note: str = ""


def _value(name: str, value) -> Value:
    if isinstance(value, list):
        return Value(lines=[str(v) for v in value])
    if value is None or value == "":
        return Value(text="–")
    if name == "status":
        return Value(text=str(STATUSES.get(value, value)))
    return Value(text=str(value))


def history_rows(entries) -> list[HistoryRow]:
    """One row per changed field of every entry, old and new side by side; an entry that
    changed no field gets one row saying what happened."""
    rows = []
    for entry in entries:
        changes = entry.changes or {}
        base = {
            "entry": entry,
            "stage": STAGES.get(changes.get("stage"), ACTIONS.get(entry.action, "")),
            "criterion": changes.get("criterion", ""),
            "examiner": changes.get("examiner", ""),
        }
        own = []
        for key, value in changes.items():
            if key in CONTEXT_KEYS or not isinstance(value, list) or len(value) != 2:
                continue
            old, new = value
            if key.startswith("criterion ") and isinstance(old, dict) and isinstance(new, dict):
                # The report's texts of one criterion: strengths and improvements together.
                for part in ("strengths", "improvements"):
                    if old.get(part) != new.get(part):
                        own.append(
                            HistoryRow(
                                **{**base, "criterion": key.removeprefix("criterion ")},
                                field=FIELDS[part],
                                old=_value(part, old.get(part)),
                                new=_value(part, new.get(part)),
                            )
                        )
                continue
            own.append(
                HistoryRow(
                    **base,
                    field=FIELDS.get(key, key),
                    old=_value(key, old),
                    new=_value(key, new),
                )
            )
        if not own:
            note = str(ACTIONS.get(entry.action, ""))
            if changes.get("waiting"):
                waiting = ", ".join(changes["waiting"])
                note = gettext("%(what)s; hade inte lämnat in: %(names)s") % {"what": note, "names": waiting}
            own.append(HistoryRow(**base, field="", note=note))
        rows.extend(own)
    return rows


@role_required(Role.SLK)
def history(request, pk):
    application = get_object_or_404(
        Application.objects.select_related("track__cycle", "unit__organisation", "competition_class"), pk=pk
    )
    withheld = queries.withholds_team_assessments(request.user, application)
    rows = [] if withheld else history_rows(queries.score_history(application))
    return render(
        request,
        "scoring/overview/history.html",
        {"application": application, "rows": rows, "withheld": withheld},
    )


@role_required(Role.SLK)
def hours(request, year):
    cycle = get_object_or_404(AwardCycle, year=year)
    summary = queries.hours_summary(cycle)
    if request.GET.get("export") == "xlsx":
        return exports.hours_xlsx_response(cycle=cycle, summary=summary)
    return render(
        request,
        "scoring/overview/hours.html",
        {"cycle": cycle, "summary": summary, "cycles": AwardCycle.objects.only("year")},
    )


@role_required(Role.SLK)
def progress(request, year):
    """Where the examination stands, application by application; ?visa= narrows it to one
    of the start page's to-dos (progress.FILTERS)."""
    from django.utils import timezone

    from scoring import progress as examination

    cycle = get_object_or_404(AwardCycle, year=year)
    shown = request.GET.get("visa", "")
    rows = examination.examination(cycle)
    if shown in examination.FILTERS:
        rows = rows.filter(examination.filter_for(shown, timezone.localdate()))
    return render(
        request,
        "scoring/overview/progress.html",
        {
            "cycle": cycle,
            "rows": list(rows),
            "shown": shown,
            "filters": list(examination.FILTERS.items()),
            "today": timezone.localdate(),
        },
    )
