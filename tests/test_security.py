"""Security headers, login throttling and session lifetime, checked on real responses."""

import re
import time
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from axes.utils import reset
from django.contrib.auth import SESSION_KEY
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.urls import reverse

from award.roles import Role
from config.middleware import LOGIN_TIME_KEY, SEEN_TIME_KEY, SVG_POLICY, CSPMiddleware
from tests.support import factories
from tests.support.applications import register

pytestmark = pytest.mark.django_db

PASSWORD = "ett-langt-losenord-2025"


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def _assert_secure_page(response):
    assert response.status_code in (200, 429), response.status_code
    policy = _policy(response)
    assert policy["default-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy["script-src"] and "'unsafe-eval'" not in policy["script-src"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["object-src"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    nonces = {value[len("'nonce-") : -1] for value in policy["script-src"] if value.startswith("'nonce-")}
    html = response.content.decode()
    for tag in re.findall(r"<script\b[^>]*>", html):
        if "src=" in tag:
            continue
        # An inline script runs only with this response's nonce.
        match = re.search(r'nonce="([^"]+)"', tag)
        assert match and match.group(1) in nonces, tag
    for nonce in re.findall(r'nonce="([^"]+)"', html):
        assert nonce in nonces
    # No inline styles: no style attributes, no <style> blocks, no event-handler attributes.
    assert not re.search(r"\sstyle\s*=", html), re.search(r".{80}\sstyle\s*=.{80}", html)
    assert "<style" not in html
    assert not re.search(r"<[^>]+\son[a-z]+\s*=", html)
    assert 'href="javascript:' not in html
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    return nonces


def test_public_pages_have_the_policy_and_no_inline_code(client):
    for url in (reverse("start"), reverse("login")):
        _assert_secure_page(client.get(url))


def test_home_of_slk_has_the_policy_and_no_inline_code(client, cycle, slk):
    client.force_login(slk)
    _assert_secure_page(client.get(reverse("home")))


def test_htmx_page_loads_htmx_with_the_nonce_and_without_its_inline_styles(client, cycle, unit, unit_contact):
    application = register(cycle, unit, unit_contact)
    answer = application.answers.first()
    client.force_login(unit_contact)
    response = client.get(reverse("submissions:answer_edit", args=[application.pk, answer.criterion_id]))
    nonces = _assert_secure_page(response)
    html = response.content.decode()
    assert "hx-post=" in html
    (htmx,) = re.findall(r"<script\b[^>]*htmx-2[^>]*>", html)
    assert len(nonces) == 1 and f'nonce="{nonces.pop()}"' in htmx
    assert '"includeIndicatorStyles": false' in html
    assert '"attributesToSettle": ["class", "width", "height"]' in html  # never style


def test_the_nonce_changes_with_every_response(client, cycle, unit, unit_contact):
    application = register(cycle, unit, unit_contact)
    url = reverse("submissions:answer_edit", args=[application.pk, application.answers.first().criterion_id])
    client.force_login(unit_contact)
    first, second = (_policy(client.get(url))["script-src"] for _ in range(2))
    assert first != second


def test_svg_chart_responses_get_a_policy_that_runs_nothing():
    def svg_view(request):
        return HttpResponse(
            '<svg><rect style="fill: #00606b"/></svg>', content_type="image/svg+xml; charset=utf-8"
        )

    response = CSPMiddleware(svg_view)(RequestFactory().get("/bedomning/diagram.svg"))
    assert response["Content-Security-Policy"] == SVG_POLICY
    assert "default-src 'none'" in SVG_POLICY and "script-src" not in SVG_POLICY


def test_hsts_and_secure_cookies_in_production_settings(settings):
    # The production values are computed from DJANGO_DEBUG at import; the deploy check in
    # `make test` (manage.py check --deploy --fail-level WARNING) covers them. Here: the
    # headers the middleware sends once HSTS is on.
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = Client().get(reverse("start"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


# --- Login throttling ---------------------------------------------------------------------


@pytest.fixture
def person(db):
    return factories.user_with_role(Role.EXAMINER, username="granskare", password=PASSWORD)


def _login(client, username, password, address="10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_wrong_passwords_lock_the_user_out_with_a_swedish_message(client, person):
    for _ in range(4):
        response = _login(client, "granskare", "fel")
        assert response.status_code == 200 and SESSION_KEY not in client.session
    response = _login(client, "granskare", "fel")
    assert response.status_code == 429
    html = response.content.decode()
    assert "För många misslyckade inloggningsförsök" in html and "15 minuter" in html
    _assert_secure_page(response)
    # Locked: even the right password is refused, from another address too.
    response = _login(client, "granskare", PASSWORD, address="10.0.0.2")
    assert response.status_code == 429 and SESSION_KEY not in client.session


def test_five_failures_from_one_address_lock_that_address(client, person):
    for number in range(5):
        response = _login(client, f"gissning{number}", "fel", address="10.0.0.9")
    assert response.status_code == 429
    assert _login(client, "granskare", PASSWORD, address="10.0.0.9").status_code == 429
    # Another address is not affected.
    assert _login(Client(), "granskare", PASSWORD, address="10.0.0.10").status_code == 302


def test_the_lock_lifts_after_the_cool_off(client, person):
    for _ in range(5):
        _login(client, "granskare", "fel")
    assert _login(client, "granskare", PASSWORD).status_code == 429
    # Fifteen minutes later (the attempts are dated back beyond the cool-off).
    AccessAttempt.objects.update(attempt_time=time_ago(minutes=16))
    response = _login(client, "granskare", PASSWORD)
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_an_administrator_can_lift_the_lock(client, person):
    for _ in range(5):
        _login(client, "granskare", "fel")
    reset(username="granskare")
    reset(ip="10.0.0.1")
    assert _login(client, "granskare", PASSWORD).status_code == 302


def test_a_successful_login_resets_the_count(client, person):
    for _ in range(4):
        _login(client, "granskare", "fel")
    assert _login(client, "granskare", PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert _login(client, "granskare", "fel").status_code == 200


def test_throttling_counts_the_client_behind_the_trusted_proxy(settings, rf):
    from config.security import client_ip

    request = rf.get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 192.0.2.7")
    assert client_ip(request) == "10.1.1.1"
    settings.TRUSTED_PROXY_COUNT = 1
    assert client_ip(request) == "192.0.2.7"  # the left entry was written by the client


def test_throttling_settings():
    from django.conf import settings

    assert settings.AUTHENTICATION_BACKENDS[0].endswith("AxesStandaloneBackend")
    assert "guardian.backends.ObjectPermissionBackend" in settings.AUTHENTICATION_BACKENDS
    assert settings.MIDDLEWARE[-1] == "axes.middleware.AxesMiddleware"
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME.total_seconds() == 15 * 60


def time_ago(**kwargs):
    from django.utils import timezone

    return timezone.now() - timedelta(**kwargs)


# --- Sessions -------------------------------------------------------------------------------


def _set_session(client, **values):
    session = client.session
    session.update(values)
    session.save()


def test_sessions_expire_after_30_idle_minutes(client, person):
    from django.conf import settings

    assert settings.SESSION_COOKIE_AGE == 30 * 60
    client.force_login(person)
    assert client.get(reverse("home")).status_code == 200
    _set_session(client, **{SEEN_TIME_KEY: int(time.time()) - 29 * 60})
    assert client.get(reverse("home")).status_code == 200
    _set_session(client, **{SEEN_TIME_KEY: int(time.time()) - 31 * 60})
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("login"))
    assert SESSION_KEY not in client.session
    assert "efter 30 minuter utan aktivitet" in response.content.decode()


def test_activity_moves_the_expiry_forward_at_most_once_a_minute(client, person):
    from django.conf import settings

    client.force_login(person)
    # Within a minute of the last write: the session is not written again.
    response = client.get(reverse("home"))
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    # Later: activity is recorded, and the cookie and the stored session live 30 more minutes.
    _set_session(client, **{SEEN_TIME_KEY: int(time.time()) - 5 * 60})
    response = client.get(reverse("home"))
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 30 * 60
    session = client.session
    assert abs(session[SEEN_TIME_KEY] - time.time()) < 60
    assert 29 * 60 < session.get_expiry_age() <= 30 * 60


def test_an_expired_stored_session_is_not_accepted(client, person):
    from django.contrib.sessions.models import Session

    client.force_login(person)
    Session.objects.filter(session_key=client.session.session_key).update(expire_date=time_ago(seconds=1))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_session_ends_after_its_absolute_lifetime_however_active(client, person):
    response = _login(client, "granskare", PASSWORD)
    assert response.status_code == 302
    session = client.session
    started = session[LOGIN_TIME_KEY]
    assert abs(started - time.time()) < 60
    assert client.get(reverse("home")).status_code == 200
    # Eleven hours in: still logged in.
    session[LOGIN_TIME_KEY] = started - 11 * 3600
    session.save()
    assert client.get(reverse("home")).status_code == 200
    # Twelve hours and a minute: logged out, and the login page says why.
    session = client.session
    session[LOGIN_TIME_KEY] = started - 12 * 3600 - 60
    session.save()
    response = client.get(reverse("home"), follow=True)
    assert response.redirect_chain[-1][0].startswith(reverse("login"))
    assert SESSION_KEY not in client.session
    assert "har loggats ut av säkerhetsskäl" in response.content.decode()
    # A new login starts a new lifetime.
    assert _login(client, "granskare", PASSWORD).status_code == 302
    assert client.session[LOGIN_TIME_KEY] >= started


def test_the_absolute_lifetime_is_a_setting(client, person, settings):
    settings.SESSION_MAX_HOURS = 1
    client.force_login(person)
    session = client.session
    session[LOGIN_TIME_KEY] = int(time.time()) - 3601
    session.save()
    assert client.get(reverse("home")).status_code == 302


def test_a_password_change_logs_out_every_other_session(person):
    here, elsewhere = Client(), Client()
    for browser in (here, elsewhere):
        assert _login(browser, "granskare", PASSWORD).status_code == 302
        assert browser.get(reverse("home")).status_code == 200
    new = "ett-annat-langt-losenord-2026"
    response = here.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response.status_code == 302 and response["Location"] == reverse("password_change_done")
    assert here.get(reverse("home")).status_code == 200  # the session that changed it stays
    response = elsewhere.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_charts_inlined_in_pages_have_no_inline_styles():
    """The evaluation results page puts its questionnaire charts into the HTML; the
    policy's style-src would drop style attributes and <style> blocks there."""
    from evaluation.report import ScaleResult, scale_chart_svg

    result = ScaleResult(
        question=None,
        n=6,
        mean=3.5,
        distribution=[(v, str(v), c, 0) for v, c in zip(range(1, 6), [0, 1, 2, 2, 1])],
    )
    svg = scale_chart_svg(result)
    assert "<svg" in svg and not re.search(r"\sstyle\s*=", svg) and "<style" not in svg
    assert "<script" not in svg
