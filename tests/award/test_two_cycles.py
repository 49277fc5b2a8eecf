"""Two cycles at once (issue 12): last year's cycle in its feedback phase while this
year's is open. Every role's start page keeps last year's work in reach until it is
finished, beside this year's, with no link that does not answer for that role."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from award.models import AwardCycle, CommitteeMembership, Phase, Track, today
from award.roles import Role
from examiners import services as examiner_services
from submissions import services as submission_services
from tests.support import factories

pytestmark = pytest.mark.django_db


def in_feedback_phase(year):
    """An opened cycle whose feedback was released five days ago."""
    cycle = factories.complete_cycle(year, open=True, **factories.timeline(today() - dt.timedelta(days=130)))
    assert cycle.phase == Phase.FEEDBACK and not cycle.is_finished()
    return cycle


@pytest.fixture
def two_cycles(slk):
    """Last year's cycle (2040) in its feedback phase with a confirmed team of three, an
    application whose unit has a contact, and a committee; this year's (2041) open for
    registration, with a committee of its own and an examiner in its pool."""
    previous = in_feedback_phase(2040)
    current = factories.complete_cycle(2041, open=True)
    track = previous.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    contact = factories.user_with_role(Role.UNIT_CONTACT, username="enhet-2040")
    application = factories.submitted_application(track)
    application.unit.contacts.add(contact)
    submission_services.grant_unit_access(application)
    team = examiner_services.team_create(cycle=previous, track=track, name="Lag 2040", by=slk)
    members = [factories.pool_member(previous, led=i == 0) for i in range(3)]
    for i, member in enumerate(members):
        examiner_services.team_member_add(team=team, member=member, leader=i == 0, by=slk)
    examiner_services.team_assign(team=team, application=application, by=slk)
    examiner_services.team_confirm(team=team, by=slk)
    examiner_services.application_open(member=members[1], application=application, by=members[1].profile.user)
    judge_previous = factories.user_with_role(Role.COMMITTEE, username="domare-2040")
    judge_current = factories.user_with_role(Role.COMMITTEE, username="domare-2041")
    CommitteeMembership.objects.create(cycle=previous, user=judge_previous, is_chair=True)
    CommitteeMembership.objects.create(cycle=current, user=judge_current, is_chair=True)
    newcomer = factories.pool_member(current).profile.user
    return {
        "previous": previous,
        "current": current,
        "application": application,
        "team": team,
        "leader": members[0].profile.user,
        "examiner": members[1].profile.user,
        "contact": contact,
        "judge_previous": judge_previous,
        "judge_current": judge_current,
        "newcomer": newcomer,
        "slk": slk,
    }


def links_on(content: str) -> set[str]:
    """The site's own links on a page (its navigation included)."""
    hrefs = {html.unescape(href) for href in re.findall(r'href="([^"]+)"', content)}
    return {href for href in hrefs if href.startswith("/") and not href.startswith("/static/")}


def assert_every_link_answers(client, page_url) -> str:
    page = client.get(page_url)
    assert page.status_code == 200, page_url
    content = page.content.decode()
    for link in sorted(links_on(content)):
        response = client.get(link, follow=True)
        assert response.status_code == 200, (page_url, link, response.redirect_chain)
    return content


def test_both_cycles_are_in_progress_until_the_previous_ones_work_is_finished(two_cycles):
    assert list(AwardCycle.objects.in_progress()) == [two_cycles["current"], two_cycles["previous"]]
    finished = two_cycles["previous"].feedback_release + dt.timedelta(days=42)
    assert two_cycles["previous"].is_finished(on=finished)
    assert list(AwardCycle.objects.in_progress(on=finished)) == [two_cycles["current"]]
    assert not two_cycles["previous"].is_finished(on=finished - dt.timedelta(days=1))


def test_examiner_in_last_years_team_sees_it_beside_this_years_pool(client, two_cycles):
    client.force_login(two_cycles["examiner"])

    content = client.get(reverse("examiners:home")).content.decode()

    assert "Lag 2040" in content
    assert two_cycles["application"].code in content
    assert "Du är inte med i examinatorspoolen för 2041." in content
    assert reverse("examiners:application_open", args=[two_cycles["application"].pk]) in content


