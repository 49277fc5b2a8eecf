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
