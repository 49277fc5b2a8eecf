"""The accessibility statement and the help page: public, linked from every page's footer,
with how to report a problem, and help for each of the visitor's roles."""

import pytest
from django.urls import reverse

from award.roles import Role
from tests.support import factories

pytestmark = pytest.mark.django_db


def test_the_accessibility_statement_is_public_and_says_how_to_report_a_problem(client):
    response = client.get(reverse("accessibility"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tillgänglighetsredogörelse" in html and "Rapportera ett problem" in html
    assert "mailto:" in html and "Digg" in html


@pytest.mark.parametrize("name", ["start", "login", "accessibility", "help"])
def test_every_page_links_the_statement_and_help_from_its_footer(client, name):
    html = client.get(reverse(name)).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert reverse("accessibility") in footer and reverse("help") in footer


def test_the_logged_in_home_page_links_them_too(client):
    client.force_login(factories.user_with_role(Role.UNIT_CONTACT))
    html = client.get(reverse("home")).content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert reverse("accessibility") in footer and reverse("help") in footer


@pytest.mark.parametrize(
    ("role", "heading"),
    [
        (Role.UNIT_CONTACT, "För enheter som söker"),
        (Role.EXAMINER, "För examinatorer"),
        (Role.COMMITTEE, "För domarkommittén"),
        (Role.SLK, "För Stadsledningskontoret"),
    ],
)
def test_help_speaks_to_each_role(client, role, heading):
    client.force_login(factories.user_with_role(role))
    html = client.get(reverse("help")).content.decode()
    assert heading in html and "mailto:" in html


def test_help_for_a_visitor_says_how_to_get_an_account(client):
    html = client.get(reverse("help")).content.decode()
    assert "Konto och inloggning" in html and "För examinatorer" not in html
