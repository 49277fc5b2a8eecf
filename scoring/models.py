"""Scores at every stage of an application's examination: each examiner's own assessment,
the team's consensus (with the scores revised after a site visit kept beside the original
ones), the site visit itself and the feedback report the unit receives.

Every change is also written to the audit trail with the application as its target, so an
application's whole score history reads from one place (`queries.score_history`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from award.models import Criterion
from examiners.models import PoolMember, Team
from submissions.models import Application


class Assessment(models.Model):
    """One examiner's individual assessment of one application."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Pågår")
        SUBMITTED = "submitted", _("Inlämnad")

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("bidrag")
    )
    member = models.ForeignKey(
        PoolMember, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("examinator")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    hours = models.DecimalField(
        _("nedlagd tid (timmar)"), max_digits=5, decimal_places=1, null=True, blank=True
    )
    submitted_at = models.DateTimeField(_("inlämnad"), null=True, blank=True)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("individuell bedömning")
        verbose_name_plural = _("individuella bedömningar")
        constraints = [
            models.UniqueConstraint(fields=["application", "member"], name="one_assessment_per_examiner")
        ]

    def __str__(self):
        return f"{self.application.code}: {self.member.profile}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class AssessmentItem(models.Model):
    """An examiner's score and comments on one criterion."""

    assessment = models.ForeignKey(
        Assessment, on_delete=models.CASCADE, related_name="items", verbose_name=_("bedömning")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("kriterium")
    )
    score = models.PositiveSmallIntegerField(_("poäng (%)"), null=True, blank=True)
    strengths = models.JSONField(_("styrkor"), default=list, blank=True)
    improvements = models.JSONField(_("förbättringsområden"), default=list, blank=True)
    notes = models.TextField(_("egna anteckningar"), blank=True)
    version = models.PositiveIntegerField(_("versionsnummer"), default=1)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("bedömning per kriterium")
        verbose_name_plural = _("bedömningar per kriterium")
        ordering = ["criterion__number"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "criterion"], name="one_item_per_criterion")
        ]

    def __str__(self):
        return f"{self.assessment} – {self.criterion.number}"


class Consensus(models.Model):
    """The team's agreed assessment of one application, led by the team leader."""

    class Status(models.TextChoices):
        OPEN = "open", _("Pågår")
        FINAL = "final", _("Fastställd")

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="consensus", verbose_name=_("bidrag")
    )
    team = models.ForeignKey(
        Team, on_delete=models.PROTECT, related_name="consensuses", verbose_name=_("lag")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OPEN)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("startad av")
    )
    started_at = models.DateTimeField(_("startad"), auto_now_add=True)
    override_reason = models.TextField(
        _("skäl att starta utan alla bedömningar"),
        blank=True,
        help_text=_("Fylls i när SLK startar konsensus innan alla i laget har lämnat in."),
    )
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("fastställd av"),
    )
    finalised_at = models.DateTimeField(_("fastställd"), null=True, blank=True)
    # Set by the judging committee's signed decision (through `services.consensus_lock`):
    # from then on no score may change, not even after a site visit.
    locked_at = models.DateTimeField(_("låst av kommitténs beslut"), null=True, blank=True)
    # The weighted totals, stored by `figures.store_consensus_totals` when the consensus is
    # finalised and when a score is revised after the site visit, so the committee's pages
    # read them instead of summing the items on every request.
    total_points = models.DecimalField(
        _("konsensustotal"), max_digits=6, decimal_places=1, null=True, blank=True, editable=False
    )
    visit_total_points = models.DecimalField(
        _("total efter platsbesök"), max_digits=6, decimal_places=1, null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("konsensus")
        verbose_name_plural = _("konsensus")

    def __str__(self):
        return f"{self.application.code}: konsensus"

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL

    @property
    def is_locked(self) -> bool:
        """Locked by the judging committee's signed decision (`services.consensus_lock`)."""
        return self.locked_at is not None


class ConsensusItem(models.Model):
    """The agreed score and comments on one criterion. A site visit may revise the score;
    the score before the visit stays in `score`."""

    consensus = models.ForeignKey(
        Consensus, on_delete=models.CASCADE, related_name="items", verbose_name=_("konsensus")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("kriterium")
    )
    score = models.PositiveSmallIntegerField(_("konsensuspoäng (%)"), null=True, blank=True)
    strengths = models.JSONField(_("styrkor"), default=list, blank=True)
    improvements = models.JSONField(_("förbättringsområden"), default=list, blank=True)
    discussion_note = models.TextField(_("slutsats av diskussionen"), blank=True)
    visit_score = models.PositiveSmallIntegerField(_("poäng efter platsbesök (%)"), null=True, blank=True)
    visit_reason = models.TextField(_("skäl till ändringen efter platsbesöket"), blank=True)
    version = models.PositiveIntegerField(_("versionsnummer"), default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("senast ändrad av"),
    )
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("konsensus per kriterium")
        verbose_name_plural = _("konsensus per kriterium")
        ordering = ["criterion__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["consensus", "criterion"], name="one_consensus_item_per_criterion"
            )
        ]

    def __str__(self):
        return f"{self.consensus.application.code} – {self.criterion.number}"

    @property
    def final_score(self):
        """The score that counts: after the site visit where it was revised."""
        return self.visit_score if self.visit_score is not None else self.score


