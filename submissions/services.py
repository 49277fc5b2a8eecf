"""Every state change of a registration and an application.

Each function takes the acting user as `by`, checks the award's rules itself (so views,
admin actions and commands get the same refusals), runs in one transaction, writes the
audit trail, and sends e-mail only after the transaction commits.
"""

import datetime as dt
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from award import audit
from award.models import AwardCycle, Phase, Track, Unit, today
from award.notify import mail_after_commit
from award.roles import Role, add_role, has_role, remove_role, require_role
from award.versioning import StaleEdit, save_if_version
from submissions import earlier_feedback, eligibility, queries, signals
from submissions.audit_actions import AuditAction
from submissions.models import Answer, AnswerRevision, Application, Attachment

UNIT_PERMS = ["submissions.view_application", "submissions.change_application"]

ALLOWED_ATTACHMENT_KINDS = {
    # detected MIME type -> (kind, accepted file name endings)
    "application/pdf": (Attachment.Kind.PDF, {".pdf"}),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        Attachment.Kind.DOCX,
        {".docx"},
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (Attachment.Kind.XLSX, {".xlsx"}),
    "image/png": (Attachment.Kind.PNG, {".png"}),
    "image/jpeg": (Attachment.Kind.JPEG, {".jpg", ".jpeg"}),
}


class AnswerConflict(StaleEdit):
    """Someone else saved the answer after the editor loaded it. Carries the answer now
    saved (`current`, also `answer`), so the page can show both texts side by side."""

    def __init__(self, answer: Answer):
        super().__init__(
            answer,
            _(
                "%(who)s sparade det här svaret medan du skrev. Din text är inte sparad: jämför texterna nedan."
            )
            % {"who": answer.updated_by or _("Någon annan")},
        )

    @property
    def answer(self) -> Answer:
        return self.current


# --- helpers -----------------------------------------------------------------------


def _unit_recipients(application: Application) -> list[str]:
    return [u.email for u in application.unit.contacts.all()] + [application.unit.head_email]


def _is_unit_contact(user, unit: Unit) -> bool:
    return unit.contacts.filter(pk=user.pk).exists()


def _require_unit_contact_or_slk(user, unit: Unit):
    if not (has_role(user, Role.SLK) or _is_unit_contact(user, unit)):
        raise PermissionDenied(_("Du är inte kontaktperson för %(unit)s.") % {"unit": unit.name})


def _locked(application: Application) -> Application:
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("track__cycle", "unit")
        .get(pk=application.pk)
    )


def _require_editable(application: Application):
    if application.registration_status == Application.RegistrationStatus.REJECTED:
        raise ValidationError(_("Anmälan är avslagen; bidraget kan inte ändras."))
    if application.status == Application.Status.SUBMITTED:
        raise ValidationError(_("Bidraget är inlämnat och kan inte ändras."))
    if application.status == Application.Status.WITHDRAWN:
        raise ValidationError(_("Bidraget är återtaget och kan inte ändras."))
    if application.is_past_deadline:
        raise ValidationError(
            _("Sista dag för tävlingsbidraget var %(date)s. Bidraget är låst.")
            % {"date": date_format(application.deadline)}
        )


@transaction.atomic
def grant_unit_access(application: Application, users=None):
    """The unit's contacts may see and edit their own application, and nothing else."""
    for user in users if users is not None else application.unit.contacts.all():
        for perm in UNIT_PERMS:
            assign_perm(perm, user, application)


@transaction.atomic
def unit_contacts_set(*, unit: Unit, contacts, by) -> None:
    """Replace a unit's contact people, granting and revoking their access to the unit's
    applications in the same transaction. A new contact gets the unit contact role; one
    left with no unit loses it. SLK may make any change; the unit's head (a contact of the
    unit with the head's e-mail address) may only add a second contact."""
    # Locked so that two changes at once each start from the other's result.
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    before = set(unit.contacts.all())
    after = set(contacts)
    if not (
        has_role(by, Role.SLK) or (before <= after and queries.is_unit_head(by, unit) and len(after) <= 2)
    ):
        require_role(by, Role.SLK)
    unit.contacts.set(after)
    applications = list(unit.applications.all())
    for application in applications:
        grant_unit_access(application, users=after - before)
        for user in before - after:
            for perm in UNIT_PERMS:
                remove_perm(perm, user, application)
    for user in after - before:
        add_role(user, Role.UNIT_CONTACT)
    for user in before - after:
        if not user.units.exists():
            remove_role(user, Role.UNIT_CONTACT)
    audit.record(
        actor=by,
        action=AuditAction.UNIT_CONTACTS_SET,
        target=unit,
        changes={
            "added": sorted(u.username for u in after - before),
            "removed": sorted(u.username for u in before - after),
        },
    )


