"""Project middleware: the Content-Security-Policy, the absolute session lifetime, and the
refusal of invisible control characters in a URL's query."""

import time
from urllib.parse import parse_qsl

from csp.constants import HEADER
from csp.middleware import CSPMiddleware as _CSPMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.middleware import LoginRequiredMiddleware as _LoginRequiredMiddleware
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from award import text
from award.sessions import LOGIN_TIME_KEY, SEEN_TIME_KEY

# A standalone SVG image (the charts) may not run anything or load anything; its own
# inline styles (matplotlib writes style attributes) are harmless and must apply when
# the chart is opened on its own.
SVG_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'"


class CSPMiddleware(_CSPMiddleware):
    """django-csp's middleware with the project's policy for SVG responses."""

    def process_response(self, request, response):
        if response.get("Content-Type", "").startswith("image/svg+xml") and HEADER not in response:
            response[HEADER] = SVG_POLICY
        return super().process_response(request, response)


class LoginRequiredMiddleware(_LoginRequiredMiddleware):
    """Django's, except for an htmx request (an autosave) of someone no longer logged in:
    it is answered 401 with a short Swedish text instead of a redirect to the login page,
    which htmx would follow and swap into the form's status line. A redirect of the page
    itself (HX-Redirect) would throw away the text being written; static/js/autosave.js
    instead says it was not saved and asks to copy it before reloading."""

    def handle_no_permission(self, request, view_func):
        if request.headers.get("HX-Request") == "true":
            return HttpResponse(
                _("Du är utloggad. Det du skrev är inte sparat."),
                status=401,
                content_type="text/plain; charset=utf-8",
            )
        return super().handle_no_permission(request, view_func)


class SessionLifetimeMiddleware:
    """Ends a logged-in session after AWARD_SESSION_IDLE_MINUTES without a request, and
    AWARD_SESSION_MAX_HOURS after login however active it has been.

    Login and last activity are stored in the session. Activity is written at most once
    per SESSION_REFRESH_SECONDS; that write also moves the session's expiry (cookie and
    stored session, SESSION_COOKIE_AGE = the idle limit) forward, so an idle session is
    gone from the store as well. When a limit is passed the user is logged out and the
    request continues as anonymous: a protected page sends them to the login page, where
    a message says why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session:
            now = time.time()
            started = session.get(LOGIN_TIME_KEY)
            seen = session.get(SEEN_TIME_KEY)
            if started is not None and now - started > settings.SESSION_MAX_HOURS * 3600:
                self._end(
                    request,
                    _(
                        "Du har varit inloggad i mer än %(hours)s timmar och har loggats ut av "
                        "säkerhetsskäl. Logga in igen."
                    )
                    % {"hours": f"{settings.SESSION_MAX_HOURS:g}"},
                )
            elif seen is not None and now - seen > settings.SESSION_COOKIE_AGE:
                self._end(
                    request,
                    _("Du har loggats ut efter %(minutes)s minuter utan aktivitet. Logga in igen.")
                    % {"minutes": settings.SESSION_COOKIE_AGE // 60},
                )
            elif seen is None or now - seen >= settings.SESSION_REFRESH_SECONDS:
                session[SEEN_TIME_KEY] = int(now)
            if LOGIN_TIME_KEY not in session and SESSION_KEY in session:
                # A session from before this middleware: its lifetime starts now.
                session[LOGIN_TIME_KEY] = int(now)
        return self.get_response(request)

    @staticmethod
    def _end(request, message):
        logout(request)
        messages.info(request, message)


def query_refusal(query_string: str) -> str:
    """The Swedish reason a query string cannot be used (empty when it can): one of its
    names or values holds an invisible control character once decoded."""
    for name, value in parse_qsl(query_string, keep_blank_values=True, encoding="utf-8", errors="replace"):
        for part in (name, value):
            refusal = text.find_refusal(part, multiline=False)
            if refusal is not None:
                where = (
                    _("efter ”%(before)s”") % {"before": refusal.before}
                    if refusal.before
                    else _("i början av ett sökord")
                )
                return _(
                    "Adressen innehåller ett osynligt styrtecken (%(char)s) %(where)s, till exempel "
                    "från en inklistrad text i en sökruta. Ta bort det ur sökningen eller adressen och "
                    "försök igen."
                ) % {"char": text.character_label(refusal.char), "where": where}
    return ""


class QueryControlCharacterMiddleware:
    """Answers 400 with a Swedish page to a request whose query string holds an invisible
    control character (award.text), before any view reads it. Forms refuse them field by
    field, but a query goes straight into lookups: the admin's search, the personal-data
    search, every list filter. PostgreSQL refuses a NUL in a query with an error (a 500);
    SQLite would search for it. Refused once here rather than in each view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        refusal = query_refusal(request.META.get("QUERY_STRING", ""))
        if refusal:
            return render(request, "400.html", {"reason": refusal}, status=400)
        return self.get_response(request)
