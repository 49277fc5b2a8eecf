"""Personal data of one person (for SLK): everything the platform holds about them as one
JSON-able document, and anonymisation of someone who has left.

This module holds the account, the audit trail and the object permissions; every app
above award adds what it holds through the provider it registers in its ready()
(award.personal.providers), since award may not import them. The export asks each
provider for its sections, the refusals for its reasons, and the anonymisation runs each
provider's part inside its one transaction.

Anonymising keeps every record (applications, assessments, consensus, decisions, the
audit trail) so past cycles stay whole; it only removes who the person was:

- name, user name and e-mail become a stable pseudonym built from the id
  (“Anonymiserad användare 123”), the password becomes unusable, the account inactive
  and without staff or superuser rights;
- the person leaves every group (role), every unit's contacts, loses their model and
  object permissions;
- free text about them is cleared: job title and employer on the examiner profile, the
  availability note on their pool memberships;
- the old name, user name and e-mail are replaced by the pseudonym wherever they were
  written into other text (the audit trail's object names, changes and reasons, teams'
  reasons and flags, site-visit participants, the admin log…): every text and JSON column
  of every model is searched.

It is refused for someone in a team or on the judging committee of a cycle that has not
yet reached its decision (the phase “Beslut fattat, utdelning”): SLK first takes them off
the team, which moves their work to someone else through the usual service. It is also
refused for oneself. The audit trail records the anonymisation with the pseudonym only.
"""

import json
import re

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.models import UserObjectPermission, UserObjectPermissionBase

from award import audit
from award.audit_actions import AuditAction
from award.models import AuditEntry, BackgroundJob, Phase, Unit
from award.personal import providers
from award.personal.providers import Section, iso
from award.roles import GROUP_NAMES, Role, require_role

DECIDED_PHASES = {Phase.AWARDED, Phase.FEEDBACK}

# award's models that refer to a person, answered for here: the units they are a contact
# of, the audit trail and the background jobs they started (files kept a day). The
# committee's seats are judging's provider's (see there), and guardian's permission tables
# (permission_models) come on top.
ACCOUNT_MODELS = (Unit, AuditEntry, BackgroundJob)


def pseudonym(user) -> str:
    return f"Anonymiserad användare {user.pk}"


def is_anonymised(user) -> bool:
    return user.username == f"anonymiserad-{user.pk}"


def search(query: str, limit: int = 50):
    """People whose user name, name or e-mail contains every word of the query."""
    users = get_user_model().objects.all()
    for word in query.split():
        users = users.filter(
            models.Q(username__icontains=word)
            | models.Q(first_name__icontains=word)
            | models.Q(last_name__icontains=word)
            | models.Q(email__icontains=word)
        )
    return users.order_by("last_name", "first_name", "username")[:limit]


# --- Export ----------------------------------------------------------------------------


