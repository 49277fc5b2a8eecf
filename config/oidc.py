"""Single sign-on with the city's identity provider (OpenID Connect, mozilla-django-oidc).

Off unless AWARD_OIDC_ENABLED is set (config/settings.py). Only people who already have
an account can sign in this way: the provider's e-mail address is matched, ignoring case,
against the accounts SLK has created, and nobody is created from the provider (roles are
given by SLK). A city employee the provider vouches for whose address has no account here
lands on a page that says they have no role yet and lets them ask SLK for one
(accounts:role_request); an address whose account is turned off is sent back to the login
page with a Swedish message.
"""

import logging

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import SuspiciousOperation
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.decorators import method_decorator
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from accounts import twofactor
from accounts.views import SSO_NO_ACCOUNT_SESSION

NO_ACCOUNT_MESSAGE = (
    "Det finns inget konto i Kvalitetsutmärkelsen för e-postadressen %(email)s. Konton skapas av "
    "Stadsledningskontoret; kontakta dem om du ska ha tillgång."
)
FAILURE_MESSAGE = "Inloggningen med stadens konto misslyckades. Försök igen eller logga in med lösenord."

# Set on the request by the backend: the verified ID token's claims.
_ID_CLAIMS = "_award_oidc_claims"

# Set on the request by the backend when the provider vouched for someone without an account.
_REFUSED_EMAIL = "_award_oidc_refused_email"

logger = logging.getLogger(__name__)


class ExistingUserOIDCBackend(OIDCAuthenticationBackend):
    """Signs in the one active account whose e-mail matches the provider's (case-insensitive);
    never creates an account."""

    def authenticate(self, request, **kwargs):
        # Only the OIDC callback calls authenticate() with exactly these credentials; a
        # password login (username, password) is none of this backend's business.
        if request is None or set(kwargs) - {"nonce", "code_verifier"}:
            return None
        try:
            return super().authenticate(request, **kwargs)
        except (requests.RequestException, jwt.InvalidTokenError, SuspiciousOperation) as exc:
            # The provider unreachable, or an ID token that does not verify: no login, and
            # the login page says so.
            logger.warning("OIDC-inloggning misslyckades: %s", exc)
            return None

    def verify_token(self, token, **kwargs):
        payload = super().verify_token(token, **kwargs)
        # mozilla-django-oidc does not check the audience; the token must be meant for us.
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ID token audience does not match OIDC_RP_CLIENT_ID")
        # Kept for the callback: whether the provider asked for a second factor itself.
        setattr(self.request, _ID_CLAIMS, payload)
        return payload

    def filter_users_by_claims(self, claims):
        email = (claims.get("email") or "").strip()
        if not email:
            return self.UserModel.objects.none()
        return self.UserModel.objects.filter(email__iexact=email, is_active=True)

    def get_or_create_user(self, access_token, id_token, payload):
        user_info = self.get_userinfo(access_token, id_token, payload)
        if not self.verify_claims(user_info):
            raise SuspiciousOperation("Claims verification failed")
        users = list(self.filter_users_by_claims(user_info)[:2])
        if len(users) == 1:
            return users[0]
        # None, or (never with accounts made by SLK) two accounts sharing the address:
        # refuse rather than guess.
        setattr(self.request, _REFUSED_EMAIL, user_info.get("email", ""))
        return None

    def get_user(self, user_id):
        # As Django's ModelBackend: an account deactivated since login is logged out.
        return ModelBackend.get_user(self, user_id)


@method_decorator(login_not_required, name="dispatch")
class AuthenticateView(OIDCAuthenticationRequestView):
    """Redirects to the provider's authorization endpoint (with state and nonce)."""


@method_decorator(login_not_required, name="dispatch")
class CallbackView(OIDCAuthenticationCallbackView):
    """The provider's redirect back; on failure, the login page with a Swedish message."""

    def login_success(self):
        response = super().login_success()
        if provider_second_factor(getattr(self.request, _ID_CLAIMS, None) or {}):
            twofactor.mark_verified(self.request, "idp")
        return response

    def login_failure(self):
        refused = getattr(self.request, _REFUSED_EMAIL, None)
        if refused and not get_user_model().objects.filter(email__iexact=refused.strip()).exists():
            # No account at all: they may ask SLK for a role (the address stays in this
            # anonymous session, vouched for by the provider).
            self.request.session[SSO_NO_ACCOUNT_SESSION] = refused.strip()
            return HttpResponseRedirect(reverse("accounts:role_request"))
        if refused is not None:
            messages.error(self.request, NO_ACCOUNT_MESSAGE % {"email": refused})
        else:
            messages.error(self.request, FAILURE_MESSAGE)
        return HttpResponseRedirect(reverse("login"))


def provider_second_factor(claims: dict) -> bool:
    """The ID token says the provider asked for a second factor: one of its `amr` values, or
    its `acr`, is among those AWARD_OIDC_SECOND_FACTOR_AMR / _ACR name (none by default)."""
    amr = claims.get("amr") or []
    amr = [amr] if isinstance(amr, str) else list(amr)
    return bool(set(amr) & set(settings.OIDC_SECOND_FACTOR_AMR)) or (
        bool(claims.get("acr")) and claims.get("acr") in settings.OIDC_SECOND_FACTOR_ACR
    )


def login_context(request) -> dict:
    """Template context: `oidc_enabled`, whether the login page offers single sign-on."""
    return {"oidc_enabled": settings.AWARD_OIDC_ENABLED}
