"""SLK's overviews: an application's score history and the examiners' hours.

Adding a URL to scoring/urls_overview.py without a row here fails
test_every_overview_url_has_a_row."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from award.roles import Role
from scoring import services
from scoring.overview.urls import urlpatterns
from submissions import services as submission_services
from tests.support import factories
from tests.support.teams import confirmed_team, report_drafted

pytestmark = pytest.mark.django_db
SHARED_WORLD = ("cycle", "slk", "team_world")  # built once for the module (tests/support/world.py)

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

MATRIX = [
    ("history", [LOGIN, 403, 403, 403, 403, 403, 403, 200]),
    ("hours", [LOGIN, 403, 403, 403, 403, 403, 403, 200]),
    ("progress", [LOGIN, 403, 403, 403, 403, 403, 403, 200]),
]

# The refusals (the login page, 403, 404) of every role are asserted by the access walk
# (tests/access), which knows which refusal is due; here each allowed role uses the page in
# the state it needs.
CASES = [
    pytest.param(name, role, expected, id=f"{name}-{role}")
    for name, outcomes in MATRIX
    for role, expected in zip(ROLES, outcomes, strict=True)
    if expected not in (LOGIN, 403, 404)
]


def test_every_overview_url_has_a_row():
    assert {row[0] for row in MATRIX} == {pattern.name for pattern in urlpatterns}
    assert len(MATRIX) == len(urlpatterns)


@pytest.fixture
def unit_contact(team_world):
    application = team_world["application"]
    user = factories.user_with_role(Role.UNIT_CONTACT, username="enhetens-kontakt")
    application.unit.contacts.add(user)
    submission_services.grant_unit_access(application)
    return user


@pytest.fixture
def users(team_world, unit_contact, other_unit_contact, committee_member, slk):
    return {
        "unit_contact": unit_contact,
        "other_unit_contact": other_unit_contact,
        "committee_member": committee_member,
        "other_examiner": team_world["other_examiner"],
        "examiner": team_world["examiner"],
        "leader": team_world["leader"],
        "slk": slk,
    }


def _url(name, world):
    if name in ("hours", "progress"):
        return reverse(f"scoring:{name}", args=[world["cycle"].year])
    return reverse(f"scoring:{name}", args=[world["application"].pk])


@pytest.mark.parametrize(("name", "role", "expected"), CASES)
def test_access(client, team_world, users, name, role, expected):
    if role != "anonymous":
        client.force_login(users[role])

    response = client.get(_url(name, team_world))

    if expected == LOGIN:
        assert response.status_code == 302
        assert response.url.startswith(reverse("login"))
    else:
        assert response.status_code == expected


def _save(application, user, score, strengths=("En styrka",)):
    assessment = services.assessment_for(application=application, by=user)
    item = assessment.items.order_by("criterion__number").first()
    return services.assessment_item_save(
        item=item,
        data=services.ItemData(score, list(strengths), []),
        base_version=item.version,
        by=user,
    )


def test_history_shows_each_change_old_and_new(client, team_world, slk):
    application, user = team_world["application"], team_world["examiner"]
    _save(application, user, 40)
    _save(application, user, 65, strengths=("En styrka", "En till"))
    client.force_login(slk)

    response = client.get(_url("history", team_world))

    rows = [row for row in response.context["rows"] if row.field == "Poäng (%)"]
    assert [(row.old.text, row.new.text) for row in rows] == [("–", "40"), ("40", "65")]
    assert all(row.entry.actor == user and row.criterion == 1 for row in rows)
    assert rows[0].stage == "Individuell bedömning"
    strengths = [row for row in response.context["rows"] if row.field == "Styrkor"]
    assert strengths[-1].old.lines == ["En styrka"]
    assert strengths[-1].new.lines == ["En styrka", "En till"]
    content = response.content.decode()
    assert "ändrat till" in content
    assert user.get_full_name() in content


def test_history_shows_the_report_changes_per_criterion(client, team_world, slk):
    report = report_drafted(team_world)
    item = report.items.order_by("criterion__number").first()
    services.report_save(
        report=report,
        summary="Sammanfattat",
        items=[services.ReportItemData(item.criterion_id, ["Ny styrka"], item.improvements)],
        base_version=report.version,
        by=team_world["leader"],
    )
    client.force_login(slk)
    rows = client.get(_url("history", team_world)).context["rows"]
    report_rows = [row for row in rows if row.stage == "Återföringsrapport" and row.field]
    assert {(row.field, str(row.criterion)) for row in report_rows} == {
        ("Sammanfattning", ""),
        ("Styrkor", "1"),
    }
    assert any(row.note.startswith("Konsensus startade") for row in rows)


def test_history_query_count_does_not_grow_with_changes(client, team_world, slk):
    application = team_world["application"]
    client.force_login(slk)
    _save(application, team_world["examiner"], 40)
    with CaptureQueriesContext(connection) as one:
        response = client.get(_url("history", team_world))
    assert response.status_code == 200
    assert len(response.context["rows"]) >= 1
    for score, member in [(45, 1), (50, 2), (55, 3), (60, 0)]:
        _save(application, team_world["members"][member].profile.user, score)
    services.hours_record(
        assessment=services.assessment_for(application=application, by=team_world["examiner"]),
        hours=Decimal("3"),
        by=team_world["examiner"],
    )
    with CaptureQueriesContext(connection) as many:
        response = client.get(_url("history", team_world))
    assert response.status_code == 200
    assert len(response.context["rows"]) > 5
    assert len(many) == len(one)


def _record_hours(world, values):
    for member, value in zip(world["members"], values, strict=False):
        user = member.profile.user
        assessment = services.assessment_for(application=world["application"], by=user)
        services.hours_record(assessment=assessment, hours=Decimal(value), by=user)


def test_hours_per_examiner_team_and_application_with_totals(client, team_world, slk):
    _record_hours(team_world, ["12.5", "3", "4.5"])
    client.force_login(slk)

    response = client.get(_url("hours", team_world))

    summary = response.context["summary"]
    assert summary["total"] == Decimal("20.0")
    assert [row["total"] for row in summary["teams"]] == [Decimal("20.0")]
    assert len(summary["examiners"]) == 3
    content = response.content.decode()
    assert "Lag A" in content and team_world["application"].code in content
    # The headline, the three tables' totals, and the only team's and application's rows.
    assert content.count("20,0") == 6
    assert "12,5" in content


def test_hours_export_as_spreadsheet(client, team_world, slk):
    _record_hours(team_world, ["2"])
    client.force_login(slk)
    response = client.get(_url("hours", team_world), {"export": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response.content.startswith(b"PK")


def test_hours_query_count_is_the_same_for_one_and_three_applications(client, team_world, quality, slk):
    client.force_login(slk)
    _record_hours(team_world, ["2"])
    with CaptureQueriesContext(connection) as one:
        response = client.get(_url("hours", team_world))
    assert response.status_code == 200
    assert team_world["application"].code in response.content.decode()
    _team, members, apps = confirmed_team(
        team_world["cycle"], quality, slk, name="Lag C", size=2, applications=2
    )
    for application in apps:
        for member in members:
            user = member.profile.user
            assessment = services.assessment_for(application=application, by=user)
            services.hours_record(assessment=assessment, hours=Decimal("1.5"), by=user)
    with CaptureQueriesContext(connection) as three:
        response = client.get(_url("hours", team_world))
    assert response.status_code == 200
    assert len(response.context["summary"]["applications"]) == 3
    assert all(application.code in response.content.decode() for application in apps)
    assert len(three) == len(one)
