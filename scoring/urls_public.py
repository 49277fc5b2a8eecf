"""Public pages (no login): the good examples."""

from django.urls import path

from . import views_public as views

urlpatterns = [
    path("", views.good_examples, name="good_examples"),
]
