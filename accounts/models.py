"""Invitations into the platform and the counters that throttle password-reset requests."""

import datetime as dt
import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from award.models import AwardCycle, Organisation, Unit


def token_digest(token: str) -> str:
    """What is stored of a link's secret: its SHA-256, so a database copy opens no door."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        """Neither accepted nor revoked, and not yet expired."""
        return self.filter(accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A single-use link, sent by e-mail, that lets one person in with one role: a unit
    contact of `unit`, or (from the examiner pool) an examiner."""

    class Kind(models.TextChoices):
        UNIT_CONTACT = "unit_contact", _("Enhetskontakt")
        EXAMINER = "examiner", _("Examinator")

    kind = models.CharField(_("typ"), max_length=20, choices=Kind.choices)
    email = models.EmailField(_("e-post"))
    name = models.CharField(_("namn"), max_length=200)
    unit = models.ForeignKey(
        Unit,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="invitations",
        verbose_name=_("enhet"),
    )
    token_hash = models.CharField(_("länkens kontrollsumma"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="invitations_sent",
        verbose_name=_("inbjuden av"),
    )
    created_at = models.DateTimeField(_("skickad"), default=timezone.now)
    expires_at = models.DateTimeField(_("giltig till"))
    accepted_at = models.DateTimeField(_("accepterad"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_accepted",
        verbose_name=_("accepterad av"),
    )
    revoked_at = models.DateTimeField(_("återkallad"), null=True, blank=True)
    # An account made before the invitation (an examiner volunteer SLK accepted): following
    # the link sets its password instead of making a new one.
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("konto"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("inbjudan")
        verbose_name_plural = _("inbjudningar")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="unit_contact") | models.Q(unit__isnull=False),
                name="invitation_unit_contact_has_unit",
            ),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"

    @property
    def is_accepted(self) -> bool:
        return self.accepted_at is not None

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_for_unit(self) -> bool:
        return self.kind == self.Kind.UNIT_CONTACT


class ThrottleHit(models.Model):
    """One request counted against a limit (password reset per address, per client).
    Kept in the database so every app server counts the same."""

    class Scope(models.TextChoices):
        RESET_ADDRESS = "reset_address", _("återställning per adress")
        RESET_CLIENT = "reset_client", _("återställning per klient")
        VOLUNTEER_ADDRESS = "volunteer_address", _("intresseanmälan per adress")
        VOLUNTEER_CLIENT = "volunteer_client", _("intresseanmälan per klient")

    scope = models.CharField(_("gräns"), max_length=20, choices=Scope.choices)
    # A digest of the address or client, never the address itself.
    key = models.CharField(_("adressens eller klientens kontrollsumma"), max_length=64)
    at = models.DateTimeField(_("tidpunkt"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("räknad begäran")
        verbose_name_plural = _("räknade begäranden")
        indexes = [models.Index(fields=["scope", "key", "at"])]

    def __str__(self):
        return f"{self.scope} {self.at:%Y-%m-%d %H:%M}"


class VolunteerRequestQuerySet(models.QuerySet):
    def waiting(self):
        """Confirmed by e-mail and not yet decided by SLK: what the pool shows."""
        return self.filter(status=VolunteerRequest.Status.CONFIRMED)


class VolunteerRequest(models.Model):
    """Someone without an account who offers to examine: what they wrote on the public
    volunteer form. It counts once they have confirmed their address by the e-mailed link;
    SLK then accepts it (an account, a place in the pool and an invitation) or declines."""

    class Status(models.TextChoices):
        UNCONFIRMED = "unconfirmed", _("E-post ej bekräftad")
        CONFIRMED = "confirmed", _("Väntar på beslut")
        ACCEPTED = "accepted", _("Antagen")
        DECLINED = "declined", _("Inte antagen")

    cycle = models.ForeignKey(
        AwardCycle, on_delete=models.PROTECT, related_name="volunteer_requests", verbose_name=_("omgång")
    )
    name = models.CharField(_("namn"), max_length=200)
    email = models.EmailField(_("e-post"))
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="+", verbose_name=_("förvaltning eller bolag")
    )
    workplace = models.CharField(_("arbetsplats"), max_length=200)
    manager_name = models.CharField(_("chef"), max_length=200)
    token_hash = models.CharField(_("länkens kontrollsumma"), max_length=64, unique=True, editable=False)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.UNCONFIRMED)
    created_at = models.DateTimeField(_("skickad"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("e-post bekräftad"), null=True, blank=True)
    decided_at = models.DateTimeField(_("beslutad"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beslutad av"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("konto"),
    )

    objects = VolunteerRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("intresseanmälan utan konto")
        verbose_name_plural = _("intresseanmälningar utan konto")
        ordering = ["created_at"]

    def __str__(self):
        return f"{self.name} <{self.email}>"

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_waiting(self) -> bool:
        return self.status == self.Status.CONFIRMED

    @property
    def is_expired(self) -> bool:
        return self.created_at <= timezone.now() - dt.timedelta(days=settings.INVITATION_DAYS)


class RoleRequestQuerySet(models.QuerySet):
    def open(self):
        return self.filter(status=RoleRequest.Status.OPEN)


class RoleRequest(models.Model):
    """A city employee who signed in with the city's account but has none here asks for a
    role: contact of a unit they name, or examiner. Nothing is granted until SLK approves."""

    class Kind(models.TextChoices):
        UNIT_CONTACT = "unit_contact", _("Kontaktperson för en enhet")
        EXAMINER = "examiner", _("Examinator")

    class Status(models.TextChoices):
        OPEN = "open", _("Väntar på beslut")
        APPROVED = "approved", _("Godkänd")
        DECLINED = "declined", _("Avslagen")

    email = models.EmailField(_("e-post"))
    name = models.CharField(_("namn"), max_length=200)
    kind = models.CharField(_("roll"), max_length=20, choices=Kind.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="+", verbose_name=_("enhet")
    )
    message = models.TextField(_("meddelande"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(_("skickad"), default=timezone.now)
    decided_at = models.DateTimeField(_("beslutad"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("beslutad av"),
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("konto"),
    )

    objects = RoleRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("begäran om roll")
        verbose_name_plural = _("begäranden om roll")
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind="unit_contact") | models.Q(unit__isnull=False),
                name="role_request_unit_contact_has_unit",
            ),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>: {self.get_kind_display()}"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_for_unit(self) -> bool:
        return self.kind == self.Kind.UNIT_CONTACT
