"""The committee's charts (each page with its SVG beside it) and the cycle's export."""

from django.urls import path

from judging.reports import views

urlpatterns = [
    path("diagram/<int:year>/spar/<int:track_pk>/", views.track_charts, name="charts"),
    path("diagram/<int:year>/spar/<int:track_pk>/<slug:chart>.svg", views.track_chart_svg, name="chart_svg"),
    path("diagram/<int:year>/kalibrering/", views.calibration_chart, name="calibration_chart"),
    path("diagram/<int:year>/kalibrering.svg", views.calibration_chart_svg, name="calibration_chart_svg"),
    path("diagram/bidrag/<int:pk>/", views.profile_chart, name="profile_chart"),
    path("diagram/bidrag/<int:pk>.svg", views.profile_chart_svg, name="profile_chart_svg"),
    path("export/<int:year>/", views.cycle_export, name="cycle_export"),
]
