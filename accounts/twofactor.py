"""Two-factor login for the people who decide (SLK administrators, the judging committee)
and for staff: their session reaches no page of theirs, nor the admin, until a second
factor is verified in it. Others may turn it on; it is then asked at every login too.

A session is verified when it holds SECOND_FACTOR_KEY: set by the verify page (a TOTP code
or a recovery code, django-otp's devices), by the setup page when the first device is
confirmed, or, with single sign-on, by config.oidc when the provider's token says that it
asked for a second factor itself (AWARD_OIDC_SECOND_FACTOR_AMR / _ACR). A new login starts a
new session (Django's login() flushes or cycles it), so nothing carries over between people.
"""

import secrets
from urllib.parse import urlencode

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from award.roles import Role, has_role

SECOND_FACTOR_KEY = "award_second_factor"

#: Pages a person may use before verifying: getting in and out, and the public pages.
EXEMPT_VIEWS = frozenset(
    {
        "start",
        "login",
        "logout",
        "public:good_examples",
        "accounts:two_factor_setup",
        "accounts:two_factor_verify",
        "accounts:password_reset",
        "accounts:password_reset_done",
        "accounts:password_reset_confirm",
        "accounts:password_reset_complete",
        "accounts:invitation",
        "accounts:invitation_renewal",
        "accounts:role_request",
    }
)


def new_totp_key() -> str:
    """A fresh secret for an authenticator app (hex, as django-otp stores it)."""
    return secrets.token_hex(20)


def second_factor_required(user) -> bool:
    """Whether the person may use nothing of theirs before a second factor: SLK
    administrators (superusers included), committee members and staff (the admin)."""
    if not settings.TWO_FACTOR_REQUIRED or not user.is_authenticated:
        return False
    return user.is_staff or user.is_superuser or has_role(user, Role.SLK, Role.COMMITTEE)


def has_device(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def is_verified(request) -> bool:
    return bool(request.session.get(SECOND_FACTOR_KEY))


def mark_verified(request, how: str) -> None:
    """The session has passed its second factor (`how`: totp, recovery, idp)."""
    request.session[SECOND_FACTOR_KEY] = how


def needs_second_factor(request) -> bool:
    """A logged-in session that must verify a second factor before its next page."""
    user = request.user
    # The session is read first: a verified session costs no query.
    if not user.is_authenticated or is_verified(request):
        return False
    return second_factor_required(user) or has_device(user)


def _exempt(path: str) -> bool:
    try:
        return resolve(path).view_name in EXEMPT_VIEWS
    except Resolver404:
        return False


class SecondFactorMiddleware:
    """Sends a person who must verify a second factor to the verify page (or, without a
    device yet, to the setup page) before any other page; an htmx request gets 403."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if needs_second_factor(request) and not _exempt(request.path_info):
            if request.headers.get("HX-Request") == "true":
                return HttpResponse(
                    _("Verifiera inloggningen med din andra faktor först."),
                    status=403,
                    content_type="text/plain; charset=utf-8",
                )
            name = "accounts:two_factor_verify" if has_device(request.user) else "accounts:two_factor_setup"
            query = urlencode({"next": request.get_full_path()}) if request.method == "GET" else ""
            return redirect(reverse(name) + (f"?{query}" if query else ""))
        return self.get_response(request)
