"""Public pages (no login): the good examples."""

from django.urls import path

from judging.public import views

urlpatterns = [
    path("", views.good_examples, name="good_examples"),
]