def sections(user) -> list[Section]:
    """Everything the platform holds about `user`, section by section, in the order of the
    page: the account, then each app's provider in the order of the chain, then the audit
    trail and the object permissions, which span every app."""
    group_roles = {name: role for role, name in GROUP_NAMES.items()}
    groups = list(user.groups.order_by("name").values_list("name", flat=True))
    account = [
        Section(
            "user",
            None,
            {
                "id": user.pk,
                "username": user.username,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "email": user.email,
                "is_active": user.is_active,
                "is_staff": user.is_staff,
                "is_superuser": user.is_superuser,
                "date_joined": iso(user.date_joined),
                "last_login": iso(user.last_login),
                "has_usable_password": user.has_usable_password(),
                "anonymised": is_anonymised(user),
            },
        ),
        Section("roles", _("Roller"), [str(Role(group_roles[g]).label) for g in groups if g in group_roles]),
        Section("groups", None, groups),
        Section(
            "units_as_contact",
            _("Kontaktperson för enheter"),
            [
                {"code": u.code, "name": u.name, "organisation": u.organisation.name}
                for u in user.units.select_related("organisation").order_by("code")
            ],
        ),
    ]
    account.append(
        Section(
            "background_jobs",
            _("Bakgrundsarbeten personen har beställt"),
            [
                {"kind": job.kind, "status": job.status, "created_at": iso(job.created_at)}
                for job in BackgroundJob.objects.filter(requested_by=user).order_by("created_at", "pk")
            ],
        )
    )
    from_apps = [section for provider in providers.registered() for section in provider.export(user)]

    # The audit trail: what they did, and what was done to their account.
    user_type = ContentType.objects.get_for_model(user)
    trail = [
        Section(
            "audit_entries_as_actor",
            _("Logghändelser utförda av personen"),
            [_audit_row(e) for e in AuditEntry.objects.filter(actor=user)],
        ),
        Section(
            "audit_entries_about_account",
            _("Logghändelser om kontot"),
            [
                _audit_row(e)
                for e in AuditEntry.objects.filter(content_type=user_type, object_id=str(user.pk))
            ],
        ),
        Section("object_permissions", _("Behörigheter till enskilda objekt"), _object_permissions(user)),
    ]
    return account + from_apps + trail


def export(user) -> dict:
    """Everything the platform holds about `user`, as plain JSON-able data."""
    return {"exported_at": timezone.now().isoformat()} | {s.key: s.data for s in sections(user)}


def permission_models() -> list[type[models.Model]]:
    """Every table of guardian's per-object user permissions: its generic one and each
    app's direct one (the applications' ApplicationUserObjectPermission)."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, UserObjectPermissionBase) and not model._meta.abstract
    ]


def answered_models() -> set[type[models.Model]]:
    """Every model whose rows about a person the export and the anonymisation answer for:
    this module's, guardian's permission tables and each registered provider's."""
    return {*ACCOUNT_MODELS, *permission_models(), *(m for p in providers.registered() for m in p.models)}


def _object_permissions(user) -> list[str]:
    # The generic table names the object by its content type and primary key; a direct
    # table by its foreign key, in its own app.
    held = {
        f"{p.content_type.app_label}.{p.permission.codename} #{p.object_pk}"
        for p in UserObjectPermission.objects.filter(user=user).select_related("permission", "content_type")
    }
    for model in permission_models():
        if model is not UserObjectPermission:
            held |= {
                f"{model._meta.app_label}.{p.permission.codename} #{p.content_object_id}"
                for p in model.objects.filter(user=user).select_related("permission")
            }
    return sorted(held)


def _audit_row(entry) -> dict:
    return {
        "at": iso(entry.at),
        "action": entry.action,
        "object": entry.object_repr,
        "changes": entry.changes,
        "reason": entry.reason,
    }


def export_json(user) -> str:
    return json.dumps(export(user), ensure_ascii=False, indent=2, default=str)


# --- Anonymisation ------------------------------------------------------------------------


def anonymise_refusals(user, *, by=None) -> list[str]:
    """Why `user` cannot be anonymised now (empty when they can): one's own account, an
    account already anonymised, and each app's reasons (a team or a committee seat in a
    cycle not yet decided)."""
    reasons = []
    if by is not None and by.pk == user.pk:
        reasons.append(_("Du kan inte anonymisera dig själv."))
    if is_anonymised(user):
        reasons.append(_("Personen är redan anonymiserad."))
    for provider in providers.registered():
        reasons.extend(provider.refusals(user))
    return reasons


def _identifiers(user) -> list[tuple[re.Pattern, str]]:
    """(pattern, replacement) for each way the person's identity is written in text."""
    name = pseudonym(user)
    patterns = []
    candidates = {user.get_full_name().strip(), user.email.strip(), user.username.strip()}
    for value in sorted((v for v in candidates if len(v) >= 3), key=len, reverse=True):
        patterns.append((re.compile(r"(?<![\w@.])" + re.escape(value) + r"(?![\w@])", re.IGNORECASE), name))
    return patterns