# --- registration -----------------------------------------------------------------


def _next_code(track: Track) -> str:
    prefix = "K" if track.kind == Track.Kind.QUALITY_AWARD else "F"
    stem = f"{prefix}{track.cycle.year % 100:02d}-"
    numbers = [
        int(code.removeprefix(stem))
        for code in Application.objects.filter(code__startswith=stem).values_list("code", flat=True)
        if code.removeprefix(stem).isdigit()
    ]
    return f"{stem}{max(numbers, default=0) + 1:03d}"


@dataclass
class RegistrationData:
    unit: Unit
    track: Track
    competition_class: object = None
    head_has_full_responsibility: bool = False
    deficit_last_year: bool = False
    deficit_forecast: bool = False
    nominee_kind: str = ""
    nominee_name: str = ""


@transaction.atomic
def application_register(*, data: RegistrationData, by) -> Application:
    """Register a unit for a track of an open cycle while registration is open. Refuses,
    with every reason, a unit that does not meet the rules; a unit reporting a deficit is
    registered but marked as not eligible for the award."""
    unit, track = data.unit, data.track
    _require_unit_contact_or_slk(by, unit)
    track = Track.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=track.pk)
    cycle = track.cycle
    if cycle.status != AwardCycle.Status.OPEN or cycle.phase != Phase.REGISTRATION:
        raise ValidationError(
            _("Anmälan till %(year)s är stängd (anmälan var öppen %(opens)s–%(closes)s).")
            % {
                "year": cycle.year,
                "opens": cycle.registration_opens.isoformat(),
                "closes": cycle.registration_closes.isoformat(),
            }
        )
    if Application.objects.filter(track=track, unit=unit).exists():
        raise ValidationError(
            _("%(unit)s är redan anmäld till %(track)s %(year)s.")
            % {"unit": unit.name, "track": track.name, "year": cycle.year}
        )
    if track.has_classes:
        if data.competition_class is None or data.competition_class.track_id != track.pk:
            raise ValidationError(_("Välj en tävlingsklass i %(track)s.") % {"track": track.name})
    elif data.competition_class is not None:
        raise ValidationError(_("%(track)s har inga tävlingsklasser.") % {"track": track.name})
    if track.kind == Track.Kind.RENEWAL_PRIZE and not (data.nominee_kind and data.nominee_name.strip()):
        raise ValidationError(
            _("Ange vem som nomineras till Förnyelsepriset: en medarbetare, en chef eller ett arbetslag.")
        )

    result = eligibility.check(
        unit=unit,
        track=track,
        head_has_full_responsibility=data.head_has_full_responsibility,
        deficit_last_year=data.deficit_last_year,
        deficit_forecast=data.deficit_forecast,
    )
    if not result.can_register:
        raise ValidationError(result.refusals)

    application = Application(
        track=track,
        unit=unit,
        competition_class=data.competition_class if track.has_classes else None,
        code=_next_code(track),
        head_has_full_responsibility=data.head_has_full_responsibility,
        deficit_last_year=data.deficit_last_year,
        deficit_forecast=data.deficit_forecast,
        nominee_kind=data.nominee_kind if not track.has_classes else "",
        nominee_name=data.nominee_name.strip() if not track.has_classes else "",
        registered_by=by,
        award_eligible=result.award_eligible,
        eligibility_note=result.note,
    )
    try:
        with transaction.atomic():
            application.save()
    except IntegrityError as error:  # a second contact registered the unit at the same moment
        raise ValidationError(
            _("%(unit)s är redan anmäld till %(track)s %(year)s.")
            % {"unit": unit.name, "track": track.name, "year": cycle.year}
        ) from error
    Answer.objects.bulk_create(Answer(application=application, criterion=c) for c in track.criteria.all())
    grant_unit_access(application)
    audit.record(
        actor=by,
        action=AuditAction.APPLICATION_REGISTER,
        target=application,
        changes={"award_eligible": application.award_eligible, "note": application.eligibility_note},
    )
    mail_after_commit(
        subject=_("Anmälan mottagen: %(code)s") % {"code": application.code},
        template="submissions/email/registered.txt",
        context={"application": application},
        recipients=_unit_recipients(application),
    )
    return application


