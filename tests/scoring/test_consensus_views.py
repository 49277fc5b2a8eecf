"""The consensus and site-visit pages: who may open and act on each, the flagged-spread
rule and conflicting edits as the user sees them, scores before and after a site visit,
and a page whose query count does not grow with the team or the criteria.

Adding a URL to scoring/consensus/urls.py, scoring/site_visits/urls.py or
judging/site_visits/urls.py without a row in MATRIX fails
test_every_consensus_url_has_a_row, so no page goes unchecked."""

import datetime as dt

import pytest
from django.urls import reverse

from award.models import CommitteeMembership, ScoringScale, Track
from award.roles import Role
from judging import services as judging_services
from judging.site_visits.urls import urlpatterns as committee_visit_urls
from scoring import services
from scoring.consensus.urls import urlpatterns as consensus_urls
from scoring.models import Consensus, ConsensusItem, FeedbackReport, SiteVisit
from scoring.site_visits.urls import urlpatterns as visit_urls
from submissions import services as submission_services
from tests.support import factories
from tests.support.teams import confirmed_team, fill, submit_all

pytestmark = pytest.mark.django_db
SHARED_WORLD = ("cycle", "slk", "team_world")  # built once for the module (tests/support/world.py)

ROLES = ["anonymous", "unit_contact", "committee_member", "other_examiner", "examiner", "leader", "slk"]
LOGIN = "login"
CONSENSUS = "→scoring:consensus"
VISIT = "→scoring:site_visit"

#: (url name, method, state of the application) -> outcome per role, in the order of ROLES:
#: a status code, LOGIN (redirect to the login page) or "→<url name>" (done, then a
#: redirect to that page of the same application).
MATRIX = [
    ("consensus", "get", "submitted", [LOGIN, 404, 404, 404, 200, 200, 200]),
    ("consensus_start", "post", "submitted", [LOGIN, 404, 404, 404, 403, CONSENSUS, CONSENSUS]),
    ("consensus_item_save", "post", "started", [LOGIN, 404, 404, 404, 403, CONSENSUS, CONSENSUS]),
    ("consensus_finalise", "get", "started", [LOGIN, 404, 404, 404, 403, 200, 200]),
    ("site_visit_list", "get", "final", [LOGIN, 403, 200, 403, 403, 403, 200]),
    ("site_visit", "get", "final", [LOGIN, 404, 200, 404, 200, 200, 200]),
    ("site_visit_select", "post", "final", [LOGIN, 404, VISIT, 404, 403, 403, VISIT]),
    ("site_visit_save", "post", "selected", [LOGIN, 404, 403, 404, VISIT, VISIT, VISIT]),
    ("visit_score_revise", "post", "visited", [LOGIN, 404, 403, 404, 403, VISIT, VISIT]),
]

# The refusals (the login page, 403, 404) of every role are asserted by the access walk
# (tests/access), which knows which refusal is due; here each allowed role uses the page in
# the state it needs.
CASES = [
    pytest.param(name, method, state, role, expected, id=f"{name}-{role}")
    for name, method, state, outcomes in MATRIX
    for role, expected in zip(ROLES, outcomes, strict=True)
    if expected not in (LOGIN, 403, 404)
]


#: url name -> (its pattern, its namespace): the consensus's and the team's site-visit
#: pages (scoring) and the committee's choice of site visits (judging).
URLS = {
    **{p.name: (p, "scoring") for p in consensus_urls + visit_urls},
    **{p.name: (p, "judging") for p in committee_visit_urls},
}


def test_every_consensus_url_has_a_row():
    assert sorted(row[0] for row in MATRIX) == sorted(URLS)


# --- Helpers -----------------------------------------------------------------------------


@pytest.fixture
def world(team_world, slk, committee_member):
    """team_world with the application's own unit contact, SLK and a committee member."""
    contact = factories.user_with_role(Role.UNIT_CONTACT, username="enhetens-kontakt")
    application = team_world["application"]
    application.unit.contacts.add(contact)
    submission_services.grant_unit_access(application, [contact])
    # A member of this cycle's committee: the committee role alone opens nothing.
    CommitteeMembership.objects.create(cycle=team_world["cycle"], user=committee_member)
    return {**team_world, "unit_contact": contact, "slk": slk, "committee_member": committee_member}


