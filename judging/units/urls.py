"""The unit's history in the award (its contacts and SLK), mounted at /bedomning/."""

from django.urls import path

from judging.units import views

urlpatterns = [
    path("enhet/<int:pk>/historik/", views.unit_history, name="unit_history"),
    path("enhet/<int:pk>/historik/profil.svg", views.unit_profile_svg, name="unit_profile_svg"),
]