@transaction.atomic
def registration_decide(*, application: Application, approve: bool, reason: str, by) -> Application:
    """SLK approves or rejects a registration. A rejection needs a reason, which the unit sees."""
    require_role(by, Role.SLK)
    application = _locked(application)
    if not approve and not reason.strip():
        raise ValidationError(_("Ange skälet till avslaget; enheten ser det."))
    if application.status == Application.Status.WITHDRAWN:
        raise ValidationError(_("Bidraget är återtaget."))
    old = application.registration_status
    application.registration_status = (
        Application.RegistrationStatus.APPROVED if approve else Application.RegistrationStatus.REJECTED
    )
    application.registration_decided_by = by
    application.registration_decided_at = timezone.now()
    application.registration_decision_reason = reason.strip()
    application.save(
        update_fields=[
            "registration_status",
            "registration_decided_by",
            "registration_decided_at",
            "registration_decision_reason",
            "updated_at",
        ]
    )
    audit.record(
        actor=by,
        action=AuditAction.APPLICATION_REGISTRATION_APPROVED
        if approve
        else AuditAction.APPLICATION_REGISTRATION_REJECTED,
        target=application,
        changes={"registration_status": [old, application.registration_status]},
        reason=reason,
    )
    mail_after_commit(
        subject=(_("Anmälan godkänd: %(code)s") if approve else _("Anmälan avslagen: %(code)s"))
        % {"code": application.code},
        template="submissions/email/registration_decided.txt",
        context={"application": application},
        recipients=_unit_recipients(application),
    )
    return application


@transaction.atomic
def registrations_approve(*, applications, by) -> int:
    """SLK approves several registrations at once: each as `registration_decide` would
    (its own log entry and e-mail), all or none; one refused row refuses the whole batch."""
    require_role(by, Role.SLK)
    applications = list(applications)
    if not applications:
        raise ValidationError(_("Markera minst en anmälan att godkänna."))
    for application in applications:
        if application.registration_status != Application.RegistrationStatus.PENDING:
            raise ValidationError(
                _("Anmälan %(code)s väntar inte längre på godkännande; ingen anmälan godkändes.")
                % {"code": application.code}
            )
        registration_decide(application=application, approve=True, reason="", by=by)
    return len(applications)


# --- writing --------------------------------------------------------------------------


def answer_save(
    *,
    application: Application,
    criterion_id: int,
    text: str,
    base_version: int,
    by,
    answer: Answer | None = None,
) -> Answer:
    """Save the answer to one criterion. Refuses after the deadline, over the criterion's
    length limit, or when someone else saved since `base_version` (AnswerConflict: the
    refused text is kept as a revision). `answer`, if the caller has just read it (with
    its criterion), spares reading it again; the save itself checks the version."""
    try:
        return _answer_save(
            application=application,
            criterion_id=criterion_id,
            text=text,
            base_version=base_version,
            by=by,
            answer=answer,
        )
    except _AnswerMoved:
        # The save was rolled back whole; the refused text is kept in a transaction of its own.
        raise AnswerConflict(
            _answer_conflict_keep(
                application=application,
                criterion_id=criterion_id,
                text=text,
                base_version=base_version,
                by=by,
            )
        ) from None


class _AnswerMoved(Exception):
    """The answer's version moved since the page was loaded (inside _answer_save)."""


@transaction.atomic
def _answer_conflict_keep(
    *, application: Application, criterion_id: int, text: str, base_version: int, by
) -> Answer:
    answer = Answer.objects.select_related("criterion", "updated_by").get(
        application=application, criterion_id=criterion_id
    )
    AnswerRevision.objects.create(
        answer=answer, version=base_version, text=text.replace("\r\n", "\n"), saved_by=by, conflict=True
    )
    return answer


def _editable_fresh(application: Application) -> None:
    """Refuse with the reason read from the database (after a check on the caller's copy
    of the application, or the conditional update, refused)."""
    fresh = Application.objects.select_related("track__cycle", "unit").get(pk=application.pk)
    _require_editable(fresh)


