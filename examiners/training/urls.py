"""Training sessions, rosters and qualification (SLK)."""

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
]
