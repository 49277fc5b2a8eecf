"""The audit trail. Every service records what it changed, inside its own transaction."""

from django.contrib.contenttypes.models import ContentType

from award.models import AuditEntry


def record(*, actor, action: str, target=None, changes: dict | None = None, reason: str = "") -> AuditEntry:
    entry = AuditEntry(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        changes=changes or {},
        reason=reason,
    )
    if target is not None:
        entry.content_type = ContentType.objects.get_for_model(target)
        entry.object_id = str(target.pk)
        entry.object_repr = str(target)[:300]
    entry.save()
    return entry


def entries_for(target):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
    ).select_related("actor")


ADMIN_ACTIONS = {1: "admin.add", 2: "admin.change", 3: "admin.delete"}


def mirror_admin_log(sender, instance, created, **kwargs):
    """Every write through the admin (imports included: django-import-export logs each row
    there) also lands in the audit trail, with who, what and the admin's change message."""
    if not created:
        return
    AuditEntry.objects.create(
        at=instance.action_time,
        actor_id=instance.user_id,
        action=ADMIN_ACTIONS.get(instance.action_flag, "admin.other"),
        content_type_id=instance.content_type_id,
        object_id=str(instance.object_id or "")[:64],
        object_repr=(instance.object_repr or "")[:300],
        changes={"admin": str(instance.get_change_message())},
    )


def record_import(*, user_id, instances, action_flag) -> None:
    """Audit the rows of an admin import. django-import-export bulk-creates its admin log
    entries for several rows, which sends no signal to `mirror_admin_log`."""
    AuditEntry.objects.bulk_create(
        AuditEntry(
            actor_id=user_id,
            action=f"import.{ADMIN_ACTIONS.get(action_flag, 'admin.other').split('.')[1]}",
            content_type=ContentType.objects.get_for_model(instance),
            object_id=str(instance.pk)[:64],
            object_repr=str(instance)[:300],
            changes={"admin": "import"},
        )
        for instance in instances
        if instance.pk is not None
    )