@transaction.atomic
def _answer_save(
    *, application: Application, criterion_id: int, text: str, base_version: int, by, answer: Answer | None
) -> Answer:
    # The checks read nothing locked: the caller's application (re-read only to refuse),
    # and the answer with its criterion. The application's conditional update below is
    # where a submission, a withdrawal or a rejection meanwhile is seen (it waits for
    # theirs), and the answer's row is locked by its own update, the last statement.
    try:
        _require_editable(application)
    except ValidationError:
        _require_unit_contact_or_slk(by, application.unit)
        _editable_fresh(application)
    if answer is None or answer.application_id != application.pk or answer.criterion_id != criterion_id:
        try:
            answer = Answer.objects.select_related("criterion", "updated_by").get(
                application=application, criterion_id=criterion_id
            )
        except Answer.DoesNotExist as error:
            _require_unit_contact_or_slk(by, application.unit)
            raise ValidationError(_("Kriteriet hör inte till det här bidraget.")) from error
    text = text.replace("\r\n", "\n")
    limit = answer.criterion.max_length
    if len(text) > limit:
        _require_unit_contact_or_slk(by, application.unit)
        raise ValidationError(
            _(
                "Svaret har %(length)s tecken; högst %(limit)s tecken är tillåtet. Korta texten med %(over)s tecken."
            )
            % {"length": len(text), "limit": limit, "over": len(text) - limit}
        )
    is_slk = has_role(by, Role.SLK)
    if answer.text == text:
        # Nothing to save, whatever version the page had: an explicit save right after
        # the autosave of the same text is not a conflict.
        _require_unit_contact_or_slk(by, application.unit)
        return answer
    if base_version is None:
        raise _AnswerMoved
    now = timezone.now()
    day = today()
    still_editable = (
        Application.objects.filter(pk=application.pk)
        .filter(
            Q(deadline_extended_to__gte=day)
            | Q(deadline_extended_to__isnull=True, track__cycle__application_deadline__gte=day)
        )
        .exclude(registration_status=Application.RegistrationStatus.REJECTED)
        .exclude(status__in=[Application.Status.SUBMITTED, Application.Status.WITHDRAWN])
    )
    if not is_slk:
        still_editable = still_editable.filter(unit__contacts=by)
    if not still_editable.update(updated_at=now):
        _require_unit_contact_or_slk(by, application.unit)
        _editable_fresh(application)
        raise ValidationError(_("Bidraget kan inte ändras längre."))
    AnswerRevision.objects.create(answer=answer, version=base_version + 1, text=text, saved_by=by)
    saved = save_if_version(
        Answer.objects.filter(pk=answer.pk), base_version, text=text, updated_by=by, updated_at=now
    )
    if not saved:
        raise _AnswerMoved
    answer.text, answer.version, answer.updated_by, answer.updated_at = text, base_version + 1, by, now
    return answer


@transaction.atomic
def application_details_save(*, application: Application, film_url: str, by) -> Application:
    _require_unit_contact_or_slk(by, application.unit)
    application = _locked(application)
    _require_editable(application)
    if film_url and not application.is_renewal:
        raise ValidationError(_("Filmlänk hör bara till Förnyelsepriset."))
    if film_url and not film_url.startswith("https://"):
        raise ValidationError(_("Filmlänken måste börja med https://."))
    old = application.film_url
    application.film_url = film_url
    application.save(update_fields=["film_url", "updated_at"])
    audit.record(
        actor=by,
        action=AuditAction.APPLICATION_DETAILS,
        target=application,
        changes={"film_url": [old, film_url]},
    )
    return application


@transaction.atomic
def application_submit(*, application: Application, by) -> Application:
    """Submit a complete application before its deadline. The unit's contacts and head get
    a confirmation e-mail."""
    _require_unit_contact_or_slk(by, application.unit)
    application = _locked(application)
    _require_editable(application)
    missing = queries.missing_parts(application)
    if missing:
        raise ValidationError(missing)
    application.status = Application.Status.SUBMITTED
    application.submitted_at = timezone.now()
    application.submitted_by = by
    application.save(update_fields=["status", "submitted_at", "submitted_by", "updated_at"])
    audit.record(actor=by, action=AuditAction.APPLICATION_SUBMIT, target=application)
    mail_after_commit(
        subject=_("Tävlingsbidrag inlämnat: %(code)s") % {"code": application.code},
        template="submissions/email/submitted.txt",
        context={"application": application},
        recipients=_unit_recipients(application),
    )
    return application


