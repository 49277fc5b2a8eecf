"""The audit trail. Every service records what it changed, inside its own transaction."""

import datetime as dt
import re

from django.contrib.contenttypes.models import ContentType
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from award import request_memo
from award.audit_actions import AuditAction
from award.models import TIMELINE_FIELDS, AuditEntry, AwardCycle


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
    request_memo.forget()  # a change: what this request remembered may no longer hold
    return entry


def entries_for(target):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
    ).select_related("actor")


# django.contrib.admin.models.LogEntry.action_flag: 1 addition, 2 change, 3 deletion.
ADMIN_ACTIONS = {1: AuditAction.ADMIN_ADD, 2: AuditAction.ADMIN_CHANGE, 3: AuditAction.ADMIN_DELETE}
IMPORT_ACTIONS = {1: AuditAction.IMPORT_ADD, 2: AuditAction.IMPORT_CHANGE}


def mirror_admin_log(sender, instance, created, **kwargs):
    """Every write through the admin (imports included: django-import-export logs each row
    there) also lands in the audit trail, with who, what and the admin's change message."""
    if not created:
        return
    AuditEntry.objects.create(
        at=instance.action_time,
        actor_id=instance.user_id,
        action=ADMIN_ACTIONS.get(instance.action_flag, AuditAction.ADMIN_OTHER),
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
            action=IMPORT_ACTIONS.get(action_flag, AuditAction.ADMIN_OTHER),
            content_type=ContentType.objects.get_for_model(instance),
            object_id=str(instance.pk)[:64],
            object_repr=str(instance)[:300],
            changes={"admin": "import"},
        )
        for instance in instances
        if instance.pk is not None
    )


# The Swedish name of every action, from each app's AuditAction (its audit_actions.py), which
# the app registers in its ready(): the award app names none of the later apps' actions, and
# a log (the cycle's page, an application's history, the cycle report) asks action_label.
_ACTION_LABELS: dict[str, str] = {}


def register_actions(actions) -> None:
    """Make an app's AuditAction (a TextChoices) known to action_label."""
    for action in actions:
        _ACTION_LABELS[action.value] = action.label


register_actions(AuditAction)


def action_label(action: str) -> str:
    """The Swedish name of an action in a log (the action's own name if it has none)."""
    return str(_ACTION_LABELS.get(action, action))


_CHANGE_LABELS = {
    "member": gettext_lazy("ledamot"),
    "chair": gettext_lazy("ordförande"),
    "from_year": gettext_lazy("kopierad från"),
    "team": gettext_lazy("lag"),
    "teams": gettext_lazy("antal lag"),
    "unplaced": gettext_lazy("bidrag utan lag"),
    "kind": gettext_lazy("möte"),
    "date": gettext_lazy("datum"),
    "present": gettext_lazy("närvarande"),
    "target": gettext_lazy("gäller"),
    "admin": gettext_lazy("ändring"),
}
_MEETING_KINDS = {
    "shortlisting": gettext_lazy("första domarmötet"),
    "final": gettext_lazy("slutligt domarmöte"),
}
# Changes recorded as [old, new].
_PAIRS = {*TIMELINE_FIELDS, "chair"}


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _value(key: str, value) -> str:
    if isinstance(value, bool):
        return _("ja") if value else _("nej")
    if key == "kind" and value in _MEETING_KINDS:
        return str(_MEETING_KINDS[value])
    if isinstance(value, list):
        return ", ".join(_value(key, item) for item in value) or "–"
    if isinstance(value, str) and _ISO_DATE.fullmatch(value):
        return date_format(dt.date.fromisoformat(value))  # dates are stored ISO, shown Swedish
    return str(value)


def cycle_change_lines(changes: dict) -> list[str]:
    """A cycle log entry's changes, one Swedish line each, the dates of the timeline first
    in its order: a date by its name, "old → new"; the other apps' details by a Swedish name."""
    # In a fixed order: PostgreSQL's jsonb keeps keys in its own order, SQLite as written.
    order = [*TIMELINE_FIELDS, *_CHANGE_LABELS]
    keys = sorted(changes or {}, key=lambda key: (order.index(key) if key in order else len(order), key))
    lines = []
    for key, value in ((key, changes[key]) for key in keys):
        if key in TIMELINE_FIELDS:
            label = str(AwardCycle._meta.get_field(key).verbose_name)
        else:
            label = str(_CHANGE_LABELS.get(key, key))
        if key in _PAIRS and isinstance(value, list) and len(value) == 2:
            text = f"{_value(key, value[0])} → {_value(key, value[1])}"
        else:
            text = _value(key, value)
        lines.append(f"{label[:1].upper()}{label[1:]}: {text}")
    return lines
