"""The team's site-visit pages. `pk` is always the application's."""

from django.urls import path

from scoring.site_visits import views

urlpatterns = [
    path("platsbesok/<int:pk>/", views.site_visit, name="site_visit"),
    path("platsbesok/<int:pk>/spara/", views.site_visit_save, name="site_visit_save"),
    path(
        "platsbesok/<int:pk>/kriterium/<int:item_id>/",
        views.visit_score_revise,
        name="visit_score_revise",
    ),
]
