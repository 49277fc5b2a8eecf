"""The examiners' admin writes through the services or not at all. A profile's new
organisation that conflicts with a team's application takes the examiner's access at once
and flags the team, with the service's audit entry; a pool row's team limit below the teams
someone is in is refused on the form in Swedish and nothing of the change is kept. Teams
with their members and applications, training, enrolments, conflicts and openings are
read-only here, for superusers too, and link to the pages that change them."""

import pytest
from django.contrib import admin
from django.contrib.admin.models import LogEntry
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse

from award.admin import ServiceAdminMixin
from award.models import AuditEntry, Track
from examiners import services
from examiners.models import (
    ApplicationOpening,
    Assignment,
    Conflict,
    Enrolment,
    ExaminerProfile,
    PoolMember,
    Team,
    TeamMember,
    TrainingSession,
)
from tests.support import factories
from tests.support.teams import confirmed_team

pytestmark = pytest.mark.django_db


@pytest.fixture
def slk_client(client, slk):
    client.force_login(slk)
    return client


@pytest.fixture
def world(cycle, slk):
    """A confirmed team whose members have opened its application."""
    track = cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    team, members, (application,) = confirmed_team(cycle, track, slk, size=2)
    return {"team": team, "member": members[1], "application": application}


def profile_url(profile):
    return reverse("admin:examiners_examinerprofile_change", args=[profile.pk])


def profile_form(profile, **overrides):
    data = {
        "organisation": profile.organisation_id,
        "employer_unit": profile.employer_unit_id or "",
        "employer": profile.employer,
        "job_title": profile.job_title,
        "years_served": ", ".join(str(year) for year in profile.years_served),
        "years_led": ", ".join(str(year) for year in profile.years_led),
        "areas": ", ".join(profile.areas),
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    return data


def status_for(user, application) -> int:
    client = Client()
    client.force_login(get_user_model().objects.get(pk=user.pk))
    return client.get(reverse("submissions:application_detail", args=[application.pk])).status_code


def form_errors(response) -> list[str]:
    assert response.status_code == 200, "the form is shown again"
    form = response.context["adminform"].form
    return [str(error) for errors in form.errors.values() for error in errors]


@pytest.mark.parametrize("model", [ExaminerProfile, PoolMember], ids=lambda m: m._meta.model_name)
def test_pool_and_profile_admins_save_through_the_services(model):
    assert isinstance(admin.site._registry[model], ServiceAdminMixin)


# --- Profiles ----------------------------------------------------------------------------------


def test_an_organisation_that_conflicts_takes_the_examiners_access_at_once(slk_client, world):
    member, application = world["member"], world["application"]
    examiner = member.profile.user
    old = member.profile.organisation
    assert status_for(examiner, application) == 200

    response = slk_client.post(
        profile_url(member.profile),
        profile_form(member.profile, organisation=application.unit.organisation_id),
    )

    assert response.status_code == 302
    assert status_for(examiner, application) == 404
    assert (
        not get_user_model()
        .objects.get(pk=examiner.pk)
        .has_perm("submissions.assess_application", application)
    )
    entry = AuditEntry.objects.get(action="pool.profile_change")
    assert entry.changes == {"organisation": [old.name, application.unit.organisation.name]}
    assert entry.actor.username == "slk-admin"
    team = Team.objects.get(pk=world["team"].pk)
    assert application.code in team.flag
    assert AuditEntry.objects.filter(action="team.flag", object_id=str(team.pk)).exists()


def test_a_superuser_changes_a_profile_through_the_service_too(admin_client, admin_user, world):
    member, application = world["member"], world["application"]

    admin_client.post(
        profile_url(member.profile),
        profile_form(member.profile, organisation=application.unit.organisation_id),
    )

    assert status_for(member.profile.user, application) == 404
    assert AuditEntry.objects.get(action="pool.profile_change").actor == admin_user


def test_staff_without_slks_role_are_refused_and_nothing_is_kept(client, django_user_model, world):
    staff = django_user_model.objects.create_user("personal", password=factories.PASSWORD, is_staff=True)
    staff.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_examinerprofile", "change_examinerprofile"])
    )
    client.force_login(staff)
    member, application = world["member"], world["application"]
    before = (AuditEntry.objects.count(), LogEntry.objects.count())

    response = client.post(
        profile_url(member.profile),
        profile_form(member.profile, organisation=application.unit.organisation_id, job_title="Rektor"),
    )

    assert form_errors(response) == ["Bara stadsledningskontoret kan göra detta."]
    profile = ExaminerProfile.objects.get(pk=member.profile.pk)
    assert (profile.organisation, profile.job_title) == (
        member.profile.organisation,
        member.profile.job_title,
    )
    assert status_for(member.profile.user, application) == 200
    assert (AuditEntry.objects.count(), LogEntry.objects.count()) == before