def _items(consensus):
    return list(consensus.items.select_related("criterion").order_by("criterion__number"))


def _agree_all(consensus, by, *, score=50, note=""):
    for item in _items(consensus):
        services.consensus_item_save(
            item=item,
            data=services.ItemData(score, ["Enig styrka"], ["Enigt område"]),
            discussion_note=note,
            base_version=item.version,
            by=by,
        )


def _bring_to(world, state):
    """Carry the application to `state`; returns its consensus (None before the start)."""
    if state in ("", "draft"):
        return None
    submit_all(world)
    if state == "submitted":
        return None
    leader, application = world["leader"], world["application"]
    consensus = services.consensus_start(application=application, by=leader)
    if state == "started":
        return consensus
    _agree_all(consensus, leader)
    services.consensus_finalise(consensus=consensus, by=leader)
    if state == "final":
        return consensus
    visit = judging_services.site_visit_select(application=application, by=world["slk"])
    if state == "selected":
        return consensus
    services.site_visit_save(
        visit=visit,
        data=services.VisitData(dt.date(2027, 3, 1), "Lag A", visit.questions, "Som beskrivet", done=True),
        base_version=visit.version,
        by=leader,
    )
    return consensus


def _item_post(item, **overrides):
    prefix = f"c{item.pk}"
    data = {
        f"{prefix}-score": "50",
        f"{prefix}-strengths": "Tydliga mål",
        f"{prefix}-improvements": "",
        f"{prefix}-discussion_note": "",
        f"{prefix}-version": str(item.version),
    }
    data.update({f"{prefix}-{key}": value for key, value in overrides.items()})
    return data


def _visit_post(visit, **overrides):
    data = {
        "visit_date": "2027-03-01",
        "participants": "Lag A och enhetens chef",
        "questions": visit.questions,
        "findings": "Arbetssättet är förankrat.",
        "version": str(visit.version),
    }
    data.update(overrides)
    return data


def _url(name, world, item=None):
    pattern, namespace = URLS[name]
    values = {"pk": world["application"].pk, "year": world["cycle"].year, "item_id": item.pk if item else 0}
    return reverse(f"{namespace}:{name}", kwargs={key: values[key] for key in pattern.pattern.converters})


def _user(world, role):
    return world[role]


# --- Who may do what ---------------------------------------------------------------------


@pytest.mark.parametrize(("name", "method", "state", "role", "expected"), CASES)
def test_access(client, world, name, method, state, role, expected):
    consensus = _bring_to(world, state)
    item = _items(consensus)[0] if consensus else None
    if role != "anonymous":
        client.force_login(_user(world, role))
    data = {}
    if name == "consensus_item_save":
        data = _item_post(item)
    elif name == "site_visit_save":
        data = _visit_post(SiteVisit.objects.get(application=world["application"]))
    elif name == "visit_score_revise":
        prefix = f"v{item.pk}"
        data = {
            f"{prefix}-score": "70",
            f"{prefix}-reason": "Bättre än beskrivet",
            f"{prefix}-version": item.version,
        }
    url = _url(name, world, item)

    response = client.post(url, data) if method == "post" else client.get(url)

    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    elif isinstance(expected, str):
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response.url.split("#")[0] == reverse(
            expected.removeprefix("→"), args=[world["application"].pk]
        )
    else:
        assert response.status_code == expected


def test_a_member_cannot_start_or_edit(client, world):
    submit_all(world)
    client.force_login(world["examiner"])
    page = client.get(_url("consensus", world))
    assert "Starta konsensus" not in page.content.decode()
    assert client.post(_url("consensus_start", world)).status_code == 403
    assert not Consensus.objects.exists()

    consensus = services.consensus_start(application=world["application"], by=world["leader"])
    item = _items(consensus)[0]
    assert client.post(_url("consensus_item_save", world, item), _item_post(item)).status_code == 403
    assert client.post(_url("consensus_finalise", world)).status_code == 403
    item.refresh_from_db()
    assert (item.score, item.strengths, item.version) == (None, [], 1)
    html = client.get(_url("consensus", world)).content.decode()
    assert "Överenskommet" in html  # read-only
    assert reverse("scoring:consensus_item_save", args=[world["application"].pk, item.pk]) not in html


