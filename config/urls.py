from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts import urls as accounts_urls
from award import urls as award_urls
from award import views as award_views
from examiners import urls as examiner_urls

admin.site.site_header = "Kvalitetsutmärkelsen – administration"
admin.site.site_title = "Kvalitetsutmärkelsen"
admin.site.index_title = "Administration"

urlpatterns = [
    path("", award_views.start, name="start"),
    path("hem/", award_views.home, name="home"),
    path("tillganglighet/", award_views.accessibility, name="accessibility"),
    path("hjalp/", award_views.help_page, name="help"),
    path("logga-in/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logga-ut/", auth_views.LogoutView.as_view(), name="logout"),
    path("losenord/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("losenord/klart/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("konto/", include("accounts.urls")),
    # SLK's people page comes from accounts (it reads roles, units, teams and training from
    # every app) but keeps its address and names in the award namespace.
    path("omgang/", include((accounts_urls.people_patterns + award_urls.urlpatterns, "award"))),
    path("bidrag/", include("submissions.urls")),
    # The volunteer form takes people without an account too (accounts makes theirs).
    path("examinator/", include((accounts_urls.volunteer_patterns + examiner_urls.urlpatterns, "examiners"))),
    path("bedomning/", include("scoring.urls")),
    path("bedomning/", include("judging.urls")),
    path("bedomning/", include("evaluation.urls")),
    path("goda-exempel/", include(("judging.public.urls", "public"))),
    path("admin/", admin.site.urls),
]
urlpatterns += [path("oidc/", include("mozilla_django_oidc.urls"))] if settings.AWARD_OIDC_ENABLED else []
