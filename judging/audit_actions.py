"""The actions the judging app records in the audit trail (award.audit.record), each with
the Swedish name the logs show. Registered with award.audit in the app's ready()."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    COMMITTEE_CONFLICT = "committee.conflict", _("Jäv i domarkommittén registrerades")
    COMMITTEE_MEETING = "committee.meeting", _("Domarmöte registrerades")
    COMMITTEE_DECISION_DRAFT = "committee.decision_draft", _("Beslutsutkast sparades")
    COMMITTEE_DECISION_SIGN = "committee.decision_sign", _("Beslut undertecknades")
    COMMITTEE_DECISION_CORRECT = "committee.decision_correct", _("Beslut rättades")
    COMMITTEE_GOOD_EXAMPLE = "committee.good_example", _("Gott exempel markerades")
    COMMITTEE_NOTIFY = "committee.notify", _("Beslut meddelades")
