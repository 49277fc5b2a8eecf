"""The committee's table writes each row's figures once in the view (issue 18: a whole
class is hundreds of rows); they must read exactly as the template's `{{ value }}` would."""

from decimal import Decimal

import pytest
from django.utils import formats, translation

from judging.committee.views import _number_text

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
