"""Every write path leaves an audit record: the services (tested with each service), the
admin's add, change and delete, and imports through the admin."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from award.models import AuditEntry, Organisation
from tests.support import factories

pytestmark = pytest.mark.django_db


def _entries(obj_or_model, action):
    content_type = ContentType.objects.get_for_model(obj_or_model)
    return AuditEntry.objects.filter(content_type=content_type, action=action)


def test_admin_add_change_and_delete_are_audited(client, slk):
    client.force_login(slk)
    response = client.post(
        reverse("admin:award_organisation_add"),
        {"code": "SDF-TEST", "name": "Testförvaltningen", "kind": "district"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation = Organisation.objects.get(code="SDF-TEST")
    added = _entries(Organisation, "admin.add").get(object_id=str(organisation.pk))
    assert added.actor == slk and added.object_repr == str(organisation)

    client.post(
        reverse("admin:award_organisation_change", args=[organisation.pk]),
        {"code": "SDF-TEST", "name": "Nya namnet", "kind": "district"},
    )
    changed = _entries(Organisation, "admin.change").get(object_id=str(organisation.pk))
    assert "Namn" in str(changed.changes["admin"]) or "namn" in str(changed.changes["admin"]).lower()

    client.post(reverse("admin:award_organisation_delete", args=[organisation.pk]), {"post": "yes"})
    assert not Organisation.objects.filter(pk=organisation.pk).exists()
    assert _entries(Organisation, "admin.delete").filter(object_id=str(organisation.pk)).exists()


def test_admin_import_is_audited_per_row(client, slk):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(slk)
    csv = "code,name,kind\nSDF-IMP1,Importerad ett,district\nSDF-IMP2,Importerad två,district\n".encode()
    url = reverse("admin:award_organisation_import")
    response = client.post(
        url, {"format": "0", "resource": "0", "import_file": SimpleUploadedFile("org.csv", csv)}, follow=True
    )
    form = response.context["confirm_form"]
    client.post(
        reverse("admin:award_organisation_process_import"), {**form.initial, "resource": "0"}, follow=True
    )
    imported = Organisation.objects.filter(code__startswith="SDF-IMP")
    assert imported.count() == 2
    for organisation in imported:
        assert (
            AuditEntry.objects.filter(
                object_id=str(organisation.pk), actor=slk, action__in=["import.add", "admin.add"]
            )
            .filter(content_type=ContentType.objects.get_for_model(Organisation))
            .exists()
        )


def test_service_writes_are_audited(cycle, slk):
    from award import services

    services.phase_close_early(cycle=cycle, by=slk, reason="Demonstration")
    entry = _entries(cycle, "cycle.phase_closed_early").get()
    assert entry.actor == slk and entry.reason == "Demonstration"


def test_factories_do_not_pretend_to_be_the_admin():
    assert not AuditEntry.objects.filter(action__startswith="admin.").exists()
    factories.OrganisationFactory()
    assert not AuditEntry.objects.filter(action__startswith="admin.").exists()
