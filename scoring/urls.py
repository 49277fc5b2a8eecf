"""Scoring pages, mounted at /bedomning/. Each area keeps its own URL list."""

from . import urls_assessment, urls_consensus, urls_feedback, urls_overview

app_name = "scoring"

urlpatterns = (
    urls_assessment.urlpatterns
    + urls_consensus.urlpatterns
    + urls_feedback.urlpatterns
    + urls_overview.urlpatterns
)
