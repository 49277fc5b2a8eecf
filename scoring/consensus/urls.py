"""The consensus pages. `pk` is always the application's."""

from django.urls import path

from scoring.consensus import views

urlpatterns = [
    path("konsensus/<int:pk>/", views.consensus, name="consensus"),
    path("konsensus/<int:pk>/starta/", views.consensus_start, name="consensus_start"),
    path(
        "konsensus/<int:pk>/kriterium/<int:item_id>/",
        views.consensus_item_save,
        name="consensus_item_save",
    ),
    path("konsensus/<int:pk>/faststall/", views.consensus_finalise, name="consensus_finalise"),
]
