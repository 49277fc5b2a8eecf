"""The actions the submissions app records in the audit trail (award.audit.record), each with
the Swedish name the logs show. Registered with award.audit in the app's ready()."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    APPLICATION_REGISTER = "application.register", _("Bidraget anmäldes")
    APPLICATION_REGISTRATION_APPROVED = "application.registration_approved", _("Anmälan godkändes")
    APPLICATION_REGISTRATION_REJECTED = "application.registration_rejected", _("Anmälan avslogs")
    APPLICATION_DETAILS = "application.details", _("Bidragets uppgifter ändrades")
    APPLICATION_SUBMIT = "application.submit", _("Bidraget lämnades in")
    APPLICATION_REOPEN = "application.reopen", _("Bidraget öppnades för ändringar igen")
    APPLICATION_EXTEND = "application.extend", _("Bidragets sista dag förlängdes")
    APPLICATION_WITHDRAW = "application.withdraw", _("Bidraget drogs tillbaka")
    ANSWER_IMPROVEMENTS = "answer.improvements", _("Enheten beskrev vad den gjort åt förbättringsområden")
    ATTACHMENT_ADD = "attachment.add", _("Bilaga lades till")
    ATTACHMENT_REMOVE = "attachment.remove", _("Bilaga togs bort")
    UNIT_CONTACTS_SET = "unit.contacts_set", _("Enhetens kontaktpersoner ändrades")
