"""State changes of the award's set-up: opening and copying a cycle, moving its phases,
who sits on its judging committee, saving a unit.

Every function takes the acting user as `by`, runs in one transaction and records what it
changed in the audit trail. Views, admin actions and management commands call these.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from award import audit, jobs, outbox, queries, signals
from award.audit_actions import AuditAction
from award.models import (
    REMINDER_DAY_FIELDS,
    TIMELINE_FIELDS,
    AwardCycle,
    BackgroundJob,
    CommitteeMembership,
    CompetitionClass,
    Criterion,
    Organisation,
    OutboxMessage,
    Phase,
    ScaleBand,
    ScoringScale,
    Track,
    Unit,
    parse_day_list,
    today,
    validate_day_list,
)
from award.roles import Role, add_role, remove_role, require_role


@transaction.atomic
def cycle_open(*, cycle: AwardCycle, by) -> AwardCycle:
    """Open a cycle for the year's work. Refuses, naming each problem, unless the dates of
    the timeline are in order, every track's criteria weigh exactly 1000 points and the
    scale covers 0–100 % for both kinds. The timeline as it stands becomes the cycle's
    plan, which moving its phases later leaves as it is."""
    cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status == AwardCycle.Status.OPEN:
        raise ValidationError(_("Omgången %(year)s är redan öppnad.") % {"year": cycle.year})
    errors = queries.cycle_opening_errors(cycle)
    if errors:
        raise ValidationError(errors)
    cycle.full_clean()
    cycle.status = AwardCycle.Status.OPEN
    cycle.planned_timeline = _iso(cycle.timeline_dates())
    cycle.save(update_fields=["status", "planned_timeline"])
    audit.record(actor=by, action=AuditAction.CYCLE_OPEN, target=cycle)
    return cycle


def _iso(dates: dict[str, dt.date]) -> dict[str, str]:
    return {name: day.isoformat() for name, day in dates.items()}


def _next_year(day: dt.date, years: int = 1) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


@transaction.atomic
def cycle_copy(*, cycle: AwardCycle, by, year: int | None = None) -> AwardCycle:
    """Create next year's cycle from this one: the planned timeline moved one year (not
    the dates as phases were closed early or extended), settings, tracks, classes,
    criteria and scale copied. Nothing else (no committee, no applications). The copy
    starts as a draft so SLK can adjust it before opening."""
    year = year or cycle.year + 1
    if AwardCycle.objects.filter(year=year).exists():
        raise ValidationError(_("Det finns redan en omgång för %(year)s.") % {"year": year})
    shift = year - cycle.year
    copy = AwardCycle(
        year=year,
        status=AwardCycle.Status.DRAFT,
        max_applications_per_team=cycle.max_applications_per_team,
        refresher_required=cycle.refresher_required,
        discussion_threshold=cycle.discussion_threshold,
        show_scores_to_units=cycle.show_scores_to_units,
        practice_case_required=cycle.practice_case_required,
        practice_deviation_threshold=cycle.practice_deviation_threshold,
        questionnaire_send_day=cycle.questionnaire_send_day,
        **{name: getattr(cycle, name) for name in REMINDER_DAY_FIELDS},
        **{name: _next_year(day, shift) for name, day in cycle.planned_dates().items()},
    )
    copy.planned_timeline = _iso(copy.timeline_dates())
    copy.full_clean()
    copy.save()
    for track in cycle.tracks.prefetch_related("classes", "criteria"):
        new_track = Track.objects.create(
            cycle=copy, kind=track.kind, name=track.name, description=track.description
        )
        CompetitionClass.objects.bulk_create(
            CompetitionClass(track=new_track, name=c.name, order=c.order) for c in track.classes.all()
        )
        Criterion.objects.bulk_create(
            Criterion(
                track=new_track,
                number=c.number,
                title=c.title,
                applicant_guidance=c.applicant_guidance,
                examiner_guidance=c.examiner_guidance,
                kind=c.kind,
                weight=c.weight,
                max_length=c.max_length,
            )
            for c in track.criteria.all()
        )
    try:
        scale = cycle.scale
    except ScoringScale.DoesNotExist:
        scale = None
    if scale is not None:
        new_scale = ScoringScale.objects.create(cycle=copy, step=scale.step)
        ScaleBand.objects.bulk_create(
            ScaleBand(scale=new_scale, kind=b.kind, low=b.low, high=b.high, descriptor=b.descriptor)
            for b in scale.bands.all()
        )
    audit.record(actor=by, action=AuditAction.CYCLE_COPY, target=copy, changes={"from_year": cycle.year})
    return copy


@transaction.atomic
def cycle_timeline_set(*, cycle: AwardCycle, dates: dict[str, dt.date], reason: str, by) -> dict:
    """Set dates of a draft cycle's timeline; a draft's dates are its plan, so the plan
    follows. Refused once the cycle is open: its phases are then closed early or extended
    on the cycle's page, each with its reason. The dates must stay in order and a change
    needs a reason. Returns the changed dates as {field: (old, new)}; when nothing changes
    nothing is recorded."""
    unknown = set(dates) - set(TIMELINE_FIELDS)
    if unknown:
        raise ValueError(f"Not dates of the timeline: {sorted(unknown)}")
    cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.status != AwardCycle.Status.DRAFT:
        raise ValidationError(
            _(
                "Omgången %(year)s är öppnad: tidplanen ändras genom att en fas avslutas i förtid "
                "eller förlängs på omgångens sida, med en motivering."
            )
            % {"year": cycle.year}
        )
    changed = {}
    for name in TIMELINE_FIELDS:
        if name in dates and dates[name] != getattr(cycle, name):
            changed[name] = (getattr(cycle, name), dates[name])
            setattr(cycle, name, dates[name])
    if not changed:
        return {}
    if not reason.strip():
        raise ValidationError(_("Ange en motivering till ändringen av tidplanen."))
    cycle.planned_timeline = _iso(cycle.timeline_dates())
    cycle.full_clean()
    cycle.save(update_fields=[*changed, "planned_timeline"])
    audit.record(
        actor=by,
        action=AuditAction.CYCLE_TIMELINE_SET,
        target=cycle,
        changes={name: [old.isoformat(), new.isoformat()] for name, (old, new) in changed.items()},
        reason=reason,
    )
    return changed


@transaction.atomic
def cycle_delete(*, cycle: AwardCycle, by) -> None:
    """Delete a cycle that holds nothing but its set-up (created by mistake, or a copy not
    wanted): its tracks, classes, criteria and scale go with it. Refused, naming what it
    holds, once it has any other record; those are never deleted with a cycle."""
    cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
    _refuse(queries.cycle_delete_refusal(cycle))
    audit.record(actor=by, action=AuditAction.CYCLE_DELETE, target=cycle)
    cycle.delete()


def _save_timeline(cycle: AwardCycle, changed: dict, *, by, action: str, reason: str):
    cycle.full_clean()
    cycle.save(update_fields=list(changed))
    audit.record(
        actor=by,
        action=action,
        target=cycle,
        changes={name: [old.isoformat(), new.isoformat()] for name, (old, new) in changed.items()},
        reason=reason,
    )


@transaction.atomic
def phase_close_early(*, cycle: AwardCycle, by, reason: str) -> Phase:
    """End the current phase today: the next phase starts at once. Earlier dates that
    would now lie after the new end are pulled back to it. Returns the new phase."""
    cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
    phase = cycle.phase
    end = cycle.phase_end_field(phase)
    if end is None:
        raise ValidationError(_("Återföringsfasen är omgångens sista fas och kan inte avslutas."))
    field, inclusive = end
    new_end = today() - dt.timedelta(days=1) if inclusive else today()
    changed = {}
    position = TIMELINE_FIELDS.index(field)
    for name in TIMELINE_FIELDS[: position + 1]:
        old = getattr(cycle, name)
        if (name == field or old > new_end) and old != new_end:
            changed[name] = (old, new_end)
            setattr(cycle, name, new_end)
    _save_timeline(cycle, changed, by=by, action=AuditAction.CYCLE_PHASE_CLOSED_EARLY, reason=reason)
    return cycle.phase


@transaction.atomic
def phase_extend(*, cycle: AwardCycle, by, until: dt.date, reason: str) -> dict:
    """Let the current phase last until `until` (inclusive). Later dates that would fall
    before it are moved forward by the same number of days, so the order of the
    timeline holds. Returns the changed dates as {field: (old, new)}."""
    cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
    phase = cycle.phase
    end = cycle.phase_end_field(phase)
    if end is None:
        raise ValidationError(_("Återföringsfasen har inget slutdatum att flytta."))
    if until < today():
        raise ValidationError(_("Det nya slutdatumet kan inte ligga i det förflutna."))
    field, inclusive = end
    new_value = until if inclusive else until + dt.timedelta(days=1)
    old_value = getattr(cycle, field)
    if new_value <= old_value:
        raise ValidationError(
            _("Fasen slutar redan %(date)s; välj ett senare datum för att förlänga den.")
            % {"date": date_format(cycle.phase_end(phase))}
        )
    delta = new_value - old_value
    changed = {field: (old_value, new_value)}
    setattr(cycle, field, new_value)
    position = TIMELINE_FIELDS.index(field)
    floor = new_value
    for name in TIMELINE_FIELDS[position + 1 :]:
        old = getattr(cycle, name)
        if old < floor:
            moved = max(old + delta, floor)
            changed[name] = (old, moved)
            setattr(cycle, name, moved)
        floor = getattr(cycle, name)
    _save_timeline(cycle, changed, by=by, action=AuditAction.CYCLE_PHASE_EXTENDED, reason=reason)
    return changed


# --- Units -----------------------------------------------------------------------------------


@transaction.atomic
def unit_save(*, unit: Unit, by) -> Unit:
    """Create or change a unit as the admin's form or the units import has set it. A unit
    moved to another administration is recorded in the audit trail and announced with
    `signals.unit_organisation_changed` inside this transaction: examiners of its new
    administration lose their access to its applications before the move commits (R8),
    and a receiver's failure undoes the move."""
    before = None
    if unit.pk is not None:
        # Locked, so two changes of one unit at once each see the other's organisation.
        before = (
            Unit.objects.select_for_update()
            .filter(pk=unit.pk)
            .values_list("organisation_id", flat=True)
            .first()
        )
    unit.save()
    if before is not None and before != unit.organisation_id:
        organisation_before = Organisation.objects.get(pk=before)
        audit.record(
            actor=by,
            action=AuditAction.UNIT_ORGANISATION_CHANGE,
            target=unit,
            changes={"organisation": [organisation_before.name, unit.organisation.name]},
        )
        signals.unit_organisation_changed.send(
            sender=Unit, unit=unit, organisation_before=organisation_before, by=by
        )
    return unit


