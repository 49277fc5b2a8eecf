from django.urls import path

from examiners import views
from examiners.training import urls as urls_training

app_name = "examiners"

urlpatterns = [
    path("", views.home, name="home"),
    path("jav/", views.conflict_declare, name="conflict_declare"),
    path("bidrag/<int:pk>/", views.application_open, name="application_open"),
    path("pool/", views.current, {"page": "pool"}, name="pool_current"),
    path("pool/<int:year>/", views.pool, name="pool"),
    path("pool/medlem/<int:pk>/", views.pool_member, name="pool_member"),
    path("pool/medlem/<int:pk>/beslut/", views.pool_decide, name="pool_decide"),
    path("pool/medlem/<int:pk>/chef/", views.manager_approval, name="manager_approval"),
    path("pool/medlem/<int:pk>/lag/", views.max_teams, name="max_teams"),
    path("pool/medlem/<int:pk>/jav/", views.conflict_record, name="conflict_record"),
    path("utbildning/", views.current, {"page": "training_list"}, name="training_current"),
    path("lag/", views.current, {"page": "teams"}, name="teams_current"),
    path("lag/<int:year>/", views.teams, name="teams"),
    path("lag/<int:year>/forslag/", views.teams_propose, name="teams_propose"),
    path("lag/<int:year>/nytt/", views.team_create, name="team_create"),
    path("lag/visa/<int:pk>/", views.team_detail, name="team_detail"),
    path("lag/visa/<int:pk>/medlem/", views.team_member_add, name="team_member_add"),
    path(
        "lag/visa/<int:pk>/medlem/<int:member_pk>/bort/", views.team_member_remove, name="team_member_remove"
    ),
    path("lag/visa/<int:pk>/medlem/<int:member_pk>/ledare/", views.team_leader, name="team_leader"),
    path("lag/visa/<int:pk>/bidrag/", views.team_assign, name="team_assign"),
    path("lag/visa/<int:pk>/bidrag/<int:application_pk>/bort/", views.team_unassign, name="team_unassign"),
    path("lag/visa/<int:pk>/faststall/", views.team_confirm, name="team_confirm"),
    path("lag/visa/<int:pk>/upplos/", views.team_delete, name="team_delete"),
    path("lag/visa/<int:pk>/markering/", views.team_flag_clear, name="team_flag_clear"),
] + urls_training.urlpatterns
