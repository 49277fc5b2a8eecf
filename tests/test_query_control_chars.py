"""A URL whose query holds an invisible control character (issue 12) is refused once, in
config.middleware, with 400 and a Swedish page naming the character, before any view reads
it: a NUL in the admin's search or the personal-data search gave a server error on
PostgreSQL. Run on both databases. Ordinary queries, Swedish letters included, still work."""

import html

import pytest
from django.urls import reverse

from config.middleware import query_refusal

pytestmark = pytest.mark.django_db


def _pages(cycle):
    return {
        "admin search": reverse("admin:award_unit_changelist") + "?q=Förskolan%00",
        "admin filter": reverse("admin:award_awardcycle_changelist") + "?status=%00open",
        "admin users": reverse("admin:award_user_changelist") + "?q=%00",
        "personal data": reverse("award:person_search") + "?q=Anna%00Svensson",
        "overview filter": reverse("submissions:overview") + f"?year={cycle.year}&status=draft%00",
        "pool": reverse("examiners:pool", args=[cycle.year]) + "?sort=%00",
    }


@pytest.mark.parametrize(
    "name", ["admin search", "admin filter", "admin users", "personal data", "overview filter", "pool"]
)
def test_a_nul_in_a_query_is_refused_with_a_swedish_page(client, cycle, slk, name):
    client.force_login(slk)

    response = client.get(_pages(cycle)[name])

    content = html.unescape(response.content.decode())
    assert response.status_code == 400
    assert "Adressen kunde inte användas" in content
    assert "Adressen innehåller ett osynligt styrtecken (NUL, U+0000)" in content
    assert 'aria-label="Huvudmeny"' in content  # the site's own page, with its menu


@pytest.mark.parametrize(
    ("query", "label"),
    [
        ("q=%07", "BEL, U+0007"),
        ("q=a%0Ab", "LF, U+000A"),
        ("q=a%09b", "TAB, U+0009"),
        ("q=%7F", "DEL, U+007F"),
        ("q=%C2%85", "NEL, U+0085"),
        ("%00=1", "NUL, U+0000"),
        ("q=ok&r=x%1Fy", "US, U+001F"),
    ],
)
def test_every_control_character_in_a_name_or_value_is_refused(client, query, label):
    response = client.get(reverse("login") + "?" + query)

    assert response.status_code == 400
    assert f"({label})" in html.unescape(response.content.decode())


def test_the_refusal_says_where_the_character_stands():
    assert query_refusal("q=Anna%00Svensson") == (
        "Adressen innehåller ett osynligt styrtecken (NUL, U+0000) efter ”Anna”, till exempel från en "
        "inklistrad text i en sökruta. Ta bort det ur sökningen eller adressen och försök igen."
    )
    assert "i början av ett sökord" in query_refusal("q=%00Anna")


def test_a_post_with_a_control_character_in_its_query_is_refused_too(client, cycle, slk):
    client.force_login(slk)

    response = client.post(
        reverse("award:cycle_phase_close", args=[cycle.year]) + "?x=%00", {"close-reason": "x"}
    )

    assert response.status_code == 400
    cycle.refresh_from_db()
    assert cycle.phase == "registration"


@pytest.mark.parametrize("query", ["q=%C3%85sa+%C3%96berg", "q=Anna&page=2", "q=", "q=%E2%80%93", ""])
def test_ordinary_queries_still_work(client, slk, query):
    client.force_login(slk)

    assert client.get(reverse("award:person_search") + "?" + query).status_code == 200
    assert (
        client.get(reverse("admin:award_unit_changelist") + "?" + query.replace("page=2", "p=1")).status_code
        == 200
    )
