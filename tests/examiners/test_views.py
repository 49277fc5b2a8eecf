"""The examiner pages and SLK's pool and team pages: what they do and what they show."""

import pytest
from django.urls import reverse

from award.models import Track
from examiners import services
from examiners.models import Conflict, PoolMember, Team
from tests.support import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cycle, slk):
    """A confirmed team of four with one application, one more application elsewhere, and
    a pool member outside any team."""
    quality = cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    application = factories.submitted_application(quality)
    elsewhere = factories.submitted_application(quality)
    team = services.team_create(cycle=cycle, track=quality, name="Lag A", by=slk)
    members = [factories.pool_member(cycle, led=i == 0) for i in range(4)]
    for i, member in enumerate(members):
        services.team_member_add(team=team, member=member, leader=i == 0, by=slk)
    services.team_assign(team=team, application=application, by=slk)
    services.team_confirm(team=team, by=slk)
    outsider = factories.pool_member(cycle)
    return {
        "cycle": cycle,
        "team": team,
        "members": members,
        "application": application,
        "elsewhere": elsewhere,
        "outsider": outsider,
    }


# Who may open each of these pages, and how everyone else is refused, is the access walk's
# (tests/access); here what the pages do and show.


def test_refused_post_changes_nothing(client, world, examiner):
    client.force_login(world["members"][1].profile.user)
    client.post(reverse("examiners:team_delete", args=[world["team"].pk]))
    client.post(reverse("examiners:teams_propose", args=[world["cycle"].year]))
    assert Team.objects.filter(pk=world["team"].pk, status=Team.Status.CONFIRMED).exists()
    assert Team.objects.count() == 1


def test_examiner_home_shows_team_teammates_and_only_own_applications(client, world):
    client.force_login(world["members"][1].profile.user)
    content = client.get(reverse("examiners:home")).content.decode()
    assert "Lag A" in content
    assert str(world["members"][0].profile) in content
    assert world["application"].code in content
    assert world["elsewhere"].code not in content
    assert "Har gått hela" in content or "Erfaren" in content


def test_first_opening_asks_about_conflict_then_opens(client, world):
    member = world["members"][1]
    client.force_login(member.profile.user)
    url = reverse("examiners:application_open", args=[world["application"].pk])
    assert "Har du jäv mot enheten?" in client.get(url).content.decode()
    response = client.post(url, {"has_conflict": "0"})
    assert response["Location"] == reverse("submissions:application_detail", args=[world["application"].pk])
    # Second time straight through.
    assert client.get(url)["Location"] == response["Location"]
    assert client.get(response["Location"]).status_code == 200


def test_the_conflict_question_leads_on_to_the_page_the_examiner_asked_for(client, world):
    member, application = world["members"][1], world["application"]
    client.force_login(member.profile.user)
    assessment = reverse("scoring:assessment", args=[application.pk])
    asked = client.get(assessment)["Location"]
    assert asked.startswith(reverse("examiners:application_open", args=[application.pk]) + "?next=")
    response = client.post(asked, {"has_conflict": "0"})
    assert response["Location"] == assessment
    # Somewhere else than this site is never a destination.
    url = reverse("examiners:application_open", args=[application.pk])
    assert client.get(url, {"next": "https://example.com/"})["Location"] == reverse(
        "submissions:application_detail", args=[application.pk]
    )


def test_declaring_conflict_on_opening_closes_the_application(client, world):
    member = world["members"][2]
    client.force_login(member.profile.user)
    url = reverse("examiners:application_open", args=[world["application"].pk])
    response = client.post(url, {"has_conflict": "1", "reason": ""})
    assert "Ange skälet till jävet." in response.content.decode()
    client.post(url, {"has_conflict": "1", "reason": "Min bror arbetar där"})
    detail = reverse("submissions:application_detail", args=[world["application"].pk])
    assert client.get(detail).status_code == 404
    assert client.get(url).status_code == 404
    world["team"].refresh_from_db()
    assert world["application"].code in world["team"].flag


