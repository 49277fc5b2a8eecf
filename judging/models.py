"""The judging committee's records: members' conflicts, the committee's meetings, and its
decisions with their outcomes (winners, honourable mentions, citations, good examples).

These tables were created by the scoring app and keep their names (`db_table`): the models
moved here when the committee's side became its own app, without moving any data.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from award.models import ConflictTargetMixin
from scoring.models import SiteVisit
from submissions.models import Application


class CommitteeConflict(ConflictTargetMixin, models.Model):
    """A committee member's declared conflict with a unit or a whole organisation. A member
    with a conflict sees the application marked and cannot decide on it."""

    cycle = models.ForeignKey(
        "award.AwardCycle",
        on_delete=models.PROTECT,
        related_name="committee_conflicts",
        verbose_name=_("omgång"),
    )
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="committee_conflicts",
        verbose_name=_("ledamot"),
    )
    unit = models.ForeignKey(
        "award.Unit",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("enhet"),
    )
    organisation = models.ForeignKey(
        "award.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("förvaltning"),
    )
    reason = models.TextField(_("skäl"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registrerad av")
    )
    recorded_at = models.DateTimeField(_("registrerad"), auto_now_add=True)

    class Meta:
        db_table = "scoring_committeeconflict"
        verbose_name = _("jäv i domarkommittén")
        verbose_name_plural = _("jäv i domarkommittén")
        ordering = ["recorded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(unit__isnull=False, organisation__isnull=True)
                | models.Q(unit__isnull=True, organisation__isnull=False),
                name="committee_conflict_names_unit_or_organisation",
            )
        ]

    def __str__(self):
        return f"{self.member}: {self.target}"


class Meeting(models.Model):
    """A meeting of the judging committee: the first chooses site visits, the final decides."""

    class Kind(models.TextChoices):
        SHORTLISTING = "shortlisting", _("Första domarmötet (urval till platsbesök)")
        FINAL = "final", _("Slutligt domarmöte")

    cycle = models.ForeignKey(
        "award.AwardCycle", on_delete=models.PROTECT, related_name="meetings", verbose_name=_("omgång")
    )
    kind = models.CharField(_("möte"), max_length=15, choices=Kind.choices)
    date = models.DateField(_("datum"))
    present = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("närvarande"))
    notes = models.TextField(_("anteckningar"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("registrerat av")
    )

    class Meta:
        db_table = "scoring_meeting"
        verbose_name = _("domarmöte")
        verbose_name_plural = _("domarmöten")
        ordering = ["cycle", "date", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"

    @property
    def is_shortlisting(self) -> bool:
        return self.kind == self.Kind.SHORTLISTING


class DecisionQuerySet(models.QuerySet):
    def signed(self):
        """Signed by the chair and not replaced by a correction: the committee's decisions."""
        return self.filter(status=Decision.Status.SIGNED)

    def current(self):
        """The decisions that stand or are being drafted: all but those a correction replaced."""
        return self.exclude(status=Decision.Status.SUPERSEDED)


class Decision(models.Model):
    """The committee's decision for one competition class (or the Förnyelsepriset track):
    the winner or winners, or no award, and honourable mentions. Locked once the chair
    signs; a correction is a new decision that supersedes it."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        SIGNED = "signed", _("Signerat")
        SUPERSEDED = "superseded", _("Ersatt")

    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="decisions", verbose_name=_("möte")
    )
    track = models.ForeignKey(
        "award.Track", on_delete=models.PROTECT, related_name="decisions", verbose_name=_("spår")
    )
    competition_class = models.ForeignKey(
        "award.CompetitionClass",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decisions",
        verbose_name=_("tävlingsklass"),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    no_award = models.BooleanField(_("ingen utmärkelse i år"), default=False)
    rationale = models.TextField(_("motivering till beslutet"), blank=True)
    stepped_out = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="+",
        blank=True,
        verbose_name=_("ledamöter som deltog inte (jäv)"),
    )
    supersedes = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="superseded_by",
        verbose_name=_("ersätter"),
    )
    correction_reason = models.TextField(_("skäl till rättelsen"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("skapat av")
    )
    created_at = models.DateTimeField(_("skapat"), auto_now_add=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signerat av"),
    )
    signed_at = models.DateTimeField(_("signerat"), null=True, blank=True)
    notified_at = models.DateTimeField(_("enheter och examinatorer underrättade"), null=True, blank=True)
    version = models.PositiveIntegerField(_("versionsnummer"), default=1)

    objects = DecisionQuerySet.as_manager()

    class Meta:
        db_table = "scoring_decision"
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        ordering = ["track", "competition_class__order", "pk"]

    def __str__(self):
        return f"{self.competition_class or self.track}: {self.get_status_display()}"

    @property
    def is_signed(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def is_superseded(self) -> bool:
        return self.status == self.Status.SUPERSEDED

    @property
    def scope_label(self) -> str:
        return str(self.competition_class.name if self.competition_class else self.track.name)


class DecisionOutcomeQuerySet(models.QuerySet):
    def signed(self):
        """Outcomes of signed decisions (`DecisionQuerySet.signed`): the results that stand."""
        return self.filter(decision__status=Decision.Status.SIGNED)


class DecisionOutcome(models.Model):
    class Outcome(models.TextChoices):
        WINNER = "winner", _("Vinnare")
        HONOURABLE_MENTION = "honourable_mention", _("Hedersomnämnande")

    decision = models.ForeignKey(
        Decision, on_delete=models.CASCADE, related_name="outcomes", verbose_name=_("beslut")
    )
    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="outcomes", verbose_name=_("bidrag")
    )
    outcome = models.CharField(_("utfall"), max_length=20, choices=Outcome.choices)
    citation = models.TextField(_("motivering (citat)"))
    # Good examples: what the city may publish, with the unit's consent.
    public_summary = models.TextField(_("sammanfattning för goda exempel"), blank=True)
    unit_consented = models.BooleanField(_("enheten har samtyckt till publicering"), default=False)

    objects = DecisionOutcomeQuerySet.as_manager()

    class Meta:
        db_table = "scoring_decisionoutcome"
        verbose_name = _("utfall")
        verbose_name_plural = _("utfall")
        ordering = ["outcome", "application__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision", "application"], name="one_outcome_per_application_and_decision"
            )
        ]

    def __str__(self):
        return f"{self.application.code}: {self.get_outcome_display()}"


class SiteVisitChoice(models.Model):
    """Which meeting of the committee chose an application's site visit (the first
    meeting, shortlisting). The visit itself is the team's record, in scoring."""

    site_visit = models.OneToOneField(
        SiteVisit, on_delete=models.CASCADE, related_name="choice", verbose_name=_("platsbesök")
    )
    meeting = models.ForeignKey(
        Meeting, on_delete=models.PROTECT, related_name="site_visit_choices", verbose_name=_("domarmöte")
    )

    class Meta:
        verbose_name = _("val av platsbesök")
        verbose_name_plural = _("val av platsbesök")

    def __str__(self):
        return f"{self.site_visit}: {self.meeting}"