def test_before_start_the_page_shows_who_submitted_not_their_scores(client, world):
    application, leader = world["application"], world["leader"]
    services.assessment_submit(assessment=fill(application, leader, 85), by=leader)
    fill(application, world["examiner"], 35, strengths=("Hemlig styrka",))
    client.force_login(leader)
    html = client.get(_url("consensus", world)).content.decode()
    assert "✓ Inlämnad" in html
    assert html.count("✗ Inte inlämnad") == 3
    assert "Hemlig styrka" not in html and ">85<" not in html
    assert "Starta konsensus" in html


def test_slk_starts_early_only_with_a_reason(client, world):
    application = world["application"]
    leader = world["leader"]
    services.assessment_submit(assessment=fill(application, leader, 50), by=leader)
    client.force_login(world["slk"])
    response = client.post(_url("consensus_start", world), {"override_reason": ""}, follow=True)
    assert "Ange skälet till att konsensus startar innan alla har lämnat in." in response.content.decode()
    assert not Consensus.objects.exists()
    client.post(_url("consensus_start", world), {"override_reason": "En examinator har hoppat av"})
    assert Consensus.objects.get().override_reason == "En examinator har hoppat av"


def test_leader_sees_scores_side_by_side_and_agrees_from_members_texts(client, world):
    submit_all(world, scores=[40, 50, 50, 55])
    consensus = services.consensus_start(application=world["application"], by=world["leader"])
    client.force_login(world["leader"])
    html = client.get(_url("consensus", world)).content.decode()
    for member in world["members"]:
        assert f'<th scope="col" class="num">{member.profile}</th>' in html
    assert '<td class="num">48,8</td>' in html  # mean
    assert '<td class="num">15</td>' in html  # spread, below the threshold of 20
    assert "Flaggad" not in html

    item = _items(consensus)[0]
    data = _item_post(item, score="55", strengths="Egen rad\n\nEn styrka", improvements="")
    data[f"c{item.pk}-picked_strengths"] = ["En styrka"]
    data[f"c{item.pk}-picked_improvements"] = ["Ett förbättringsområde"]
    response = client.post(_url("consensus_item_save", world, item), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.score == 55
    assert item.strengths == ["En styrka", "Egen rad"]
    assert item.improvements == ["Ett förbättringsområde"]


def test_autosave_answers_with_the_new_version(client, world):
    submit_all(world)
    consensus = services.consensus_start(application=world["application"], by=world["leader"])
    item = _items(consensus)[0]
    client.force_login(world["leader"])
    response = client.post(_url("consensus_item_save", world, item), _item_post(item), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Sparat automatiskt" in html
    assert f'name="c{item.pk}-version" value="2"' in html and 'hx-swap-oob="true"' in html


def test_flagged_criteria_are_shown_and_finalising_needs_the_note(client, world):
    submit_all(world, scores=[30, 50, 55, 60])  # spread 30 on every criterion
    consensus = services.consensus_start(application=world["application"], by=world["leader"])
    client.force_login(world["leader"])
    html = client.get(_url("consensus", world)).content.decode()
    assert html.count("⚑ Flaggad: diskutera") == len(_items(consensus))
    assert "Flaggad för diskussion: spridningen är 30 procentenheter." in html
    assert "Krävs innan konsensus fastställs" in html

    _agree_all(consensus, world["leader"])
    html = client.get(_url("consensus", world)).content.decode()
    assert "Viktad totalpoäng (av 1000)" in html and "500,0" in html
    response = client.post(_url("consensus_finalise", world), follow=True)
    message = "Kriterium 1 har en spridning på 30 procentenheter: skriv vad diskussionen kom fram till."
    assert message in response.content.decode()
    consensus.refresh_from_db()
    assert not consensus.is_final

    _agree_all(consensus, world["leader"], note="Vi landade i 50 efter att ha läst om avsnittet.")
    response = client.post(_url("consensus_finalise", world), follow=True)
    assert "Konsensus är fastställd." in response.content.decode()
    consensus.refresh_from_db()
    assert consensus.is_final


def test_a_stale_edit_keeps_both_texts(client, world):
    submit_all(world)
    consensus = services.consensus_start(application=world["application"], by=world["leader"])
    item = _items(consensus)[0]
    loaded = item.version
    services.consensus_item_save(
        item=item,
        data=services.ItemData(60, ["SLK:s formulering"], []),
        discussion_note="",
        base_version=loaded,
        by=world["slk"],
    )
    client.force_login(world["leader"])
    data = _item_post(item, score="45", strengths="Ledarens formulering", version=str(loaded))

    response = client.post(_url("consensus_item_save", world, item), data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "Någon annan har sparat här sedan du öppnade sidan." in html
    assert "SLK:s formulering" in html and "Ledarens formulering" in html
    item.refresh_from_db()
    assert (item.score, item.strengths) == (60, ["SLK:s formulering"])
    # The form now carries the saved version: saving again is deliberate and goes through.
    assert f'name="c{item.pk}-version" value="{item.version}"' in html
    client.post(_url("consensus_item_save", world, item), {**data, f"c{item.pk}-version": str(item.version)})
    item.refresh_from_db()
    assert (item.score, item.strengths) == (45, ["Ledarens formulering"])


# --- Site visit --------------------------------------------------------------------------


def test_site_visit_shows_scores_before_and_after(client, world):
    consensus = _bring_to(world, "final")
    client.force_login(world["slk"])
    client.post(_url("site_visit_select", world))
    visit = SiteVisit.objects.get(application=world["application"])
    assert (
        "Kriterium 1, verifiera styrkan: Enig styrka"
        in client.get(_url("site_visit", world)).content.decode()
    )

    client.force_login(world["examiner"])
    response = client.post(_url("site_visit_save", world), {**_visit_post(visit), "done": "on"})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.status == SiteVisit.Status.DONE

    client.force_login(world["leader"])
    item = _items(consensus)[0]
    prefix = f"v{item.pk}"
    refused = client.post(
        _url("visit_score_revise", world, item),
        {f"{prefix}-score": "70", f"{prefix}-reason": "", f"{prefix}-version": item.version},
    )
    assert "Ange skälet till att poängen ändras efter platsbesöket." in refused.content.decode()
    client.post(
        _url("visit_score_revise", world, item),
        {
            f"{prefix}-score": "70",
            f"{prefix}-reason": "Bättre än beskrivet",
            f"{prefix}-version": item.version,
        },
    )
    item.refresh_from_db()
    assert (item.score, item.visit_score) == (50, 70)

    client.force_login(world["committee_member"])
    html = client.get(_url("site_visit", world)).content.decode()
    row = html.split(f"{item.criterion.number}. {item.criterion.title}</th>")[1].split("</tr>")[0]
    assert '<td class="num">50</td>' in row and '<td class="num">70</td>' in row
    assert "Bättre än beskrivet" in row
    after = 500 + item.criterion.weight * 20 / 100
    assert "500,0" in html and f"{after:.1f}".replace(".", ",") in html
    assert "Spara platsbesöket" not in html  # the committee reads


def test_every_band_beside_a_score_is_the_scales_descriptor(client, world, monkeypatch):
    """The consensus page and the feedback report (drafted, then updated by a revised
    score) both ask ScoringScale.descriptor_for; neither keeps a copy."""
    monkeypatch.setattr(ScoringScale, "descriptor_for", lambda self, kind, score: f"Nivå-{kind}-{score}")
    consensus = _bring_to(world, "final")
    item = _items(consensus)[0]
    kind = item.criterion.kind
    client.force_login(world["leader"])
    assert f"Nivå-{kind}-50" in client.get(_url("consensus", world)).content.decode()
    report = FeedbackReport.objects.get(application=world["application"])
    assert report.items.get(criterion=item.criterion).band == f"Nivå-{kind}-50"

    _bring_to_visit_done(world)
    services.visit_score_revise(
        item=item, score=70, reason="Bättre än beskrivet", base_version=item.version, by=world["leader"]
    )
    assert report.items.get(criterion=item.criterion).band == f"Nivå-{kind}-70"


def _bring_to_visit_done(world):
    visit = judging_services.site_visit_select(application=world["application"], by=world["slk"])
    services.site_visit_save(
        visit=visit,
        data=services.VisitData(dt.date(2027, 3, 1), "Lag A", visit.questions, "Som beskrivet", done=True),
        base_version=visit.version,
        by=world["leader"],
    )


def test_site_visit_stale_save_keeps_both_texts(client, world):
    _bring_to(world, "selected")
    visit = SiteVisit.objects.get(application=world["application"])
    loaded = _visit_post(visit)
    services.site_visit_save(
        visit=visit,
        data=services.VisitData(None, "", visit.questions, "SLK:s iakttagelse"),
        base_version=visit.version,
        by=world["slk"],
    )
    client.force_login(world["leader"])
    response = client.post(_url("site_visit_save", world), {**loaded, "findings": "Ledarens iakttagelse"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "SLK:s iakttagelse" in html and "Ledarens iakttagelse" in html
    visit.refresh_from_db()
    assert visit.findings == "SLK:s iakttagelse"


def test_site_visit_list_shows_the_status(client, world):
    _bring_to(world, "selected")
    client.force_login(world["slk"])
    html = client.get(_url("site_visit_list", world)).content.decode()
    assert world["application"].code in html and "Planerat" in html
    assert world["elsewhere"].code not in html  # no final consensus


# --- Queries -----------------------------------------------------------------------------

CONSENSUS_PAGE_MAX_QUERIES = 14


@pytest.mark.parametrize(("size", "criteria"), [(3, 4), (6, 4), (3, 8), (6, 8)])
def test_consensus_page_queries_do_not_grow_with_team_or_criteria(
    client, slk, django_assert_max_num_queries, size, criteria
):
    cycle = factories.complete_cycle(open=True, criteria_per_track=(criteria, 5))
    track = cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    _team, members, (application,) = confirmed_team(cycle, track, slk, size=size)
    world = {"members": members, "application": application}
    submit_all(world, scores=[30 + 10 * i for i in range(size)])
    leader = members[0].profile.user
    consensus = services.consensus_start(application=application, by=leader)
    _agree_all(consensus, leader)
    assert ConsensusItem.objects.filter(consensus=consensus).count() == criteria
    client.force_login(leader)
    url = reverse("scoring:consensus", args=[application.pk])
    client.get(url)  # warm caches that are not per request (content types)

    with django_assert_max_num_queries(CONSENSUS_PAGE_MAX_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    assert (
        response.content.decode().count('<th scope="col" class="num">') == size + 4
    )  # members, mean, median, spread, agreed


SITE_VISIT_LIST_MAX_QUERIES = 6


@pytest.mark.parametrize("count", [1, 3])
def test_site_visit_list_queries_do_not_grow_with_applications(
    client, cycle, quality, slk, django_assert_max_num_queries, count
):
    applications = []
    for i in range(count):  # one application per team: a team's number of them is capped
        _team, members, (application,) = confirmed_team(cycle, quality, slk, name=f"Lag {i}")
        applications.append(application)
        leader = members[0].profile.user
        submit_all({"members": members, "application": application})
        consensus = services.consensus_start(application=application, by=leader)
        _agree_all(consensus, leader)
        services.consensus_finalise(consensus=consensus, by=leader)
    judging_services.site_visit_select(application=applications[0], by=slk)
    client.force_login(slk)
    url = reverse("judging:site_visit_list", args=[cycle.year])

    with django_assert_max_num_queries(SITE_VISIT_LIST_MAX_QUERIES):
        response = client.get(url)

    assert response.status_code == 200
    html = response.content.decode()
    assert all(application.code in html for application in applications)
    assert html.count("Inte utvalt") == count - 1


@pytest.mark.parametrize("name", ["judging:site_visit_list", "scoring:site_visit"])
def test_committee_role_without_membership_of_the_cycle_gets_nothing(client, team_world, name):
    outsider = factories.user_with_role(Role.COMMITTEE, username="annan-kommitte")
    client.force_login(outsider)
    args = [team_world["cycle"].year] if name == "judging:site_visit_list" else [team_world["application"].pk]
    assert client.get(reverse(name, args=args)).status_code == 404