def test_examiner_opens_last_years_application_once_this_years_cycle_is_open(client, two_cycles):
    client.force_login(two_cycles["leader"])
    url = reverse("examiners:application_open", args=[two_cycles["application"].pk])

    assert "Har du jäv mot enheten?" in client.get(url).content.decode()
    response = client.post(url, {"has_conflict": "0"})

    assert response["Location"] == reverse(
        "submissions:application_detail", args=[two_cycles["application"].pk]
    )


def test_examiner_declares_a_conflict_in_last_years_cycle(client, two_cycles):
    client.force_login(two_cycles["examiner"])
    unit = factories.UnitFactory(name="Förskolan Granen")

    client.post(
        reverse("examiners:conflict_declare"),
        {"year": "2040", "unit": unit.name, "reason": "Min bror arbetar där"},
    )

    member = two_cycles["team"].members.get(member__profile__user=two_cycles["examiner"]).member
    assert member.conflicts.get().unit == unit


@pytest.mark.parametrize(
    "who", ["examiner", "leader", "newcomer", "contact", "judge_previous", "judge_current", "slk"]
)
def test_every_link_on_each_roles_start_page_answers(client, two_cycles, who):
    client.force_login(two_cycles[who])

    content = assert_every_link_answers(client, reverse("home"))

    assert "Omgång 2040" in content and "Omgång 2041" in content
    if who in ("examiner", "leader", "newcomer"):
        assert_every_link_answers(client, reverse("examiners:home"))


def test_committee_start_page_links_only_to_the_cycles_it_sits_on(client, two_cycles):
    client.force_login(two_cycles["judge_previous"])
    content = client.get(reverse("home")).content.decode()
    assert reverse("judging:committee_home", args=[2040]) in content
    assert reverse("judging:committee_home", args=[2041]) not in content
    navigation = client.get(reverse("judging:committee_current"))
    assert navigation["Location"] == reverse("judging:committee_home", args=[2040])

    client.force_login(two_cycles["judge_current"])
    content = client.get(reverse("home")).content.decode()
    assert reverse("judging:committee_home", args=[2041]) in content
    assert reverse("judging:committee_home", args=[2040]) not in content


def test_committee_member_of_no_cycle_in_progress_is_told_so(client, two_cycles, committee_member):
    client.force_login(committee_member)

    content = client.get(reverse("home")).content.decode()
    response = client.get(reverse("judging:committee_current"), follow=True)

    assert reverse("judging:committee_home", args=[2041]) not in content
    assert "Du ingår inte i domarkommittén för omgång 2041." in content
    assert response.status_code == 200
    assert "Du ingår inte i domarkommittén för någon omgång som pågår." in response.content.decode()


def test_unit_contact_sees_last_years_application_on_the_start_page(client, two_cycles):
    client.force_login(two_cycles["contact"])

    content = client.get(reverse("home")).content.decode()

    application = two_cycles["application"]
    assert application.code in content
    assert reverse("submissions:application_detail", args=[application.pk]) in content
    assert reverse("submissions:register") in content  # this year's registration is open


def test_slk_start_page_links_both_cycles(client, two_cycles):
    client.force_login(two_cycles["slk"])

    content = client.get(reverse("home")).content.decode()

    for year in (2040, 2041):
        assert reverse("award:cycle_detail", args=[year]) in content
        assert reverse("evaluation:evaluation", args=[year]) in content
    assert client.get(reverse("evaluation:evaluation_current"))["Location"] == reverse(
        "evaluation:evaluation", args=[2040]
    )


def test_a_finished_cycle_leaves_the_start_pages(client, slk):
    finished = factories.complete_cycle(
        2040, open=True, **factories.timeline(today() - dt.timedelta(days=200))
    )
    assert finished.is_finished()
    factories.complete_cycle(2041, open=True)
    client.force_login(slk)

    content = client.get(reverse("home")).content.decode()

    assert reverse("award:cycle_detail", args=[2041]) in content
    assert reverse("award:cycle_detail", args=[2040]) not in content
