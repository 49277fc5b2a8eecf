"""The committee in the admin goes through the committee services: seating a member gives
them the committee role and the cycle's committee pages, removing one takes both away, one
chair per cycle holds with a Swedish refusal, and each change has its service's audit
entry, for SLK and superusers alike. A refusal saves nothing, not even the admin's log."""

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from award import services
from award.admin import ServiceAdminMixin
from award.models import AuditEntry, CommitteeMembership
from award.roles import Role, has_role
from tests.support import factories

pytestmark = pytest.mark.django_db

ADD = reverse("admin:award_committeemembership_add")
CHANGELIST = reverse("admin:award_committeemembership_changelist")


def change_url(membership):
    return reverse("admin:award_committeemembership_change", args=[membership.pk])


def delete_url(membership):
    return reverse("admin:award_committeemembership_delete", args=[membership.pk])


def committee_page(cycle):
    return reverse("judging:committee_home", args=[cycle.year])


@pytest.fixture
def slk_client(client, slk):
    client.force_login(slk)
    return client


@pytest.fixture
def judge(db):
    """A person with no role yet: the membership is what makes them a judge."""
    return factories.UserFactory(username="blivande-domare", first_name="Dora", last_name="Domare")


@pytest.fixture
def chair(cycle, slk):
    user = factories.UserFactory(username="ordforande", first_name="Olga", last_name="Ordförande")
    services.committee_member_add(cycle=cycle, user=user, is_chair=True, by=slk)
    return user


def actions(cycle):
    return list(
        AuditEntry.objects.filter(action__startswith="committee.", object_id=str(cycle.pk))
        .order_by("pk")
        .values_list("action", "changes")
    )


def page_status(user, url):
    """The status of `user`'s request, in a client of their own (the admin's stays logged in)."""
    client = Client()
    client.force_login(user)
    return client.get(url).status_code


def form_errors(response) -> list[str]:
    assert response.status_code == 200, "the form is shown again"
    form = response.context["adminform"].form
    return [str(error) for errors in form.errors.values() for error in errors]


def test_the_committee_admin_saves_through_the_services():
    assert isinstance(admin.site._registry[CommitteeMembership], ServiceAdminMixin)


# --- Seating a member ----------------------------------------------------------------------


def test_adding_a_member_gives_the_role_and_the_committee_pages(slk_client, cycle, judge):
    assert page_status(judge, committee_page(cycle)) == 403

    response = slk_client.post(ADD, {"cycle": cycle.pk, "user": judge.pk})

    assert response.status_code == 302
    assert CommitteeMembership.objects.filter(cycle=cycle, user=judge, is_chair=False).exists()
    assert has_role(type(judge).objects.get(pk=judge.pk), Role.COMMITTEE)
    assert actions(cycle) == [("committee.member_add", {"member": judge.username, "chair": False})]
    assert page_status(judge, committee_page(cycle)) == 200


def test_a_member_already_seated_is_refused_by_name(slk_client, cycle, chair):
    before = AuditEntry.objects.count()

    response = slk_client.post(ADD, {"cycle": cycle.pk, "user": chair.pk})

    assert form_errors(response) == [f"Olga Ordförande är redan ledamot i domarkommittén {cycle.year}."]
    assert CommitteeMembership.objects.filter(cycle=cycle).count() == 1
    assert AuditEntry.objects.count() == before


def test_a_second_chair_is_refused_naming_the_chair(slk_client, cycle, chair, judge):
    before = AuditEntry.objects.count()

    response = slk_client.post(ADD, {"cycle": cycle.pk, "user": judge.pk, "is_chair": "on"})

    assert form_errors(response) == [
        f"Olga Ordförande är redan ordförande i domarkommittén {cycle.year}. Kommittén har en "
        "ordförande: ta först bort ordförandeskapet från Olga Ordförande."
    ]
    assert not CommitteeMembership.objects.filter(user=judge).exists()
    assert not has_role(judge, Role.COMMITTEE)
    assert AuditEntry.objects.count() == before


# --- The chair -----------------------------------------------------------------------------


def test_the_chair_moves_through_the_service(slk_client, slk, cycle, chair, judge):
    member = services.committee_member_add(cycle=cycle, user=judge, by=slk)
    old_chair = CommitteeMembership.objects.get(user=chair)

    refused = slk_client.post(change_url(member), {"is_chair": "on"})
    stepped_down = slk_client.post(change_url(old_chair), {})
    taken_over = slk_client.post(change_url(member), {"is_chair": "on"})

    assert "är redan ordförande" in form_errors(refused)[0]
    assert (stepped_down.status_code, taken_over.status_code) == (302, 302)
    assert list(
        CommitteeMembership.objects.filter(cycle=cycle, is_chair=True).values_list("user", flat=True)
    ) == [judge.pk]
    assert actions(cycle)[-2:] == [
        ("committee.chair", {"member": chair.username, "chair": [True, False]}),
        ("committee.chair", {"member": judge.username, "chair": [False, True]}),
    ]


