"""Personal data for SLK: export everything about one person, anonymise someone who left."""

import json
import re
import sys
import types
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import models
from django.test import override_settings
from django.urls import clear_url_caches, include, path, reverse

import config.urls
from award.models import AuditEntry, AwardCycle, BackgroundJob, CommitteeMembership
from award.personal import data as personal_data
from award.personal import views as views_personal
from award.roles import Role
from evaluation.models import Questionnaire, QuestionnaireResponse
from examiners.models import Conflict, ExaminerProfile, TeamMember
from judging.models import CommitteeConflict, Decision, Meeting
from scoring.models import Assessment, AssessmentItem, Consensus, ConsensusItem
from submissions.models import Answer, AnswerRevision, Application
from tests.support import factories
from tests.support.teams import assessed_application as build_world

pytestmark = pytest.mark.django_db


def _urlconf():
    """config.urls with the two personal-data routes in the award namespace, whether or not
    award/urls.py has them yet."""
    mounted = next(p for p in config.urls.urlpatterns if getattr(p, "namespace", None) == "award")
    names = {p.name for p in mounted.url_patterns}
    extra = [path("personer/<int:pk>/", views_personal.person_detail, name="person_detail")]
    award_patterns = list(mounted.url_patterns) + [p for p in extra if p.name not in names]
    module = types.ModuleType("tests_personal_urls")
    module.urlpatterns = [
        path("omgang/", include((award_patterns, "award"))) if getattr(p, "namespace", None) == "award" else p
        for p in config.urls.urlpatterns
    ]
    sys.modules[module.__name__] = module
    return module.__name__


@pytest.fixture(autouse=True)
def personal_urls():
    with override_settings(ROOT_URLCONF=_urlconf()):
        clear_url_caches()
        yield
    clear_url_caches()


