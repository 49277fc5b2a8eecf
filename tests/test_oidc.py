"""Single sign-on through OpenID Connect, against a stub provider on a loopback port.

The stub (a real HTTP server in a thread) serves the token, userinfo and JWKS endpoints
and signs its ID tokens with an RSA key made for the test run. The browser's round trip
through the provider's login page is played by the test: it reads state, nonce and PKCE
challenge from the redirect to the authorization endpoint, has the stub issue a code for
them, and comes back to /oidc/callback/ as the provider would send it.
"""

import base64
import hashlib
import importlib
import json
import os
import secrets
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.test import Client, override_settings
from django.urls import clear_url_caches, reverse

from accounts.models import RoleRequest
from award.roles import Role, has_role
from config import oidc
from tests.support import factories

pytestmark = pytest.mark.django_db

CLIENT_ID = "kvalitet-test"
CLIENT_SECRET = "hemligt-klientlosen"
REDIRECT_URI = "http://testserver/oidc/callback/"
BASE_DIR = Path(__file__).resolve().parent.parent


class StubProvider:
    """Token, userinfo and JWKS endpoints of an OpenID provider."""

    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = "stub-key-1"
        self.codes = {}  # code -> what the authorization request asked for, and who logged in
        self.access_tokens = {}  # access token -> userinfo claims
        self.token_requests = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()

    def issue_code(self, authorize_url: str, email: str, *, nonce: str | None = None, key=None) -> tuple:
        """What the provider does once the person has logged in there: a code for the
        client, bound to the request's nonce, PKCE challenge and redirect URI. Returns the
        callback's query (code, state)."""
        query = {name: values[0] for name, values in parse_qs(urlsplit(authorize_url).query).items()}
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "client_id": query["client_id"],
            "redirect_uri": query["redirect_uri"],
            "nonce": query["nonce"] if nonce is None else nonce,
            "challenge": query.get("code_challenge"),
            "email": email,
            "key": key or self.key,
        }
        return code, query["state"]

    def _id_token(self, grant: dict, sub: str) -> str:
        now = int(time.time())
        claims = {
            "iss": self.base,
            "sub": sub,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            "email": grant["email"],
            "amr": ["pwd", "mfa"],
        }
        return jwt.encode(claims, grant["key"], algorithm="RS256", headers={"kid": self.kid})

    def jwks(self) -> dict:
        jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
        jwk.update({"kid": self.kid, "alg": "RS256", "use": "sig"})
        return {"keys": [jwk]}

    def _handler(self):
        provider = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status: int, body: dict):
                data = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                if self.path == "/jwks":
                    return self._json(200, provider.jwks())
                if self.path == "/userinfo":
                    token = self.headers.get("Authorization", "").removeprefix("Bearer ")
                    claims = provider.access_tokens.get(token)
                    if claims is None:
                        return self._json(401, {"error": "invalid_token"})
                    return self._json(200, claims)
                return self._json(404, {"error": "not_found"})

            def do_POST(self):
                if self.path != "/token":
                    return self._json(404, {"error": "not_found"})
                length = int(self.headers.get("Content-Length", 0))
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                provider.token_requests.append(form)
                grant = provider.codes.pop(form.get("code"), None)  # a code is good once
                if (
                    grant is None
                    or form.get("grant_type") != "authorization_code"
                    or form.get("client_id") != CLIENT_ID
                    or form.get("client_secret") != CLIENT_SECRET
                    or form.get("redirect_uri") != grant["redirect_uri"]
                ):
                    return self._json(400, {"error": "invalid_grant"})
                if grant["challenge"]:
                    digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
                    if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["challenge"]:
                        return self._json(400, {"error": "invalid_grant"})
                sub = "sub-" + hashlib.sha256(grant["email"].lower().encode()).hexdigest()[:12]
                access_token = secrets.token_urlsafe(16)
                provider.access_tokens[access_token] = {"sub": sub, "email": grant["email"]}
                return self._json(
                    200,
                    {
                        "access_token": access_token,
                        "token_type": "Bearer",
                        "expires_in": 300,
                        "id_token": provider._id_token(grant, sub),
                    },
                )

        return Handler