class AssessmentFigures(models.Model):
    """What the committee's pages show of an application's submitted individual scores:
    per criterion the spread and the calibrated mean, and the calibrated total. Written by
    `figures.store_calibration` whenever the cycle's submitted assessments change (the
    calibration of one examiner's score depends on every score of the cycle), never on a
    page."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="assessment_figures", verbose_name=_("bidrag")
    )
    # criterion id (as text) -> spread
    spreads = models.JSONField(_("spridning per kriterium"), default=dict)
    # criterion id (as text) -> calibrated mean, to 0.1
    calibrated = models.JSONField(_("kalibrerat medelvärde per kriterium"), default=dict)
    calibrated_total = models.DecimalField(
        _("kalibrerad totalpoäng"), max_digits=6, decimal_places=1, null=True, blank=True
    )
    max_spread = models.PositiveSmallIntegerField(_("största spridning"), null=True, blank=True)

    class Meta:
        verbose_name = _("sammanställda individuella poäng")
        verbose_name_plural = _("sammanställda individuella poäng")

    def __str__(self):
        return f"{self.application_id}: sammanställda poäng"


class SiteVisit(models.Model):
    class Status(models.TextChoices):
        PLANNED = "planned", _("Planerat")
        DONE = "done", _("Genomfört")

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="site_visit", verbose_name=_("bidrag")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PLANNED)
    selected_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("utvald av")
    )
    selected_at = models.DateTimeField(_("utvald"), auto_now_add=True)
    visit_date = models.DateField(_("datum för besöket"), null=True, blank=True)
    participants = models.TextField(_("deltagare"), blank=True)
    questions = models.TextField(_("frågor att verifiera"), blank=True)
    findings = models.TextField(_("iakttagelser"), blank=True)
    version = models.PositiveIntegerField(_("versionsnummer"), default=1)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("platsbesök")
        verbose_name_plural = _("platsbesök")

    def __str__(self):
        return f"{self.application.code}: platsbesök"


class FeedbackReport(models.Model):
    """The återföringsrapport: drafted from the final consensus, edited by the team
    leader, approved by SLK and shown to the unit from the cycle's feedback release date."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Utkast")
        APPROVED = "approved", _("Godkänd")

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="feedback_report", verbose_name=_("bidrag")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    summary = models.TextField(_("sammanfattning"), blank=True)
    version = models.PositiveIntegerField(_("versionsnummer"), default=1)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("godkänd av"),
    )
    approved_at = models.DateTimeField(_("godkänd"), null=True, blank=True)
    updated_at = models.DateTimeField(_("senast ändrad"), auto_now=True)

    class Meta:
        verbose_name = _("återföringsrapport")
        verbose_name_plural = _("återföringsrapporter")

    def __str__(self):
        return f"{self.application.code}: återföringsrapport"

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class FeedbackItem(models.Model):
    report = models.ForeignKey(
        FeedbackReport, on_delete=models.CASCADE, related_name="items", verbose_name=_("rapport")
    )
    criterion = models.ForeignKey(
        Criterion, on_delete=models.PROTECT, related_name="+", verbose_name=_("kriterium")
    )
    strengths = models.JSONField(_("styrkor"), default=list, blank=True)
    improvements = models.JSONField(_("förbättringsområden"), default=list, blank=True)
    score = models.PositiveSmallIntegerField(_("poäng (%)"), null=True, blank=True)
    band = models.TextField(_("nivå"), blank=True)

    class Meta:
        verbose_name = _("återföring per kriterium")
        verbose_name_plural = _("återföring per kriterium")
        ordering = ["criterion__number"]
        constraints = [
            models.UniqueConstraint(fields=["report", "criterion"], name="one_feedback_item_per_criterion")
        ]

    def __str__(self):
        return f"{self.report} – {self.criterion.number}"