def test_the_person_and_cycle_of_a_membership_are_not_changed_in_place(slk_client, cycle, chair, judge):
    membership = CommitteeMembership.objects.get(user=chair)

    slk_client.post(change_url(membership), {"user": judge.pk, "cycle": factories.AwardCycleFactory().pk})

    membership.refresh_from_db()
    assert (membership.user, membership.cycle) == (chair, cycle)


# --- Removing a member ---------------------------------------------------------------------


def test_removing_a_member_takes_their_access(slk_client, cycle, chair):
    membership = CommitteeMembership.objects.get(user=chair)
    assert page_status(chair, committee_page(cycle)) == 200

    response = slk_client.post(delete_url(membership), {"post": "yes"})

    assert response.status_code == 302
    assert not CommitteeMembership.objects.filter(pk=membership.pk).exists()
    assert not has_role(type(chair).objects.get(pk=chair.pk), Role.COMMITTEE)
    assert actions(cycle)[-1] == ("committee.member_remove", {"member": chair.username, "chair": True})
    assert page_status(chair, committee_page(cycle)) == 403


def test_a_member_of_another_cycle_keeps_the_role_but_not_this_cycles_pages(slk_client, slk, cycle, chair):
    last_year = factories.complete_cycle(year=cycle.year - 1)
    services.committee_member_add(cycle=last_year, user=chair, by=slk)

    slk_client.post(delete_url(CommitteeMembership.objects.get(cycle=cycle, user=chair)), {"post": "yes"})

    assert has_role(type(chair).objects.get(pk=chair.pk), Role.COMMITTEE)
    assert page_status(chair, committee_page(cycle)) == 404
    assert page_status(chair, committee_page(last_year)) == 200


def test_bulk_removal_removes_each_member_through_the_service(slk_client, slk, cycle, chair, judge):
    services.committee_member_add(cycle=cycle, user=judge, by=slk)
    selected = list(CommitteeMembership.objects.filter(cycle=cycle).values_list("pk", flat=True))

    response = slk_client.post(
        CHANGELIST, {"action": "delete_selected", "_selected_action": selected, "post": "yes"}
    )

    assert response.status_code == 302
    assert not CommitteeMembership.objects.filter(cycle=cycle).exists()
    removed = {changes["member"] for action, changes in actions(cycle) if action == "committee.member_remove"}
    assert removed == {chair.username, judge.username}
    assert not has_role(type(judge).objects.get(pk=judge.pk), Role.COMMITTEE)


# --- Nobody goes round the services -----------------------------------------------------------


def test_a_superuser_goes_through_the_service_too(admin_client, admin_user, cycle, chair, judge):
    added = admin_client.post(ADD, {"cycle": cycle.pk, "user": judge.pk})
    second_chair = admin_client.post(
        change_url(CommitteeMembership.objects.get(user=judge)), {"is_chair": "on"}
    )

    assert added.status_code == 302
    assert has_role(type(judge).objects.get(pk=judge.pk), Role.COMMITTEE)
    entry = AuditEntry.objects.get(action="committee.member_add", changes__member=judge.username)
    assert entry.actor == admin_user
    assert "är redan ordförande" in form_errors(second_chair)[0]
    assert not CommitteeMembership.objects.get(user=judge).is_chair


@pytest.fixture
def staff_client(client, django_user_model):
    """Staff with the admin's model permissions on the committee, but not SLK's role."""
    user = django_user_model.objects.create_user("personal", password=factories.PASSWORD, is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__endswith="_committeemembership", content_type__app_label="award")
    )
    client.force_login(user)
    return client


def test_staff_without_slks_role_are_refused_and_nothing_is_kept(staff_client, cycle, judge):
    before = (AuditEntry.objects.count(), LogEntry.objects.count())

    response = staff_client.post(ADD, {"cycle": cycle.pk, "user": judge.pk})

    assert form_errors(response) == ["Bara stadsledningskontoret kan göra detta."]
    assert not CommitteeMembership.objects.exists()
    assert (AuditEntry.objects.count(), LogEntry.objects.count()) == before


def test_a_refused_removal_keeps_the_member_and_says_why(staff_client, cycle, chair):
    membership = CommitteeMembership.objects.get(user=chair)
    before = (AuditEntry.objects.count(), LogEntry.objects.count())

    single = staff_client.post(delete_url(membership), {"post": "yes"}, follow=True)
    bulk = staff_client.post(
        CHANGELIST,
        {"action": "delete_selected", "_selected_action": [membership.pk], "post": "yes"},
        follow=True,
    )

    for response in (single, bulk):
        assert "Bara stadsledningskontoret kan göra detta." in [str(m) for m in response.context["messages"]]
    assert CommitteeMembership.objects.filter(pk=membership.pk).exists()
    assert has_role(type(chair).objects.get(pk=chair.pk), Role.COMMITTEE)
    assert (AuditEntry.objects.count(), LogEntry.objects.count()) == before
