"""committee pages: the committee's start page with its conflicts, the consolidated view
of a track (also anonymised, for choosing site visits) and one application's drill-down."""

from django.urls import path

from judging.committee import views

urlpatterns = [
    path("kommitten/<int:year>/", views.home, name="committee_home"),
    path("kommitten/<int:year>/spar/<int:track_pk>/", views.consolidated, name="consolidated"),
    path(
        "kommitten/<int:year>/spar/<int:track_pk>/urval/",
        views.consolidated,
        {"anonymous": True},
        name="consolidated_anonymous",
    ),
    path("kommitten/bidrag/<int:pk>/", views.drilldown, name="drilldown"),
]
