"""SLK's people page: everyone with roles, units, team and training, last login, second
factor and pending invitations; search, filters, sort, XLSX export; roles granted and
removed with a reason, and the permissions that go with them removed at once."""

import io

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from guardian.shortcuts import get_perms
from openpyxl import load_workbook

from accounts import services
from accounts.models import Invitation, RoleRequest
from accounts.twofactor import new_totp_key
from award.models import AuditEntry, CommitteeMembership
from award.roles import Role, has_role
from examiners.models import TeamMember
from tests.support import factories
from tests.support.teams import confirmed_team

pytestmark = pytest.mark.django_db

PEOPLE = reverse("award:person_search")


def _invite(slk, email, unit=None):
    return services.invitation_send(
        kind=Invitation.Kind.UNIT_CONTACT if unit else Invitation.Kind.EXAMINER,
        email=email,
        name="Väntande Person",
        unit=unit,
        by=slk,
        base_url="http://testserver/",
    )


def _people(count, cycle, quality, slk):
    """`count` people of every kind: unit contacts, examiners in a team, committee members."""
    for i in range(count):
        unit = factories.UnitFactory()
        contact = factories.user_with_role(Role.UNIT_CONTACT, last_name=f"Kontakt{i}")
        unit.contacts.add(contact)
        _invite(slk, f"ny{i}@example.se", unit)
        confirmed_team(cycle, quality, slk, name=f"Lag {i}")
        CommitteeMembership.objects.create(cycle=cycle, user=factories.user_with_role(Role.COMMITTEE))


@pytest.mark.parametrize("count", [1, 4])
def test_the_list_takes_a_constant_number_of_queries(
    client, slk, cycle, quality, count, django_assert_max_num_queries
):
    _people(count, cycle, quality, slk)
    client.force_login(slk)
    with django_assert_max_num_queries(18):
        response = client.get(PEOPLE)
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Kontakt{count - 1}" in page
    assert "Lag 0" in page


def test_the_list_shows_roles_units_team_training_login_and_second_factor(
    client, slk, cycle, quality, unit, unit_contact
):
    team, members, _apps = confirmed_team(cycle, quality, slk)
    examiner = members[1].profile.user
    TOTPDevice.objects.create(user=examiner, key=new_totp_key(), confirmed=True)
    _invite(slk, unit_contact.email, None)
    client.force_login(slk)

    page = client.get(PEOPLE, {"q": examiner.last_name}).content.decode()
    assert team.name in page
    assert str(members[1].training_status().label) in page
    assert "Examinator" in page
    assert "<td>På</td>" in page

    page = client.get(PEOPLE, {"q": unit_contact.username}).content.decode()
    assert unit.name in page
    assert "1 väntande inbjudan" in page
    assert reverse("award:person_roles", args=[unit_contact.pk]) in page
    assert reverse("award:person_detail", args=[unit_contact.pk]) in page


def test_filters_and_sort(client, slk, unit, unit_contact, examiner):
    TOTPDevice.objects.create(user=examiner, key=new_totp_key(), confirmed=True)
    gone = factories.UserFactory(last_name="Avslutad", is_active=False)
    client.force_login(slk)

    def names(**query):
        response = client.get(PEOPLE, query)
        return [row["person"].pk for row in response.context["rows"]]

    assert names(role=Role.UNIT_CONTACT.value) == [unit_contact.pk]
    assert names(unit=unit.pk) == [unit_contact.pk]
    assert names(two_factor="on") == [examiner.pk]
    assert names(active="no") == [gone.pk]
    assert gone.pk in names(role="none")
    assert slk.pk in names(role=Role.SLK.value)
    everyone = names(sort="namn")
    assert names(sort="-namn") == everyone[::-1]
    assert names(role="nonsens") == everyone  # a bad filter is ignored, not an error


def test_the_export_is_the_filtered_list_and_cannot_run_formulas(client, slk, unit):
    contact = factories.user_with_role(Role.UNIT_CONTACT, first_name="=HYPERLINK(1)", last_name="Farlig")
    unit.contacts.add(contact)
    factories.UserFactory(last_name="Annan")
    client.force_login(slk)

    response = client.get(PEOPLE, {"role": Role.UNIT_CONTACT.value, "format": "xlsx"})

    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Namn"
    assert len(rows) == 2
    assert rows[1][0] == "=HYPERLINK(1) Farlig"
    assert sheet.cell(row=2, column=1).data_type == "s"
    assert rows[1][4] == unit.name


def test_only_slk_reaches_the_people_pages(client, role_users, unit_contact):
    for role, person in role_users.items():
        client.force_login(person)
        expected = 200 if role == Role.SLK else 403
        assert client.get(PEOPLE).status_code == expected
        assert client.get(reverse("award:person_roles", args=[unit_contact.pk])).status_code == expected


