"""The feedback report's pages: who may open them, the team's editing with its conflict
check, SLK's approval, and the unit's reading (and PDF) only after release.

Adding a URL to scoring/urls_feedback.py without a row here fails
test_every_feedback_url_has_a_row."""

import datetime as dt

import pytest
from django.urls import reverse

from award.models import TIMELINE_FIELDS, AwardCycle, today
from award.roles import Role
from scoring import exports, queries, services
from scoring.feedback.urls import urlpatterns
from scoring.models import FeedbackReport
from submissions import services as submission_services
from tests.support import factories
from tests.support.world import shared

pytestmark = pytest.mark.django_db
SHARED_WORLD = ("cycle", "slk", "team_world", "report")  # built once for the module (tests/support/world.py)

ROLES = [
    "anonymous",
    "unit_contact",
    "other_unit_contact",
    "committee_member",
    "other_examiner",
    "examiner",
    "leader",
    "slk",
]
LOGIN = "login"

#: (url name, state of the report) -> outcome per role, in the order of ROLES. "drafted" is
#: the report as the consensus left it; "released" is approved with the release date come.
MATRIX = [
    ("report_edit", "drafted", [LOGIN, 404, 404, 404, 404, 200, 200, 200]),
    ("report_redraft", "drafted", [LOGIN, 404, 404, 404, 404, 403, 200, 200]),
    ("report_approve", "drafted", [LOGIN, 404, 404, 404, 404, 403, 403, 200]),
    ("report_unit", "drafted", [LOGIN, 404, 404, 404, 404, 404, 404, 200]),
    ("report_unit", "released", [LOGIN, 200, 404, 404, 404, 404, 404, 200]),
    ("report_pdf", "drafted", [LOGIN, 404, 404, 404, 404, 404, 404, 200]),
    ("report_pdf", "released", [LOGIN, 200, 404, 404, 404, 404, 404, 200]),
]

# The refusals (the login page, 403, 404) of every role are asserted by the access walk
# (tests/access), which knows which refusal is due; here each allowed role uses the page in
# the state it needs.
CASES = [
    pytest.param(name, state, role, expected, id=f"{name}-{state}-{role}")
    for name, state, outcomes in MATRIX
    for role, expected in zip(ROLES, outcomes, strict=True)
    if expected not in (LOGIN, 403, 404)
]


def test_every_feedback_url_has_a_row():
    assert {row[0] for row in MATRIX} == {pattern.name for pattern in urlpatterns}


def approve(report, leader, slk, summary="Ett genomarbetat bidrag med tydlig styrning."):
    services.report_save(report=report, summary=summary, items=[], base_version=report.version, by=leader)
    report.refresh_from_db()
    return services.report_approve(report=report, by=slk)


def release_today(cycle):
    """Move the whole timeline so the feedback release date is today, keeping its order."""
    cycle.refresh_from_db()
    delta = today() - cycle.feedback_release
    AwardCycle.objects.filter(pk=cycle.pk).update(
        **{name: getattr(cycle, name) + delta for name in TIMELINE_FIELDS}
    )


@pytest.fixture
def world(_world, team_world):
    return {**team_world, "report": shared(_world, "report", team_world=team_world)}


@pytest.fixture
def unit_contact(team_world):
    """A contact of the application's own unit, with the unit's access to it."""
    application = team_world["application"]
    user = factories.user_with_role(Role.UNIT_CONTACT, username="enhetens-kontakt")
    application.unit.contacts.add(user)
    submission_services.grant_unit_access(application)
    return user


@pytest.fixture
def users(world, unit_contact, other_unit_contact, committee_member, slk):
    return {
        "unit_contact": unit_contact,
        "other_unit_contact": other_unit_contact,
        "committee_member": committee_member,
        "other_examiner": world["other_examiner"],
        "examiner": world["examiner"],
        "leader": world["leader"],
        "slk": slk,
    }


def _url(name, world):
    return reverse(f"scoring:{name}", args=[world["application"].pk])


@pytest.mark.parametrize(("name", "state", "role", "expected"), CASES)
def test_access(client, world, users, name, state, role, expected):
    if state == "released":
        approve(world["report"], world["leader"], users["slk"])
        release_today(world["cycle"])
    client.force_login(users[role])

    response = client.get(_url(name, world))

    assert response.status_code == expected


