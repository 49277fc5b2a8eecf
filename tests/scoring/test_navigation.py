"""Navigation: the links that do not know the year lead to the current cycle, and each
role's menu shows its pages."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("committee_current", "committee_home"),
        ("decisions_current", "decisions"),
        ("evaluation_current", "evaluation"),
    ],
)
def test_current_links_redirect_slk_to_this_year(client, cycle, slk, name, target):
    client.force_login(slk)
    response = client.get(reverse(f"scoring:{name}"))
    assert response["Location"] == reverse(f"scoring:{target}", args=[cycle.year])


@pytest.mark.parametrize("role", ["examiner", "unit_contact"])
def test_current_links_refuse_other_roles(client, cycle, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("scoring:committee_current")).status_code == 403


def test_menus_by_role(client, cycle, slk, committee_member, unit_contact):
    client.force_login(committee_member)
    page = client.get(reverse("home")).content.decode()
    assert reverse("scoring:committee_current") in page and reverse("scoring:evaluation_current") not in page
    client.force_login(slk)
    page = client.get(reverse("home")).content.decode()
    assert (
        reverse("scoring:evaluation_current") in page and reverse("scoring:hours", args=[cycle.year]) in page
    )
    client.force_login(unit_contact)
    assert reverse("scoring:committee_current") not in client.get(reverse("home")).content.decode()
