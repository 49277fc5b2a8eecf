import datetime as dt

import pytest
from django.urls import reverse

from award.models import AuditEntry, Phase
from award.roles import Role
from tests.support import factories
from tests.support.urlwalk import project_urls

pytestmark = pytest.mark.django_db

# Pages anyone may open: the start page, login, the published good examples, the
# accessibility statement and help, and the ways in for people without a session (a
# forgotten password, an invitation's link, the examiner volunteer form and its confirmation).
PUBLIC_URL_NAMES = {
    "start",
    "login",
    "public:good_examples",
    "accessibility",
    "help",
    "accounts:password_reset",
    "accounts:password_reset_done",
    "accounts:password_reset_confirm",
    "accounts:password_reset_complete",
    "accounts:invitation",
    "accounts:invitation_renewal",
    "examiners:volunteer",
    "examiners:volunteer_confirm",
}


@pytest.mark.parametrize(("name", "path"), [u for u in project_urls() if u[0] not in PUBLIC_URL_NAMES])
def test_anonymous_is_sent_to_login_from_every_non_public_page(client, name, path):
    response = client.get(path)
    assert response.status_code == 302, name
    assert response.url.startswith(reverse("login")), name


def test_url_walk_finds_the_project_pages():
    names = {name for name, _path in project_urls()}
    assert {"start", "home", "login", "award:cycle_detail", "award:cycle_phase_close"} <= names


def test_public_start_page_shows_the_current_timeline(client, cycle):
    response = client.get(reverse("start"))
    assert response.status_code == 200
    assert f"Tidplan {cycle.year}" in response.content.decode()
    assert "Anmälan" in response.content.decode()


def test_login_page_is_swedish(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    content = response.content.decode()
    assert '<html lang="sv">' in content
    assert "Användarnamn" in content
    assert "Lösenord" in content


def test_wrong_password_gives_swedish_message(client, slk):
    response = client.post(reverse("login"), {"username": "slk-admin", "password": "fel"})
    assert response.status_code == 200
    assert "Ange ett korrekt användarnamn och lösenord" in response.content.decode()


def test_login_leads_to_home(client, slk):
    response = client.post(reverse("login"), {"username": "slk-admin", "password": factories.PASSWORD})
    assert response.status_code == 302
    assert response.url == reverse("home")


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        (Role.UNIT_CONTACT, "Anmälan är öppen till och med"),
        (Role.EXAMINER, "Gå examinatorsutbildningen"),
        (Role.SLK, "Granska och godkänn anmälningar"),
        (Role.COMMITTEE, "Domarkommitténs möten"),
    ],
)
def test_home_shows_each_role_what_it_can_do_in_the_current_phase(client, cycle, role_users, role, expected):
    client.force_login(role_users[role])
    response = client.get(reverse("home"))
    content = response.content.decode()
    assert response.status_code == 200
    assert expected in content
    assert cycle.phase == Phase.REGISTRATION


def test_home_of_unit_contact_lists_only_their_units(client, cycle, unit_contact, unit):
    other = factories.UnitFactory(name="Någon annans förskola")
    client.force_login(unit_contact)
    content = client.get(reverse("home")).content.decode()
    assert unit.name in content
    assert other.name not in content


def test_home_does_not_show_other_roles_tasks(client, cycle, unit_contact):
    client.force_login(unit_contact)
    content = client.get(reverse("home")).content.decode()
    assert "Granska och godkänn anmälningar" not in content


def test_password_change_logs_out_other_sessions_and_keeps_this_one(client, slk):
    client.force_login(slk)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": factories.PASSWORD,
            "new_password1": "Ett-helt-nytt-lösen-42",
            "new_password2": "Ett-helt-nytt-lösen-42",
        },
    )
    assert response.status_code == 302
    slk.refresh_from_db()
    assert slk.check_password("Ett-helt-nytt-lösen-42")
    assert client.get(reverse("home")).status_code == 200


def test_password_change_refuses_weak_password(client, slk):
    client.force_login(slk)
    response = client.post(
        reverse("password_change"),
        {"old_password": factories.PASSWORD, "new_password1": "demo", "new_password2": "demo"},
    )
    assert response.status_code == 200
    assert "för kort" in response.content.decode()


@pytest.mark.parametrize("role", [Role.UNIT_CONTACT, Role.EXAMINER, Role.COMMITTEE])
def test_cycle_page_is_for_slk_only(client, cycle, role_users, role):
    client.force_login(role_users[role])
    assert client.get(reverse("award:cycle_detail", args=[cycle.year])).status_code == 403
    response = client.post(reverse("award:cycle_phase_close", args=[cycle.year]), {"close-reason": "x"})
    assert response.status_code == 403
    cycle.refresh_from_db()
    assert cycle.phase == Phase.REGISTRATION


def test_slk_sees_cycle_page_with_timeline_and_controls(client, cycle, slk):
    client.force_login(slk)
    response = client.get(reverse("award:cycle_detail", args=[cycle.year]))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Avsluta ”Anmälan” i dag" in content
    assert 'for="id_close-reason"' in content


def test_slk_closes_phase_early_from_cycle_page(client, cycle, slk):
    client.force_login(slk)
    response = client.post(
        reverse("award:cycle_phase_close", args=[cycle.year]), {"close-reason": "Demonstration"}, follow=True
    )
    assert "Nu pågår ”Skrivande av tävlingsbidrag”" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.phase == Phase.APPLICATION
    assert "Demonstration" in response.content.decode()  # shown in the cycle's log


def test_close_without_reason_changes_nothing(client, cycle, slk):
    client.force_login(slk)
    response = client.post(
        reverse("award:cycle_phase_close", args=[cycle.year]), {"close-reason": ""}, follow=True
    )
    assert "Ange en motivering" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.phase == Phase.REGISTRATION
    assert not AuditEntry.objects.exists()


def test_slk_extends_phase(client, cycle, slk):
    client.force_login(slk)
    until = cycle.registration_closes + dt.timedelta(days=7)
    response = client.post(
        reverse("award:cycle_phase_extend", args=[cycle.year]),
        {"extend-until": until.isoformat(), "extend-reason": "Fler vill anmäla sig"},
        follow=True,
    )
    assert "Fasen är förlängd" in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.registration_closes == until


def test_unknown_cycle_is_404_for_slk(client, slk):
    client.force_login(slk)
    assert client.get(reverse("award:cycle_detail", args=[1999])).status_code == 404


def test_draft_cycle_page_lists_what_stops_opening(client, slk):
    cycle = factories.complete_cycle(year=2045)
    cycle.scale.bands.filter(kind="results", low=90).delete()
    client.force_login(slk)
    content = client.get(reverse("award:cycle_detail", args=[cycle.year])).content.decode()
    assert "Omgången kan inte öppnas ännu" in content
    assert "saknar nivå" in content
