"""The judging committee's decisions: meetings, site visits, decisions per class, signing,
corrections, and the good examples' consent.

A single decision lives under `beslut/nr/<pk>/`: `beslut/<year>/` already takes a bare
number, so `beslut/<pk>/` would never be reached."""

from django.urls import path

from judging.decisions import views

urlpatterns = [
    path("beslut/<int:year>/", views.decisions, name="decisions"),
    path("beslut/<int:year>/underratta/", views.decisions_notify, name="decisions_notify"),
    path("beslut/mote/<int:pk>/platsbesok/", views.site_visit_choice, name="site_visit_choice"),
    path("beslut/mote/<int:pk>/klass/<int:track_pk>/", views.decision_edit, name="decision_edit"),
    path("beslut/nr/<int:pk>/", views.decision_detail, name="decision_detail"),
    path("beslut/nr/<int:pk>/signera/", views.decision_sign, name="decision_sign"),
    path("beslut/nr/<int:pk>/rattelse/", views.decision_correct, name="decision_correct"),
    path("beslut/utfall/<int:pk>/goda-exempel/", views.good_example_edit, name="good_example_edit"),
]
