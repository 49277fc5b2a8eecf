"""The evaluation of a cycle: the questionnaires SLK sends after the feedback release and
their answers. The tables were created by the scoring app and keep their names."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
    # Empty when the scheduler sent it on the cycle's day (evaluation/scheduled.py).
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("skickad av"),
    )
    sent_at = models.DateTimeField(_("skickad"), auto_now_add=True)

    class Meta:
        db_table = "scoring_questionnaire"
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
        db_table = "scoring_questionnaireresponse"
        verbose_name = _("enkätsvar")
        verbose_name_plural = _("enkätsvar")
        constraints = [
            models.UniqueConstraint(fields=["questionnaire", "respondent"], name="one_response_per_person")
        ]

    def __str__(self):
        return f"{self.questionnaire}: {self.respondent}"