def test_report_hidden_from_the_unit_until_approved_and_released(client, world, users):
    client.force_login(users["unit_contact"])
    detail = reverse("submissions:application_detail", args=[world["application"].pk])
    assert client.get(_url("report_unit", world)).status_code == 404
    assert "Läs er återföringsrapport" not in client.get(detail).content.decode()

    approve(world["report"], world["leader"], users["slk"])
    # Approved, but the committee has not decided yet: the release date is still ahead.
    assert world["cycle"].feedback_release > today()
    assert client.get(_url("report_unit", world)).status_code == 404
    assert client.get(_url("report_pdf", world)).status_code == 404

    release_today(world["cycle"])
    response = client.get(_url("report_unit", world))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Ett genomarbetat bidrag med tydlig styrning." in content
    assert "Tydlig styrning" in content and "Följ upp resultaten" in content
    assert "Förhandsvisning" not in content
    assert "Läs er återföringsrapport" in client.get(detail).content.decode()


@pytest.mark.parametrize("days_to_release", [1, 0])
def test_the_application_page_links_the_report_exactly_when_report_released_says(
    client, world, users, days_to_release
):
    """The page asks the rule (`queries.report_released`, through the `feedback` filter); it
    keeps no date comparison of its own, so the day before and the release day agree."""
    approve(world["report"], world["leader"], users["slk"])
    release_today(world["cycle"])
    AwardCycle.objects.filter(pk=world["cycle"].pk).update(
        feedback_release=today() + dt.timedelta(days=days_to_release)
    )
    report = FeedbackReport.objects.get(pk=world["report"].pk)
    client.force_login(users["unit_contact"])
    detail = reverse("submissions:application_detail", args=[world["application"].pk])

    shown = "Läs er återföringsrapport" in client.get(detail).content.decode()

    assert shown == queries.report_released(report) == (days_to_release == 0)
    assert (client.get(_url("report_unit", world)).status_code == 200) == shown


def test_the_application_page_follows_the_rule_not_a_copy(client, world, users, monkeypatch):
    client.force_login(users["unit_contact"])
    detail = reverse("submissions:application_detail", args=[world["application"].pk])
    monkeypatch.setattr(queries, "report_released", lambda report, on=None: report is not None)
    assert "Läs er återföringsrapport" in client.get(detail).content.decode()


def test_the_unit_sees_scores_only_when_the_cycle_shows_them(client, world, users):
    approve(world["report"], world["leader"], users["slk"])
    release_today(world["cycle"])
    client.force_login(users["unit_contact"])
    band = world["report"].items.first().band
    content = client.get(_url("report_unit", world)).content.decode()
    assert band in content
    assert "50 %" not in content

    AwardCycle.objects.filter(pk=world["cycle"].pk).update(show_scores_to_units=True)
    assert "50 %" in client.get(_url("report_unit", world)).content.decode()


def test_the_team_always_sees_the_score_and_whether_the_unit_will(client, world):
    client.force_login(world["leader"])
    content = client.get(_url("report_edit", world)).content.decode()
    assert "50 %" in content
    assert "visas inte för enheten" in content


def _form_data(client, world, user, **overrides):
    """The edit form's current values, as the user's browser would post them back."""
    client.force_login(user)
    form = client.get(_url("report_edit", world)).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(overrides)
    return data


def test_the_leader_saves_the_report(client, world):
    item = world["report"].items.order_by("criterion__number").first()
    data = _form_data(
        client,
        world,
        world["leader"],
        summary="Sammanfattat.",
        **{f"strengths_{item.criterion_id}": "Första styrkan\n\nAndra styrkan\n"},
    )
    response = client.post(_url("report_edit", world), data)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.strengths == ["Första styrkan", "Andra styrkan"]
    assert FeedbackReport.objects.get(pk=world["report"].pk).summary == "Sammanfattat."


def test_a_stale_save_is_refused_and_both_texts_are_kept(client, world, slk):
    data = _form_data(client, world, world["leader"], summary="Ledarens sammanfattning")
    report = world["report"]
    services.report_save(
        report=report, summary="SLK:s sammanfattning", items=[], base_version=report.version, by=slk
    )

    response = client.post(_url("report_edit", world), data)

    assert response.status_code == 200
    content = response.content.decode()
    assert "Någon annan har sparat här" in content
    assert "Ledarens sammanfattning" in content  # what the leader wrote, still in the form
    assert "SLK:s sammanfattning" in content  # what is saved, shown beside it
    report.refresh_from_db()
    assert report.summary == "SLK:s sammanfattning"
    assert response.context["form"]["version"].value() == report.version
    # Saving again from the page is now a deliberate choice and goes through.
    again = client.post(_url("report_edit", world), response.context["form"].data)
    assert again.status_code == 302
    report.refresh_from_db()
    assert report.summary == "Ledarens sammanfattning"


