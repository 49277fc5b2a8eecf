"""The committee's charts, drawn on the server with matplotlib as SVG.

Each chart is built in two steps: a `*_data` function reads what the chart shows as plain
values (the page's text alternative is made from the same values, so chart and table
never disagree), and `render` draws those values. `chart_svg` caches the drawing under a
key made of the chart, its scope (track, cycle or application) and a digest of the data
itself, so a chart is redrawn exactly when something it shows has changed (a score, a
signed decision, a criterion's weight, an application moved to another class) and never
otherwise; no timestamp bookkeeping can go stale.

Charts name applications by their code only, so they can be shown in the shortlisting
meeting as well.
"""

import hashlib
import io
import json
import statistics
import textwrap
from dataclasses import asdict, dataclass, field

import matplotlib
from django.core.cache import cache
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# Figure objects, never pyplot: no global state shared between request threads, and no
# GUI backend (savefig picks the SVG backend from the format).
from matplotlib.figure import Figure

from award.models import Criterion
from judging.consolidation import consolidated
from judging.models import DecisionOutcome
from scoring.models import Assessment, AssessmentItem, Consensus, ConsensusItem
from submissions.models import Application

# Bump when the drawing code changes, so cached drawings of the old code are not served.
CHART_VERSION = 1
CACHE_SECONDS = 60 * 60 * 24 * 7

WINNER = DecisionOutcome.Outcome.WINNER
MENTION = DecisionOutcome.Outcome.HONOURABLE_MENTION

# The city's palette, readable in greyscale and for red-green colour blindness.
BLUE, DARK, ORANGE, GREY = "#0058a1", "#1d1d1b", "#dd6b20", "#8a8a8a"
# Every box plot alike: half a step wide, grey box and whiskers, a dark median, no outlier markers (the points
# themselves are drawn on top).
BOX_STYLE = {
    "widths": 0.5,
    "showfliers": False,
    "medianprops": {"color": DARK},
    "boxprops": {"color": GREY},
    "whiskerprops": {"color": GREY},
    "capprops": {"color": GREY},
}

RC = {
    "svg.fonttype": "none",  # text stays text: smaller, selectable, searchable
    "svg.hashsalt": "kvalitetsutmarkelsen",  # stable element ids, so equal data gives equal SVG
    "font.size": 10,
    "axes.spines.top": False,
    "axes.spines.right": False,
}


# --- Data ------------------------------------------------------------------------------


@dataclass
class ClassTotals:
    name: str
    points: list[tuple[str, float, str]] = field(default_factory=list)  # code, total, outcome

    @property
    def totals(self) -> list[float]:
        return [total for _code, total, _outcome in self.points]

    @property
    def median(self) -> float | None:
        return statistics.median(self.totals) if self.points else None

    @property
    def winners(self) -> list[str]:
        return [code for code, _total, outcome in self.points if outcome == WINNER]

    @property
    def mentions(self) -> list[str]:
        return [code for code, _total, outcome in self.points if outcome == MENTION]

    @property
    def rows(self) -> list[tuple[str, float, str]]:
        """(code, total, the outcome's label or "") for the chart's table."""
        return [
            (code, total, str(DecisionOutcome.Outcome(outcome).label) if outcome else "")
            for code, total, outcome in self.points
        ]


@dataclass
class CriterionScores:
    number: int
    title: str
    scores: list[int]

    @property
    def summary(self) -> dict | None:
        if not self.scores:
            return None
        return {
            "count": len(self.scores),
            "min": min(self.scores),
            "median": statistics.median(self.scores),
            "mean": round(statistics.mean(self.scores), 1),
            "max": max(self.scores),
        }


@dataclass
class ExaminerDeviation:
    name: str
    teams: str
    assessments: int
    items: int
    mean_deviation: float


@dataclass
class ProfilePoint:
    number: int
    title: str
    score: int | None
    class_median: float | None

    @property
    def difference(self) -> float | None:
        if self.score is None or self.class_median is None:
            return None
        return round(self.score - self.class_median, 1)


def _signed_outcomes(application_ids) -> dict[int, str]:
    return dict(
        DecisionOutcome.objects.signed()
        .filter(application_id__in=application_ids)
        .values_list("application_id", "outcome")
    )


