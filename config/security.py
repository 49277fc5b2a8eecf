"""Login throttling and Content-Security-Policy helpers used from the settings."""

from axes.backends import AxesStandaloneBackend as _AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils.translation import ngettext


class AxesStandaloneBackend(_AxesStandaloneBackend):
    """django-axes' backend, except that an `authenticate()` without a request (a
    programmatic check such as the test client's `login()`, never a web login: Django's
    LoginView and the admin's always pass the request) is passed on to the next backend
    instead of raising; there is no client to throttle."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def lockout_response(request, original_response=None, credentials=None):
    """The login page again, with status 429 and a Swedish message saying for how long."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    if minutes:
        message = ngettext(
            "För många misslyckade inloggningsförsök. Inloggningen är spärrad i %(minutes)s minut; försök igen sedan.",
            "För många misslyckade inloggningsförsök. Inloggningen är spärrad i %(minutes)s minuter; försök igen sedan.",
            minutes,
        ) % {"minutes": minutes}
    else:
        message = (
            "För många misslyckade inloggningsförsök. Kontakta Stadsledningskontoret för att låsa upp kontot."
        )
    context = {
        "form": AuthenticationForm(request),
        "next": request.POST.get("next", "") if request.method == "POST" else request.GET.get("next", ""),
        "lockout_message": message,
    }
    return render(request, "registration/lockout.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


def client_ip(request) -> str | None:
    """The client's address for login throttling. Directly exposed, REMOTE_ADDR; behind
    AWARD_TRUSTED_PROXY_COUNT reverse proxies, the address the outermost of them saw (the
    proxies append to X-Forwarded-For, so that address is that many entries from the
    right; anything further left was written by the client and is not trusted)."""
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")


def csp_nonce(request) -> dict:
    """Template context: `csp_nonce`, the per-request nonce of the Content-Security-Policy
    (django-htmx's `{% htmx_script %}` reads it). Lazy: a page that never uses it sends
    no nonce in its header."""
    return {"csp_nonce": getattr(request, "csp_nonce", None)}
