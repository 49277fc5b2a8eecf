"""The judging committee's pages: its start page with the members' conflicts, the
consolidated view of a track (also in the anonymised shortlisting mode) and the
drill-down of one application.

Who may see them: SLK, and the members of the cycle's committee. Anyone without either
role gets 403; a committee member of another year gets 404, so a cycle's or an
application's existence does not leak.

Individual examiners are named to SLK only. The committee decides on the team's
consensus; it sees the individual scores to judge how much the team agreed, and it does so
as "Examinator 1, 2, …" so that a decision is never coloured by who the examiner was.
SLK, which trains and calibrates the examiners, sees the names.
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import floatformat
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from award.models import AwardCycle, CommitteeMembership, Criterion, Track
from award.roles import Role, has_role, role_required
from award.web import page_links, query_with, service_call
from judging import consolidation
from judging import queries as judging_queries
from judging.committee.forms import ConflictForm, ConsolidatedFilterForm
from judging.models import CommitteeConflict
from scoring import queries, totals
from scoring.models import FeedbackItem, FeedbackReport, SiteVisit
from submissions.models import Application

committee_or_slk = role_required(Role.COMMITTEE, Role.SLK)


def _require_member(user, cycle) -> None:
    """SLK, or a member of this cycle's committee; anyone else is told nothing exists."""
    judging_queries.require_committee_or_slk(user, cycle)


def _scrubber(application, anonymous: bool):
    """A function that replaces the names that identify the application (unit, its code,
    organisation, head, nominee) with the application's code in free text, for the
    shortlisting mode; the identity function otherwise."""
    if not anonymous:
        return lambda text: text
    unit = application.unit
    names = {unit.name, unit.code, unit.organisation.name, unit.head_name, application.nominee_name}
    names = sorted((n for n in names if n and n.strip()), key=len, reverse=True)
    if not names:
        return lambda text: text
    pattern = re.compile("|".join(re.escape(n) for n in names), re.IGNORECASE)
    return lambda text: pattern.sub(application.code, text) if text else text


# --- The committee's start page ------------------------------------------------------------


@committee_or_slk
def home(request, year):
    cycle = get_object_or_404(AwardCycle, year=year)
    _require_member(request.user, cycle)
    is_slk = has_role(request.user, Role.SLK)
    form = ConflictForm(request.POST or None, cycle=cycle, user=request.user, for_slk=is_slk)
    if request.method == "POST" and form.is_valid():
        with service_call(request, success=_("Jävet är registrerat.")):
            form.save(by=request.user)
            return redirect("judging:committee_home", year=cycle.year)
    conflicts = CommitteeConflict.objects.filter(cycle=cycle).select_related(
        "member", "unit__organisation", "organisation", "recorded_by"
    )
    if not is_slk:
        conflicts = conflicts.filter(member=request.user)
    return render(
        request,
        "judging/committee/home.html",
        {
            "cycle": cycle,
            "tracks": cycle.tracks.all(),
            "members": CommitteeMembership.objects.of_cycle(cycle),
            "conflicts": conflicts,
            "form": form,
            "is_slk_view": is_slk,
        },
    )


# --- The consolidated view -----------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    descending_first: bool  # the natural first direction: highest total first, lowest rank first
    value: object  # row -> comparable value or None
    num: bool = True
    names: bool = False  # shows a unit's or organisation's name: hidden in shortlisting mode
    header: bool = True  # has a column of its own (the organisation is shown under the unit)