# --- The judging committee -------------------------------------------------------------------


def _committee_locked(cycle: AwardCycle) -> AwardCycle:
    """The cycle, locked: changes to one cycle's committee happen one at a time, so the
    checks below (one chair, one membership each) see every earlier change."""
    return AwardCycle.objects.select_for_update().get(pk=cycle.pk)


def _refuse(refusal: str) -> None:
    if refusal:
        raise ValidationError(refusal)


@transaction.atomic
def committee_member_add(*, cycle: AwardCycle, user, by, is_chair: bool = False) -> CommitteeMembership:
    """Seat `user` on the cycle's judging committee (as its chair if `is_chair`). They get
    the committee role, which with the membership opens the cycle's committee pages."""
    require_role(by, Role.SLK)
    cycle = _committee_locked(cycle)
    _refuse(queries.committee_member_refusal(cycle=cycle, user=user))
    if is_chair:
        _refuse(queries.committee_chair_refusal(cycle=cycle))
    membership = CommitteeMembership.objects.create(cycle=cycle, user=user, is_chair=is_chair)
    add_role(user, Role.COMMITTEE)
    audit.record(
        actor=by,
        action=AuditAction.COMMITTEE_MEMBER_ADD,
        target=cycle,
        changes={"member": user.username, "chair": is_chair},
    )
    return membership


