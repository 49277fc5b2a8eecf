from django.urls import path

from accounts import people_views, views

app_name = "accounts"

urlpatterns = [
    path("glomt-losenord/", views.password_reset, name="password_reset"),
    path("glomt-losenord/skickat/", views.password_reset_done, name="password_reset_done"),
    path(
        "aterstall/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"
    ),
    path("aterstall/klart/", views.password_reset_complete, name="password_reset_complete"),
    path("inbjudan/<str:token>/", views.invitation, name="invitation"),
    path("inbjudan/<str:token>/ny/", views.invitation_renewal, name="invitation_renewal"),
    path("inbjudningar/", views.invitations, name="invitations"),
    path("inbjudningar/<int:pk>/aterkalla/", views.invitation_revoke, name="invitation_revoke"),
    path("enhet/<int:pk>/", views.unit_invitations, name="unit_invitations"),
    path("person/<int:pk>/stang-av/", views.person_deactivate, name="person_deactivate"),
    path("ingen-roll/", views.role_request, name="role_request"),
    path("roll/<int:pk>/beslut/", views.role_request_decide, name="role_request_decide"),
    path("tvastegs/", views.two_factor_setup, name="two_factor_setup"),
    path("tvastegs/verifiera/", views.two_factor_verify, name="two_factor_verify"),
]

# SLK's people page, mounted by config/urls.py in the award namespace under omgang/, where
# the personal-data page (award:person_detail) already lives.
people_patterns = [
    path("personer/", people_views.people, name="person_search"),
    path("personer/<int:pk>/roller/", people_views.person_roles, name="person_roles"),
    path("personer/<int:pk>/roller/roll/", people_views.person_role, name="person_role"),
    path("personer/<int:pk>/roller/enhet/", people_views.person_unit, name="person_unit"),
    path("personer/<int:pk>/roller/kommitte/", people_views.person_committee, name="person_committee"),
    path("personer/<int:pk>/tvastegs/", people_views.person_two_factor, name="person_two_factor"),
]

# The volunteer form and its confirmation link, mounted by config/urls.py in the examiners
# namespace under examinator/: the address stays /examinator/intresseanmalan/ for everyone,
# and someone without an account can use it.
volunteer_patterns = [
    path("intresseanmalan/", views.volunteer, name="volunteer"),
    path("intresseanmalan/bekrafta/<str:token>/", views.volunteer_confirm, name="volunteer_confirm"),
    path("pool/intresseanmalningar/", views.volunteer_requests, name="volunteer_requests"),
    path(
        "pool/intresseanmalningar/<int:pk>/beslut/",
        views.volunteer_request_decide,
        name="volunteer_request_decide",
    ),
]
