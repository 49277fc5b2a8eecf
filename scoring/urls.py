"""The examination of an application, mounted at /bedomning/: the individual assessment,
the consensus, the site visit, the feedback report, and SLK's score history and hours.
Each area keeps its URL list in its own package."""

from scoring.assessment import urls as assessment
from scoring.consensus import urls as consensus
from scoring.deadlines import urls as deadlines
from scoring.feedback import urls as feedback
from scoring.overview import urls as overview
from scoring.site_visits import urls as site_visits

app_name = "scoring"

urlpatterns = (
    assessment.urlpatterns
    + consensus.urlpatterns
    + site_visits.urlpatterns
    + feedback.urlpatterns
    + overview.urlpatterns
    + deadlines.urlpatterns
)
