"""Every change of the accounts app: password-reset requests, invitations, two-factor
devices, deactivation and roles. One function per use case, atomic, audited; mail leaves
after commit (award.notify)."""

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import queries
from accounts.audit_actions import AuditAction
from accounts.models import Invitation, RoleRequest, ThrottleHit, VolunteerRequest, token_digest
from award import audit
from award import services as award_services
from award.models import Unit
from award.notify import mail_after_commit
from award.roles import Role, add_role, has_role, remove_role, require_role
from examiners import services as examiner_services
from submissions import queries as submission_queries
from submissions.services import unit_contacts_set

RECOVERY_CODE_COUNT = 10
THROTTLE_WINDOW = dt.timedelta(hours=1)


def _digest(value: str) -> str:
    return hashlib.sha256(value.strip().casefold().encode()).hexdigest()


def _count_and_check(scope, key: str, limit: int) -> bool:
    """Counts one request; False when the limit for the last hour was already reached."""
    since = timezone.now() - THROTTLE_WINDOW
    ThrottleHit.objects.filter(scope=scope, at__lt=since).delete()
    allowed = ThrottleHit.objects.filter(scope=scope, key=key, at__gte=since).count() < limit
    ThrottleHit.objects.create(scope=scope, key=key)
    return allowed


# --- "Glömt lösenordet?" -----------------------------------------------------------------


@transaction.atomic
def password_reset_request(*, email: str, client: str, base_url: str) -> bool:
    """A reset link for each active account with this address, by e-mail after commit.
    Counted per address and per client whether or not an account exists; False (nothing
    sent) when either limit of the last hour is reached. The caller answers the same way
    whether or not anything was sent."""
    by_address = _count_and_check(
        ThrottleHit.Scope.RESET_ADDRESS, _digest(email), settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
    )
    by_client = _count_and_check(
        ThrottleHit.Scope.RESET_CLIENT, _digest(client or "-"), settings.PASSWORD_RESET_LIMIT_PER_CLIENT
    )
    if not (by_address and by_client):
        return False
    for user in get_user_model().objects.filter(email__iexact=email.strip(), is_active=True):
        if not user.has_usable_password():
            continue
        path = reverse(
            "accounts:password_reset_confirm",
            kwargs={
                "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
                "token": default_token_generator.make_token(user),
            },
        )
        mail_after_commit(
            subject=_("Återställ ditt lösenord till Kvalitetsutmärkelsen"),
            template="accounts/email/password_reset.txt",
            context={
                "user": user,
                "link": base_url.rstrip("/") + path,
                "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
            },
            recipients=[user.email],
            reason=_("Återställning av lösenord"),
        )
        audit.record(actor=None, action=AuditAction.PASSWORD_RESET_ASKED, target=user)
    return True


# --- invitations -------------------------------------------------------------------------


def _invitation_refusals(*, kind, email: str, unit: Unit | None, by) -> list[str]:
    refusals = []
    if kind == Invitation.Kind.UNIT_CONTACT:
        if unit is None:
            return [_("Ange vilken enhet inbjudan gäller.")]
        if not has_role(by, Role.SLK):
            if not submission_queries.is_unit_head(by, unit):
                return [_("Bara stadsledningskontoret eller enhetens chef kan bjuda in kontaktpersoner.")]
            waiting = unit.invitations.pending().count()
            if unit.contacts.count() + waiting >= 2:
                refusals.append(
                    _("Enheten %(unit)s har redan två kontaktpersoner (eller en inbjudan som väntar).")
                    % {"unit": unit.name}
                )
        if unit.contacts.filter(email__iexact=email).exists():
            refusals.append(
                _("%(email)s är redan kontaktperson för %(unit)s.") % {"email": email, "unit": unit.name}
            )
        if unit.invitations.pending().filter(email__iexact=email).exists():
            refusals.append(
                _("En inbjudan till %(email)s för %(unit)s väntar redan på svar.")
                % {"email": email, "unit": unit.name}
            )
    else:
        require_role(by, Role.SLK)
    return refusals