@transaction.atomic
def committee_chair_set(*, membership: CommitteeMembership, is_chair: bool, by) -> CommitteeMembership:
    """Make a member the chair, or not. A cycle has one chair: a second is refused, naming
    the one there is."""
    require_role(by, Role.SLK)
    cycle = _committee_locked(membership.cycle)
    membership = CommitteeMembership.objects.select_related("user").get(pk=membership.pk)
    if membership.is_chair == is_chair:
        return membership
    if is_chair:
        _refuse(queries.committee_chair_refusal(cycle=cycle, membership=membership))
    membership.is_chair = is_chair
    membership.save(update_fields=["is_chair"])
    audit.record(
        actor=by,
        action=AuditAction.COMMITTEE_CHAIR,
        target=cycle,
        changes={"member": membership.user.username, "chair": [not is_chair, is_chair]},
    )
    return membership


@transaction.atomic
def committee_member_remove(*, membership: CommitteeMembership, by) -> None:
    """Take a member off the cycle's committee: the cycle's committee pages answer 404 to
    them from now on, and someone left on no committee loses the committee role. Their
    declared conflicts and the meetings they attended stay on record."""
    require_role(by, Role.SLK)
    cycle = _committee_locked(membership.cycle)
    membership = CommitteeMembership.objects.select_related("user").get(pk=membership.pk)
    user, was_chair = membership.user, membership.is_chair
    membership.delete()
    if not CommitteeMembership.objects.filter(user=user).exists():
        remove_role(user, Role.COMMITTEE)
    audit.record(
        actor=by,
        action=AuditAction.COMMITTEE_MEMBER_REMOVE,
        target=cycle,
        changes={"member": user.username, "chair": was_chair},
    )


