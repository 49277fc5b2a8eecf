from django.urls import path

from award import jobs_views, views
from award.personal import views as views_personal

app_name = "award"

urlpatterns = [
    path("", views.cycle_list, name="cycle_list"),
    path("<int:year>/", views.cycle_detail, name="cycle_detail"),
    path("<int:year>/fas/avsluta/", views.cycle_phase_close, name="cycle_phase_close"),
    path("<int:year>/fas/forlang/", views.cycle_phase_extend, name="cycle_phase_extend"),
    path("<int:year>/paminnelser/", views.cycle_reminders, name="cycle_reminders"),
    path("<int:year>/bakgrund/", jobs_views.cycle_jobs, name="cycle_jobs"),
    path("<int:year>/bakgrund/starta/", jobs_views.job_start, name="job_start"),
    path("jobb/<int:pk>/", jobs_views.job_status, name="job_status"),
    path("jobb/<int:pk>/fil/", jobs_views.job_download, name="job_download"),
    path("utkorg/", views.outbox, name="outbox"),
    path("utkorg/<int:pk>/skicka-igen/", views.outbox_resend, name="outbox_resend"),
    path("personer/<int:pk>/", views_personal.person_detail, name="person_detail"),
]
