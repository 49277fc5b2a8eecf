"""Navigation: the links that do not know the year lead to the current cycle, and each
role's menu shows its pages."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("name", "target"),
    [
        ("judging:committee_current", "judging:committee_home"),
        ("judging:decisions_current", "judging:decisions"),
        ("evaluation:evaluation_current", "evaluation:evaluation"),
    ],
)
def test_current_links_redirect_slk_to_this_year(client, cycle, slk, name, target):
    client.force_login(slk)
    response = client.get(reverse(name))
    assert response["Location"] == reverse(target, args=[cycle.year])


@pytest.mark.parametrize("role", ["examiner", "unit_contact"])
def test_current_links_refuse_other_roles(client, cycle, request, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("judging:committee_current")).status_code == 403


def test_menus_by_role(client, cycle, slk, committee_member, unit_contact):
    client.force_login(committee_member)
    page = client.get(reverse("home")).content.decode()
    assert (
        reverse("judging:committee_current") in page and reverse("evaluation:evaluation_current") not in page
    )
    client.force_login(slk)
    page = client.get(reverse("home")).content.decode()
    assert (
        reverse("evaluation:evaluation_current") in page
        and reverse("scoring:hours", args=[cycle.year]) in page
    )
    client.force_login(unit_contact)
    assert reverse("judging:committee_current") not in client.get(reverse("home")).content.decode()
