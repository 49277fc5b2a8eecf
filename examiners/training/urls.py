"""Training sessions, rosters, qualification and the practice case (SLK), and the
trainee's own assessment of the practice case."""

from django.urls import path

from examiners.training import views

urlpatterns = [
    path("utbildning/<int:year>/", views.training_list, name="training_list"),
    path("utbildning/<int:year>/ny/", views.session_create, name="session_create"),
    path("utbildning/<int:year>/behorighet/", views.qualification, name="qualification"),
    path("utbildning/<int:year>/behorighet/excel/", views.qualification_export, name="qualification_export"),
    path("utbildning/tillfalle/<int:pk>/", views.session_roster, name="session_roster"),
    path("utbildning/tillfalle/<int:pk>/andra/", views.session_edit, name="session_edit"),
    path("utbildning/tillfalle/<int:pk>/utskrift/", views.session_print, name="session_print"),
    path("utbildning/tillfalle/<int:pk>/anmal/", views.enrol, name="enrol"),
    path("utbildning/tillfalle/<int:pk>/dag/<int:day_pk>/narvaro/", views.attendance, name="attendance"),
    path("utbildning/anmalan/<int:pk>/avanmal/", views.enrolment_cancel, name="enrolment_cancel"),
    path("utbildning/tillfalle/<int:pk>/ovningsfall/", views.practice_case, name="practice_case"),
    path(
        "utbildning/tillfalle/<int:pk>/ovningsfall/kopiera/",
        views.practice_case_copy,
        name="practice_case_copy",
    ),
    path(
        "utbildning/tillfalle/<int:pk>/kalibrering/", views.practice_calibration, name="practice_calibration"
    ),
    path(
        "utbildning/tillfalle/<int:pk>/kalibrering.svg",
        views.practice_calibration_svg,
        name="practice_calibration_svg",
    ),
    path("ovningsfall/<int:pk>/", views.practice, name="practice"),
    path("ovningsfall/<int:pk>/kriterium/<int:criterion_id>/", views.practice_item, name="practice_item"),
    path("ovningsfall/<int:pk>/lamna-in/", views.practice_submit, name="practice_submit"),
]