# --- Background work: the outbox, reminder days, jobs ------------------------------------


@transaction.atomic
def outbox_resend(*, message: OutboxMessage, by) -> OutboxMessage:
    """SLK sends an e-mail of the outbox again (a failed one, or a sent one the person
    says never came): it goes back to pending and the worker sends it at once."""
    require_role(by, Role.SLK)
    message = OutboxMessage.objects.select_for_update().get(pk=message.pk)
    if message.status == OutboxMessage.Status.SENDING:
        raise ValidationError(_("E-postmeddelandet skickas just nu. Försök igen om en stund."))
    before = message.status
    message.status = OutboxMessage.Status.PENDING
    message.next_attempt_at = timezone.now()
    message.attempts = 0
    message.save(update_fields=["status", "next_attempt_at", "attempts"])
    audit.record(
        actor=by,
        action=AuditAction.OUTBOX_RESEND,
        target=message,
        changes={"recipient": message.recipient, "subject": message.subject, "status": before},
    )
    keys = [message.key]
    transaction.on_commit(lambda: outbox.request_delivery(keys=keys))
    return message


@transaction.atomic
def cycle_reminders_set(*, cycle: AwardCycle, by, **days: str) -> dict:
    """SLK sets on which days the worker reminds people: the day lists of
    REMINDER_DAY_FIELDS ("7,2": days before each deadline; the questionnaires' days after
    the feedback release) and `questionnaire_send_day` (one day after the release). Refuses
    a value that is not days 0–60, naming the field, and then changes nothing."""
    require_role(by, Role.SLK)
    cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
    changed, errors = {}, {}
    for name, value in days.items():
        if name == "questionnaire_send_day":
            value = _day_or_error(value, name, errors)
            if name not in errors and value != cycle.questionnaire_send_day:
                changed[name] = [cycle.questionnaire_send_day, value]
                cycle.questionnaire_send_day = value
            continue
        if name not in REMINDER_DAY_FIELDS:
            raise TypeError(name)
        value = ",".join(str(d) for d in sorted(set(_days_or_error(value, name, errors)), reverse=True))
        if name not in errors and value != getattr(cycle, name):
            changed[name] = [getattr(cycle, name), value]
            setattr(cycle, name, value)
    if errors:
        raise ValidationError(errors)
    if changed:
        cycle.save(update_fields=list(changed))
        audit.record(actor=by, action=AuditAction.CYCLE_REMINDERS_SET, target=cycle, changes=changed)
    return changed


def _day_or_error(value, name: str, errors: dict) -> int:
    try:
        day = int(str(value).strip())
    except ValueError:
        errors[name] = [_("Ange ett heltal mellan 0 och 60.")]
        return 0
    if not 0 <= day <= 60:
        errors[name] = [_("Ange ett heltal mellan 0 och 60.")]
    return day


def _days_or_error(value: str, name: str, errors: dict) -> list[int]:
    try:
        validate_day_list(value)
    except ValidationError as error:
        errors[name] = error.messages
        return []
    return parse_day_list(value)


@transaction.atomic
def job_start(*, kind: str, params: dict, by) -> BackgroundJob:
    """Start long work in the background (a kind registered in award.jobs): the job is
    recorded and queued for the worker once this transaction commits. Refused unless the
    kind lets this user start it."""
    registered = jobs.kind(kind)
    if registered is None or not registered.may_start(by, params):
        raise PermissionDenied(_("Du har inte behörighet att göra detta."))
    job = BackgroundJob.objects.create(kind=kind, params=params, requested_by=by)
    audit.record(actor=by, action=AuditAction.JOB_START, target=job, changes={"kind": kind, **params})
    job_id = job.pk
    transaction.on_commit(lambda: _queue_job(job_id))
    return job


def _queue_job(job_id: int) -> None:
    from award.tasks import job_run

    job_run.enqueue(job_id)