@transaction.atomic
def application_extend(*, application: Application, until: dt.date, reason: str, by) -> Application:
    """SLK gives one unit more time to write (or to finish a reopened application)."""
    require_role(by, Role.SLK)
    application = _locked(application)
    if not reason.strip():
        raise ValidationError(_("Ange skälet till förlängningen."))
    if until < today():
        raise ValidationError(_("Den förlängda tiden kan inte sluta i det förflutna."))
    if until <= application.track.cycle.application_deadline:
        raise ValidationError(
            _("En förlängning måste gå längre än omgångens sista dag, %(date)s.")
            % {"date": date_format(application.track.cycle.application_deadline)}
        )
    old = application.deadline_extended_to
    application.deadline_extended_to = until
    application.save(update_fields=["deadline_extended_to", "updated_at"])
    audit.record(
        actor=by,
        action=AuditAction.APPLICATION_EXTEND,
        target=application,
        changes={"deadline_extended_to": [old.isoformat() if old else None, until.isoformat()]},
        reason=reason,
    )
    return application


@transaction.atomic
def application_reopen(
    *, application: Application, reason: str, by, until: dt.date | None = None
) -> Application:
    """SLK reopens a submitted application so the unit can change it. After the deadline a
    new last day (`until`) is needed too."""
    require_role(by, Role.SLK)
    application = _locked(application)
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError(_("Bara ett inlämnat bidrag kan öppnas igen."))
    if not reason.strip():
        raise ValidationError(_("Ange skälet till att bidraget öppnas igen."))
    if until is None and application.is_past_deadline:
        raise ValidationError(_("Sista dagen har passerat: ange till och med vilken dag enheten får ändra."))
    if until is not None:
        application = application_extend(application=application, until=until, reason=reason, by=by)
    application.status = Application.Status.DRAFT
    application.save(update_fields=["status", "updated_at"])
    audit.record(actor=by, action=AuditAction.APPLICATION_REOPEN, target=application, reason=reason)
    signals.application_status_changed.send(
        sender=Application, application=application, by=by, status_before=Application.Status.SUBMITTED
    )
    return application


@transaction.atomic
def application_withdraw(*, application: Application, reason: str, by) -> Application:
    """The unit withdraws its application until the committee has decided. It leaves the
    examination but stays in the records."""
    _require_unit_contact_or_slk(by, application.unit)
    application = _locked(application)
    refusal = queries.withdraw_refusal(application)
    if refusal:
        raise ValidationError(refusal)
    old = application.status
    application.status = Application.Status.WITHDRAWN
    application.withdrawn_at = timezone.now()
    application.withdrawn_by = by
    application.withdraw_reason = reason.strip()
    application.save(
        update_fields=["status", "withdrawn_at", "withdrawn_by", "withdraw_reason", "updated_at"]
    )
    audit.record(
        actor=by,
        action=AuditAction.APPLICATION_WITHDRAW,
        target=application,
        changes={"status": [old, Application.Status.WITHDRAWN]},
        reason=reason,
    )
    signals.application_status_changed.send(
        sender=Application, application=application, by=by, status_before=old
    )
    return application


# --- attachments ------------------------------------------------------------------------


def _attachment_kind(uploaded_file) -> str:
    """The attachment's kind from its content, which must agree with its name. Raises a
    ValidationError naming the allowed types otherwise."""
    allowed = ", ".join(label for _value, label in Attachment.Kind.choices)
    head = uploaded_file.read(8192)
    uploaded_file.seek(0)
    guess = filetype.guess(head) if head else None
    name = uploaded_file.name.lower()
    if guess is None or guess.mime not in ALLOWED_ATTACHMENT_KINDS:
        raise ValidationError(
            _("Filen %(name)s är inte av en tillåten typ. Tillåtna typer: %(allowed)s.")
            % {"name": uploaded_file.name, "allowed": allowed}
        )
    kind, endings = ALLOWED_ATTACHMENT_KINDS[guess.mime]
    if not any(name.endswith(ending) for ending in endings):
        raise ValidationError(
            _("Filen %(name)s har ett namn som inte stämmer med innehållet (%(kind)s).")
            % {"name": uploaded_file.name, "kind": kind.label}
        )
    return kind


