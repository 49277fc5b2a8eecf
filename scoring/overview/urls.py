"""overview pages for SLK: an application's score history and the examiners' hours."""

from django.urls import path

from scoring.overview import views

urlpatterns = [
    path("historik/<int:pk>/", views.history, name="history"),
    path("timmar/<int:year>/", views.hours, name="hours"),
    path("lage/<int:year>/", views.progress, name="progress"),
]