def track_data(track) -> dict:
    """For one track: each class's totals with the signed outcomes, and each criterion's
    consensus scores across the applications. The score that counts is used: after the site
    visit where one revised it, otherwise the consensus."""
    view = consolidated(track)
    rows = [row for group in view["classes"] for row in group["rows"]]
    outcomes = _signed_outcomes([row.application.pk for row in rows])
    classes = []
    for group in view["classes"]:
        entry = ClassTotals(name=str(group["name"]))
        for row in group["rows"]:
            if row.final_total is not None:
                entry.points.append(
                    (row.application.code, float(row.final_total), outcomes.get(row.application.pk, ""))
                )
        classes.append(entry)
    criteria = []
    for criterion in view["criteria"]:
        scores = []
        for row in rows:
            score = row.visit.get(criterion.pk, row.consensus.get(criterion.pk))
            if score is not None:
                scores.append(score)
        criteria.append(
            CriterionScores(number=criterion.number, title=criterion.title, scores=sorted(scores))
        )
    return {"classes": classes, "criteria": criteria}


def calibration_data(cycle) -> list[ExaminerDeviation]:
    """Each examiner's mean deviation (percentage points) of their submitted scores from
    their team's final consensus on the same criterion, before any site visit (the visit
    brings evidence the examiners did not have). Positive: more generous than the team."""
    agreed = {
        (application_id, criterion_id): (score, team)
        for application_id, criterion_id, score, team in ConsensusItem.objects.filter(
            consensus__application__track__cycle=cycle,
            consensus__status=Consensus.Status.FINAL,
            score__isnull=False,
        ).values_list("consensus__application_id", "criterion_id", "score", "consensus__team__name")
    }
    items = AssessmentItem.objects.filter(
        assessment__application__track__cycle=cycle,
        assessment__status=Assessment.Status.SUBMITTED,
        score__isnull=False,
    ).values_list(
        "assessment__member_id",
        "assessment__member__profile__user__first_name",
        "assessment__member__profile__user__last_name",
        "assessment__member__profile__user__username",
        "assessment_id",
        "assessment__application_id",
        "criterion_id",
        "score",
    )
    examiners: dict[int, dict] = {}
    for member_id, first, last, username, assessment_id, application_id, criterion_id, score in items:
        consensus = agreed.get((application_id, criterion_id))
        if consensus is None:
            continue
        entry = examiners.setdefault(
            member_id,
            {
                "name": f"{first} {last}".strip() or username,
                "teams": set(),
                "assessments": set(),
                "deltas": [],
            },
        )
        entry["teams"].add(consensus[1])
        entry["assessments"].add(assessment_id)
        entry["deltas"].append(score - consensus[0])
    result = [
        ExaminerDeviation(
            name=entry["name"],
            teams=", ".join(sorted(entry["teams"])),
            assessments=len(entry["assessments"]),
            items=len(entry["deltas"]),
            mean_deviation=round(statistics.mean(entry["deltas"]), 1),
        )
        for entry in examiners.values()
    ]
    return sorted(result, key=lambda e: (e.teams, e.name))


def profile_data(application: Application) -> list[ProfilePoint]:
    """Per criterion, the application's score that counts beside the median of the same
    criterion over the final consensuses of the applications in its class."""
    criteria = list(Criterion.objects.filter(track_id=application.track_id).order_by("number"))
    peers = Application.objects.filter(
        track_id=application.track_id,
        competition_class_id=application.competition_class_id,
        status=Application.Status.SUBMITTED,
    )
    scores: dict[int, list[int]] = {}
    own: dict[int, int] = {}
    for application_id, criterion_id, score, visit_score in ConsensusItem.objects.filter(
        consensus__application__in=peers, consensus__status=Consensus.Status.FINAL
    ).values_list("consensus__application_id", "criterion_id", "score", "visit_score"):
        final = visit_score if visit_score is not None else score
        if final is None:
            continue
        scores.setdefault(criterion_id, []).append(final)
        if application_id == application.pk:
            own[criterion_id] = final
    return [
        ProfilePoint(
            number=c.number,
            title=c.title,
            score=own.get(c.pk),
            class_median=statistics.median(scores[c.pk]) if scores.get(c.pk) else None,
        )
        for c in criteria
    ]


# --- Drawing ---------------------------------------------------------------------------


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), layout="constrained")


def _svg(figure: Figure) -> str:
    buffer = io.StringIO()
    # No date in the metadata: the same data draws byte for byte the same SVG.
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    return buffer.getvalue()


def _jitter(index: int) -> float:
    """A fixed spread of points around a line (no randomness: the drawing is reproducible)."""
    return ((index * 7) % 9 - 4) * 0.04