@transaction.atomic
def invitation_send(
    *, kind, email: str, name: str, unit: Unit | None = None, by, base_url: str
) -> Invitation:
    """Invite one person by e-mail: a single-use link valid AWARD_INVITATION_DAYS days.
    SLK invites anyone; a unit's head may invite a second contact for their own unit."""
    email = email.strip()
    refusals = _invitation_refusals(kind=kind, email=email, unit=unit, by=by)
    if refusals:
        raise ValidationError(refusals)
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        kind=kind,
        email=email,
        name=name.strip(),
        unit=unit,
        token_hash=token_digest(token),
        invited_by=by,
        expires_at=timezone.now() + dt.timedelta(days=settings.INVITATION_DAYS),
    )
    audit.record(
        actor=by,
        action=AuditAction.INVITATION_SEND,
        target=unit or invitation,
        changes={"email": email, "name": invitation.name, "kind": kind},
    )
    mail_after_commit(
        subject=_("Inbjudan till Kvalitetsutmärkelsen"),
        template="accounts/email/invitation.txt",
        context={
            "invitation": invitation,
            "link": base_url.rstrip("/") + reverse("accounts:invitation", kwargs={"token": token}),
            "days": settings.INVITATION_DAYS,
        },
        recipients=[email],
        key=f"invitation:{invitation.pk}",
        reason=_("Inbjudan"),
        related=invitation,
    )
    return invitation


@transaction.atomic
def invitations_import(*, rows, by, base_url: str) -> list[Invitation]:
    """Invite every row (unit, name, e-mail) of a checked list, or nobody: the first
    refusal names its row and nothing is sent."""
    require_role(by, Role.SLK)
    sent = []
    for number, (unit, name, email) in rows:
        try:
            sent.append(
                invitation_send(
                    kind=Invitation.Kind.UNIT_CONTACT,
                    email=email,
                    name=name,
                    unit=unit,
                    by=by,
                    base_url=base_url,
                )
            )
        except ValidationError as error:
            raise ValidationError(
                [
                    _("Rad %(row)s: %(reason)s") % {"row": number, "reason": message}
                    for message in error.messages
                ]
            ) from error
    return sent


@transaction.atomic
def invitation_revoke(*, invitation: Invitation, by) -> None:
    require_role(by, Role.SLK)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.is_accepted:
        raise ValidationError(_("Inbjudan är redan accepterad."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])
    audit.record(actor=by, action=AuditAction.INVITATION_REVOKE, target=invitation.unit or invitation)


def _grant(invitation: Invitation, user) -> None:
    if invitation.kind == Invitation.Kind.UNIT_CONTACT:
        unit = invitation.unit
        # Through the unit's one service, so the unit's applications' permissions follow;
        # on behalf of the person who invited.
        unit_contacts_set(unit=unit, contacts=[*unit.contacts.all(), user], by=invitation.invited_by)
    else:
        add_role(user, Role.EXAMINER)


@transaction.atomic
def invitation_accept(
    *, token: str, user=None, first_name: str = "", last_name: str = "", password: str = ""
):
    """Accept an invitation: the logged-in person whose address it is (`user`), or a new
    account for its address with the given password. Refused when the link is expired,
    used, revoked or someone else's. Returns the account."""
    from accounts.queries import invitation_problem

    invitation = Invitation.objects.select_for_update().filter(token_hash=token_digest(token)).first()
    problem = invitation_problem(invitation, user)
    if problem:
        raise ValidationError(problem)
    User = get_user_model()
    if user is None and invitation.person is not None and not invitation.person.has_usable_password():
        # The account SLK made when accepting an examiner volunteer: it gets its password now.
        user = invitation.person
        user.first_name, user.last_name = first_name or user.first_name, last_name or user.last_name
        user.set_password(password)
        user.save(update_fields=["first_name", "last_name", "password"])
    elif user is None:
        if User.objects.filter(email__iexact=invitation.email).exists():
            raise ValidationError(
                _("Det finns redan ett konto för %(email)s. Logga in först.") % {"email": invitation.email}
            )
        username = invitation.email.casefold()
        if User.objects.filter(username=username).exists():
            raise ValidationError(
                _("Det finns redan ett konto för %(email)s. Logga in först.") % {"email": invitation.email}
            )
        user = User(username=username, email=invitation.email, first_name=first_name, last_name=last_name)
        user.set_password(password)
        user.save()
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    _grant(invitation, user)
    audit.record(
        actor=user,
        action=AuditAction.INVITATION_ACCEPT,
        target=invitation.unit or invitation,
        changes={"email": invitation.email, "kind": invitation.kind},
    )
    return user


