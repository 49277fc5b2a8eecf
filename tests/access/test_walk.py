"""Every URL of the project against every role.

The routes come from the URL configuration (tests/support/urlwalk.py), so a view added
without a declaration in tests/access/declarations.py fails `test_every_route_is_declared`.
Each route is then opened by every role, addressing the objects of one world
(tests/support/access.py) by id; a role that gets through (200, or a redirect anywhere but
the login page) without being declared fails the walk, and so does a refusal other than the
declared one: 404 for an object the role is not party to, 403 for a kind of page it may not
use, the login page for anonymous visitors."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.urls import get_resolver, resolve, reverse

from tests.access.declarations import ANONYMOUS, GET, POST, ROLES, ROUTES, Route
from tests.support import demo
from tests.support.access import build_world, logged_in_sessions
from tests.support.urlwalk import _walk

EXCLUDED_PREFIXES = ("admin/",)


def project_routes() -> dict[str, tuple[str, object]]:
    """url name -> (route, pattern) for every pattern outside admin/."""
    found = {}
    for name, route, entry in _walk(get_resolver().url_patterns):
        if route.startswith(EXCLUDED_PREFIXES) or route.startswith("^"):
            continue
        assert name, f"The URL {route!r} has no name, so it cannot be declared."
        found[name] = (route, entry)
    return found


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for the module, rolled back after its last test; each test's own
    transaction nests inside it."""
    media_root = tmp_path_factory.mktemp("uploads")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root, PASSWORD_HASHERS=demo.FAST_HASHERS),
        transaction.atomic(),
    ):
        built = build_world(media_root)
        yield {**built, "sessions": logged_in_sessions(built["users"])}
        transaction.set_rollback(True)


#: Routes whose (empty) POST by an allowed role still ends in a server error, with why.
#: The walk checks their access all the same; the crash itself fails strictly: once it is
#: fixed, the entry must go.
KNOWN_CRASHES: dict[str, str] = {}

LOGIN_PATH = reverse("login")
ROUTE_TABLE = project_routes()


def _request(client, session_key: str | None, route: Route, url: str):
    """The response to one request in the role's session (none: anonymous), with whatever
    it changed, the session included, rolled back."""
    client.raise_request_exception = False
    client.cookies.clear()
    if session_key is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = session_key
    with transaction.atomic():
        response = client.get(url) if route.method == GET else client.post(url, {})
        transaction.set_rollback(True)
    return response


def _outcome(response) -> str:
    """ "access", "login", "403" or "404"; anything else is a failure of its own."""
    status = response.status_code
    if 200 <= status < 300:
        return "access"
    if status in (301, 302, 303, 307, 308):
        return "login" if urlsplit(response["Location"]).path == LOGIN_PATH else "access"
    if status in (403, 404):
        return str(status)
    return f"unexpected status {status}"


def _refusal(route: Route, role: str) -> str:
    """How the route must refuse a role it does not let in."""
    if role == ANONYMOUS:
        return "login"
    return "404" if role in route.hidden else "403"


def test_every_route_is_declared():
    """A new view needs a declaration; a declaration of a route that is gone is stale."""
    missing = sorted(set(ROUTE_TABLE) - set(ROUTES))
    stale = sorted(set(ROUTES) - set(ROUTE_TABLE))
    assert not missing, f"Routes without a declaration in tests/access/declarations.py: {missing}"
    assert not stale, f"Declarations of routes that do not exist: {stale}"


@pytest.mark.parametrize("name", sorted(ROUTE_TABLE))
def test_route_kwargs_are_declared(name):
    route = ROUTES.get(name)
    if route is None:
        pytest.fail(f"{name} has no declaration in tests/access/declarations.py")
    _path, entry = ROUTE_TABLE[name]
    assert set(route.kwargs) == set(entry.pattern.converters), (
        f"{name}: declare an object for each path keyword {sorted(entry.pattern.converters)}"
    )
    assert route.method in (GET, POST) and route.allowed <= set(ROLES)
    assert route.hidden <= set(ROLES) - {ANONYMOUS} - route.allowed


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROUTE_TABLE))
def test_walk(name, world, client):
    """Every role opens the route: none gets through unless declared, each refused role is
    refused as declared (404 hides an object, 403 refuses a kind of page), and on a page
    (GET) every declared role gets through."""
    route = ROUTES.get(name)
    if route is None:
        pytest.fail(f"{name} has no declaration in tests/access/declarations.py")
    kwargs = {key: world["objects"][obj] for key, obj in route.kwargs.items()}
    url = reverse(name, kwargs=kwargs) + (f"?{route.query}" if route.query else "")
    assert resolve(urlsplit(url).path).view_name == name
    wrong, crashes = [], []
    for role in ROLES:
        response = _request(client, world["sessions"][role], route, url)
        outcome = _outcome(response)
        where = f" → {response['Location']}" if response.status_code in (301, 302, 303) else ""
        if response.status_code >= 500:
            crashes.append(f"{role}: {response.status_code}")
        elif outcome.startswith("unexpected"):
            wrong.append(f"{role}: {outcome}{where}")
        elif role not in route.allowed and outcome == "access":
            wrong.append(f"{role}: got through ({response.status_code}{where}) but is not declared")
        elif role in route.allowed and route.method == GET and outcome != "access":
            wrong.append(f"{role}: declared but refused ({response.status_code}{where})")
        elif role not in route.allowed and outcome != _refusal(route, role):
            wrong.append(f"{role}: refused with {outcome}{where}, declared {_refusal(route, role)}")
    assert not wrong, f"{route.method} {url} ({name}):\n" + "\n".join(wrong)
    # Access is as declared; a server error is a bug of its own, known ones listed below.
    if name in KNOWN_CRASHES:
        assert crashes, f"{name} no longer crashes: remove it from KNOWN_CRASHES"
        pytest.xfail(KNOWN_CRASHES[name])
    assert not crashes, f"{route.method} {url} ({name}) crashed:\n" + "\n".join(crashes)