def _draw_class_totals(classes: list[ClassTotals]) -> Figure:
    figure = _figure(8, 1.2 + 0.9 * max(len(classes), 1))
    ax = figure.subplots()
    for y, entry in enumerate(reversed(classes)):
        if entry.totals:
            ax.boxplot(
                entry.totals,
                positions=[y],
                orientation="horizontal",
                **BOX_STYLE,
            )
        for index, (code, total, outcome) in enumerate(entry.points):
            offset = _jitter(index)
            if outcome == WINNER:
                ax.scatter([total], [y + offset], marker="*", s=220, color=ORANGE, edgecolor=DARK, zorder=3)
                ax.annotate(code, (total, y + offset), xytext=(0, 9), textcoords="offset points", ha="center")
            elif outcome == MENTION:
                ax.scatter([total], [y + offset], marker="D", s=50, color=BLUE, edgecolor=DARK, zorder=3)
            else:
                ax.scatter([total], [y + offset], marker="o", s=30, color=BLUE, alpha=0.8, zorder=3)
    # A long class name ("Socialtjänst samt stöd och service till personer med …") wraps
    # onto lines of its own instead of squeezing the axis to a sliver.
    ax.set_yticks(range(len(classes)), [textwrap.fill(c.name, 26) for c in reversed(classes)])
    ax.set_xlim(0, 1000)
    ax.set_ylim(-0.7, max(len(classes), 1) - 0.3)
    ax.set_xlabel(_("Konsensustotal (poäng av 1000)"))
    ax.grid(axis="x", color="#e0e0e0")
    ax.set_axisbelow(True)
    handles = [
        ax.scatter([], [], marker="o", s=30, color=BLUE, label=_("Bidrag")),
        ax.scatter([], [], marker="*", s=160, color=ORANGE, edgecolor=DARK, label=_("Vinnare")),
        ax.scatter([], [], marker="D", s=40, color=BLUE, edgecolor=DARK, label=_("Hedersomnämnande")),
    ]
    ax.legend(
        handles=handles,
        title=_("Teckenförklaring"),
        loc="lower left",
        frameon=False,
        ncols=3,
        bbox_to_anchor=(0, 1.0),
        alignment="left",
    )
    return figure


def _draw_criterion_scores(criteria: list[CriterionScores]) -> Figure:
    figure = _figure(max(6, 0.9 * len(criteria) + 2), 4)
    ax = figure.subplots()
    positions = list(range(1, len(criteria) + 1))
    filled = [(p, c.scores) for p, c in zip(positions, criteria, strict=True) if c.scores]
    if filled:
        ax.boxplot(
            [scores for _p, scores in filled],
            positions=[p for p, _s in filled],
            **BOX_STYLE,
        )
        for position, scores in filled:
            xs = [position + _jitter(i) for i in range(len(scores))]
            ax.scatter(xs, scores, s=18, color=BLUE, alpha=0.8, zorder=3)
    ax.set_xticks(positions, [str(c.number) for c in criteria])
    ax.set_xlim(0.3, len(criteria) + 0.7)
    ax.set_ylim(0, 100)
    ax.set_xlabel(_("Kriterium"))
    ax.set_ylabel(_("Konsensuspoäng (%)"))
    ax.grid(axis="y", color="#e0e0e0")
    ax.set_axisbelow(True)
    return figure


def _draw_calibration(examiners: list[ExaminerDeviation]) -> Figure:
    figure = _figure(8, 1 + 0.35 * max(len(examiners), 2))
    ax = figure.subplots()
    ys = list(range(len(examiners)))[::-1]
    deviations = [e.mean_deviation for e in examiners]
    colours = [ORANGE if d < 0 else BLUE for d in deviations]
    ax.barh(ys, deviations, color=colours, height=0.6)
    limit = max([abs(d) for d in deviations] + [5]) * 1.35
    for y, examiner in zip(ys, examiners, strict=True):
        side = 1 if examiner.mean_deviation >= 0 else -1
        ax.annotate(
            f"n = {examiner.assessments}",
            (examiner.mean_deviation, y),
            xytext=(4 * side, 0),
            textcoords="offset points",
            ha="left" if side > 0 else "right",
            va="center",
            fontsize=8,
        )
    ax.set_yticks(ys, [f"{e.name} ({e.teams})" for e in examiners])
    ax.axvline(0, color=DARK, linewidth=0.8)
    ax.set_xlim(-limit, limit)
    ax.set_xlabel(_("Medelavvikelse från lagets konsensus (procentenheter)"))
    ax.grid(axis="x", color="#e0e0e0")
    ax.set_axisbelow(True)
    return figure


