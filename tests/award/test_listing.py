"""The lists that grow (the examiner pool, SLK's overview) are searched and sorted by GET
parameters in the database: a sortable header is a link, the sorted one carries aria-sort,
a second press sorts the other way, the search field is labelled, and the query count
does not grow with the list."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from award.roles import Role
from tests.support import factories
from tests.support.applications import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def slk():
    return factories.user_with_role(Role.SLK, is_staff=True)


def _pool(cycle, names):
    for first, last in names:
        user = factories.user_with_role(Role.EXAMINER, first_name=first, last_name=last)
        factories.pool_member(cycle, user=user)


def test_the_pool_sorts_by_a_header_and_back(client, slk):
    cycle = factories.complete_cycle(open=True)
    _pool(cycle, [("Anna", "Berg"), ("Cecilia", "Ahl"), ("Bo", "Ek")])
    client.force_login(slk)
    url = reverse("examiners:pool", args=[cycle.year])
    response = client.get(url, {"sortera": "namn"})
    names = [str(m.profile.user.last_name) for m in response.context["members"]]
    assert names == ["Ahl", "Berg", "Ek"]
    html = response.content.decode()
    assert 'aria-sort="ascending"' in html and "?sortera=-namn" in html
    names = [m.profile.user.last_name for m in client.get(url, {"sortera": "-namn"}).context["members"]]
    assert names == ["Ek", "Berg", "Ahl"]


def test_the_pool_is_searched_by_name_with_a_labelled_field(client, slk):
    cycle = factories.complete_cycle(open=True)
    _pool(cycle, [("Anna", "Berg"), ("Cecilia", "Ahl")])
    client.force_login(slk)
    response = client.get(reverse("examiners:pool", args=[cycle.year]), {"sok": "berg"})
    assert [m.profile.user.last_name for m in response.context["members"]] == ["Berg"]
    html = response.content.decode()
    assert '<label for="list-search">' in html and 'role="search"' in html


def test_the_pools_queries_do_not_grow(client, slk, django_assert_max_num_queries):
    cycle = factories.complete_cycle(open=True)
    _pool(cycle, [("Anna", "Berg")])
    client.force_login(slk)
    url = reverse("examiners:pool", args=[cycle.year])
    with CaptureQueriesContext(connection) as one:
        assert client.get(url, {"sortera": "lag"}).status_code == 200
    _pool(cycle, [("Bo", "Ek"), ("Cecilia", "Ahl")])
    with django_assert_max_num_queries(len(one)):
        response = client.get(url, {"sortera": "lag"})
    assert response.status_code == 200 and len(response.context["members"]) == 3


def test_the_overview_is_searched_and_sorted(client, slk):
    cycle = factories.complete_cycle(open=True)
    contact = factories.user_with_role(Role.UNIT_CONTACT)
    for name in ["Östra skolan", "Ängens förskola", "Backens förskola"]:
        unit = factories.UnitFactory(name=name)
        unit.contacts.add(contact)
        register(cycle, unit, contact)
    client.force_login(slk)
    url = reverse("submissions:overview")
    response = client.get(url, {"year": cycle.year, "sortera": "-enhet"})
    units = [a.unit.name for a in response.context["applications"]]
    assert units == sorted(units, reverse=True)
    assert 'aria-sort="descending"' in response.content.decode()
    response = client.get(url, {"year": cycle.year, "sok": "förskola"})
    assert {a.unit.name for a in response.context["applications"]} == {"Ängens förskola", "Backens förskola"}
    assert 'for="id_sok"' in response.content.decode()
