"""A unit's entry in a track of a cycle: its registration (anmälan) and its application
(tävlingsbidrag) are one record at two stages, with answers per criterion and attachments.
"""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from award.models import CompetitionClass, Criterion, Track, Unit, end_of_day


class Application(models.Model):
    class RegistrationStatus(models.TextChoices):
        PENDING = "pending", _("Väntar på godkännande")
        APPROVED = "approved", _("Godkänd")
        REJECTED = "rejected", _("Avslagen")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SUBMITTED = "submitted", _("Inlämnat")
        WITHDRAWN = "withdrawn", _("Återtaget")

    class NomineeKind(models.TextChoices):
        INDIVIDUAL = "individual", _("En medarbetare")
        MANAGER = "manager", _("En chef")
        TEAM = "team", _("Ett arbetslag")

    track = models.ForeignKey(
        Track, on_delete=models.PROTECT, related_name="applications", verbose_name=_("spår")
    )
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, related_name="applications", verbose_name=_("enhet")
    )
    competition_class = models.ForeignKey(
        CompetitionClass,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("tävlingsklass"),
    )
    code = models.CharField(_("bidragskod"), max_length=20, unique=True)

    # Registration (anmälan): the declarations behind the eligibility rules.
    head_has_full_responsibility = models.BooleanField(
        _("chefen har verksamhets-, budget- och personalansvar"), default=False
    )
    deficit_last_year = models.BooleanField(_("underskott förra året"), default=False)
    deficit_forecast = models.BooleanField(_("underskott i årets prognos"), default=False)
    nominee_kind = models.CharField(_("nominerad"), max_length=20, choices=NomineeKind.choices, blank=True)
    nominee_name = models.CharField(_("den nominerades namn"), max_length=200, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("anmäld av")
    )
    registered_at = models.DateTimeField(_("anmäld"), default=timezone.now)
    registration_status = models.CharField(
        _("anmälans status"),
        max_length=10,
        choices=RegistrationStatus.choices,
        default=RegistrationStatus.PENDING,
    )
    registration_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("anmälan beslutad av"),
    )
    registration_decided_at = models.DateTimeField(_("anmälan beslutad"), null=True, blank=True)
    registration_decision_reason = models.TextField(_("motivering till beslutet"), blank=True)

    # The eligibility mark follows the application all the way to the committee.
    award_eligible = models.BooleanField(_("kan tilldelas utmärkelsen"), default=True)
    eligibility_note = models.TextField(_("anmärkning om behörighet"), blank=True)

    # The application (tävlingsbidrag).
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    film_url = models.URLField(
        _("länk till film (högst två minuter)"),
        blank=True,
        help_text=_("Frivilligt, bara för Förnyelsepriset. En https-länk till en film på högst två minuter."),
    )
    deadline_extended_to = models.DateField(_("förlängd tid till och med"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("inlämnat"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("inlämnat av"),
    )
    withdrawn_at = models.DateTimeField(_("återtaget"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("återtaget av"),
    )
    withdraw_reason = models.TextField(_("skäl till återtagande"), blank=True)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("tävlingsbidrag")
        verbose_name_plural = _("tävlingsbidrag")
        ordering = ["code"]
        permissions = [("assess_application", _("Bedöma tävlingsbidrag"))]
        constraints = [
            models.UniqueConstraint(fields=["track", "unit"], name="application_once_per_unit_and_track"),
        ]

    def __str__(self):
        return f"{self.code} {self.unit.name}"

    @property
    def cycle(self):
        return self.track.cycle

    @property
    def deadline(self):
        """The last day this application may be changed (the unit's extension, if any)."""
        return self.deadline_extended_to or self.track.cycle.application_deadline

    @property
    def deadline_at(self):
        return end_of_day(self.deadline)

    @property
    def is_past_deadline(self) -> bool:
        return timezone.now() > self.deadline_at

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED

    @property
    def is_withdrawn(self) -> bool:
        return self.status == self.Status.WITHDRAWN

    @property
    def is_editable(self) -> bool:
        return (
            self.status == self.Status.DRAFT
            and self.registration_status != self.RegistrationStatus.REJECTED
            and not self.is_past_deadline
        )

    @property
    def state_label(self) -> str:
        """One word for lists: the registration's refusal outranks the application's state."""
        if self.registration_status == self.RegistrationStatus.REJECTED:
            # str(): the label is lazy, and the XLSX export cannot write a lazy string.
            return str(self.RegistrationStatus.REJECTED.label)
        return self.get_status_display()

    @property
    def is_renewal(self) -> bool:
        return self.track.kind == Track.Kind.RENEWAL_PRIZE


# django-guardian's object permissions on applications. `permission`, `user` and `group` are
# guardian's fields, declared again only to give them Swedish names; the Meta inherits
# guardian's unique_together.
class ApplicationUserObjectPermission(UserObjectPermissionBase):
    permission = models.ForeignKey(Permission, on_delete=models.CASCADE, verbose_name=_("behörighet"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, verbose_name=_("användare"))
    content_object = models.ForeignKey(Application, on_delete=models.CASCADE, verbose_name=_("bidrag"))

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("behörighet till bidrag för användare")
        verbose_name_plural = _("behörigheter till bidrag för användare")


class ApplicationGroupObjectPermission(GroupObjectPermissionBase):
    permission = models.ForeignKey(Permission, on_delete=models.CASCADE, verbose_name=_("behörighet"))
    group = models.ForeignKey(Group, on_delete=models.CASCADE, verbose_name=_("grupp"))
    content_object = models.ForeignKey(Application, on_delete=models.CASCADE, verbose_name=_("bidrag"))

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("behörighet till bidrag för grupp")
        verbose_name_plural = _("behörigheter till bidrag för grupper")


class Answer(models.Model):
    """The answer to one criterion. `version` rises with every save, so an editor working
    from an older version is told instead of overwriting someone else's text."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="answers", verbose_name=_("bidrag")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="answers", verbose_name=_("kriterium")
    )
    text = models.TextField(_("svar"), blank=True)
    # What the unit has done about each area for improvement of its last released feedback
    # on this criterion: [{"area": ..., "done": ...}] (submissions.earlier_feedback).
    improvement_notes = models.JSONField(
        _("vad enheten har gjort åt förbättringsområdena"), default=list, blank=True
    )
    version = models.PositiveIntegerField(_("versionsnummer"), default=0)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("senast ändrad av"),
    )

    class Meta:
        verbose_name = _("svar")
        verbose_name_plural = _("svar")
        ordering = ["application", "criterion__number"]
        constraints = [
            models.UniqueConstraint(fields=["application", "criterion"], name="answer_once_per_criterion"),
        ]

    def __str__(self):
        return f"{self.application.code} {self.criterion.number}"

    @property
    def length(self) -> int:
        return len(self.text)


class AnswerRevision(models.Model):
    """Every saved text of an answer, and every text refused because someone else saved
    first, so nothing written is ever lost."""

    answer = models.ForeignKey(
        Answer, on_delete=models.CASCADE, related_name="revisions", verbose_name=_("svar")
    )
    version = models.PositiveIntegerField(_("versionsnummer"))
    text = models.TextField(_("svarstext"))
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("sparad av")
    )
    saved_at = models.DateTimeField(_("sparad"), default=timezone.now)
    conflict = models.BooleanField(
        _("inte sparad (krock)"),
        default=False,
        help_text=_("Texten sparades inte eftersom någon annan hann före."),
    )

    class Meta:
        verbose_name = _("sparad version av svar")
        verbose_name_plural = _("sparade versioner av svar")
        ordering = ["-saved_at", "-id"]

    def __str__(self):
        return f"{self.answer} v{self.version}"


def attachment_path(instance, filename):
    # A generated name: the uploader's file name never reaches the file system.
    suffix = PurePath(filename).suffix.lower()[:8]
    return f"applications/{instance.application_id}/{uuid.uuid4().hex}{suffix}"


class Attachment(models.Model):
    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "Word (DOCX)"
        XLSX = "xlsx", "Excel (XLSX)"
        PNG = "png", "PNG"
        JPEG = "jpeg", "JPEG"

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attachments", verbose_name=_("bidrag")
    )
    file = models.FileField(_("fil"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("filnamn"), max_length=200)
    kind = models.CharField(_("filtyp"), max_length=10, choices=Kind.choices)
    size = models.PositiveIntegerField(_("storlek (byte)"))
    description = models.CharField(_("beskrivning"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uppladdad av")
    )
    uploaded_at = models.DateTimeField(_("uppladdad"), default=timezone.now)

    class Meta:
        verbose_name = _("bilaga")
        verbose_name_plural = _("bilagor")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return self.original_name