# In the order the table shows them: one class's table fits 1366 px without scrolling sideways.
COLUMNS = [
    Column("rank", gettext_lazy("Placering"), False, lambda r: r.rank),
    Column("code", gettext_lazy("Bidrag"), False, lambda r: r.application.code, num=False),
    Column("unit", gettext_lazy("Enhet"), False, lambda r: r.application.unit.name.casefold(), False, True),
    Column(
        "organisation",
        gettext_lazy("Förvaltning"),
        False,
        lambda r: r.application.unit.organisation.name.casefold(),
        False,
        True,
        header=False,
    ),
    Column("total", gettext_lazy("Konsensus, totalt"), True, lambda r: r.total),
    Column("visit_total", gettext_lazy("Efter platsbesök"), True, lambda r: r.visit_total),
    Column("calibrated_total", gettext_lazy("Kalibrerat, totalt"), True, lambda r: r.calibrated_total),
    Column("calibrated_rank", gettext_lazy("Kalibrerad placering"), False, lambda r: r.calibrated_rank),
    Column("max_spread", gettext_lazy("Största spridning"), True, lambda r: r.max_spread),
]
COLUMNS_BY_KEY = {c.key: c for c in COLUMNS}
DEFAULT_SORT = "rank"
PAGE_SIZE = 50
"""Rows per page of the consolidated view: a city's whole track fits on one page; at
national scale the committee pages through the ranking or picks a class."""


def _parse_sort(value: str, anonymous: bool) -> tuple[str, bool]:
    """(column key, descending) from ?sort=key or ?sort=-key; unknown keys, and name
    columns in shortlisting mode (their order would hint at the names), fall back to rank."""
    descending = value.startswith("-")
    key = value.removeprefix("-")
    column = COLUMNS_BY_KEY.get(key)
    if column is None or (anonymous and column.names):
        return DEFAULT_SORT, False
    return key, descending


def sort_rows(rows, key: str, descending: bool) -> list:
    """Rows ordered by the column, empty values last in either direction, ties by code."""
    value = COLUMNS_BY_KEY[key].value
    rows = sorted(rows, key=lambda r: r.application.code)
    present = sorted((r for r in rows if value(r) is not None), key=value, reverse=descending)
    return present + [r for r in rows if value(r) is None]


def _headers(request, key: str, descending: bool, anonymous: bool) -> list[dict]:
    headers = []
    for column in COLUMNS:
        if (anonymous and column.names) or not column.header:
            continue
        active = column.key == key
        next_descending = (not descending) if active else column.descending_first
        headers.append(
            {
                "key": column.key,
                "label": column.label,
                "num": column.num,
                "aria_sort": ("descending" if descending else "ascending") if active else "",
                "url": query_with(request, sort=("-" if next_descending else "") + column.key, sida=None),
                "next": _("fallande") if next_descending else _("stigande"),
            }
        )
    return headers


@dataclass
class DisplayRow:
    """A row of the consolidated view as the page shows it: the consolidation's row with
    its texts already anonymised in shortlisting mode, and every cell's text written out
    once here, so the table's row template is plain lookups (a whole class is 800 rows:
    a filter, a `{% url %}` or a `{% translate %}` per cell would be most of the page)."""

    row: consolidation.Row
    url: str
    code: str
    unit_name: str
    organisation_name: str
    css: str
    rank_text: str
    total_text: str
    visit_total_text: str
    calibrated_total_text: str
    calibrated_rank_text: str
    max_spread_text: str
    conflict: bool
    outcome: str
    marks: list[str] = field(default_factory=list)
    visit_label: str = ""
    # Per criterion, only when asked: (consensus, after visit, spread, flagged, calibrated) as text.
    criterion_cells: list[tuple] = field(default_factory=list)

    def __getattr__(self, name):
        return getattr(self.row, name)


def _number_text():
    """A function writing a figure as the table shows it, the way `{{ value }}` would
    (localised: a decimal comma), or a dash for none. Without thousands separators (the
    setting's default) an integer or a decimal is Django's own digits with the locale's
    separator, written directly: `formats.localize` looks the formats up for every figure,
    and a whole class has thousands of them."""
    if settings.USE_THOUSAND_SEPARATOR:
        return lambda value: "–" if value is None else formats.localize(value)
    separator = formats.get_format("DECIMAL_SEPARATOR")

    def text(value) -> str:
        if value is None:
            return "–"
        if type(value) is int:
            return str(value)
        if type(value) is Decimal and value.is_finite():
            return format(value, "f").replace(".", separator)
        return formats.localize(value)

    return text


