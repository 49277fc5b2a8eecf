"""Scores at every stage of an application's examination: each examiner's own assessment,
the team's consensus (with the scores revised after a site visit kept beside the original
ones), the site visit itself and the feedback report the unit receives.

Every change is also written to the audit trail with the application as its target, so an
application's whole score history reads from one place (`queries.score_history`).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from award.models import ConflictTargetMixin, Criterion
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
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

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

    class Meta:
        verbose_name = _("konsensus")
        verbose_name_plural = _("konsensus")

    def __str__(self):
        return f"{self.application.code}: konsensus"

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.FINAL


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
    version = models.PositiveIntegerField(default=1)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

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
    meeting = models.ForeignKey(
        "Meeting",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="site_visits",
        verbose_name=_("utvald vid domarmöte"),
    )
    visit_date = models.DateField(_("datum för besöket"), null=True, blank=True)
    participants = models.TextField(_("deltagare"), blank=True)
    questions = models.TextField(_("frågor att verifiera"), blank=True)
    findings = models.TextField(_("iakttagelser"), blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

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
    version = models.PositiveIntegerField(default=1)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("godkänd av"),
    )
    approved_at = models.DateTimeField(_("godkänd"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

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


# --- The judging committee ---------------------------------------------------------------


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
        verbose_name = _("domarmöte")
        verbose_name_plural = _("domarmöten")
        ordering = ["cycle", "date", "pk"]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%Y-%m-%d}"


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
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
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
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("beslut")
        verbose_name_plural = _("beslut")
        ordering = ["track", "competition_class__order", "pk"]

    def __str__(self):
        return f"{self.competition_class or self.track}: {self.get_status_display()}"

    @property
    def is_signed(self) -> bool:
        return self.status != self.Status.DRAFT

    @property
    def scope_label(self) -> str:
        return str(self.competition_class.name if self.competition_class else self.track.name)


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

    class Meta:
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


# --- Evaluating the cycle -----------------------------------------------------------------


class Questionnaire(models.Model):
    """The short questionnaire SLK sends after feedback release, to applicants or to
    examiners. Its questions are defined in code (scoring/questionnaire.py)."""

    class Audience(models.TextChoices):
        APPLICANTS = "applicants", _("Sökande enheter")
        EXAMINERS = "examiners", _("Examinatorer")

    cycle = models.ForeignKey(
        "award.AwardCycle", on_delete=models.PROTECT, related_name="questionnaires", verbose_name=_("omgång")
    )
    audience = models.CharField(_("målgrupp"), max_length=12, choices=Audience.choices)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("skickad av")
    )
    sent_at = models.DateTimeField(_("skickad"), auto_now_add=True)

    class Meta:
        verbose_name = _("enkät")
        verbose_name_plural = _("enkäter")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "audience"], name="one_questionnaire_per_audience")
        ]

    def __str__(self):
        return f"{self.get_audience_display()} {self.cycle.year}"


class QuestionnaireResponse(models.Model):
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="responses", verbose_name=_("enkät")
    )
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("svarande")
    )
    answers = models.JSONField(_("svar"), default=dict)
    submitted_at = models.DateTimeField(_("inskickat"), auto_now_add=True)

    class Meta:
        verbose_name = _("enkätsvar")
        verbose_name_plural = _("enkätsvar")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "respondent"], name="one_response_per_person")
        ]

    def __str__(self):
        return f"{self.questionnaire}: {self.respondent}"
