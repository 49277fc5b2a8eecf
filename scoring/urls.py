"""Scoring and committee pages, mounted at /bedomning/. Each area keeps its own URL list."""

from . import (
    urls_assessment,
    urls_committee,
    urls_consensus,
    urls_decisions,
    urls_evaluation,
    urls_feedback,
    urls_overview,
    urls_reports,
)

app_name = "scoring"

urlpatterns = (
    urls_assessment.urlpatterns
    + urls_consensus.urlpatterns
    + urls_feedback.urlpatterns
    + urls_overview.urlpatterns
    + urls_committee.urlpatterns
    + urls_decisions.urlpatterns
    + urls_reports.urlpatterns
    + urls_evaluation.urlpatterns
)