@transaction.atomic
def invitation_renewal_ask(*, token: str) -> None:
    """The person whose link no longer works asks SLK for a new one (once per invitation):
    SLK's administrators are e-mailed."""
    invitation = Invitation.objects.select_for_update().filter(token_hash=token_digest(token)).first()
    if invitation is None or invitation.is_accepted:
        return
    audit.record(
        actor=None, action=AuditAction.INVITATION_RENEWAL_ASKED, target=invitation.unit or invitation
    )
    slk = get_user_model().objects.filter(groups__name="SLK-administratörer", is_active=True)
    mail_after_commit(
        subject=_("Ny inbjudan begärd: %(name)s") % {"name": invitation.name},
        template="accounts/email/renewal_asked.txt",
        context={"invitation": invitation},
        recipients=[u.email for u in slk],
        key=f"invitation:{invitation.pk}:renewal",
        reason=_("En ny inbjudan begärdes"),
        related=invitation,
    )


# --- two-factor --------------------------------------------------------------------------


@transaction.atomic
def two_factor_enable(*, user, key: str, code: str) -> list[str]:
    """Confirm an authenticator app set up with `key` by one of its codes, and make a new
    set of one-time recovery codes (returned, shown once). Refused with a wrong code."""
    TOTPDevice.objects.filter(user=user).delete()
    # verify_token saves the device when the code is right; a refusal rolls it all back.
    device = TOTPDevice(user=user, key=key, name=_("Autentiseringsapp"), confirmed=True)
    if not device.verify_token(code):
        raise ValidationError(
            _("Koden stämmer inte. Kontrollera att telefonens klocka går rätt och försök igen.")
        )
    codes = _new_recovery_codes(user)
    audit.record(actor=user, action=AuditAction.TWO_FACTOR_ENABLE, target=user)
    return codes


def _new_recovery_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name=_("Reservkoder"), confirmed=True)
    codes = [secrets.token_hex(5) for _i in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=static, token=code) for code in codes)
    return codes


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        raise ValidationError(_("Slå på tvåstegsverifiering först."))
    return _new_recovery_codes(user)


@transaction.atomic
def two_factor_verify(*, user, code: str) -> str:
    """Which factor the code passed ("totp" or "recovery"), or "" when none: a wrong code
    counts towards django-otp's growing delay, so it is not raised (which would roll the
    count back). A recovery code works once."""
    code = "".join(code.split())
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code):
            return "totp"
    for device in StaticDevice.objects.filter(user=user, confirmed=True):
        if device.verify_token(code.lower()):
            audit.record(actor=user, action=AuditAction.TWO_FACTOR_RECOVERY_USED, target=user)
            return "recovery"
    return ""


@transaction.atomic
def two_factor_disable(*, person, by, reason: str = "") -> None:
    """Remove a person's second factor: themselves when it is optional for them, or SLK
    (a lost phone; they set it up again at their next login)."""
    from accounts.twofactor import second_factor_required

    if by != person:
        require_role(by, Role.SLK)
        if not reason.strip():
            raise ValidationError(_("Ange ett skäl."))
    elif second_factor_required(person):
        raise ValidationError(_("Din roll kräver tvåstegsverifiering; den kan inte stängas av."))
    TOTPDevice.objects.filter(user=person).delete()
    StaticDevice.objects.filter(user=person).delete()
    audit.record(actor=by, action=AuditAction.TWO_FACTOR_DISABLE, target=person, reason=reason)


# --- leaving -----------------------------------------------------------------------------


def _end_sessions(user) -> int:
    ended = 0
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user.pk):
            session.delete()
            ended += 1
    return ended


@transaction.atomic
def person_deactivate(*, person, by, reason: str) -> None:
    """The person can no longer log in, and every open session of theirs ends now (their
    next request is anonymous). Their past work stays attributed to them."""
    require_role(by, Role.SLK)
    if not reason.strip():
        raise ValidationError(_("Ange ett skäl."))
    if person == by:
        raise ValidationError(_("Du kan inte stänga av ditt eget konto."))
    User = get_user_model()
    User.objects.filter(pk=person.pk).update(is_active=False)
    ended = _end_sessions(person)
    Invitation.objects.pending().filter(email__iexact=person.email).update(revoked_at=timezone.now())
    audit.record(
        actor=by,
        action=AuditAction.PERSON_DEACTIVATE,
        target=person,
        changes={"sessions_ended": ended},
        reason=reason,
    )