def test_other_teams_application_by_id_is_404_for_examiner(client, world):
    client.force_login(world["members"][1].profile.user)
    for name in ("submissions:application_detail", "submissions:print"):
        assert client.get(reverse(name, args=[world["elsewhere"].pk])).status_code == 404
    assert client.get(reverse("examiners:application_open", args=[world["elsewhere"].pk])).status_code == 404


def test_volunteer_form_creates_pool_entry_with_conflict(client, cycle, unit):
    user = factories.UserFactory()
    client.force_login(user)
    organisation = factories.OrganisationFactory()
    response = client.post(
        reverse("examiners:volunteer"),
        {
            "organisation": organisation.pk,
            "manager_name": "Karin Chef",
            "available": "on",
            "conflict_units": [unit.pk],
            "conflict_reason": "Tidigare anställd",
        },
    )
    assert response.status_code == 302
    member = PoolMember.objects.get(profile__user=user)
    assert member.status == PoolMember.Status.VOLUNTEERED
    assert member.conflicts.get().source == Conflict.Source.JOINING


def test_volunteer_conflict_without_reason_is_refused(client, cycle, unit):
    client.force_login(factories.UserFactory())
    response = client.post(
        reverse("examiners:volunteer"),
        {
            "organisation": factories.OrganisationFactory().pk,
            "manager_name": "K",
            "conflict_units": [unit.pk],
        },
    )
    assert "Ange skälet till jävet." in response.content.decode()
    assert not PoolMember.objects.exists()


def test_slk_accepts_into_pool(client, world, slk):
    member = factories.pool_member(world["cycle"], status=PoolMember.Status.VOLUNTEERED)
    client.force_login(slk)
    response = client.post(
        reverse("examiners:pool_decide", args=[member.pk]), {"decision": "accept"}, follow=True
    )
    assert "är antagen till poolen" in response.content.decode()
    member.refresh_from_db()
    assert member.status == PoolMember.Status.ACCEPTED


def test_slk_refused_assignment_shows_the_conflict(client, world, slk):
    quality = world["cycle"].tracks.get(kind=Track.Kind.QUALITY_AWARD)
    team = services.team_create(cycle=world["cycle"], track=quality, name="Lag B", by=slk)
    member = factories.pool_member(world["cycle"], organisation=world["elsewhere"].unit.organisation)
    services.team_member_add(team=team, member=member, by=slk)
    client.force_login(slk)
    response = client.post(
        reverse("examiners:team_assign", args=[team.pk]), {"application": world["elsewhere"].pk}, follow=True
    )
    assert "arbetar i samma förvaltning" in response.content.decode()
    assert not team.assignments.exists()


def test_slk_proposal_from_the_teams_page(client, world, slk):
    quality = world["cycle"].tracks.get(kind=Track.Kind.QUALITY_AWARD)
    for _ in range(2):
        factories.submitted_application(quality)
    for i in range(8):
        factories.pool_member(world["cycle"], experienced=i < 3)
    client.force_login(slk)
    response = client.post(reverse("examiners:teams_propose", args=[world["cycle"].year]), follow=True)
    content = response.content.decode()
    assert "Ett nytt förslag är skapat" in content
    draft = Team.objects.filter(status=Team.Status.DRAFT).first()
    assert draft is not None
    assert draft.reasons
    detail = client.get(reverse("examiners:team_detail", args=[draft.pk])).content.decode()
    assert draft.reasons[0] in detail