@pytest.fixture
def world(cycle, slk, unit, unit_contact, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    data = build_world(cycle, slk, unit, unit_contact)
    leader = data["members"][0]
    user = leader.profile.user
    ExaminerProfile.objects.filter(pk=leader.profile_id).update(
        job_title="Rektor", employer="Skolförvaltningen"
    )
    leader.availability_note = f"{user.get_full_name()} är ledig i juli"
    leader.save()
    application = data["application"]
    Conflict.objects.create(
        member=leader,
        organisation=factories.OrganisationFactory(),
        reason="Tidigare chef",
        source="examiner",
        recorded_by=user,
    )
    consensus = Consensus.objects.create(application=application, team=data["team"], started_by=user)
    ConsensusItem.objects.create(
        consensus=consensus,
        criterion=application.track.criteria.first(),
        score=50,
        discussion_note="Vi enades",
        updated_by=user,
    )
    CommitteeMembership.objects.create(cycle=cycle, user=user, is_chair=True)
    CommitteeConflict.objects.create(
        cycle=cycle, member=user, unit=factories.UnitFactory(), reason="Släkt", recorded_by=slk
    )
    meeting = Meeting.objects.create(
        cycle=cycle, kind=Meeting.Kind.FINAL, date=cycle.final_committee_meeting, recorded_by=slk
    )
    meeting.present.add(user)
    Decision.objects.create(
        meeting=meeting,
        track=application.track,
        status=Decision.Status.SIGNED,
        created_by=slk,
        signed_by=user,
    )
    questionnaire = Questionnaire.objects.create(
        cycle=cycle, audience=Questionnaire.Audience.EXAMINERS, sent_by=slk
    )
    QuestionnaireResponse.objects.create(questionnaire=questionnaire, respondent=user, answers={"q1": "Bra"})
    data["user"] = user
    return data


def finish(cycle):
    """Move the whole timeline back so the cycle is in its feedback phase."""
    AwardCycle.objects.filter(pk=cycle.pk).update(**factories.timeline(phase_offset=-200))


def test_export_holds_the_examiners_data_from_every_app(world):
    user = world["user"]
    data = json.loads(personal_data.export_json(user))
    assert data["user"]["email"] == user.email
    assert "Examinator" in data["roles"]
    assert data["examiner_profile"]["job_title"] == "Rektor"
    assert data["pool_memberships"][0]["availability_note"].endswith("är ledig i juli")
    assert data["training"] == [] or data["training"][0]["attendance"]
    assert data["conflicts"][0]["reason"] == "Tidigare chef"
    assert data["teams"][0]["is_leader"] is True
    assert data["teams"][0]["applications"] == [world["application"].code]
    assessment = data["assessments"][0]
    assert assessment["status"] == "Inlämnad"
    assert assessment["items"][0]["strengths"] == ["Styrka 0"] and assessment["items"][0]["notes"] == "Egen"
    assert data["consensus_items_changed"][0]["discussion_note"] == "Vi enades"
    assert data["committee_memberships"] == [{"cycle": world["team"].cycle.year, "is_chair": True}]
    assert data["committee_conflicts"][0]["reason"] == "Släkt"
    assert len(data["meetings_present"]) == 1
    assert len(data["decisions_signed"]) == 1
    assert data["questionnaire_responses"][0]["answers"] == {"q1": "Bra"}
    assert any(e["action"].startswith("scoring.individual") for e in data["audit_entries_as_actor"])
    assert any("assess_application" in p for p in data["object_permissions"])


def test_export_holds_the_unit_contacts_data(world, unit_contact, unit):
    data = personal_data.export(unit_contact)
    assert "Enhetskontakt" in data["roles"]
    assert data["units_as_contact"][0]["code"] == unit.code
    roles = {row["role"] for row in data["applications"]}
    assert {"anmälde", "lämnade in"} <= roles
    assert data["answer_revisions"] and data["answer_revisions"][0]["text"]
    assert data["attachments_uploaded"][0]["file"] == "verksamhetsplan.pdf"
    assert data["examiner_profile"] is None


def _text_columns():
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if isinstance(field, models.CharField | models.TextField | models.JSONField):
                yield model, field


def _occurrences(*needles):
    """Every (model, field, pk) whose text holds one of the needles (case-insensitive, whole
    words), searched in every text and JSON column of every table."""
    patterns = [re.compile(r"(?<![\w@.])" + re.escape(n) + r"(?![\w@])", re.IGNORECASE) for n in needles]
    found = []
    for model, field in _text_columns():
        for pk, value in model._base_manager.values_list("pk", field.name):
            text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            if any(p.search(text or "") for p in patterns):
                found.append((model._meta.label, field.name, pk))
    return found


def test_anonymise_keeps_the_records_and_forgets_the_person(world, slk, cycle):
    finish(cycle)
    user = world["user"]
    old = (user.get_full_name(), user.email, user.username)
    assert _occurrences(*old)  # the audit trail names them before
    counted = [
        Assessment,
        AssessmentItem,
        ConsensusItem,
        Decision,
        TeamMember,
        Conflict,
        QuestionnaireResponse,
    ]
    before = {m: m.objects.count() for m in counted}
    audit_before = AuditEntry.objects.count()

    summary = personal_data.anonymise(user=user, by=slk)

    assert {m: m.objects.count() for m in counted} == before
    assert AuditEntry.objects.count() == audit_before + 1
    assert _occurrences(*old) == []
    user.refresh_from_db()
    name = f"Anonymiserad användare {user.pk}"
    assert user.get_full_name() == name and user.email == ""
    assert not user.is_active and not user.has_usable_password()
    assert not user.groups.exists() and not user.units.exists()
    assert authenticate(username=old[2], password=factories.PASSWORD) is None
    assert authenticate(username=user.username, password=factories.PASSWORD) is None
    profile = ExaminerProfile.objects.get(user=user)
    assert (profile.job_title, profile.employer) == ("", "")
    assert Assessment.objects.filter(member__profile__user=user, status=Assessment.Status.SUBMITTED).exists()
    assert Decision.objects.filter(signed_by=user).exists()
    entry = AuditEntry.objects.get(action="user.anonymise")
    assert entry.actor == slk and entry.object_repr == name
    assert summary["groups_removed"] == ["Examinatorer"]
    assert personal_data.anonymise_refusals(user, by=slk) == ["Personen är redan anonymiserad."]


def test_anonymising_a_unit_contact_takes_away_the_unit(world, slk, cycle, unit, unit_contact):
    finish(cycle)
    application = world["application"]
    answers = Answer.objects.count(), AnswerRevision.objects.count()
    personal_data.anonymise(user=unit_contact, by=slk)
    unit_contact.refresh_from_db()
    assert not unit.contacts.filter(pk=unit_contact.pk).exists()
    assert not unit_contact.has_perm("submissions.view_application", application)
    assert Application.objects.get(pk=application.pk).submitted_by_id == unit_contact.pk
    assert (Answer.objects.count(), AnswerRevision.objects.count()) == answers


def test_anonymise_is_refused_during_an_open_examination(world, slk):
    with pytest.raises(ValidationError, match="inte är avslutad"):
        personal_data.anonymise(user=world["user"], by=slk)
    assert get_user_model().objects.get(pk=world["user"].pk).is_active


def test_only_slk_may_anonymise(world, cycle, examiner, slk):
    finish(cycle)
    with pytest.raises(PermissionDenied):
        personal_data.anonymise(user=world["user"], by=examiner)
    with pytest.raises(ValidationError, match="dig själv"):
        personal_data.anonymise(user=slk, by=slk)


# --- Pages ------------------------------------------------------------------------------------


def test_only_slk_reaches_the_pages(client, world, role_users):
    user = world["user"]
    pages = [
        reverse("award:person_search") + "?q=Test",
        reverse("award:person_detail", args=[user.pk]),
        reverse("award:person_detail", args=[user.pk]) + "?format=json",
    ]
    for role, person in role_users.items():
        client.force_login(person)
        for page in pages:
            assert client.get(page).status_code == (200 if role == Role.SLK else 403), (role, page)
        if role != Role.SLK:
            response = client.post(reverse("award:person_detail", args=[user.pk]), {"confirm": "yes"})
            assert response.status_code == 403
    assert get_user_model().objects.get(pk=user.pk).is_active


def test_slk_finds_downloads_and_anonymises(client, world, slk, cycle):
    finish(cycle)
    user = world["user"]
    client.force_login(slk)
    response = client.get(reverse("award:person_search"), {"q": user.last_name})
    assert reverse("award:person_detail", args=[user.pk]) in response.content.decode()

    page = client.get(reverse("award:person_detail", args=[user.pk]))
    assert "Individuella bedömningar (1)" in page.content.decode()
    download = client.get(reverse("award:person_detail", args=[user.pk]), {"format": "json"})
    assert download["Content-Type"].startswith("application/json")
    assert "attachment" in download["Content-Disposition"]
    assert json.loads(download.content)["user"]["username"] == user.username

    unconfirmed = client.post(reverse("award:person_detail", args=[user.pk]), {})
    assert unconfirmed.status_code == 302
    assert get_user_model().objects.get(pk=user.pk).is_active

    done = client.post(reverse("award:person_detail", args=[user.pk]), {"confirm": "yes"}, follow=True)
    assert f"Anonymiserad användare {user.pk}" in done.content.decode()
    assert not get_user_model().objects.get(pk=user.pk).is_active


def test_a_persons_background_jobs_are_exported_and_go_with_their_files(world, slk, cycle, media_root):
    finish(cycle)
    job = BackgroundJob.objects.create(kind="cycle_export", requested_by=world["user"])
    job.file.save("export.xlsx", ContentFile(b"data"))
    path = job.file.path
    assert personal_data.export(world["user"])["background_jobs"][0]["kind"] == "cycle_export"

    summary = personal_data.anonymise(user=world["user"], by=slk)

    assert summary["background_jobs_removed"] == 1
    assert not BackgroundJob.objects.filter(pk=job.pk).exists()
    assert not Path(path).exists()
