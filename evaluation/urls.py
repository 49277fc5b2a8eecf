"""The evaluation of a cycle, mounted at /bedomning/: SLK sends the questionnaires and reads
the results and the cycle report; the recipients answer."""

from django.urls import path

from evaluation import views

app_name = "evaluation"

urlpatterns = [
    path("utvardering/", views.current, name="evaluation_current"),
    path("utvardering/<int:year>/", views.evaluation, name="evaluation"),
    path("utvardering/<int:year>/rapport/", views.report, name="cycle_report"),
    path("enkat/<int:pk>/", views.questionnaire_answer, name="questionnaire_answer"),
]