def _megabytes(size: int) -> str:
    """Megabytes with a Swedish decimal comma, one decimal only when needed: "1,2", "10"."""
    value = size / 1_000_000
    return number_format(value, decimal_pos=0 if value == int(value) else 1)


@transaction.atomic
def attachment_add(*, application: Application, uploaded_file, description: str, by) -> Attachment:
    """Attach a file to a draft: size limits per file and per application, and a type
    checked from the content."""
    _require_unit_contact_or_slk(by, application.unit)
    application = _locked(application)
    _require_editable(application)
    per_file = settings.ATTACHMENT_MAX_FILE_BYTES
    per_application = settings.ATTACHMENT_MAX_TOTAL_BYTES
    if uploaded_file.size > per_file:
        raise ValidationError(
            _("Filen är %(size)s MB; en bilaga får vara högst %(max)s MB.")
            % {"size": _megabytes(uploaded_file.size), "max": _megabytes(per_file)}
        )
    used = sum(application.attachments.values_list("size", flat=True))
    if used + uploaded_file.size > per_application:
        raise ValidationError(
            _("Bilagorna får vara högst %(max)s MB tillsammans; %(left)s MB återstår.")
            % {
                "max": _megabytes(per_application),
                "left": _megabytes(max(per_application - used, 0)),
            }
        )
    if application.attachments.count() >= settings.ATTACHMENT_MAX_COUNT:
        raise ValidationError(
            _("Ett bidrag får ha högst %(max)s bilagor.") % {"max": settings.ATTACHMENT_MAX_COUNT}
        )
    kind = _attachment_kind(uploaded_file)
    attachment = Attachment(
        application=application,
        original_name=uploaded_file.name[-200:],
        kind=kind,
        size=uploaded_file.size,
        description=description.strip()[:200],
        uploaded_by=by,
    )
    attachment.file.save(uploaded_file.name, uploaded_file, save=False)
    try:
        attachment.save()
    except Exception:
        attachment.file.delete(save=False)
        raise
    audit.record(
        actor=by,
        action=AuditAction.ATTACHMENT_ADD,
        target=application,
        changes={"file": attachment.original_name, "size": attachment.size},
    )
    return attachment


@transaction.atomic
def attachment_remove(*, attachment: Attachment, by) -> None:
    application = attachment.application
    _require_unit_contact_or_slk(by, application.unit)
    application = _locked(application)
    _require_editable(application)
    name = attachment.original_name
    storage, path = attachment.file.storage, attachment.file.name
    attachment.delete()
    # The file goes only once the row is gone for good.
    transaction.on_commit(lambda: storage.delete(path))
    audit.record(actor=by, action=AuditAction.ATTACHMENT_REMOVE, target=application, changes={"file": name})


@transaction.atomic
def answer_improvements_save(*, application: Application, criterion_id: int, notes: list[str], by) -> Answer:
    """What the unit has done about each area for improvement of its last released feedback
    on this criterion, one note per area in the order `earlier_feedback.areas_for` gives
    them; examiners read the notes with the answer. Only while the application can change."""
    _require_unit_contact_or_slk(by, application.unit)
    application = _locked(application)
    _require_editable(application)
    answer = (
        Answer.objects.select_for_update(of=("self",))
        .select_related("criterion")
        .filter(application=application, criterion_id=criterion_id)
        .first()
    )
    if answer is None:
        raise ValidationError(_("Kriteriet hör inte till det här bidraget."))
    areas = earlier_feedback.areas_for(application).get(answer.criterion.number, [])
    if not areas:
        raise ValidationError(
            _("Det finns inga förbättringsområden från en tidigare återföring för kriteriet.")
        )
    notes = [(note or "").strip() for note in notes] + [""] * len(areas)
    after = [{"area": area, "done": done} for area, done in zip(areas, notes, strict=False) if done]
    if after == answer.improvement_notes:
        return answer
    before = answer.improvement_notes
    answer.improvement_notes = after
    answer.save(update_fields=["improvement_notes", "updated_at"])
    audit.record(
        actor=by,
        action=AuditAction.ANSWER_IMPROVEMENTS,
        target=application,
        changes={"criterion": answer.criterion.number, "notes": [before, after]},
    )
    return answer