@pytest.fixture(scope="module")
def provider():
    stub = StubProvider().start()
    yield stub
    stub.stop()


def _reload_urls():
    import config.urls

    clear_url_caches()
    importlib.reload(config.urls)
    clear_url_caches()


@pytest.fixture
def sso(provider, monkeypatch):
    """The project as configured with AWARD_OIDC_ENABLED and the stub as its provider
    (what config/settings.py sets from the environment), URLs included; restored after."""
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    backends = list(settings.AUTHENTICATION_BACKENDS)
    backends.insert(1, "config.oidc.ExistingUserOIDCBackend")
    with override_settings(
        AWARD_OIDC_ENABLED=True,
        AUTHENTICATION_BACKENDS=backends,
        OIDC_RP_CLIENT_ID=CLIENT_ID,
        OIDC_RP_CLIENT_SECRET=CLIENT_SECRET,
        OIDC_OP_AUTHORIZATION_ENDPOINT=f"{provider.base}/authorize",
        OIDC_OP_TOKEN_ENDPOINT=f"{provider.base}/token",
        OIDC_OP_USER_ENDPOINT=f"{provider.base}/userinfo",
        OIDC_OP_JWKS_ENDPOINT=f"{provider.base}/jwks",
        OIDC_RP_SIGN_ALGO="RS256",
        OIDC_USE_PKCE=True,
    ):
        _reload_urls()
        yield provider
    _reload_urls()


def _start(client, next_url: str = "") -> str:
    """GET /oidc/authenticate/ and return where it sends the browser."""
    response = client.get("/oidc/authenticate/" + (f"?next={next_url}" if next_url else ""))
    assert response.status_code == 302
    return response["Location"]


def test_authenticate_redirects_to_provider_with_state_nonce_and_pkce(client, sso):
    location = _start(client)
    assert location.startswith(f"{sso.base}/authorize?")
    query = {name: values[0] for name, values in parse_qs(urlsplit(location).query).items()}
    assert query["response_type"] == "code"
    assert query["client_id"] == CLIENT_ID
    assert query["redirect_uri"] == REDIRECT_URI
    assert set(query["scope"].split()) == {"openid", "email"}
    assert len(query["state"]) >= 32 and len(query["nonce"]) >= 32
    assert query["code_challenge_method"] == "S256" and query["code_challenge"]
    assert query["state"] in client.session["oidc_states"]


def test_existing_user_is_logged_in_by_email_ignoring_case(client, sso):
    user = factories.UserFactory(username="anna", email="Anna.Berg@Example.se")
    code, state = sso.issue_code(_start(client), "anna.berg@example.se")

    response = client.get("/oidc/callback/", {"code": code, "state": state})

    assert response.status_code == 302
    assert response["Location"] == "/hem/"
    assert client.session[SESSION_KEY] == str(user.pk)
    token_request = sso.token_requests[-1]
    assert token_request["client_secret"] == CLIENT_SECRET and token_request["code_verifier"]
    home = client.get("/hem/")
    assert home.status_code == 200
    assert home.wsgi_request.user == user


def test_next_is_followed_after_login(client, sso):
    user = factories.UserFactory(username="bertil", email="bertil@example.se")
    code, state = sso.issue_code(_start(client, "/omgang/"), user.email)
    response = client.get("/oidc/callback/", {"code": code, "state": state})
    assert response["Location"] == "/omgang/"
    assert client.session[SESSION_KEY] == str(user.pk)


