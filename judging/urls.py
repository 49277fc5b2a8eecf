"""The judging committee's pages, mounted at /bedomning/ beside scoring's: the consolidated
view and drill-down, the choice of site visits, meetings and decisions, charts and the
cycle export. The public good examples are mounted at /goda-exempel/ (judging.public)."""

from django.urls import path

from judging import current
from judging.committee import urls as committee
from judging.decisions import urls as decisions
from judging.reports import urls as reports
from judging.site_visits import urls as site_visits
from judging.units import urls as units

app_name = "judging"

urlpatterns = (
    [
        path("kommitten/", current.current, {"page": "committee_home"}, name="committee_current"),
        path("beslut/", current.current, {"page": "decisions"}, name="decisions_current"),
    ]
    + committee.urlpatterns
    + site_visits.urlpatterns
    + decisions.urlpatterns
    + reports.urlpatterns
    + units.urlpatterns
)