@transaction.atomic
def person_reactivate(*, person, by, reason: str) -> None:
    require_role(by, Role.SLK)
    if not reason.strip():
        raise ValidationError(_("Ange ett skäl."))
    get_user_model().objects.filter(pk=person.pk).update(is_active=True)
    audit.record(actor=by, action=AuditAction.PERSON_REACTIVATE, target=person, reason=reason)


# --- roles, from SLK's people page -------------------------------------------------------

#: The roles SLK grants directly; a unit contact is granted for a unit, a committee member
#: for a cycle, each through its own service below.
DIRECT_ROLES = (Role.SLK, Role.EXAMINER)


def _reason(reason: str) -> str:
    if not reason.strip():
        raise ValidationError(_("Ange ett skäl."))
    return reason.strip()


@transaction.atomic
def role_grant(*, person, role: Role, by, reason: str) -> None:
    """SLK gives a person the SLK administrator or examiner role, with a reason."""
    require_role(by, Role.SLK)
    reason = _reason(reason)
    if role not in DIRECT_ROLES:
        raise ValidationError(_("Den rollen ges genom en enhet eller en omgångs domarkommitté."))
    if not person.is_active:
        raise ValidationError(_("Kontot är avstängt. Aktivera det först."))
    if has_role(person, role):
        raise ValidationError(
            _("%(name)s har redan rollen %(role)s.") % {"name": _person_name(person), "role": role.label}
        )
    add_role(person, role)
    audit.record(
        actor=by, action=AuditAction.ROLE_GRANT, target=person, changes={"role": role.value}, reason=reason
    )


@transaction.atomic
def role_remove(*, person, role: Role, by, reason: str) -> None:
    """SLK takes the SLK administrator or examiner role from a person, with a reason. An
    examiner keeps their place in past teams; their work stays in their name."""
    require_role(by, Role.SLK)
    reason = _reason(reason)
    if role not in DIRECT_ROLES:
        raise ValidationError(_("Den rollen tas bort genom en enhet eller en omgångs domarkommitté."))
    if role == Role.SLK and person == by:
        raise ValidationError(_("Du kan inte ta bort din egen administratörsroll."))
    if role == Role.SLK and person.is_superuser:
        raise ValidationError(_("Personen är superanvändare; det ändras bara i administrationen."))
    if not has_role(person, role):
        raise ValidationError(
            _("%(name)s har inte rollen %(role)s.") % {"name": _person_name(person), "role": role.label}
        )
    remove_role(person, role)
    audit.record(
        actor=by, action=AuditAction.ROLE_REMOVE, target=person, changes={"role": role.value}, reason=reason
    )


def _person_name(person) -> str:
    return person.get_full_name() or person.get_username()


@transaction.atomic
def unit_contact_add(*, person, unit: Unit, by, reason: str) -> None:
    """SLK makes a person a contact of a unit: through unit_contacts_set, so the unit's
    applications' permissions are granted in the same transaction."""
    require_role(by, Role.SLK)
    reason = _reason(reason)
    if not person.is_active:
        raise ValidationError(_("Kontot är avstängt. Aktivera det först."))
    if unit.contacts.filter(pk=person.pk).exists():
        raise ValidationError(
            _("%(name)s är redan kontaktperson för %(unit)s.")
            % {"name": _person_name(person), "unit": unit.name}
        )
    unit_contacts_set(unit=unit, contacts=[*unit.contacts.all(), person], by=by)
    audit.record(
        actor=by,
        action=AuditAction.ROLE_GRANT,
        target=person,
        changes={"role": Role.UNIT_CONTACT.value, "unit": unit.code},
        reason=reason,
    )


@transaction.atomic
def unit_contact_remove(*, person, unit: Unit, by, reason: str) -> None:
    """SLK removes a person as a contact of a unit: their permissions on the unit's
    applications go at once (unit_contacts_set), and the role with their last unit."""
    require_role(by, Role.SLK)
    reason = _reason(reason)
    if not unit.contacts.filter(pk=person.pk).exists():
        raise ValidationError(
            _("%(name)s är inte kontaktperson för %(unit)s.")
            % {"name": _person_name(person), "unit": unit.name}
        )
    unit_contacts_set(unit=unit, contacts=unit.contacts.exclude(pk=person.pk), by=by)
    audit.record(
        actor=by,
        action=AuditAction.ROLE_REMOVE,
        target=person,
        changes={"role": Role.UNIT_CONTACT.value, "unit": unit.code},
        reason=reason,
    )