def test_unknown_email_lands_on_the_role_request_page_and_gets_no_role(client, sso, django_user_model, slk):
    """A city employee without an account: a page saying they have no role yet, where they
    ask for one; nothing is granted, and no account made, until SLK approves."""
    factories.UserFactory(username="anna", email="anna@example.se")
    users_before = django_user_model.objects.count()
    code, state = sso.issue_code(_start(client), "okand@example.se")

    response = client.get("/oidc/callback/", {"code": code, "state": state}, follow=True)

    assert response.redirect_chain[0] == ("/konto/ingen-roll/", 302)
    assert SESSION_KEY not in client.session
    page = response.content.decode()
    assert "Du har ingen roll än" in page and "okand@example.se" in page
    assert django_user_model.objects.count() == users_before

    unit = factories.UnitFactory()
    client.post(
        "/konto/ingen-roll/",
        {"name": "Olle Okänd", "kind": "unit_contact", "unit": unit.pk, "message": "Ny rektor"},
    )
    request = RoleRequest.objects.get(email="okand@example.se")
    assert request.is_open and request.unit == unit
    assert django_user_model.objects.count() == users_before
    assert "väntar på stadsledningskontorets beslut" in client.get("/konto/ingen-roll/").content.decode()
    # Signing on again still gives no role.
    code, state = sso.issue_code(_start(client), "okand@example.se")
    client.get("/oidc/callback/", {"code": code, "state": state})
    assert SESSION_KEY not in client.session

    staff = Client()
    staff.force_login(slk)
    assert "Olle Okänd" in staff.get(reverse("award:person_search")).content.decode()
    staff.post(reverse("accounts:role_request_decide", args=[request.pk]), {"decision": "approve"})
    person = django_user_model.objects.get(email="okand@example.se")
    assert unit.contacts.filter(pk=person.pk).exists()
    assert has_role(person, Role.UNIT_CONTACT)

    code, state = sso.issue_code(_start(client), "okand@example.se")
    client.get("/oidc/callback/", {"code": code, "state": state})
    assert client.session[SESSION_KEY] == str(person.pk)


def test_the_role_request_page_needs_the_providers_word(client):
    """Without a sign-on that found no account, the page sends the visitor to log in."""
    response = client.get("/konto/ingen-roll/")
    assert response.status_code == 302 and response["Location"] == "/logga-in/"
    assert not RoleRequest.objects.exists()


def test_slk_declines_a_request_with_a_reason_and_nobody_gets_an_account(client, slk, django_user_model):
    request = RoleRequest.objects.create(email="nej@example.se", name="Nej Tack", kind="examiner")
    client.force_login(slk)
    client.post(
        reverse("accounts:role_request_decide", args=[request.pk]), {"decision": "decline", "reason": ""}
    )
    request.refresh_from_db()
    assert request.is_open
    client.post(
        reverse("accounts:role_request_decide", args=[request.pk]), {"decision": "decline", "reason": "Okänd"}
    )
    request.refresh_from_db()
    assert not request.is_open
    assert not django_user_model.objects.filter(email="nej@example.se").exists()


def test_inactive_account_is_refused(client, sso):
    factories.UserFactory(username="slutat", email="slutat@example.se", is_active=False)
    code, state = sso.issue_code(_start(client), "slutat@example.se")
    response = client.get("/oidc/callback/", {"code": code, "state": state}, follow=True)
    assert SESSION_KEY not in client.session
    assert "Det finns inget konto" in response.content.decode()


def test_id_token_with_wrong_nonce_or_signature_is_refused(client, sso):
    factories.UserFactory(username="anna", email="anna@example.se")
    code, state = sso.issue_code(_start(client), "anna@example.se", nonce="en-annan-nonce")
    response = client.get("/oidc/callback/", {"code": code, "state": state}, follow=True)
    assert SESSION_KEY not in client.session
    assert oidc.FAILURE_MESSAGE in response.content.decode()

    forger = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    code, state = sso.issue_code(_start(client), "anna@example.se", key=forger)
    response = client.get("/oidc/callback/", {"code": code, "state": state}, follow=True)
    assert SESSION_KEY not in client.session
    assert oidc.FAILURE_MESSAGE in response.content.decode()


def test_callback_with_unknown_state_is_rejected(client, sso):
    factories.UserFactory(username="anna", email="anna@example.se")
    code, _state = sso.issue_code(_start(client), "anna@example.se")
    response = client.get("/oidc/callback/", {"code": code, "state": "forfalskad"})
    assert response.status_code == 400
    assert SESSION_KEY not in client.session


def test_provider_error_returns_to_login_page(client, sso):
    _start(client)
    response = client.get("/oidc/callback/", {"error": "access_denied"}, follow=True)
    assert response.redirect_chain[0] == ("/logga-in/", 302)
    assert oidc.FAILURE_MESSAGE in response.content.decode()


