"""The feedback report's rules for pages of apps below scoring, which cannot import it:
the submissions app's application page asks here whether the unit may read its report."""

from django import template

from scoring import queries

register = template.Library()


@register.filter
def report_released(application) -> bool:
    """`queries.report_released` for the application's report (False when it has none)."""
    return queries.report_released(getattr(application, "feedback_report", None))