@transaction.atomic
def committee_seat(*, person, cycle, by, reason: str, is_chair: bool = False) -> None:
    """SLK seats a person on a cycle's judging committee (award.services), with a reason."""
    require_role(by, Role.SLK)
    reason = _reason(reason)
    if not person.is_active:
        raise ValidationError(_("Kontot är avstängt. Aktivera det först."))
    award_services.committee_member_add(cycle=cycle, user=person, by=by, is_chair=is_chair)
    audit.record(
        actor=by,
        action=AuditAction.ROLE_GRANT,
        target=person,
        changes={"role": Role.COMMITTEE.value, "cycle": cycle.year, "chair": is_chair},
        reason=reason,
    )


@transaction.atomic
def committee_unseat(*, membership, by, reason: str) -> None:
    """SLK takes a person off a cycle's committee (award.services.committee_member_remove):
    the cycle's committee pages are closed to them from their next request."""
    require_role(by, Role.SLK)
    reason = _reason(reason)
    person, year = membership.user, membership.cycle.year
    award_services.committee_member_remove(membership=membership, by=by)
    audit.record(
        actor=by,
        action=AuditAction.ROLE_REMOVE,
        target=person,
        changes={"role": Role.COMMITTEE.value, "cycle": year},
        reason=reason,
    )


# --- examiner volunteers without an account ------------------------------------------------


@transaction.atomic
def volunteer_request_submit(
    *,
    cycle,
    name: str,
    email: str,
    organisation,
    workplace: str,
    manager_name: str,
    client: str,
    base_url: str,
) -> bool:
    """Someone without an account offers to examine: the request is stored unconfirmed and
    a confirmation link goes to the address. Only the city's addresses (the setting); counted
    per address and per client like the password reset: False (nothing stored or sent) when
    a limit of the last hour is reached. An address with an account is answered the same way
    and told by e-mail to log in and volunteer from there."""
    email = email.strip()
    if not queries.email_domain_allowed(email):
        raise ValidationError(
            _("Använd din e-postadress i staden (%(domains)s).")
            % {"domains": ", ".join(settings.VOLUNTEER_EMAIL_DOMAINS)}
        )
    by_address = _count_and_check(
        ThrottleHit.Scope.VOLUNTEER_ADDRESS, _digest(email), settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
    )
    by_client = _count_and_check(
        ThrottleHit.Scope.VOLUNTEER_CLIENT, _digest(client or "-"), settings.PASSWORD_RESET_LIMIT_PER_CLIENT
    )
    if not (by_address and by_client):
        return False
    if get_user_model().objects.filter(email__iexact=email).exists():
        # The page answers as for any address (the e-mail says the rest), so the public
        # form never tells whether an address has an account, as the password reset does.
        mail_after_commit(
            subject=_("Din intresseanmälan till Kvalitetsutmärkelsen"),
            template="accounts/email/volunteer_has_account.txt",
            context={
                "name": name.strip(),
                "link": base_url.rstrip("/") + reverse("examiners:volunteer"),
            },
            recipients=[email],
            reason=_("Intresseanmälan från en adress med konto"),
        )
        return True
    token = secrets.token_urlsafe(32)
    request = VolunteerRequest.objects.create(
        cycle=cycle,
        name=name.strip(),
        email=email,
        organisation=organisation,
        workplace=workplace.strip(),
        manager_name=manager_name.strip(),
        token_hash=token_digest(token),
    )
    audit.record(actor=None, action=AuditAction.VOLUNTEER_REQUEST_SUBMIT, target=request)
    mail_after_commit(
        subject=_("Bekräfta din intresseanmälan till Kvalitetsutmärkelsen"),
        template="accounts/email/volunteer_confirm.txt",
        context={
            "volunteer": request,
            "link": base_url.rstrip("/") + reverse("examiners:volunteer_confirm", kwargs={"token": token}),
            "days": settings.INVITATION_DAYS,
        },
        recipients=[email],
        key=f"volunteer_request:{request.pk}:confirm",
        reason=_("Bekräfta intresseanmälan"),
        related=request,
    )
    return True