def test_login_page_offers_sso_and_password_login_still_works(client, sso):
    page = client.get("/logga-in/?next=/omgang/").content.decode()
    assert "Logga in med stadens konto" in page
    assert 'href="/oidc/authenticate/?next=/omgang/"' in page
    user = factories.UserFactory(username="cecilia", email="cecilia@example.se")
    response = client.post("/logga-in/", {"username": "cecilia", "password": factories.PASSWORD})
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(user.pk)


def test_off_by_default_no_urls_and_no_button(client):
    assert settings.AWARD_OIDC_ENABLED is False
    assert "config.oidc.ExistingUserOIDCBackend" not in settings.AUTHENTICATION_BACKENDS
    assert "mozilla_django_oidc" not in settings.INSTALLED_APPS
    assert client.get("/oidc/authenticate/").status_code == 404
    assert client.get("/oidc/callback/", {"code": "x", "state": "y"}).status_code == 404
    page = client.get("/logga-in/").content.decode()
    assert "Logga in med stadens konto" not in page
    assert "/oidc/" not in page


def test_settings_read_the_environment_when_enabled():
    """config/settings.py with AWARD_OIDC_ENABLED=1 and the provider's variables: the app,
    the backend right after django-axes', the endpoints, and a clean `manage.py check`."""
    env = {
        **os.environ,
        "AWARD_OIDC_ENABLED": "1",
        "OIDC_RP_CLIENT_ID": CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://idp.example.se/authorize",
        "OIDC_OP_TOKEN_ENDPOINT": "https://idp.example.se/token",
        "OIDC_OP_USER_ENDPOINT": "https://idp.example.se/userinfo",
        "OIDC_OP_JWKS_ENDPOINT": "https://idp.example.se/jwks",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    script = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "from django.urls import reverse; "
        "print(json.dumps([s.INSTALLED_APPS[-1], s.AUTHENTICATION_BACKENDS[:2], s.OIDC_RP_SIGN_ALGO, "
        "s.OIDC_OP_TOKEN_ENDPOINT, reverse('oidc_authentication_callback')]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=BASE_DIR, env=env, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == [
        "mozilla_django_oidc",
        ["config.security.AxesStandaloneBackend", "config.oidc.ExistingUserOIDCBackend"],
        "RS256",
        "https://idp.example.se/token",
        "/oidc/callback/",
    ]
    check = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=BASE_DIR, env=env, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr


def test_refused_sso_attempts_count_towards_login_throttling(client, sso):
    """A refused sign-on is a failed login for django-axes (by client address): after
    AWARD_LOGIN_FAILURE_LIMIT of them the callback answers with the lockout page."""
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        code, state = sso.issue_code(_start(client), "okand@example.se")
        assert client.get("/oidc/callback/", {"code": code, "state": state}).status_code == 302
    code, state = sso.issue_code(_start(client), "okand@example.se")
    response = client.get("/oidc/callback/", {"code": code, "state": state})
    assert response.status_code == 429
    assert "För många misslyckade inloggningsförsök" in response.content.decode()


@pytest.mark.second_factor
def test_the_providers_second_factor_counts_only_when_a_setting_says_so(client, sso, settings):
    """The stub's token says amr=["pwd", "mfa"]: an SLK administrator signing on is still
    asked for the platform's own second factor, unless AWARD_OIDC_SECOND_FACTOR_AMR names mfa."""
    slk = factories.user_with_role(Role.SLK, username="slk-sso", email="slk-sso@example.se")
    code, state = sso.issue_code(_start(client), slk.email)
    client.get("/oidc/callback/", {"code": code, "state": state})
    assert client.get("/hem/")["Location"].startswith("/konto/tvastegs/")
    client.logout()
    settings.OIDC_SECOND_FACTOR_AMR = ["mfa"]
    code, state = sso.issue_code(_start(client), slk.email)
    client.get("/oidc/callback/", {"code": code, "state": state})
    assert client.get("/hem/").status_code == 200