def _scrub_value(value, patterns):
    if isinstance(value, str):
        for pattern, replacement in patterns:
            value = pattern.sub(replacement, value)
        return value
    if isinstance(value, list):
        return [_scrub_value(v, patterns) for v in value]
    if isinstance(value, dict):
        return {_scrub_value(k, patterns): _scrub_value(v, patterns) for k, v in value.items()}
    return value


def _text_fields(model):
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField) and not f.primary_key
    ]


def _scrub_everywhere(user, needles: list[str], patterns) -> int:
    """Replace the person's identifiers in every text and JSON column of every model other
    than the user itself. Rows are updated with `update()`, so no `auto_now` moves."""
    skip = {get_user_model(), ContentType, Permission, Session}
    changed = 0
    for model in apps.get_models():
        if model in skip or model._meta.proxy or not model._meta.managed:
            continue
        for field in _text_fields(model):
            column = field.name
            query = models.Q()
            queryset = model._base_manager.all()
            if isinstance(field, models.JSONField):
                queryset = queryset.annotate(_scrub_text=Cast(column, models.TextField()))
                column = "_scrub_text"
            for needle in needles:
                query |= models.Q(**{f"{column}__icontains": needle})
                escaped = json.dumps(needle)[1:-1]
                if escaped != needle:
                    query |= models.Q(**{f"{column}__icontains": escaped})
            for pk, value in queryset.filter(query).values_list("pk", field.name):
                new = _scrub_value(value, patterns)
                if new != value:
                    model._base_manager.filter(pk=pk).update(**{field.name: new})
                    changed += 1
    return changed


@transaction.atomic
def anonymise(*, user, by) -> dict:
    """Anonymise a person who has left (see the module's description), in one transaction
    with every app's provider. Returns a summary."""
    require_role(by, Role.SLK)
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    refusals = anonymise_refusals(user, by=by)
    if refusals:
        raise ValidationError(refusals)
    if user.is_superuser and not by.is_superuser:
        raise PermissionDenied(_("Bara en superanvändare kan anonymisera en superanvändare."))

    patterns = _identifiers(user)
    needles = [
        v for v in {user.get_full_name().strip(), user.email.strip(), user.username.strip()} if len(v) >= 3
    ]
    name = pseudonym(user)
    summary = {
        "groups_removed": sorted(user.groups.values_list("name", flat=True)),
        "units_removed": sorted(user.units.values_list("code", flat=True)),
    }
    user.groups.clear()
    user.units.clear()
    user.user_permissions.clear()
    summary["object_permissions_removed"] = sum(
        model.objects.filter(user=user).delete()[0] for model in permission_models()
    )
    # Their background jobs are downloads kept for a day: gone with their files.
    jobs = BackgroundJob.objects.filter(requested_by=user)
    for job in jobs.exclude(file=""):
        job.file.delete(save=False)
    summary["background_jobs_removed"] = jobs.delete()[0]
    cleared_by_apps = []
    for provider in providers.registered():
        summary.update(provider.anonymise(user, by=by))
        cleared_by_apps.extend(provider.cleared)
    summary["texts_replaced"] = _scrub_everywhere(user, needles, patterns)

    user.username = f"anonymiserad-{user.pk}"
    user.first_name = "Anonymiserad"
    user.last_name = f"användare {user.pk}"
    user.email = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.set_unusable_password()
    user.save()
    user.__dict__.pop("_award_roles", None)

    audit.record(
        actor=by,
        action=AuditAction.USER_ANONYMISE,
        target=user,
        changes={
            "pseudonym": name,
            "cleared": [
                "username",
                "first_name",
                "last_name",
                "email",
                "password",
                "groups",
                "units",
                "permissions",
                *cleared_by_apps,
            ],
            **summary,
        },
        reason=_("Personen har lämnat; personuppgifterna är anonymiserade."),
    )
    return summary
