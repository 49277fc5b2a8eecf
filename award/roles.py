"""The four roles of the platform, kept as Django groups.

A role says what kind of work a person does; what they may see of a particular
application is decided by per-object permissions (django-guardian), granted in services.
"""

from functools import wraps

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SLK = "slk", _("SLK-administratör")
    COMMITTEE = "committee", _("Domarkommitté")
    EXAMINER = "examiner", _("Examinator")
    UNIT_CONTACT = "unit_contact", _("Enhetskontakt")


# Group names are stored in the database; they are Swedish because SLK sees them in the admin.
GROUP_NAMES = {
    Role.SLK: "SLK-administratörer",
    Role.COMMITTEE: "Domarkommitté",
    Role.EXAMINER: "Examinatorer",
    Role.UNIT_CONTACT: "Enhetskontakter",
}

# SLK administrators manage everything of the award in the admin, but never hold the
# permission to edit users' permissions or groups (that stays with superusers).
SLK_APP_LABELS = ["award", "submissions", "examiners", "scoring", "judging", "evaluation"]
SLK_EXCLUDED_CODENAMES = {"delete_auditentry", "change_auditentry", "add_auditentry"}


def group_for(role: Role) -> Group:
    group, _created = Group.objects.get_or_create(name=GROUP_NAMES[role])
    return group


def sync_role_groups(**kwargs):
    """Create the role groups and give SLK its model permissions. Runs after every migrate,
    so a new model's permissions reach SLK without a manual step. It runs on the award
    app's post_migrate, before Django has created the permissions of the apps listed after
    it in INSTALLED_APPS, so it creates those of SLK_APP_LABELS first."""
    for label in SLK_APP_LABELS:
        create_permissions(apps.get_app_config(label), verbosity=0)
    for role in Role:
        group_for(role)
    slk = group_for(Role.SLK)
    perms = Permission.objects.filter(content_type__app_label__in=SLK_APP_LABELS).exclude(
        codename__in=SLK_EXCLUDED_CODENAMES
    )
    slk.permissions.add(*perms)


def roles_of(user) -> frozenset[Role]:
    """The user's roles, cached on the user object for the request."""
    if not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_award_roles", None)
    if cached is None:
        names = {name: role for role, name in GROUP_NAMES.items()}
        cached = frozenset(names[g] for g in user.groups.values_list("name", flat=True) if g in names)
        if user.is_superuser:
            cached = cached | {Role.SLK}
        user._award_roles = cached
    return cached


def has_role(user, *roles: Role) -> bool:
    return bool(roles_of(user) & set(roles))


def add_role(user, role: Role) -> None:
    user.groups.add(group_for(role))
    user.__dict__.pop("_award_roles", None)


def remove_role(user, role: Role) -> None:
    user.groups.remove(group_for(role))
    user.__dict__.pop("_award_roles", None)


def role_required(*roles: Role):
    """View decorator: the user must hold one of the roles, otherwise 403."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def require_role(user, *roles: Role) -> None:
    """Service guard: refuse with a Swedish message unless the user holds one of the roles."""
    if not has_role(user, *roles):
        if roles == (Role.SLK,):
            raise PermissionDenied(_("Bara stadsledningskontoret kan göra detta."))
        raise PermissionDenied(_("Du har inte behörighet att göra detta."))
