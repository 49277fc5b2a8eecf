"""The actions the scoring app records in the audit trail (award.audit.record), each with
the Swedish name the logs show. Registered with award.audit in the app's ready()."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    INDIVIDUAL_START = "scoring.individual_start", _("Individuell bedömning påbörjades")
    INDIVIDUAL = "scoring.individual", _("Individuell bedömning sparades")
    INDIVIDUAL_SUBMIT = "scoring.individual_submit", _("Individuell bedömning lämnades in")
    INDIVIDUAL_REOPEN = "scoring.individual_reopen", _("Individuell bedömning öppnades igen")
    CONSENSUS_START = "scoring.consensus_start", _("Konsensus startade")
    CONSENSUS = "scoring.consensus", _("Konsensus sparades")
    CONSENSUS_FINAL = "scoring.consensus_final", _("Konsensus fastställdes")
    CONSENSUS_LOCK = "scoring.consensus_lock", _("Konsensus låstes av domarkommitténs beslut")
    HOURS = "scoring.hours", _("Nedlagd tid")
    SITE_VISIT_SELECT = "scoring.site_visit_select", _("Utvald för platsbesök")
    SITE_VISIT = "scoring.site_visit", _("Platsbesöket sparades")
    VISIT_SCORE = "scoring.visit_score", _("Poäng efter platsbesök sparades")
    REPORT_DRAFT = "scoring.report_draft", _("Rapportutkast skrivet från konsensus")
    REPORT_REDRAFT = "scoring.report_redraft", _("Utkastet skrevs om från konsensus")
    REPORT = "scoring.report", _("Återföringsrapporten sparades")
    REPORT_APPROVE = "scoring.report_approve", _("Återföringsrapporten godkändes")
    ASSESSMENT_DEADLINE_EXTEND = (
        "scoring.assessment_deadline_extend",
        _("Tiden för individuell bedömning förlängdes"),
    )