def test_slk_grants_and_removes_a_role_with_a_reason(client, slk):
    person = factories.UserFactory()
    client.force_login(slk)
    url = reverse("award:person_role", args=[person.pk])

    client.post(url, {"action": "grant", "role": Role.EXAMINER.value, "reason": ""})
    assert not has_role(person, Role.EXAMINER)

    client.post(url, {"action": "grant", "role": Role.EXAMINER.value, "reason": "Antagen"})
    assert has_role(type(person).objects.get(pk=person.pk), Role.EXAMINER)
    entry = AuditEntry.objects.get(action="role.grant")
    assert entry.reason == "Antagen" and entry.actor == slk

    client.post(url, {"action": "remove", "role": Role.EXAMINER.value, "reason": "Slutat"})
    person = type(person).objects.get(pk=person.pk)
    assert not has_role(person, Role.EXAMINER)
    assert AuditEntry.objects.filter(action="role.remove", reason="Slutat").exists()


def test_slk_cannot_remove_their_own_administrator_role(slk):
    with pytest.raises(Exception, match="din egen"):
        services.role_remove(person=slk, role=Role.SLK, by=slk, reason="Test")


def test_removing_a_unit_contact_removes_their_permissions_at_once(
    client, slk, application, unit, unit_contact
):
    assert get_perms(unit_contact, application)
    client.force_login(slk)

    client.post(
        reverse("award:person_unit", args=[unit_contact.pk]),
        {"action": "remove", "unit": unit.pk, "reason": "Bytt tjänst"},
    )

    unit_contact = type(unit_contact).objects.get(pk=unit_contact.pk)
    assert get_perms(unit_contact, application) == []
    assert not has_role(unit_contact, Role.UNIT_CONTACT)
    assert AuditEntry.objects.filter(action="role.remove", reason="Bytt tjänst").exists()

    client.post(
        reverse("award:person_unit", args=[unit_contact.pk]),
        {"action": "add", "unit": unit.pk, "reason": "Tillbaka"},
    )
    assert get_perms(unit_contact, application)


def test_removing_a_committee_member_closes_the_committee_pages(client, slk, cycle):
    person = factories.UserFactory()
    client.force_login(slk)
    client.post(
        reverse("award:person_committee", args=[person.pk]),
        {"action": "add", "cycle": cycle.pk, "reason": "Ny ledamot"},
    )
    assert cycle.has_committee_member(person)
    membership = CommitteeMembership.objects.get(user=person)

    client.post(
        reverse("award:person_committee", args=[person.pk]),
        {"action": "remove", "membership": membership.pk, "reason": "Avgått"},
    )

    assert not cycle.has_committee_member(person)
    assert not has_role(type(person).objects.get(pk=person.pk), Role.COMMITTEE)
    assert AuditEntry.objects.filter(action="role.remove", reason="Avgått").exists()


def test_a_team_member_is_listed_once_per_team(client, slk, cycle, quality):
    team, members, _apps = confirmed_team(cycle, quality, slk)
    client.force_login(slk)
    page = client.get(PEOPLE, {"q": members[0].profile.user.last_name}).content.decode()
    assert page.count(team.name) == TeamMember.objects.filter(member=members[0]).count()


@pytest.mark.second_factor
def test_slk_removes_a_lost_second_factor_with_a_reason(client, slk, committee_member):
    TOTPDevice.objects.create(user=committee_member, key=new_totp_key(), confirmed=True)
    TOTPDevice.objects.create(user=slk, key=new_totp_key(), confirmed=True)
    client.force_login(slk)
    session = client.session
    session["award_second_factor"] = "totp"
    session.save()
    url = reverse("award:person_two_factor", args=[committee_member.pk])
    assert "Ta bort tvåstegsverifieringen" in client.get(url).content.decode()

    client.post(url, {"reason": ""})
    assert TOTPDevice.objects.filter(user=committee_member).exists()

    response = client.post(url, {"reason": "Tappat telefonen"})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=committee_member).exists()
    assert AuditEntry.objects.filter(
        action="two_factor.disable", reason="Tappat telefonen", actor=slk
    ).exists()

    # At their next login they must set up a new one before anything else.
    client.force_login(committee_member)
    assert client.get(reverse("home"))["Location"].startswith(reverse("accounts:two_factor_setup"))


def test_only_slk_reaches_the_second_factor_reset(client, role_users, unit_contact):
    for role, person in role_users.items():
        client.force_login(person)
        response = client.get(reverse("award:person_two_factor", args=[unit_contact.pk]))
        assert response.status_code == (200 if role == Role.SLK else 403)


@pytest.mark.parametrize("count", [1, 3])
def test_the_people_page_lists_role_requests_in_constant_queries(
    client, slk, count, django_assert_max_num_queries
):
    for i in range(count):
        RoleRequest.objects.create(
            email=f"ber{i}@example.se", name=f"Ber Om {i}", kind="unit_contact", unit=factories.UnitFactory()
        )
    client.force_login(slk)
    with django_assert_max_num_queries(18):
        response = client.get(reverse("award:person_search"))
    assert response.status_code == 200
    assert f"Ber Om {count - 1}" in response.content.decode()
