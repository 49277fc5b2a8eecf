"""Scoring and committee pages, mounted at /bedomning/. Each area keeps its own URL list."""

from django.urls import path

from . import (
    urls_assessment,
    urls_committee,
    urls_consensus,
    urls_decisions,
    urls_evaluation,
    urls_feedback,
    urls_overview,
    urls_reports,
    views_current,
)

app_name = "scoring"

urlpatterns = (
    [
        path("kommitten/", views_current.current, {"page": "committee_home"}, name="committee_current"),
        path("beslut/", views_current.current, {"page": "decisions"}, name="decisions_current"),
        path("utvardering/", views_current.current, {"page": "evaluation"}, name="evaluation_current"),
    ]
    + urls_assessment.urlpatterns
    + urls_consensus.urlpatterns
    + urls_feedback.urlpatterns
    + urls_overview.urlpatterns
    + urls_committee.urlpatterns
    + urls_decisions.urlpatterns
    + urls_reports.urlpatterns
    + urls_evaluation.urlpatterns
)