@pytest.mark.parametrize("extra", [0, 2])
def test_teams_and_pool_pages_run_constant_queries(client, world, slk, django_assert_max_num_queries, extra):
    """One team, then three: the same bounds."""
    quality = world["cycle"].tracks.get(kind=Track.Kind.QUALITY_AWARD)
    names, people = ["Lag A"], [str(world["outsider"].profile)]
    for i in range(extra):
        team = services.team_create(cycle=world["cycle"], track=quality, name=f"Lag X{i}", by=slk)
        names.append(team.name)
        for j in range(3):
            member = factories.pool_member(world["cycle"], led=j == 0)
            services.team_member_add(team=team, member=member, leader=j == 0, by=slk)
            people.append(str(member.profile))
        services.team_assign(team=team, application=factories.submitted_application(quality), by=slk)
    client.force_login(slk)
    with django_assert_max_num_queries(30):
        teams = client.get(reverse("examiners:teams", args=[world["cycle"].year]))
    assert teams.status_code == 200
    assert all(f">{name}</a>" in teams.content.decode() for name in names)
    with django_assert_max_num_queries(20):
        pool = client.get(reverse("examiners:pool", args=[world["cycle"].year]))
    assert pool.status_code == 200
    assert all(person in pool.content.decode() for person in people)


def test_examiner_role_without_pool_membership_sees_invitation(client, cycle, examiner):
    client.force_login(examiner)
    content = client.get(reverse("examiners:home")).content.decode()
    assert "Anmäl intresse att bli examinator" in content


def test_nav_shows_examiner_links_by_role(client, world, slk):
    client.force_login(world["members"][0].profile.user)
    assert reverse("examiners:home") in client.get(reverse("home")).content.decode()
    client.force_login(slk)
    assert reverse("examiners:pool_current") in client.get(reverse("home")).content.decode()


def test_reading_directly_without_the_conflict_question_is_404(client, world):
    member = world["members"][3]
    client.force_login(member.profile.user)
    detail = reverse("submissions:application_detail", args=[world["application"].pk])
    assert client.get(detail).status_code == 404
    client.post(reverse("examiners:application_open", args=[world["application"].pk]), {"has_conflict": "0"})
    assert client.get(detail).status_code == 200


def test_home_shows_the_current_phase_deadline(client, world):
    client.force_login(world["members"][1].profile.user)
    cycle = world["cycle"]
    end = cycle.phase_end(cycle.phase)
    assert f'datetime="{end:%Y-%m-%d}"' in client.get(reverse("examiners:home")).content.decode()


def test_examiner_declares_a_conflict_by_typing_the_units_name(client, world):
    user = world["outsider"].profile.user
    target = world["elsewhere"].unit
    target.name = "Förskolan Älven"  # å, ä and ö match in any case on both databases
    target.save()
    client.force_login(user)
    home = client.get(reverse("examiners:home")).content.decode()
    assert target.name not in home  # no list of every unit on the page
    response = client.post(
        reverse("examiners:conflict_declare"),
        {"unit": f"  {target.name.upper()} ", "reason": "Min syster arbetar där"},
        follow=True,
    )
    assert "Jävet är registrerat." in response.content.decode()
    assert world["outsider"].conflicts.get().unit == target


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("Ingen sådan enhet", "Det finns ingen enhet med namnet eller koden ”Ingen sådan enhet”."),
        ("Förskolan Solrosen", "Flera enheter heter ”Förskolan Solrosen”. Skriv koden för den du menar: "),
    ],
)
def test_an_unknown_or_shared_unit_name_is_refused_with_what_to_type(client, world, typed, message):
    first = factories.UnitFactory(name="Förskolan Solrosen")
    second = factories.UnitFactory(name="Förskolan Solrosen")
    client.force_login(world["outsider"].profile.user)
    response = client.post(
        reverse("examiners:conflict_declare"), {"unit": typed, "reason": "Skäl"}, follow=True
    )
    content = response.content.decode()
    assert message in content
    if "Solrosen" in typed:
        assert first.code in content and second.code in content
    assert not world["outsider"].conflicts.exists()

    by_code = client.post(
        reverse("examiners:conflict_declare"), {"unit": second.code.lower(), "reason": "Skäl"}, follow=True
    )
    assert "Jävet är registrerat." in by_code.content.decode()
    assert world["outsider"].conflicts.get().unit == second
