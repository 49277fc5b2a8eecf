"""Read helpers of the accounts app."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Invitation, token_digest
from award.models import AwardCycle, CommitteeMembership, Unit
from award.roles import GROUP_NAMES, Role
from examiners.models import Enrolment, PoolMember, TeamMember


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("unit", "invited_by").filter(token_hash=token_digest(token)).first()
    )


def invitation_problem(invitation: Invitation | None, user=None) -> str:
    """Why this link cannot be used by this person (empty when it can): unknown, used,
    revoked, expired, or meant for another address than the logged-in person's."""
    if invitation is None:
        return _("Länken är inte giltig. Kontrollera att du har kopierat hela adressen.")
    if invitation.is_accepted:
        return _(
            "Inbjudan är redan använd. Logga in med ditt konto, eller be stadsledningskontoret om en ny inbjudan."
        )
    if invitation.is_revoked:
        return _("Inbjudan är återkallad.")
    if invitation.is_expired:
        return _("Inbjudan gällde till %(date)s och har gått ut.") % {
            "date": invitation.expires_at.date().isoformat()
        }
    if (
        user is not None
        and user.is_authenticated
        and (user.email or "").casefold() != invitation.email.casefold()
    ):
        return _(
            "Inbjudan gäller %(email)s, men du är inloggad som %(user)s. Logga ut och öppna länken igen."
        ) % {"email": invitation.email, "user": user.get_username()}
    return ""


# --- SLK's people page -------------------------------------------------------------------

PEOPLE_SORTS = {
    "namn": ("last_name", "first_name", "username"),
    "-namn": ("-last_name", "-first_name", "-username"),
    "epost": ("email", "username"),
    "inloggad": ("last_login", "username"),
    "-inloggad": ("-last_login", "username"),
}


@dataclass(frozen=True)
class PeopleFilter:
    """What the people page is filtered and sorted by (its GET form, checked)."""

    q: str = ""
    role: str = ""  # a Role value, or "none" for people with no role
    unit: int | None = None
    active: str = ""  # "yes", "no" or "" for both
    two_factor: str = ""  # "on", "off" or ""
    sort: str = "namn"


def people(flt: PeopleFilter):
    """Everyone matching the filter, sorted, with what the people page shows loaded in a
    fixed number of queries whatever the number of people: `role_list` (their roles),
    `units` (the units they are a contact of), `committee_memberships` (with cycle),
    `has_two_factor`, `pending_invitations` (a count), and, via the current cycle's pool,
    `current_pool` (a list of zero or one PoolMember with teams and training loaded).
    The returned queryset is lazy; slice it for a page."""
    User = get_user_model()
    users = User.objects.all()
    if flt.q:
        for word in flt.q.split():
            users = users.filter(
                Q(first_name__icontains=word)
                | Q(last_name__icontains=word)
                | Q(username__icontains=word)
                | Q(email__icontains=word)
            )
    if flt.role == "none":
        users = users.filter(groups__isnull=True, is_superuser=False)
    elif flt.role:
        role = Role(flt.role)
        in_group = Q(groups__name=GROUP_NAMES[role])
        users = users.filter(in_group | Q(is_superuser=True) if role == Role.SLK else in_group)
    if flt.unit:
        users = users.filter(units__pk=flt.unit)
    if flt.active == "yes":
        users = users.filter(is_active=True)
    elif flt.active == "no":
        users = users.filter(is_active=False)
    devices = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    users = users.annotate(has_two_factor=Exists(devices))
    if flt.two_factor == "on":
        users = users.filter(has_two_factor=True)
    elif flt.two_factor == "off":
        users = users.filter(has_two_factor=False)
    waiting = (
        Invitation.objects.pending()
        .filter(email__iexact=OuterRef("email"))
        .order_by()
        .values("email")
        .annotate(n=Count("pk"))
        .values("n")
    )
    users = users.annotate(pending_invitations=Coalesce(Subquery(waiting[:1]), 0))
    cycle = AwardCycle.objects.current()
    pool = PoolMember.objects.none()
    if cycle is not None:
        pool = (
            PoolMember.objects.filter(cycle=cycle)
            .select_related("cycle", "profile")
            .prefetch_related(
                Prefetch("teams", queryset=TeamMember.objects.select_related("team__track")),
                Prefetch(
                    "enrolments",
                    queryset=Enrolment.objects.select_related("session").prefetch_related(
                        "session__days", "attendance"
                    ),
                ),
                "practice_assessments",
            )
        )
    order = PEOPLE_SORTS.get(flt.sort, PEOPLE_SORTS["namn"])
    return (
        users.distinct()
        .order_by(*order)
        .prefetch_related(
            "groups",
            Prefetch("units", queryset=Unit.objects.order_by("name")),
            Prefetch(
                "committee_memberships",
                queryset=CommitteeMembership.objects.select_related("cycle").order_by("-cycle__year"),
            ),
            Prefetch("examiner_profile__memberships", queryset=pool, to_attr="current_pool"),
        )
    )


def role_list(user) -> list[str]:
    """The names of a person's roles, from prefetched groups (no query)."""
    names = {name: role for role, name in GROUP_NAMES.items()}
    roles = {names[g.name] for g in user.groups.all() if g.name in names}
    if user.is_superuser:
        roles.add(Role.SLK)
    return [role.label for role in Role if role in roles]


def current_pool_member(user):
    """The person's place in the current cycle's pool, from people()'s prefetch."""
    try:
        profile = user.examiner_profile
    except ObjectDoesNotExist:
        return None
    found = getattr(profile, "current_pool", None) or []
    return found[0] if found else None


def pending_invitations_without_account(q: str = ""):
    """Invitations still waiting whose address has no account yet: people on their way in."""
    User = get_user_model()
    found = (
        Invitation.objects.pending()
        .exclude(email__in=User.objects.values("email"))
        .select_related("unit", "invited_by")
        .order_by("expires_at")
    )
    for word in q.split():
        found = found.filter(Q(name__icontains=word) | Q(email__icontains=word))
    return found


def email_domain_allowed(email: str) -> bool:
    """Whether the address is in one of AWARD_VOLUNTEER_EMAIL_DOMAINS (or a subdomain)."""
    domain = email.rpartition("@")[2].casefold()
    return any(
        domain == allowed.casefold() or domain.endswith("." + allowed.casefold())
        for allowed in settings.VOLUNTEER_EMAIL_DOMAINS
    )


def open_role_requests():
    """Requests for a role made at single sign-on, waiting for SLK."""
    from accounts.models import RoleRequest

    return RoleRequest.objects.open().select_related("unit")
