"""SLK's page for the individual assessment's deadline: every team's last day, how many
assessments are still out, and the extension for one team or all."""

from django.urls import path

from scoring.deadlines import views

urlpatterns = [
    path("bedomningstid/<int:year>/", views.assessment_deadline, name="assessment_deadline"),
]
