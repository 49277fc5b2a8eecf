"""consensus and site-visit pages. `pk` is always the application's."""

from django.urls import path

from . import views_consensus as views

urlpatterns = [
    path("konsensus/<int:pk>/", views.consensus, name="consensus"),
    path("konsensus/<int:pk>/starta/", views.consensus_start, name="consensus_start"),
    path(
        "konsensus/<int:pk>/kriterium/<int:item_id>/",
        views.consensus_item_save,
        name="consensus_item_save",
    ),
    path("konsensus/<int:pk>/faststall/", views.consensus_finalise, name="consensus_finalise"),
    path("platsbesok/<int:year>/lista/", views.site_visit_list, name="site_visit_list"),
    path("platsbesok/<int:pk>/", views.site_visit, name="site_visit"),
    path("platsbesok/<int:pk>/valj/", views.site_visit_select, name="site_visit_select"),
    path("platsbesok/<int:pk>/spara/", views.site_visit_save, name="site_visit_save"),
    path(
        "platsbesok/<int:pk>/kriterium/<int:item_id>/",
        views.visit_score_revise,
        name="visit_score_revise",
    ),
]
