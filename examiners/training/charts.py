"""The practice case's calibration chart, drawn on the server with matplotlib as SVG, in the
style of the committee's charts (judging/charts.py, which this app may not import): per
criterion every trainee's score as a numbered dot and the reference as a diamond. Trainees
appear by number only, so the chart can be projected at the session."""

import io

import matplotlib
from django.utils.translation import gettext as _

# Figure objects, never pyplot: no global state shared between request threads.
from matplotlib.figure import Figure

from examiners.training.queries import Calibration

BLUE, DARK, ORANGE = "#0058a1", "#1d1d1b", "#dd6b20"
RC = {
    "svg.fonttype": "none",
    "svg.hashsalt": "kvalitetsutmarkelsen",
    "font.size": 12,  # projected: larger than the committee's charts
    "axes.spines.top": False,
    "axes.spines.right": False,
}


def _offset(index: int) -> float:
    """A fixed spread of dots around a criterion (no randomness: reproducible drawings)."""
    return ((index * 7) % 9 - 4) * 0.05


def calibration_svg(calibration: Calibration) -> str:
    with matplotlib.rc_context(RC):
        criteria = calibration.criteria
        figure = Figure(figsize=(max(7, 1.1 * len(criteria) + 2), 5), layout="constrained")
        ax = figure.subplots()
        xs = list(range(1, len(criteria) + 1))
        for x, row in zip(xs, criteria, strict=True):
            for index, (number, score) in enumerate(row.scores):
                ax.scatter([x + _offset(index)], [score], s=60, color=BLUE, alpha=0.85, zorder=3)
                ax.annotate(
                    str(number),
                    (x + _offset(index), score),
                    xytext=(5, 3),
                    textcoords="offset points",
                    fontsize=9,
                )
            if row.reference is not None:
                ax.scatter([x], [row.reference], marker="D", s=110, color=ORANGE, edgecolor=DARK, zorder=4)
        ax.set_xticks(xs, [str(row.criterion.number) for row in criteria])
        ax.set_xlim(0.4, len(criteria) + 0.6)
        ax.set_ylim(0, 100)
        ax.set_xlabel(_("Kriterium"))
        ax.set_ylabel(_("Poäng (%)"))
        ax.grid(axis="y", color="#e0e0e0")
        ax.set_axisbelow(True)
        handles = [
            ax.scatter([], [], s=60, color=BLUE, label=_("Deltagare (nummer)")),
            ax.scatter([], [], marker="D", s=80, color=ORANGE, edgecolor=DARK, label=_("Referens")),
        ]
        ax.legend(handles=handles, loc="lower left", frameon=False, ncols=2, bbox_to_anchor=(0, 1.0))
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
        return buffer.getvalue()
