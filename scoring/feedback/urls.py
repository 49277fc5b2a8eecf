"""feedback pages: the team edits the report, SLK approves it, the unit reads it."""

from django.urls import path

from scoring.feedback import views

urlpatterns = [
    path("aterforing/<int:pk>/", views.report_edit, name="report_edit"),
    path("aterforing/<int:pk>/skriv-om/", views.report_redraft, name="report_redraft"),
    path("aterforing/<int:pk>/godkann/", views.report_approve, name="report_approve"),
    path("aterforing/<int:pk>/enhet/", views.report_unit, name="report_unit"),
    path("aterforing/<int:pk>/pdf/", views.report_pdf, name="report_pdf"),
]