def _display_rows(rows, anonymous: bool) -> list[DisplayRow]:
    labels = dict(SiteVisit.Status.choices)
    # One reverse() for the page: the drill-down's address differs between rows only in the pk.
    sentinel = 2147483647
    before, after = reverse("judging:drilldown", args=[sentinel]).split(str(sentinel))
    after += "?anonym=1" if anonymous else ""
    number = _number_text()
    result = []
    for row in rows:
        application = row.application
        unit = application.unit
        marks = []
        if row.marks:  # most rows have none, and a scrubber compiles a pattern of the row's names
            scrub = _scrubber(application, anonymous)
            marks = [scrub(m) for m in row.marks]
        result.append(
            DisplayRow(
                row=row,
                url=f"{before}{application.pk}{after}",
                code=application.code,
                unit_name=unit.name,
                organisation_name=unit.organisation.name,
                css=("is-ineligible" if marks else "") + (" is-conflict" if row.conflict else ""),
                rank_text=number(row.rank),
                total_text=number(row.total),
                visit_total_text=number(row.visit_total),
                calibrated_total_text=number(row.calibrated_total),
                calibrated_rank_text=number(row.calibrated_rank),
                max_spread_text=number(row.max_spread),
                conflict=row.conflict,
                outcome=row.outcome,
                marks=marks,
                visit_label=str(labels.get(row.visit_status, "")),
            )
        )
    return result


def _add_criterion_cells(rows) -> None:
    """Write the per-criterion table's cells of the rows (after `consolidation.add_detail`),
    as its template would write them: a dash for none, the calibrated score with one decimal."""
    number = _number_text()
    for row in rows:
        row.criterion_cells = [
            (
                number(score),
                number(visit),
                number(spread),
                flagged and spread is not None,
                "–" if calibrated is None else floatformat(calibrated, 1),
            )
            for _criterion, score, visit, spread, calibrated, flagged in row.row.cells
        ]


def _track_for(request, year, track_pk) -> Track:
    # The classes are prefetched once for the consolidation and the class filter alike.
    track = get_object_or_404(
        Track.objects.select_related("cycle").prefetch_related("classes"), pk=track_pk, cycle__year=year
    )
    _require_member(request.user, track.cycle)
    return track


@committee_or_slk
def consolidated(request, year, track_pk, anonymous=False):
    track = _track_for(request, year, track_pk)
    anonymous = anonymous or request.GET.get("anonym") == "1"
    # Every class of the track, so a class without applications can be chosen and shown empty.
    class_ids = {c.name: c.pk for c in track.classes.all()}
    filter_form = ConsolidatedFilterForm(request.GET, class_names=list(class_ids) or [track.name])
    filters = filter_form.filters()
    view = consolidation.consolidated(
        track, viewer=request.user, class_id=class_ids.get(filters["klass"]), detail=False
    )
    key, descending = _parse_sort(request.GET.get("sort", ""), anonymous)
    groups = []
    for group in view["classes"]:
        if filters["klass"] and group["name"] != filters["klass"]:
            continue
        rows = group["rows"]
        if filters["eligible_only"]:
            rows = [r for r in rows if not r.marks]
        groups.append(
            {
                "name": group["name"],
                "rows": sort_rows(rows, key, descending),
                "count": len(rows),
                "total_count": len(group["rows"]),
            }
        )
    if filters["klass"] and not groups:
        groups.append({"name": filters["klass"], "rows": [], "count": 0, "total_count": 0})
    all_rows = [row for g in groups for row in g["rows"]]
    # "The whole class on one page": the committee's meeting looks at one class at a time.
    whole = request.GET.get("alla") == "1"
    page = Paginator(all_rows, max(len(all_rows), 1) if whole else PAGE_SIZE).get_page(
        request.GET.get("sida")
    )
    groups = _page_groups(groups, page, anonymous)
    large = request.GET.get("storlek") == "stor"
    contrast = request.GET.get("kontrast") == "hog"
    # The per-criterion scores are shown on demand: a table as wide as the criteria are many.
    per_criterion = request.GET.get("kriterier") == "1"
    if per_criterion:
        consolidation.add_detail(r.row for g in groups for r in g["rows"])  # this page's rows only
        _add_criterion_cells(r for g in groups for r in g["rows"])
    return render(
        request,
        "judging/committee/consolidated.html",
        {
            "track": track,
            "cycle": track.cycle,
            "criteria": view["criteria"],
            "groups": groups,
            "method": view["method"],
            "anonymous": anonymous,
            "headers": _headers(request, key, descending, anonymous),
            "sort_key": key,
            "sort_descending": descending,
            "sort_label": COLUMNS_BY_KEY[key].label,
            "filter_form": filter_form,
            "filters": filters,
            "large": large,
            "contrast": contrast,
            "large_url": query_with(request, storlek=None if large else "stor"),
            "whole": whole,
            "whole_url": query_with(request, alla=None if whole else "1", sida=None),
            "paged": page.paginator.num_pages > 1,
            "per_criterion": per_criterion,
            "per_criterion_url": query_with(request, kriterier=None if per_criterion else "1"),
            "charts_url": reverse("judging:charts", args=[track.cycle.year, track.pk]),
            "contrast_url": query_with(request, kontrast=None if contrast else "hog"),
            "other_mode_url": (
                reverse("judging:consolidated", args=[track.cycle.year, track.pk])
                if anonymous
                else reverse("judging:consolidated_anonymous", args=[track.cycle.year, track.pk])
            ),
            "has_conflicts": any(r.conflict for g in groups for r in g["rows"]),
            "pagination": page_links(request, page),
            # The rows' words, translated once for the page rather than in every row.
            "conflict_label": _("Jäv – du deltar inte"),
            "ineligible_label": _("Kan inte vinna"),
            "eligible_label": _("Behörig"),
            "large_spread_label": _("stor"),
        },
    )


