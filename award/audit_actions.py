"""The actions the award app records in the audit trail (award.audit.record), each with
the Swedish name the logs show. Registered with award.audit in the app's ready()."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    ADMIN_ADD = "admin.add", _("Skapad i administrationen")
    ADMIN_CHANGE = "admin.change", _("Ändrad i administrationen")
    ADMIN_DELETE = "admin.delete", _("Borttagen i administrationen")
    ADMIN_OTHER = "admin.other", _("Åtgärd i administrationen")
    IMPORT_ADD = "import.add", _("Importerad")
    IMPORT_CHANGE = "import.change", _("Ändrad genom import")
    CYCLE_OPEN = "cycle.open", _("Omgången öppnades")
    CYCLE_COPY = "cycle.copy", _("Omgången skapades som kopia")
    CYCLE_DELETE = "cycle.delete", _("Omgången togs bort")
    CYCLE_TIMELINE_SET = "cycle.timeline_set", _("Tidplanen ändrades före öppnandet")
    CYCLE_PHASE_CLOSED_EARLY = "cycle.phase_closed_early", _("Fasen avslutades i förtid")
    CYCLE_PHASE_EXTENDED = "cycle.phase_extended", _("Fasen förlängdes")
    COMMITTEE_MEMBER_ADD = "committee.member_add", _("Ledamot tillsattes i domarkommittén")
    COMMITTEE_CHAIR = "committee.chair", _("Domarkommitténs ordförande ändrades")
    COMMITTEE_MEMBER_REMOVE = "committee.member_remove", _("Ledamot togs bort ur domarkommittén")
    UNIT_ORGANISATION_CHANGE = "unit.organisation_change", _("Enhetens förvaltning ändrades")
    USER_ANONYMISE = "user.anonymise", _("Personuppgifter avidentifierades")
    CYCLE_REMINDERS_SET = "cycle.reminders_set", _("Påminnelsedagarna ändrades")
    OUTBOX_RESEND = "outbox.resend", _("E-post skickades igen")
    JOB_START = "job.start", _("Arbete startades i bakgrunden")