def test_team_members_read_but_do_not_edit(client, world):
    data = _form_data(client, world, world["leader"], summary="Ett försök")
    client.force_login(world["examiner"])
    response = client.get(_url("report_edit", world))
    assert response.context["form"] is None
    assert "<textarea" not in response.content.decode()
    assert client.post(_url("report_edit", world), data).status_code == 302
    world["report"].refresh_from_db()
    assert world["report"].summary == ""


def test_slk_approves_after_confirming_and_the_report_is_locked(client, world, slk):
    client.force_login(slk)
    assert client.get(_url("report_approve", world)).status_code == 200
    response = client.post(_url("report_approve", world), follow=True)
    assert "behöver en sammanfattning" in response.content.decode()
    assert not FeedbackReport.objects.get(pk=world["report"].pk).is_approved

    data = _form_data(client, world, world["leader"], summary="Klart.")
    client.post(_url("report_edit", world), data)
    client.force_login(slk)
    client.post(_url("report_approve", world))
    report = FeedbackReport.objects.get(pk=world["report"].pk)
    assert report.is_approved and report.approved_by == slk

    client.force_login(world["leader"])
    page = client.get(_url("report_edit", world))
    assert page.context["form"] is None and "Godkänd av" in page.content.decode()
    data["version"] = report.version
    data["summary"] = "Ändrat efteråt"
    response = client.post(_url("report_edit", world), data, follow=True)
    assert "godkänd och kan inte ändras" in response.content.decode()
    assert FeedbackReport.objects.get(pk=report.pk).summary == "Klart."


def test_redraft_restores_the_consensus_texts(client, world):
    item = world["report"].items.order_by("criterion__number").first()
    data = _form_data(client, world, world["leader"], **{f"strengths_{item.criterion_id}": "Omskriven"})
    client.post(_url("report_edit", world), data)
    assert world["report"].items.get(criterion=item.criterion).strengths == ["Omskriven"]
    version = FeedbackReport.objects.get(pk=world["report"].pk).version

    assert client.get(_url("report_redraft", world)).status_code == 200
    assert client.post(_url("report_redraft", world)).status_code == 302

    assert world["report"].items.get(criterion=item.criterion).strengths == ["Tydlig styrning"]
    # A form opened before the redraft cannot save its old texts over it.
    assert FeedbackReport.objects.get(pk=world["report"].pk).version == version + 1


def test_pdf_is_a_pdf_for_the_unit_after_release(client, world, users):
    approve(world["report"], world["leader"], users["slk"])
    release_today(world["cycle"])
    client.force_login(users["unit_contact"])
    response = client.get(_url("report_pdf", world))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]


def test_pdf_document_reads_as_a_report_to_forward(rf, world, users):
    application = world["application"]
    report = approve(world["report"], world["leader"], users["slk"])
    items = list(report.items.select_related("criterion"))
    context = {
        "application": application,
        "report": report,
        "items": items,
        "show_scores": False,
        "preview": False,
    }
    request = rf.get("/")
    request.user = users["unit_contact"]
    html = exports.report_html(request, context)
    for text in (
        "Återföringsrapport",
        application.unit.name,
        application.unit.organisation.name,
        application.track.name,
        application.competition_class.name,
        str(application.cycle.year),
        "Om rapporten",
        "Ett genomarbetat bidrag med tydlig styrning.",
        items[0].criterion.title,
        items[0].band,
        "Förbättringsområden",
        "counter(pages)",
    ):
        assert text in html, text
    assert "50 %" not in html
    assert "50 %" in exports.report_html(request, {**context, "show_scores": True})


def test_slk_previews_before_release_with_a_notice(client, world, slk):
    client.force_login(slk)
    content = client.get(_url("report_unit", world)).content.decode()
    assert "Förhandsvisning" in content
    assert client.get(_url("report_pdf", world)).content.startswith(b"%PDF")


def test_release_helper_keeps_the_timeline_in_order(world):
    release_today(world["cycle"])
    cycle = AwardCycle.objects.get(pk=world["cycle"].pk)
    cycle.clean()  # raises if a date came before the one it follows
    assert cycle.feedback_release == today()