# --- Pool rows ---------------------------------------------------------------------------------


def test_a_team_limit_below_the_teams_someone_is_in_is_refused_and_nothing_is_kept(slk_client, slk, cycle):
    track = cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    member = factories.pool_member(cycle, max_teams=2)
    for name in ("Lag A", "Lag B"):
        team = services.team_create(cycle=cycle, track=track, name=name, by=slk)
        services.team_member_add(team=team, member=member, by=slk)

    response = slk_client.post(
        reverse("admin:examiners_poolmember_change", args=[member.pk]),
        {
            "manager_name": "Ny Chef",
            "manager_approved_on": cycle.registration_opens.isoformat(),
            "max_teams": "1",
            "conflicts-TOTAL_FORMS": "0",
            "conflicts-INITIAL_FORMS": "0",
        },
    )

    assert form_errors(response) == [
        f"{member.profile} ingår redan i 2 lag. Ta bort personen ur ett lag först."
    ]
    member.refresh_from_db()
    assert (member.max_teams, member.manager_name) == (2, "Chef Chefsson"), "the approval is rolled back too"
    assert not AuditEntry.objects.filter(action__in=["pool.max_teams", "pool.manager_approval"]).exists()


# --- Read-only, with a link to the page that changes it ---------------------------------------


@pytest.fixture
def history(world, cycle, slk):
    """One row of each read-only model: the team's members, application and openings, a
    conflict, and a new examiner's basic training."""
    services.conflict_declare(
        member=world["member"],
        target=factories.UnitFactory(),
        reason="Min syster arbetar där.",
        source=Conflict.Source.SLK,
        by=slk,
    )
    factories.pool_member(cycle, experienced=False)
    return world


READ_ONLY = {
    Team: ("examiners:team_detail", lambda team: team.pk),
    TrainingSession: ("examiners:session_roster", lambda session: session.pk),
    Enrolment: ("examiners:session_roster", lambda enrolment: enrolment.session_id),
    Conflict: ("examiners:pool_member", lambda conflict: conflict.member_id),
    ApplicationOpening: (None, None),
}


@pytest.mark.parametrize("who", ["slk", "admin_user"])
@pytest.mark.parametrize("model", READ_ONLY, ids=lambda m: m._meta.model_name)
def test_read_only_here_with_a_link_to_their_page(client, request, history, who, model):
    client.force_login(request.getfixturevalue(who))
    row = model.objects.first()
    name = model._meta.model_name
    change = reverse(f"admin:examiners_{name}_change", args=[row.pk])
    outsider = factories.pool_member(history["team"].cycle)
    counts = {m: m.objects.count() for m in (model, TeamMember, Assignment)}

    page = client.get(change)
    add = client.get(reverse(f"admin:examiners_{name}_add"))
    post = client.post(
        change,
        {
            "name": "Nytt namn",
            "members-TOTAL_FORMS": "1",
            "members-INITIAL_FORMS": "0",
            "members-0-member": outsider.pk,
            "assignments-TOTAL_FORMS": "0",
            "assignments-INITIAL_FORMS": "0",
        },
    )
    delete = client.post(reverse(f"admin:examiners_{name}_delete", args=[row.pk]), {"post": "yes"})
    listing = client.get(reverse(f"admin:examiners_{name}_changelist"))

    assert (page.status_code, add.status_code, post.status_code, delete.status_code) == (200, 403, 403, 403)
    assert "delete_selected" not in listing.content.decode()
    assert {m: m.objects.count() for m in (model, TeamMember, Assignment)} == counts
    url_name, pk_of = READ_ONLY[model]
    if url_name:
        assert reverse(url_name, args=[pk_of(row)]) in page.content.decode()


def test_team_members_and_assignments_have_no_admin_of_their_own():
    assert TeamMember not in admin.site._registry
    assert Assignment not in admin.site._registry