@transaction.atomic
def volunteer_request_confirm(*, token: str) -> VolunteerRequest:
    """The link of the confirmation e-mail: the request now waits for SLK in the pool.
    Confirming twice is harmless; an unknown or expired link is refused."""
    request = VolunteerRequest.objects.select_for_update().filter(token_hash=token_digest(token)).first()
    if request is None:
        raise ValidationError(_("Länken är inte giltig. Kontrollera att du har kopierat hela adressen."))
    if request.is_confirmed:
        return request
    if request.is_expired:
        raise ValidationError(_("Länken har gått ut. Skicka intresseanmälan igen."))
    request.confirmed_at = timezone.now()
    request.status = VolunteerRequest.Status.CONFIRMED
    request.save(update_fields=["confirmed_at", "status"])
    audit.record(actor=None, action=AuditAction.VOLUNTEER_REQUEST_CONFIRM, target=request)
    return request


def _split_name(name: str) -> tuple[str, str]:
    first, _sep, last = name.strip().partition(" ")
    return first, last


@transaction.atomic
def volunteer_request_accept(*, volunteer_request: VolunteerRequest, by, base_url: str) -> Invitation:
    """SLK accepts a confirmed volunteer: an account for their address (no password yet),
    the examiner role, an accepted place in the cycle's pool with what they wrote, and an
    invitation by e-mail whose link lets them choose a password."""
    require_role(by, Role.SLK)
    request = VolunteerRequest.objects.select_for_update().get(pk=volunteer_request.pk)
    if not request.is_waiting:
        raise ValidationError(_("Intresseanmälan är inte bekräftad eller redan beslutad."))
    User = get_user_model()
    if User.objects.filter(Q(email__iexact=request.email) | Q(username=request.email.casefold())).exists():
        raise ValidationError(
            _("Det finns redan ett konto för %(email)s. Be personen anmäla intresse när hen är inloggad.")
            % {"email": request.email}
        )
    first, last = _split_name(request.name)
    person = User(username=request.email.casefold(), email=request.email, first_name=first, last_name=last)
    person.set_unusable_password()
    person.save()
    member = examiner_services.pool_volunteer(
        cycle=request.cycle,
        user=person,
        data=examiner_services.VolunteerData(
            organisation=request.organisation, employer=request.workplace, manager_name=request.manager_name
        ),
    )
    examiner_services.pool_decide(member=member, accept=True, by=by)
    request.status = VolunteerRequest.Status.ACCEPTED
    request.decided_at, request.decided_by, request.person = timezone.now(), by, person
    request.save(update_fields=["status", "decided_at", "decided_by", "person"])
    audit.record(actor=by, action=AuditAction.VOLUNTEER_REQUEST_ACCEPT, target=request)
    return _invite_account(person=person, kind=Invitation.Kind.EXAMINER, unit=None, by=by, base_url=base_url)


def _invite_account(*, person, kind, unit, by, base_url: str) -> Invitation:
    """An invitation to an account made for the person (see Invitation.person)."""
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        kind=kind,
        email=person.email,
        name=person.get_full_name() or person.email,
        unit=unit,
        person=person,
        token_hash=token_digest(token),
        invited_by=by,
        expires_at=timezone.now() + dt.timedelta(days=settings.INVITATION_DAYS),
    )
    audit.record(
        actor=by,
        action=AuditAction.INVITATION_SEND,
        target=unit or invitation,
        changes={"email": person.email, "name": invitation.name, "kind": kind},
    )
    mail_after_commit(
        subject=_("Inbjudan till Kvalitetsutmärkelsen"),
        template="accounts/email/invitation.txt",
        context={
            "invitation": invitation,
            "link": base_url.rstrip("/") + reverse("accounts:invitation", kwargs={"token": token}),
            "days": settings.INVITATION_DAYS,
        },
        recipients=[person.email],
        key=f"invitation:{invitation.pk}",
        reason=_("Inbjudan"),
        related=invitation,
    )
    return invitation


@transaction.atomic
def volunteer_request_decline(*, volunteer_request: VolunteerRequest, by, reason: str) -> None:
    """SLK declines a volunteer without an account: nothing is created; the reason is logged."""
    require_role(by, Role.SLK)
    reason = _reason(reason)
    request = VolunteerRequest.objects.select_for_update().get(pk=volunteer_request.pk)
    if not request.is_waiting:
        raise ValidationError(_("Intresseanmälan är inte bekräftad eller redan beslutad."))
    request.status = VolunteerRequest.Status.DECLINED
    request.decided_at, request.decided_by = timezone.now(), by
    request.save(update_fields=["status", "decided_at", "decided_by"])
    audit.record(actor=by, action=AuditAction.VOLUNTEER_REQUEST_DECLINE, target=request, reason=reason)


