"""R8 holds when a unit moves to another administration (organisation): in the admin and
through the units import, the move goes through `award.services.unit_save`, whose signal
takes the unit's applications from examiners of the new administration in confirmed teams
(404 on the assessment page, no view or assess permission) and flags their teams, in the
same transaction. Teammates of other administrations keep their access."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from award.models import AuditEntry, Track, Unit
from examiners.models import Team
from tests.support.imports import UNIT_HEADERS, csv_text, unit_row
from tests.support.teams import confirmed_team

pytestmark = pytest.mark.django_db

VIEW, ASSESS = "submissions.view_application", "submissions.assess_application"


@pytest.fixture
def world(cycle, slk):
    """A confirmed team of three, each of their own administration, whose members have
    opened its application; `moved_to` is the administration of one of them."""
    track = cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    team, members, (application,) = confirmed_team(cycle, track, slk, size=3)
    return {
        "team": team,
        "application": application,
        "unit": application.unit,
        "examiner": members[1].profile.user,
        "teammate": members[2].profile.user,
        "moved_to": members[1].profile.organisation,
    }


def assessment_status(user, application) -> int:
    client = Client()
    client.force_login(user)
    return client.get(reverse("scoring:assessment", args=[application.pk])).status_code


def may(user, perm, application) -> bool:
    return get_user_model().objects.get(pk=user.pk).has_perm(perm, application)


def assert_moved_and_rechecked(world, by):
    examiner, teammate, application = world["examiner"], world["teammate"], world["application"]
    assert Unit.objects.get(pk=world["unit"].pk).organisation == world["moved_to"]
    assert assessment_status(examiner, application) == 404
    assert not may(examiner, VIEW, application) and not may(examiner, ASSESS, application)
    assert assessment_status(teammate, application) == 200, "only the new administration's examiner"
    team = Team.objects.get(pk=world["team"].pk)
    assert application.code in team.flag and "samma förvaltning" in team.flag
    assert AuditEntry.objects.filter(action="team.flag", object_id=str(team.pk), actor=by).exists()
    move = AuditEntry.objects.get(action="unit.organisation_change")
    assert (move.actor, move.object_id) == (by, str(world["unit"].pk))
    assert move.changes["organisation"][1] == world["moved_to"].name


def unit_form(unit, **overrides):
    data = {
        "code": unit.code,
        "name": unit.name,
        "organisation": unit.organisation_id,
        "head_name": unit.head_name,
        "head_email": unit.head_email,
        "staff_count": unit.staff_count,
        "has_operational_plan": "on" if unit.has_operational_plan else "",
        "is_private_provider": "on" if unit.is_private_provider else "",
        "stockholmers_share": unit.stockholmers_share or "",
        "contacts": [user.pk for user in unit.contacts.all()],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value != ""}


def test_a_unit_moved_in_the_admin_is_taken_from_its_new_administrations_examiner(client, slk, world):
    assert assessment_status(world["examiner"], world["application"]) == 200
    client.force_login(slk)

    response = client.post(
        reverse("admin:award_unit_change", args=[world["unit"].pk]),
        unit_form(world["unit"], organisation=world["moved_to"].pk),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert_moved_and_rechecked(world, slk)


def test_a_unit_moved_by_the_import_is_taken_from_its_new_administrations_examiner(client, slk, world):
    unit, moved_to = world["unit"], world["moved_to"]
    upload = io.BytesIO(csv_text(UNIT_HEADERS, [unit_row(unit.code, moved_to.code)]).encode())
    upload.name = "enheter.csv"
    client.force_login(slk)

    preview = client.post(reverse("admin:award_unit_import"), {"import_file": upload, "format": "0"})

    assert "Bekräfta import" in preview.content.decode()
    assert assessment_status(world["examiner"], world["application"]) == 200, "the preview changes nothing"
    done = client.post(
        reverse("admin:award_unit_process_import"), {**preview.context["confirm_form"].initial}
    )
    assert done.status_code == 302
    assert_moved_and_rechecked(world, slk)


def test_a_unit_saved_without_moving_rechecks_nobody(client, slk, world):
    client.force_login(slk)

    response = client.post(
        reverse("admin:award_unit_change", args=[world["unit"].pk]),
        unit_form(world["unit"], name="Förskolan Nytt namn"),
    )

    assert response.status_code == 302
    assert Unit.objects.get(pk=world["unit"].pk).name == "Förskolan Nytt namn"
    assert assessment_status(world["examiner"], world["application"]) == 200
    assert not Team.objects.get(pk=world["team"].pk).flag
    assert not AuditEntry.objects.filter(action__in=["unit.organisation_change", "team.flag"]).exists()
