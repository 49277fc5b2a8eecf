"""The examiner's individual assessment of an application."""

from django.urls import path

from scoring.assessment import views

urlpatterns = [
    path("bidrag/<int:pk>/", views.assessment, name="assessment"),
    path("bidrag/<int:pk>/kriterium/<int:criterion_id>/", views.item_save, name="assessment_item"),
    path("bidrag/<int:pk>/lamna-in/", views.submit, name="assessment_submit"),
    path("bidrag/<int:pk>/oppna/", views.reopen, name="assessment_reopen"),
    path("bidrag/<int:pk>/timmar/", views.hours, name="assessment_hours"),
]