def _page_groups(groups: list[dict], page, anonymous: bool) -> list[dict]:
    """The classes as one page shows them: the slice of each class's (sorted) rows that falls
    on the page, ready for display. A class without rows is shown on the page where it would
    start; a class continued from the page before says so."""
    first, last = page.start_index() - 1, page.end_index()  # this page's rows, [first, last)
    shown, offset = [], 0
    for group in groups:
        count = len(group["rows"])
        start, end = max(first, offset), min(last, offset + count)
        if count == 0:
            home = min(offset // page.paginator.per_page + 1, page.paginator.num_pages)
            on_page = home == page.number
        else:
            on_page = start < end
        if on_page:
            rows = group["rows"][start - offset : end - offset] if count else []
            shown.append(
                {
                    **group,
                    "rows": _display_rows(rows, anonymous),
                    "continued": start > offset,
                    "first": start - offset + 1,
                    "last": end - offset,
                    "whole": count == 0 or (start == offset and end == offset + count),
                }
            )
        offset += count
    return shown


# --- One application, every stage ----------------------------------------------------------


def _application_for(user, pk) -> Application:
    application = get_object_or_404(
        Application.objects.select_related("track__cycle", "unit__organisation", "competition_class"),
        pk=pk,
        status=Application.Status.SUBMITTED,
    )
    _require_member(user, application.track.cycle)
    return application


def _examiner_labels(items, named: bool) -> dict[int, str]:
    """member id -> the label the page shows: the name for SLK, 'Examinator n' otherwise,
    numbered in a fixed order that does not follow the names."""
    members = {}
    for item in items:
        members.setdefault(item.assessment.member_id, item.assessment.member.profile)
    return {
        member_id: (str(members[member_id]) if named else _("Examinator %(n)s") % {"n": n})
        for n, member_id in enumerate(sorted(members), start=1)
    }


@committee_or_slk
def drilldown(request, pk):
    application = _application_for(request.user, pk)
    anonymous = request.GET.get("anonym") == "1"
    scrub = _scrubber(application, anonymous)
    track = application.track
    # Only the application's own class: ranks are per class.
    view = consolidation.consolidated(
        track, viewer=request.user, class_id=application.competition_class_id, detail=False
    )
    row = next(r for group in view["classes"] for r in group["rows"] if r.application.pk == application.pk)
    consolidation.add_detail([row])
    withheld = queries.withholds_team_assessments(request.user, application)
    criterion_rows = queries.criterion_rows(application)
    if withheld:
        # The viewer serves in the team and has not submitted: independence (R10).
        for r in criterion_rows:
            r.update(items=[], mean=None, spread=None, flagged=False)
    items = [item for r in criterion_rows for item in r["items"]]
    labels = _examiner_labels(items, named=has_role(request.user, Role.SLK) and not anonymous)
    member_ids = list(labels)
    consensus = queries.consensus_with_items(application)
    consensus_items = {i.criterion_id: i for i in consensus.items.all()} if consensus else {}
    visit = SiteVisit.objects.filter(application=application).first()
    report = (
        FeedbackReport.objects.filter(application=application)
        .prefetch_related(
            Prefetch(
                "items",
                queryset=FeedbackItem.objects.select_related("criterion").order_by("criterion__number"),
            )
        )
        .first()
    )

    weights = {r["criterion"].pk: r["criterion"].weight for r in criterion_rows}
    profile = []
    for r in criterion_rows:
        criterion: Criterion = r["criterion"]
        by_member = {i.assessment.member_id: i.score for i in r["items"]}
        item = consensus_items.get(criterion.pk)
        profile.append(
            {
                "criterion": criterion,
                "individual": [by_member.get(m) for m in member_ids],
                "mean": r["mean"],
                "spread": r["spread"],
                "flagged": r["flagged"],
                "consensus": item.score if item else None,
                "visit": item.visit_score if item else None,
                "visit_reason": scrub(item.visit_reason) if item else "",
                "discussion_note": scrub(item.discussion_note) if item else "",
                "calibrated": row.calibrated.get(criterion.pk),
            }
        )
    individual_totals = []
    for index, member_id in enumerate(member_ids):
        scores = {p["criterion"].pk: p["individual"][index] for p in profile}
        individual_totals.append(
            (labels[member_id], totals.weighted_total((weights[c], scores.get(c)) for c in weights))
        )
    consensus_total = queries.consensus_totals(consensus)
    conflicts = judging_queries.committee_conflicts_for(request.user, application)
    # The unit's previous entry, so the committee can judge its progress; a link to its
    # drill-down where the viewer sat on that cycle's committee (or is SLK).
    earlier = queries.earlier_entry(application)
    earlier_url = ""
    if earlier is not None and judging_queries.committee_or_slk(
        request.user, earlier.application.track.cycle
    ):
        earlier_url = reverse("judging:drilldown", args=[earlier.application.pk])
        if anonymous:
            earlier_url += "?anonym=1"
    return render(
        request,
        "judging/committee/drilldown.html",
        {
            "application": application,
            "track": track,
            "cycle": track.cycle,
            "withheld": withheld,
            "anonymous": anonymous,
            "unit_name": None if anonymous else application.unit.name,
            "organisation_name": None if anonymous else application.unit.organisation.name,
            "row": row,
            "marks": [scrub(m) for m in row.marks],
            "conflicts": [scrub(c.reason) for c in conflicts],
            "earlier": earlier,
            "earlier_url": earlier_url,
            "unit_history_url": reverse("judging:unit_history", args=[application.unit_id])
            if has_role(request.user, Role.SLK) and not anonymous
            else "",
            "examiners": [labels[m] for m in member_ids],
            "names_shown": has_role(request.user, Role.SLK) and not anonymous,
            "profile": profile,
            "flagged": [p for p in profile if p["flagged"]],
            "visit_changes": [p for p in profile if p["visit"] is not None],
            "individual_totals": individual_totals,
            "consensus": consensus,
            "consensus_total": consensus_total["before"],
            "visit_total": consensus_total["after"],
            "calibrated_total": row.calibrated_total,
            "visit": visit,
            "visit_findings": scrub(visit.findings) if visit else "",
            "report": report,
            "report_summary": scrub(report.summary) if report else "",
            "report_items": [
                {
                    "criterion": i.criterion,
                    "score": i.score,
                    "band": i.band,
                    "strengths": [scrub(t) for t in i.strengths],
                    "improvements": [scrub(t) for t in i.improvements],
                }
                for i in (report.items.all() if report else [])
            ],
            "back_url": reverse(
                "judging:consolidated_anonymous" if anonymous else "judging:consolidated",
                args=[track.cycle.year, track.pk],
            ),
            "threshold": track.cycle.discussion_threshold,
        },
    )
