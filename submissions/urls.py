from django.urls import path

from submissions import views

app_name = "submissions"

urlpatterns = [
    path("", views.application_list, name="application_list"),
    path("anmal/", views.register, name="register"),
    path("oversikt/", views.overview, name="overview"),
    path("oversikt/godkann/", views.registrations_approve, name="registrations_approve"),
    path("<int:pk>/", views.application_detail, name="application_detail"),
    path("<int:pk>/kriterium/<int:criterion_id>/", views.answer_edit, name="answer_edit"),
    path(
        "<int:pk>/kriterium/<int:criterion_id>/forbattringar/",
        views.improvement_notes,
        name="improvement_notes",
    ),
    path("<int:pk>/uppgifter/", views.details_save, name="details_save"),
    path("<int:pk>/bilagor/", views.attachment_upload, name="attachment_upload"),
    path("<int:pk>/bilagor/<int:attachment_id>/", views.attachment_download, name="attachment_download"),
    path("<int:pk>/bilagor/<int:attachment_id>/ta-bort/", views.attachment_delete, name="attachment_delete"),
    path("<int:pk>/lamna-in/", views.submit, name="submit"),
    path("<int:pk>/kvitto/", views.receipt, name="receipt"),
    path("<int:pk>/aterta/", views.withdraw, name="withdraw"),
    path("<int:pk>/utskrift/", views.print_view, name="print"),
    path("<int:pk>/pdf/", views.pdf, name="pdf"),
    path("<int:pk>/anmalan/beslut/", views.registration_decide, name="registration_decide"),
    path("<int:pk>/forlang/", views.extend, name="extend"),
    path("<int:pk>/oppna-igen/", views.reopen, name="reopen"),
]
