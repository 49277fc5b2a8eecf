"""SLK administrators and committee members reach none of their pages, nor the admin,
until their session has passed the second factor: the walk again, unverified."""

import pytest
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from accounts.twofactor import EXEMPT_VIEWS
from tests.access.declarations import COMMITTEE, GET, ROUTES, SLK
from tests.support import demo
from tests.support.access import build_world

pytestmark = pytest.mark.second_factor

SETUP = reverse("accounts:two_factor_setup")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    media_root = tmp_path_factory.mktemp("uploads")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root, PASSWORD_HASHERS=demo.FAST_HASHERS),
        transaction.atomic(),
    ):
        yield build_world(media_root)
        transaction.set_rollback(True)


DECIDERS_PAGES = sorted(
    name
    for name, route in ROUTES.items()
    if route.method == GET and route.allowed & {SLK, COMMITTEE} and name not in EXEMPT_VIEWS
)


@pytest.mark.django_db
@pytest.mark.parametrize("name", DECIDERS_PAGES)
def test_unverified_slk_and_committee_are_sent_to_the_second_factor(name, world, client):
    route = ROUTES[name]
    kwargs = {key: world["objects"][obj] for key, obj in route.kwargs.items()}
    url = reverse(name, kwargs=kwargs) + (f"?{route.query}" if route.query else "")
    for role in sorted({SLK, COMMITTEE} & route.allowed):
        client.logout()
        client.force_login(world["users"][role])
        response = client.get(url)
        assert response.status_code == 302, (role, name, response.status_code)
        assert response["Location"].startswith(SETUP), (role, name, response["Location"])


@pytest.mark.django_db
def test_unverified_slk_is_refused_the_admin(world, client):
    client.force_login(world["users"][SLK])
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"].startswith(SETUP)


@pytest.mark.django_db
def test_unverified_examiner_and_unit_contact_are_not_asked(world, client):
    for role in ("examiner", "unit_contact"):
        client.force_login(world["users"][role])
        assert client.get(reverse("home")).status_code == 200
