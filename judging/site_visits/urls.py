"""The committee's choice of site visits."""

from django.urls import path

from judging.site_visits import views

urlpatterns = [
    path("platsbesok/<int:year>/lista/", views.site_visit_list, name="site_visit_list"),
    path("platsbesok/<int:pk>/valj/", views.site_visit_select, name="site_visit_select"),
]
