"""The actions the evaluation app records in the audit trail (award.audit.record), each with
the Swedish name the logs show. Registered with award.audit in the app's ready()."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    QUESTIONNAIRE_SEND = "evaluation.questionnaire_send", _("Enkät skickades")
    QUESTIONNAIRE_ANSWER = "evaluation.questionnaire_answer", _("Enkät besvarades")
