"""Invitations into the platform and the counters that throttle password-reset requests."""

import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from award.models import Unit


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
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
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

    scope = models.CharField(max_length=20, choices=Scope.choices)
    # A digest of the address or client, never the address itself.
    key = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        indexes = [models.Index(fields=["scope", "key", "at"])]

    def __str__(self):
        return f"{self.scope} {self.at:%Y-%m-%d %H:%M}"
