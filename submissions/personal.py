"""What the submissions app holds about a person, for SLK's personal-data page
(award.personal): what they did on applications as a unit contact (or as SLK deciding on a
registration), the answers they saved last, every version they saved and the attachments
they uploaded, and what they wrote as the unit's notes on its last feedback's areas for
improvement (who wrote a note is in the audit entry of its save). Registered in
SubmissionsConfig.ready()."""

from django.utils.translation import gettext as _

from award.models import AuditEntry
from award.personal.providers import Section, iso
from submissions.audit_actions import AuditAction
from submissions.models import Answer, AnswerRevision, Application, Attachment

ROLES_ON_APPLICATIONS = {
    "registered_by": "anmälde",
    "submitted_by": "lämnade in",
    "withdrawn_by": "återtog",
    "registration_decided_by": "beslutade om anmälan",
}


class SubmissionsPersonalData:
    label = "submissions"
    # The application permission table (ApplicationUserObjectPermission) is one of
    # guardian's, which award exports and clears with the others.
    models = (Application, Answer, AnswerRevision, Attachment)
    cleared = ()

    def export(self, person) -> list[Section]:
        applications = [
            {
                "application": application.code,
                "unit": application.unit.name,
                "cycle": application.track.cycle.year,
                "role": label,
            }
            for field, label in ROLES_ON_APPLICATIONS.items()
            for application in Application.objects.filter(**{field: person}).select_related(
                "unit", "track__cycle"
            )
        ]
        answers = [
            {
                "application": a.application.code,
                "criterion": a.criterion.number,
                "updated_at": iso(a.updated_at),
            }
            for a in Answer.objects.filter(updated_by=person).select_related("application", "criterion")
        ]
        revisions = [
            {
                "application": r.answer.application.code,
                "criterion": r.answer.criterion.number,
                "version": r.version,
                "saved_at": iso(r.saved_at),
                "conflict": r.conflict,
                "text": r.text,
            }
            for r in AnswerRevision.objects.filter(saved_by=person)
            .select_related("answer__application", "answer__criterion")
            .order_by("saved_at", "pk")
        ]
        attachments = [
            {
                "application": a.application.code,
                "file": a.original_name,
                "description": a.description,
                "size": a.size,
                "uploaded_at": iso(a.uploaded_at),
            }
            for a in Attachment.objects.filter(uploaded_by=person).select_related("application")
        ]
        improvement_notes = [
            {
                "application": entry.object_repr,
                "criterion": entry.changes.get("criterion"),
                "saved_at": iso(entry.at),
                "notes": (entry.changes.get("notes") or [None, []])[-1],
            }
            for entry in AuditEntry.objects.filter(
                actor=person, action=AuditAction.ANSWER_IMPROVEMENTS
            ).order_by("at", "pk")
        ]
        return [
            Section("applications", _("Tävlingsbidrag"), applications),
            Section("answers_last_saved", None, answers),
            Section("answer_revisions", _("Sparade svar (versioner)"), revisions),
            Section("attachments_uploaded", _("Uppladdade bilagor"), attachments),
            Section(
                "improvement_notes_written",
                _("Vad enheten gjort åt förbättringsområden (skrivet av personen)"),
                improvement_notes,
            ),
        ]

    def refusals(self, person) -> list[str]:
        return []

    def anonymise(self, person, *, by) -> dict:
        # The records stay as they are: who registered, submitted or saved is the person's
        # account, which award turns into the pseudonym. The unit's improvement notes are
        # the unit's, like its answers, and stay too.
        return {}
