"""`manage.py backup` and `manage.py restore`: a backup restored into an emptied database
finds every row, every uploaded file and every object permission again."""

import io
import json
import tarfile

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from guardian.models import GroupObjectPermission, UserObjectPermission
from guardian.shortcuts import get_perms

from award.models import AuditEntry
from scoring.models import Assessment, AssessmentItem
from submissions.models import Application, Attachment
from tests.support import factories
from tests.support.teams import assessed_application

PROJECT_APPS = ["award", "submissions", "examiners", "scoring"]


def model_counts() -> dict[str, int]:
    counts = {}
    models = [m for label in PROJECT_APPS for m in apps.get_app_config(label).get_models()]
    models += [UserObjectPermission, GroupObjectPermission]
    models += [apps.get_model("auth", "Group"), apps.get_model("auth", "Permission")]
    models += [apps.get_model("contenttypes", "ContentType")]
    for model in models:
        counts[model._meta.label] = model._base_manager.count()
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            counts[through._meta.label] = through._base_manager.count()
    return counts


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


def flush_database():
    """`manage.py flush` inside the test's transaction: PostgreSQL first needs the pending
    deferred foreign-key checks of the rows the test wrote."""
    connection.check_constraints()
    call_command("flush", interactive=False)


def backup_to(path):
    out = io.StringIO()
    call_command("backup", "--out", str(path), stdout=out)
    return out.getvalue()


def test_backup_and_restore_find_every_row(cycle, slk, unit, unit_contact, media_root, tmp_path):
    world = assessed_application(cycle, slk, unit, unit_contact)
    application, attachment = world["application"], world["attachment"]
    leader = world["members"][0].profile.user
    before = model_counts()
    assert before["scoring.AssessmentItem"] > 0
    assert before["submissions.ApplicationUserObjectPermission"] > 0
    file_name = attachment.file.name
    file_content = attachment.file.read()
    item = AssessmentItem.objects.filter(assessment__member=world["members"][1]).first()
    audit_before = list(
        AuditEntry.objects.order_by("pk").values_list("pk", "action", "object_repr", "changes")
    )
    password_hash = unit_contact.password

    archive = tmp_path / "kopia.tar.gz"
    assert "Säkerhetskopia skriven" in backup_to(archive)
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert {"manifest.json", "data.json", f"media/{file_name}"} <= set(names)

    flush_database()
    (media_root / file_name).unlink()
    assert model_counts() != before

    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "Återställt" in out.getvalue()

    assert model_counts() == before
    restored = Application.objects.get(pk=application.pk)
    assert restored.code == application.code and restored.submitted_by_id == unit_contact.pk
    assert Attachment.objects.get(pk=attachment.pk).file.read() == file_content
    restored_item = AssessmentItem.objects.get(pk=item.pk)
    assert (restored_item.score, restored_item.strengths, restored_item.notes) == (
        item.score,
        item.strengths,
        item.notes,
    )
    assert restored_item.updated_at == item.updated_at
    assert Assessment.objects.filter(status=Assessment.Status.SUBMITTED).count() == 3
    assert (
        list(AuditEntry.objects.order_by("pk").values_list("pk", "action", "object_repr", "changes"))
        == audit_before
    )
    user_model = apps.get_model("award", "User")
    contact = user_model.objects.get(pk=unit_contact.pk)
    assert contact.password == password_hash
    assert contact.units.filter(pk=unit.pk).exists()
    assert "view_application" in get_perms(contact, restored)
    assert contact.has_perm("submissions.view_application", restored)
    assert user_model.objects.get(pk=leader.pk).has_perm("submissions.assess_application", restored)
    # The sequences continue after the restored rows.
    assert factories.UnitFactory().pk > unit.pk


def test_restore_refuses_a_database_with_data(cycle, slk, unit, unit_contact, media_root, tmp_path):
    archive = tmp_path / "kopia.tar.gz"
    backup_to(archive)
    factories.UnitFactory(name="Ny efter kopian")
    with pytest.raises(CommandError, match="Databasen innehåller redan data"):
        call_command("restore", str(archive))
    assert unit.__class__.objects.filter(name="Ny efter kopian").exists()

    call_command("restore", str(archive), "--force", stdout=io.StringIO())
    assert not unit.__class__.objects.filter(name="Ny efter kopian").exists()
    assert unit.__class__.objects.filter(pk=unit.pk).exists()


def test_restore_refuses_other_migrations_and_other_files(db, tmp_path, media_root):
    archive = tmp_path / "kopia.tar.gz"
    backup_to(archive)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        data = tar.extractfile("data.json").read()
    manifest["migrations"].append(["award", "9999_framtiden"])
    changed = tmp_path / "annan.tar.gz"
    with tarfile.open(changed, "w:gz") as tar:
        for name, content in [("manifest.json", json.dumps(manifest).encode()), ("data.json", data)]:
            info = tarfile.TarInfo(name)
            info.size = len(content)
            tar.addfile(info, io.BytesIO(content))
    with pytest.raises(CommandError, match="migreringar stämmer inte"):
        call_command("restore", str(changed))

    not_a_backup = tmp_path / "annat.tar.gz"
    not_a_backup.write_bytes(b"inte en kopia")
    with pytest.raises(CommandError, match="ingen läsbar säkerhetskopia"):
        call_command("restore", str(not_a_backup))


def test_demo_data_round_trips(seeded, tmp_path, media_root):
    """The demo fills every part of the platform; all of it comes back."""
    before = model_counts()
    empty = [label for label, count in before.items() if count == 0]
    archive = tmp_path / "demo.tar.gz"
    backup_to(archive)
    flush_database()
    call_command("restore", str(archive), stdout=io.StringIO())
    assert model_counts() == before
    assert len(empty) < len(before) / 4, empty