# --- a role asked for at single sign-on ----------------------------------------------------


@transaction.atomic
def role_request_submit(*, email: str, name: str, kind, unit: Unit | None, message: str) -> RoleRequest:
    """Someone the city's identity provider vouched for, without an account here, asks for
    a role. Nothing is granted: SLK decides on the people page. One open request per address."""
    email = email.strip()
    if kind == RoleRequest.Kind.UNIT_CONTACT and unit is None:
        raise ValidationError(_("Välj vilken enhet du vill vara kontaktperson för."))
    if RoleRequest.objects.open().filter(email__iexact=email).exists():
        raise ValidationError(_("Du har redan en begäran som väntar på stadsledningskontorets beslut."))
    if get_user_model().objects.filter(email__iexact=email).exists():
        raise ValidationError(_("Det finns redan ett konto för %(email)s.") % {"email": email})
    request = RoleRequest.objects.create(
        email=email,
        name=name.strip(),
        kind=kind,
        unit=unit if kind == RoleRequest.Kind.UNIT_CONTACT else None,
        message=message.strip(),
    )
    audit.record(
        actor=None,
        action=AuditAction.ROLE_REQUEST_SUBMIT,
        target=request,
        changes={"email": email, "kind": kind, "unit": unit.code if request.unit else ""},
    )
    slk = get_user_model().objects.filter(groups__name="SLK-administratörer", is_active=True)
    mail_after_commit(
        subject=_("Begäran om roll: %(name)s") % {"name": request.name},
        template="accounts/email/role_request_asked.txt",
        context={"role_request": request},
        recipients=[u.email for u in slk],
        key=f"role_request:{request.pk}:asked",
        reason=_("Begäran om roll"),
        related=request,
    )
    return request


@transaction.atomic
def role_request_approve(*, role_request: RoleRequest, by, reason: str = ""):
    """SLK approves: an account for the address (signed in with the city's account, so no
    password), and the role asked for, a unit contact through unit_contacts_set. The person
    is told by e-mail. Returns the account."""
    require_role(by, Role.SLK)
    request = RoleRequest.objects.select_for_update().get(pk=role_request.pk)
    if not request.is_open:
        raise ValidationError(_("Begäran är redan beslutad."))
    User = get_user_model()
    if User.objects.filter(Q(email__iexact=request.email) | Q(username=request.email.casefold())).exists():
        raise ValidationError(_("Det finns redan ett konto för %(email)s.") % {"email": request.email})
    first, last = _split_name(request.name)
    person = User(username=request.email.casefold(), email=request.email, first_name=first, last_name=last)
    person.set_unusable_password()
    person.save()
    if request.is_for_unit:
        unit_contacts_set(unit=request.unit, contacts=[*request.unit.contacts.all(), person], by=by)
    else:
        add_role(person, Role.EXAMINER)
    request.status = RoleRequest.Status.APPROVED
    request.decided_at, request.decided_by, request.person = timezone.now(), by, person
    request.save(update_fields=["status", "decided_at", "decided_by", "person"])
    audit.record(
        actor=by,
        action=AuditAction.ROLE_REQUEST_APPROVE,
        target=person,
        changes={"kind": request.kind, "unit": request.unit.code if request.unit else ""},
        reason=reason.strip(),
    )
    mail_after_commit(
        subject=_("Du har fått tillgång till Kvalitetsutmärkelsen"),
        template="accounts/email/role_request_approved.txt",
        context={"role_request": request},
        recipients=[person.email],
        key=f"role_request:{request.pk}:approved",
        reason=_("Begäran om roll godkänd"),
        related=request,
    )
    return person


@transaction.atomic
def role_request_decline(*, role_request: RoleRequest, by, reason: str) -> None:
    require_role(by, Role.SLK)
    reason = _reason(reason)
    request = RoleRequest.objects.select_for_update().get(pk=role_request.pk)
    if not request.is_open:
        raise ValidationError(_("Begäran är redan beslutad."))
    request.status = RoleRequest.Status.DECLINED
    request.decided_at, request.decided_by = timezone.now(), by
    request.save(update_fields=["status", "decided_at", "decided_by"])
    audit.record(actor=by, action=AuditAction.ROLE_REQUEST_DECLINE, target=request, reason=reason)
