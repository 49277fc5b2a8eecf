"""The committee's table writes each row's figures once in the view (issue 18: a whole
class is hundreds of rows); they must read exactly as the template's `{{ value }}` would."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import formats, translation

from award.models import Criterion
from judging.committee.views import _add_criterion_cells, _number_text
from judging.consolidation import Row

FIGURES = [0, 7, 1234, 20000, -3, Decimal("450.0"), Decimal("0.5"), Decimal("-12.25"), Decimal("1E+2"), 3.25]


@pytest.mark.parametrize("value", FIGURES)
def test_a_figure_reads_as_the_template_would_write_it(value):
    with translation.override("sv"):
        assert _number_text()(value) == formats.localize(value)


@pytest.mark.parametrize("value", FIGURES)
def test_with_thousands_separators_the_figure_is_still_localised(value, settings):
    settings.USE_THOUSAND_SEPARATOR = True
    with translation.override("sv"):
        assert _number_text()(value) == formats.localize(value)


def test_a_missing_figure_is_a_dash():
    assert _number_text()(None) == "–"


def test_the_per_criterion_cells_read_as_the_template_wrote_them():
    c1, c2, c3 = (Criterion(pk=n, number=n, weight=10) for n in (1, 2, 3))
    row = Row(
        application=None,
        class_name="",
        criteria=[c1, c2, c3],
        consensus={1: 60, 2: 40},
        visit={2: 50},
        spreads={1: 20, 2: 5},
        flagged={1, 3},  # a flag without a spread (withheld) is not shown
        calibrated={1: 61.25, 2: 47.0},
    )
    shown = SimpleNamespace(row=row)
    with translation.override("sv"):
        _add_criterion_cells([shown])
    assert shown.criterion_cells == [
        ("60", "–", "20", True, "61,3"),
        ("40", "50", "5", False, "47,0"),
        ("–", "–", "–", False, "–"),
    ]
