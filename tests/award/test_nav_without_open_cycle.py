"""Before any cycle has opened (a new installation, or only next year's draft), every link
of the menu and of the start pages answers (issue 12): the links that do not know the year
lead to the latest draft, or, with no cycle at all, to the list of cycles, which says how
to create one. None answers 404."""

import html
import re

import pytest
from django.urls import reverse

from award.roles import Role, add_role
from tests.support import factories

pytestmark = pytest.mark.django_db


def _links(content: str, *, inside: str | None = None) -> list[str]:
    if inside is not None:
        content = re.search(inside, content, re.S).group(0)
    return sorted({html.unescape(href) for href in re.findall(r'href="(/[^"]*)"', content)})


def _follow_every_link(client, page: str, *, inside: str | None = None) -> dict[str, list]:
    """{link: the statuses of its redirect chain and its final page} for each link on `page`."""
    content = client.get(page).content.decode()
    answers = {}
    for link in _links(content, inside=inside):
        if link.startswith("/static/"):
            continue
        response = client.get(link, follow=True)
        answers[link] = [status for _url, status in response.redirect_chain] + [response.status_code]
    return answers


@pytest.fixture(params=["slk", "every_role"])
def user(request, slk):
    if request.param == "every_role":
        for role in Role:
            add_role(slk, role)
    return slk


@pytest.fixture(params=["no_cycle", "draft_only"])
def cycles(request, db):
    if request.param == "draft_only":
        return [factories.complete_cycle(year=2040)]
    return []


NAV = r'<nav aria-label="Huvudmeny">.*?</nav>'


def test_every_menu_and_start_page_link_answers(client, user, cycles):
    client.force_login(user)

    menu = _follow_every_link(client, reverse("home"), inside=NAV)
    start = _follow_every_link(client, reverse("home"), inside=r'<main id="main".*?</main>')

    assert reverse("examiners:pool_current") in menu and reverse("admin:index") in menu
    for link, statuses in {**menu, **start}.items():
        assert statuses[-1] == 200 and 404 not in statuses, (link, statuses)


@pytest.mark.parametrize(
    "name", ["examiners:pool_current", "examiners:training_current", "examiners:teams_current"]
)
def test_the_examiner_pages_lead_to_the_latest_draft_before_any_cycle_opens(client, slk, name):
    factories.complete_cycle(year=2040)
    draft = factories.complete_cycle(year=2041)
    client.force_login(slk)

    response = client.get(reverse(name))

    page = {"pool_current": "pool", "training_current": "training_list", "teams_current": "teams"}
    assert response["Location"] == reverse(f"examiners:{page[name.split(':')[1]]}", args=[draft.year])


@pytest.mark.parametrize(
    "name", ["judging:committee_current", "judging:decisions_current", "evaluation:evaluation_current"]
)
def test_the_committee_pages_lead_to_the_latest_draft_before_any_cycle_opens(client, slk, name):
    draft = factories.complete_cycle(year=2041)
    client.force_login(slk)

    response = client.get(reverse(name))

    assert response["Location"].endswith(f"/{draft.year}/")
    assert client.get(response["Location"]).status_code == 200


@pytest.mark.parametrize(
    "name",
    [
        "examiners:pool_current",
        "examiners:training_current",
        "examiners:teams_current",
        "judging:committee_current",
        "judging:decisions_current",
        "evaluation:evaluation_current",
    ],
)
def test_with_no_cycle_at_all_the_menu_leads_to_how_to_create_one(client, slk, name):
    client.force_login(slk)

    response = client.get(reverse(name), follow=True)

    assert response.redirect_chain == [(reverse("award:cycle_list"), 302)]
    content = html.unescape(response.content.decode())
    assert "Det finns ingen utmärkelseomgång ännu." in content
    assert f'href="{reverse("admin:award_awardcycle_add")}"' in content


def test_the_cycle_list_shows_every_cycle_and_says_when_none_is_open(client, slk):
    factories.complete_cycle(year=2040)
    client.force_login(slk)

    content = html.unescape(client.get(reverse("award:cycle_list")).content.decode())

    assert "Ingen omgång är öppnad ännu." in content
    assert f'href="{reverse("award:cycle_detail", args=[2040])}"' in content


@pytest.mark.parametrize("role", [Role.COMMITTEE, Role.EXAMINER, Role.UNIT_CONTACT])
def test_the_cycle_list_is_for_slk_only(client, role_users, role):
    client.force_login(role_users[role])
    assert client.get(reverse("award:cycle_list")).status_code == 403


def test_the_public_start_page_links_answer_without_a_cycle(client):
    answers = _follow_every_link(client, reverse("start"))

    assert answers
    for link, statuses in answers.items():
        assert statuses[-1] == 200, (link, statuses)