def _draw_profile(points: list[ProfilePoint], code: str) -> Figure:
    figure = _figure(max(6, 0.9 * len(points) + 2), 4)
    ax = figure.subplots()
    xs = list(range(1, len(points) + 1))
    own = [(x, p.score) for x, p in zip(xs, points, strict=True) if p.score is not None]
    medians = [(x, p.class_median) for x, p in zip(xs, points, strict=True) if p.class_median is not None]
    if own:
        ax.bar([x for x, _s in own], [s for _x, s in own], width=0.6, color=BLUE, label=code)
    if medians:
        ax.plot(
            [x for x, _m in medians],
            [m for _x, m in medians],
            color=ORANGE,
            marker="D",
            linestyle="--",
            label=_("Klassens median"),
        )
    ax.set_xticks(xs, [str(p.number) for p in points])
    ax.set_ylim(0, 100)
    ax.set_xlabel(_("Kriterium"))
    ax.set_ylabel(_("Poäng (%)"))
    ax.grid(axis="y", color="#e0e0e0")
    ax.set_axisbelow(True)
    if ax.get_legend_handles_labels()[0]:  # nothing to explain before there is data
        ax.legend(loc="lower left", frameon=False, ncols=2, bbox_to_anchor=(0, 1.0))
    return figure


# The years of a unit's profile, oldest first: the latest in the city's blue, earlier ones
# lighter and hatched, so the bars are told apart in greyscale too.
YEAR_STYLES = [("#c6d9ea", "//"), ("#8a8a8a", ".."), (ORANGE, "\\\\"), (BLUE, "")]


def _draw_unit_profile(profile) -> Figure:
    """Grouped bars: per criterion one bar per cycle, the latest on the right of each group."""
    numbers = [number for number, _title in profile.criteria]
    years = profile.years[-len(YEAR_STYLES) :]
    figure = _figure(min(10, max(6, 0.3 * len(numbers) * max(len(years), 2) + 2)), 4)
    ax = figure.subplots()
    width = 0.8 / max(len(years), 1)
    styles = YEAR_STYLES[len(YEAR_STYLES) - len(years) :]
    for index, (year, (colour, hatch)) in enumerate(zip(years, styles, strict=True)):
        offset = (index - (len(years) - 1) / 2) * width
        scored = [(x, profile.scores[year].get(n)) for x, n in enumerate(numbers, start=1)]
        scored = [(x, s) for x, s in scored if s is not None]
        ax.bar(
            [x + offset for x, _s in scored],
            [s for _x, s in scored],
            width=width * 0.95,
            color=colour,
            hatch=hatch,
            edgecolor=DARK,
            linewidth=0.5,
            label=str(year),
        )
    ax.set_xticks(range(1, len(numbers) + 1), [str(n) for n in numbers])
    ax.set_ylim(0, 100)
    ax.set_xlabel(_("Kriterium"))
    ax.set_ylabel(_("Poäng (%)"))
    ax.grid(axis="y", color="#e0e0e0")
    ax.set_axisbelow(True)
    if years:
        ax.legend(
            loc="lower left",
            frameon=False,
            ncols=len(years),
            bbox_to_anchor=(0, 1.0),
            title=_("Omgång"),
            alignment="left",
        )
    return figure


def render(kind: str, data: dict) -> str:
    """Draw one chart as SVG text. Slow (a tenth of a second or more); call `chart_svg`."""
    with matplotlib.rc_context(RC):
        if kind == "totals":
            figure = _draw_class_totals(data["classes"])
        elif kind == "criteria":
            figure = _draw_criterion_scores(data["criteria"])
        elif kind == "calibration":
            figure = _draw_calibration(data["examiners"])
        elif kind == "profile":
            figure = _draw_profile(data["points"], data["code"])
        elif kind == "unit_profile":
            figure = _draw_unit_profile(data["profile"])
        else:
            raise ValueError(kind)
        return _svg(figure)


def _digest(data: dict) -> str:
    plain = {
        key: [asdict(v) for v in value] if isinstance(value, list) else value for key, value in data.items()
    }
    text = json.dumps(plain, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def cache_key(kind: str, scope: str, data: dict) -> str:
    return f"scoring:chart:v{CHART_VERSION}:{get_language()}:{kind}:{scope}:{_digest(data)}"


def chart_svg(kind: str, scope: str, data: dict) -> str:
    """The chart's SVG, drawn once per distinct data and then served from the cache."""
    key = cache_key(kind, scope, data)
    svg = cache.get(key)
    if svg is None:
        svg = render(kind, data)
        cache.set(key, svg, CACHE_SECONDS)
    return svg
