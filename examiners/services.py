"""Every change to the examiner pool, training, conflicts and teams.

The hard rules of assignment live here, not in forms: whatever calls `team_assign`,
`team_member_add` or `team_confirm` (a view, the admin, `propose_teams`) gets the same
refusal. Per-object permissions on applications are granted and revoked only here, in the
same transaction as the change that causes them.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from award import audit
from award.models import AwardCycle, Organisation, Track, Unit
from award.notify import mail_after_commit
from award.roles import Role, add_role, require_role
from award.versioning import bump_version, check_version
from examiners import queries, rules
from examiners.audit_actions import AuditAction
from examiners.models import (
    ApplicationOpening,
    Assignment,
    Attendance,
    Conflict,
    Enrolment,
    ExaminerProfile,
    PoolMember,
    PracticeAssessment,
    PracticeAssessmentItem,
    PracticeCase,
    PracticeCaseItem,
    Team,
    TeamMember,
    TrainingDay,
    TrainingSession,
)
from submissions.models import Application

VIEW, ASSESS = "submissions.view_application", "submissions.assess_application"
EXAMINER_PERMS = [VIEW, ASSESS]

# The most teams SLK lets one examiner sit in (a team takes one or two applications).
MAX_TEAMS = 5


# --- The pool -------------------------------------------------------------------------


@dataclass
class VolunteerData:
    organisation: Organisation
    employer_unit: Unit | None = None
    employer: str = ""
    job_title: str = ""
    areas: list[str] = field(default_factory=list)
    available: bool = True
    availability_note: str = ""
    manager_name: str = ""
    conflicts: list[tuple[Unit | Organisation, str]] = field(default_factory=list)


@transaction.atomic
def pool_volunteer(*, cycle: AwardCycle, user, data: VolunteerData) -> PoolMember:
    """A member of staff offers to examine this cycle, declaring known conflicts at once."""
    profile, _created = ExaminerProfile.objects.get_or_create(
        user=user, defaults={"organisation": data.organisation}
    )
    profile.organisation = data.organisation
    profile.employer_unit = data.employer_unit
    profile.employer = data.employer
    profile.job_title = data.job_title
    profile.areas = sorted(set(data.areas))
    profile.save()
    member, created = PoolMember.objects.get_or_create(cycle=cycle, profile=profile)
    if not member.may_volunteer_again:
        if member.status == PoolMember.Status.ACCEPTED:
            raise ValidationError(_("Du är redan antagen till årets examinatorspool."))
        raise ValidationError(
            _(
                "Stadsledningskontoret har redan beslutat om din intresseanmälan i år. Kontakta dem om något har ändrats."
            )
        )
    member.status = PoolMember.Status.VOLUNTEERED
    member.available = data.available
    member.availability_note = data.availability_note
    member.manager_name = data.manager_name or member.manager_name
    member.save()
    for target, reason in data.conflicts:
        conflict_declare(member=member, target=target, reason=reason, source=Conflict.Source.JOINING, by=user)
    audit.record(actor=user, action=AuditAction.POOL_VOLUNTEER, target=member)
    return member


@transaction.atomic
def pool_decide(*, member: PoolMember, accept: bool, by) -> PoolMember:
    require_role(by, Role.SLK)
    member = PoolMember.objects.select_for_update().get(pk=member.pk)
    if not accept and member.teams.exists():
        raise ValidationError(
            _("%(name)s ingår i ett lag. Ta bort personen ur laget först.") % {"name": member.profile}
        )
    member.status = PoolMember.Status.ACCEPTED if accept else PoolMember.Status.DECLINED
    member.decided_by = by
    member.decided_at = timezone.now()
    member.save()
    if accept:
        add_role(member.profile.user, Role.EXAMINER)
    audit.record(
        actor=by, action=AuditAction.POOL_ACCEPT if accept else AuditAction.POOL_DECLINE, target=member
    )
    return member


@transaction.atomic
def manager_approval_record(*, member: PoolMember, manager_name: str, approved_on: dt.date, by) -> PoolMember:
    """SLK records that the examiner's manager has approved the time for this cycle. An
    approval has a name and a date; one recorded is corrected, never taken away."""
    require_role(by, Role.SLK)
    if not manager_name.strip():
        raise ValidationError(_("Ange chefens namn."))
    if approved_on is None:
        raise ValidationError(_("Ange datum för chefens godkännande."))
    member.manager_name = manager_name.strip()
    member.manager_approved_on = approved_on
    member.save(update_fields=["manager_name", "manager_approved_on"])
    audit.record(
        actor=by,
        action=AuditAction.POOL_MANAGER_APPROVAL,
        target=member,
        changes={"manager": member.manager_name, "date": approved_on.isoformat()},
    )
    return member


@transaction.atomic
def pool_member_settings(*, member: PoolMember, max_teams: int, by) -> PoolMember:
    """SLK sets how many teams the examiner may sit in: 1 to MAX_TEAMS, and not fewer than
    the teams they are in."""
    require_role(by, Role.SLK)
    if max_teams < 1:
        raise ValidationError(_("En examinator måste kunna ingå i minst ett lag."))
    if max_teams > MAX_TEAMS:
        raise ValidationError(_("En examinator kan ingå i högst %(max)s lag.") % {"max": MAX_TEAMS})
    placed = member.teams.count()
    if max_teams < placed:
        raise ValidationError(
            _("%(name)s ingår redan i %(count)s lag. Ta bort personen ur ett lag först.")
            % {"name": member.profile, "count": placed}
        )
    before = member.max_teams
    member.max_teams = max_teams
    member.save(update_fields=["max_teams"])
    audit.record(
        actor=by, action=AuditAction.POOL_MAX_TEAMS, target=member, changes={"max_teams": [before, max_teams]}
    )
    return member


PROFILE_FIELDS = (
    "organisation",
    "employer_unit",
    "employer",
    "job_title",
    "years_served",
    "years_led",
    "areas",
)


def _logged(value):
    """A profile value as the audit trail keeps it (JSON): a related row by its name."""
    return str(value) if isinstance(value, Organisation | Unit) else value


@transaction.atomic
def profile_update(*, profile: ExaminerProfile, values: dict, by) -> ExaminerProfile:
    """SLK corrects an examiner's profile (`values` maps PROFILE_FIELDS to new values). A new
    organisation or workplace may make them conflicted with an application of their team:
    their access to it goes in the same transaction and the team is flagged."""
    require_role(by, Role.SLK)
    unknown = set(values) - set(PROFILE_FIELDS)
    if unknown:
        raise ValueError(f"Not profile fields: {sorted(unknown)}")
    profile = ExaminerProfile.objects.select_for_update().get(pk=profile.pk)
    changes = {}
    for name, value in values.items():
        old = getattr(profile, name)
        if old != value:
            changes[name] = [_logged(old), _logged(value)]
            setattr(profile, name, value)
    if not changes:
        return profile
    unit = profile.employer_unit
    if unit is not None and unit.organisation_id != profile.organisation_id:
        raise ValidationError(
            _("Enheten %(unit)s hör inte till %(organisation)s.")
            % {"unit": unit.name, "organisation": profile.organisation.name}
        )
    profile.save(update_fields=list(changes))
    audit.record(actor=by, action=AuditAction.POOL_PROFILE_CHANGE, target=profile, changes=changes)
    recheck_members(profile.memberships.values_list("pk", flat=True), by=by)
    return profile


# --- Training -------------------------------------------------------------------------


def _session_recipients(session: TrainingSession) -> list[str]:
    return [
        e.member.profile.user.email
        for e in session.enrolments.filter(
            status__in=[Enrolment.Status.ENROLLED, Enrolment.Status.WAITING]
        ).select_related("member__profile__user")
    ]


@transaction.atomic
def session_save(
    *, session: TrainingSession, days: list[dt.date], by, notify: bool = True
) -> TrainingSession:
    """Create or change a training session and its days. Enrolled and waiting examiners
    get an e-mail when an existing session changes."""
    require_role(by, Role.SLK)
    if not days:
        raise ValidationError(_("Ett utbildningstillfälle måste ha minst en dag."))
    if len(set(days)) != len(days):
        raise ValidationError(_("Samma datum förekommer två gånger."))
    is_new = session.pk is None
    session.full_clean()
    session.save()
    existing = {d.date: d for d in session.days.all()}
    for date, day in existing.items():
        if date not in days:
            if day.attendance.exists():
                raise ValidationError(
                    _("Dagen %(date)s har redan närvaro registrerad och kan inte tas bort.") % {"date": date}
                )
            day.delete()
    for date in days:
        if date not in existing:
            TrainingDay.objects.create(session=session, date=date)
    if session.enrolments.filter(status=Enrolment.Status.ENROLLED).count() < session.capacity:
        _promote_waiting(session)
    if not is_new:
        recheck_members(session.enrolments.values_list("member_id", flat=True), by=by)
    audit.record(
        actor=by,
        action=AuditAction.TRAINING_CREATE if is_new else AuditAction.TRAINING_CHANGE,
        target=session,
        changes={
            "days": [d.isoformat() for d in sorted(days)],
            "capacity": session.capacity,
            "place": session.place,
        },
    )
    if not is_new and notify:
        mail_after_commit(
            subject=_("Ändring: %(title)s") % {"title": session.title},
            template="examiners/email/session_changed.txt",
            context={"session": session, "days": sorted(days)},
            recipients=_session_recipients(session),
        )
    return session


def _promote_waiting(session: TrainingSession) -> list[Enrolment]:
    enrolled = session.enrolments.filter(status=Enrolment.Status.ENROLLED).count()
    promoted = []
    for enrolment in session.enrolments.filter(status=Enrolment.Status.WAITING).order_by(
        "requested_at", "pk"
    ):
        if enrolled >= session.capacity:
            break
        enrolment.status = Enrolment.Status.ENROLLED
        enrolment.save(update_fields=["status", "changed_at"])
        enrolled += 1
        promoted.append(enrolment)
        mail_after_commit(
            subject=_("Du har fått en plats: %(title)s") % {"title": session.title},
            template="examiners/email/promoted.txt",
            context={"session": session, "member": enrolment.member},
            recipients=[enrolment.member.profile.user.email],
        )
    return promoted


@transaction.atomic
def enrol(*, session: TrainingSession, member: PoolMember, by) -> Enrolment:
    """Enrol in a session, or join its waiting list when it is full."""
    if by != member.profile.user:
        require_role(by, Role.SLK)
    if member.cycle_id != session.cycle_id:
        raise ValidationError(_("Utbildningen hör till en annan omgång."))
    if member.status != PoolMember.Status.ACCEPTED:
        raise ValidationError(
            _("%(name)s är inte antagen till årets pool och kan inte anmälas.") % {"name": member.profile}
        )
    # Lock the session row so two last-seat enrolments cannot both get the seat.
    session = TrainingSession.objects.select_for_update().get(pk=session.pk)
    enrolment, created = Enrolment.objects.get_or_create(
        session=session, member=member, defaults={"status": Enrolment.Status.WAITING}
    )
    if not created and enrolment.status != Enrolment.Status.CANCELLED:
        raise ValidationError(
            _("%(name)s är redan anmäld till %(title)s.") % {"name": member.profile, "title": session}
        )
    enrolled = session.enrolments.filter(status=Enrolment.Status.ENROLLED).count()
    enrolment.status = Enrolment.Status.ENROLLED if enrolled < session.capacity else Enrolment.Status.WAITING
    enrolment.requested_at = timezone.now()
    enrolment.save()
    audit.record(
        actor=by, action=AuditAction.TRAINING_ENROL, target=enrolment, changes={"status": enrolment.status}
    )
    return enrolment


@transaction.atomic
def enrolment_cancel(*, enrolment: Enrolment, by) -> list[Enrolment]:
    """Cancel a place; the first on the waiting list moves up. Returns who moved up."""
    if by != enrolment.member.profile.user:
        require_role(by, Role.SLK)
    session = TrainingSession.objects.select_for_update().get(pk=enrolment.session_id)
    # Re-read under the session lock: a stale object must not free a seat twice.
    enrolment = Enrolment.objects.select_for_update().get(pk=enrolment.pk)
    if enrolment.status == Enrolment.Status.CANCELLED:
        return []
    if enrolment.attendance.filter(present=True).exists():
        raise ValidationError(_("Anmälan har redan närvaro registrerad och kan inte avanmälas."))
    was = enrolment.status
    enrolment.status = Enrolment.Status.CANCELLED
    enrolment.save(update_fields=["status", "changed_at"])
    audit.record(
        actor=by,
        action=AuditAction.TRAINING_CANCEL,
        target=enrolment,
        changes={"status": [was, enrolment.status]},
    )
    recheck_members([enrolment.member_id], by=by)
    return _promote_waiting(session) if was == Enrolment.Status.ENROLLED else []


@transaction.atomic
def attendance_mark(*, day: TrainingDay, present_member_ids, by) -> int:
    """Mark who attended one day of a session: every enrolled examiner is marked present
    or absent. Returns the number present."""
    require_role(by, Role.SLK)
    present_member_ids = {int(i) for i in present_member_ids}
    enrolments = list(day.session.enrolments.filter(status=Enrolment.Status.ENROLLED))
    unknown = present_member_ids - {e.member_id for e in enrolments}
    if unknown:
        raise ValidationError(_("Närvaro kan bara registreras för anmälda deltagare."))
    for enrolment in enrolments:
        Attendance.objects.update_or_create(
            enrolment=enrolment,
            day=day,
            defaults={"present": enrolment.member_id in present_member_ids, "marked_by": by},
        )
    audit.record(
        actor=by,
        action=AuditAction.TRAINING_ATTENDANCE,
        target=day.session,
        changes={"day": day.date.isoformat(), "present": len(present_member_ids)},
    )
    recheck_members([e.member_id for e in enrolments], by=by)
    return len(present_member_ids)


# --- Conflicts of interest ------------------------------------------------------------


def _team_applications(member: PoolMember):
    return Application.objects.filter(assignment__team__members__member=member).select_related(
        "unit", "assignment__team"
    )


@transaction.atomic
def conflict_declare(*, member: PoolMember, target, reason: str, source: str, by) -> Conflict:
    """Record a conflict with a unit or an organisation. If the examiner already has an
    application it touches, their access goes at once and the team is flagged for SLK."""
    if by != member.profile.user:
        require_role(by, Role.SLK)
    # Lock the member so a confirmation running now cannot grant after this revokes.
    member = (
        PoolMember.objects.select_for_update(of=("self",)).select_related("profile__user").get(pk=member.pk)
    )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Ange skälet till jävet."))
    conflict = Conflict(
        member=member,
        unit=target if isinstance(target, Unit) else None,
        organisation=target if isinstance(target, Organisation) else None,
        reason=reason,
        source=source,
        recorded_by=by,
    )
    if conflict.unit is None and conflict.organisation is None:
        raise ValidationError(_("Jävet måste gälla en enhet eller en förvaltning."))
    conflict.save()
    audit.record(
        actor=by,
        action=AuditAction.CONFLICT_DECLARE,
        target=member,
        changes={"target": str(target), "source": source},
        reason=reason,
    )
    for application in _team_applications(member):
        if not conflict.covers(application):
            continue
        _revoke(member, application)
        team = application.assignment.team
        note = _(
            "%(name)s har anmält jäv mot %(code)s (%(unit)s) efter tilldelningen och har inte längre åtkomst."
        ) % {
            "name": member.profile,
            "code": application.code,
            "unit": application.unit.name,
        }
        team.flag = f"{team.flag}\n{note}".strip()
        team.save(update_fields=["flag"])
        audit.record(
            actor=by,
            action=AuditAction.TEAM_FLAG,
            target=team,
            changes={"application": application.code},
            reason=note,
        )
    return conflict


@transaction.atomic
def application_open(*, member: PoolMember, application: Application, conflict_reason: str = "", by) -> bool:
    """The first time an examiner opens an assigned application they state whether they
    have a conflict with it. Returns True when they may go on reading it."""
    if by != member.profile.user:
        raise PermissionDenied
    member = PoolMember.objects.select_for_update().get(pk=member.pk)
    if not by.has_perm(ASSESS, application):
        raise PermissionDenied(_("Bidraget är inte tilldelat ditt lag."))
    if conflict_reason.strip():
        conflict_declare(
            member=member,
            target=application.unit,
            reason=conflict_reason,
            source=Conflict.Source.OPENING,
            by=by,
        )
        return False
    ApplicationOpening.objects.get_or_create(member=member, application=application)
    assign_perm(VIEW, by, application)
    return True


@transaction.atomic
def team_flag_clear(*, team: Team, by) -> Team:
    require_role(by, Role.SLK)
    audit.record(actor=by, action=AuditAction.TEAM_FLAG_CLEAR, target=team, reason=team.flag)
    team.flag = ""
    team.save(update_fields=["flag"])
    return team


def _flag(team: Team, note: str, *, by) -> None:
    team = Team.objects.select_for_update().get(pk=team.pk)
    if note in team.flag:
        return
    team.flag = f"{team.flag}\n{note}".strip()
    team.save(update_fields=["flag"])
    audit.record(actor=by, action=AuditAction.TEAM_FLAG, target=team, reason=note)


@transaction.atomic
def application_status_changed(*, application: Application, by, status_before, **kwargs) -> None:
    """A withdrawn application leaves its team (access goes with it); a reopened one stays
    but the team is told. Connected to submissions' signal in ExaminersConfig.ready."""
    assignment = Assignment.objects.select_related("team").filter(application=application).first()
    if assignment is None:
        return
    team = assignment.team
    if application.status == Application.Status.WITHDRAWN:
        for team_member in team.members.select_related("member__profile__user"):
            _revoke(team_member.member, application)
        assignment.delete()
        note = _("%(code)s har återtagits av enheten och är borttaget från laget.") % {
            "code": application.code
        }
    else:
        note = _("%(code)s har öppnats igen för enheten; läs det på nytt när det lämnats in.") % {
            "code": application.code
        }
    _flag(team, note, by=by)


@transaction.atomic
def unit_organisation_changed(*, unit: Unit, by, **kwargs) -> None:
    """A unit moved to another administration: whoever of that administration sits in a
    confirmed team holding one of the unit's applications loses their access to it at once
    and the team is flagged, as after a profile change (R8). Connected to award's signal in
    ExaminersConfig.ready."""
    member_ids = PoolMember.objects.filter(
        teams__team__status=Team.Status.CONFIRMED,
        teams__team__assignments__application__unit=unit,
    ).values_list("pk", flat=True)
    recheck_members(member_ids, by=by)


@transaction.atomic
def recheck_members(member_ids, *, by) -> None:
    """After a change that may break the rules for people already in confirmed teams
    (training, profile, a unit's administration): a new conflict takes their access at
    once; a lost qualification flags the team for SLK to decide."""
    members = (
        queries.pool_members_for_rules()
        .filter(pk__in=list(member_ids), teams__team__status=Team.Status.CONFIRMED)
        .distinct()
    )
    for member in members:
        problems = rules.member_errors(member)
        for application in _team_applications(member):
            team = application.assignment.team
            if not team.is_confirmed:
                continue
            conflicts = member.conflict_reasons(application)
            if conflicts:
                _revoke(member, application)
                _flag(
                    team,
                    " ".join(conflicts)
                    + " "
                    + _("Åtkomsten till %(code)s är borttagen.") % {"code": application.code},
                    by=by,
                )
            for problem in problems:
                _flag(team, problem, by=by)


# --- Teams and assignment -------------------------------------------------------------


def _grant(member: PoolMember, application: Application) -> None:
    """A confirmed member may assess the application; reading it (view) waits until they
    have answered the conflict question when first opening it (`application_open`)."""
    assign_perm(ASSESS, member.profile.user, application)
    if ApplicationOpening.objects.filter(member=member, application=application).exists():
        assign_perm(VIEW, member.profile.user, application)


def _revoke(member: PoolMember, application: Application) -> None:
    for perm in EXAMINER_PERMS:
        remove_perm(perm, member.profile.user, application)


def _members_for_rules(team: Team):
    """The team's members, locked, with what the rules read."""
    return list(
        PoolMember.objects.filter(teams__team=team)
        .select_for_update(of=("self",))
        .select_related("cycle", "profile__user")
        .prefetch_related(
            "conflicts__unit",
            "conflicts__organisation",
            Prefetch(
                "enrolments",
                queryset=Enrolment.objects.select_related("session").prefetch_related(
                    "session__days", "attendance"
                ),
            ),
        )
    )


def _refuse(errors: list[str]):
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def team_create(*, cycle: AwardCycle, track: Track, name: str, by) -> Team:
    require_role(by, Role.SLK)
    if track.cycle_id != cycle.pk:
        raise ValidationError(_("Spåret hör till en annan omgång."))
    if Team.objects.filter(cycle=cycle, name=name).exists():
        raise ValidationError(_("Det finns redan ett lag som heter %(name)s.") % {"name": name})
    team = Team.objects.create(cycle=cycle, track=track, name=name)
    audit.record(actor=by, action=AuditAction.TEAM_CREATE, target=team)
    return team


@transaction.atomic
def team_member_add(*, team: Team, member: PoolMember, by, leader: bool = False) -> TeamMember:
    require_role(by, Role.SLK)
    team = Team.objects.select_for_update().get(pk=team.pk)
    member = (
        PoolMember.objects.select_for_update(of=("self",))
        .select_related("cycle", "profile__user")
        .prefetch_related(
            "conflicts__unit",
            "conflicts__organisation",
            "enrolments__session__days",
            "enrolments__attendance",
            "practice_assessments",
        )
        .get(pk=member.pk)
    )
    errors = [] if member.cycle_id == team.cycle_id else [_("Examinatorn hör till en annan omgång.")]
    errors += rules.member_errors(member)
    if team.members.filter(member=member).exists():
        errors.append(_("%(name)s är redan med i laget.") % {"name": member.profile})
    in_teams = TeamMember.objects.filter(member=member).count()
    if in_teams >= member.max_teams:
        errors.append(
            _("%(name)s ingår redan i %(count)s lag (högst %(max)s).")
            % {"name": member.profile, "count": in_teams, "max": member.max_teams}
        )
    for assignment in team.assignments.select_related("application__unit"):
        errors += member.conflict_reasons(assignment.application)
    if leader:
        errors += rules.leader_errors(member)
    _refuse(errors)
    if leader:
        team.members.filter(is_leader=True).update(is_leader=False)
    team_member = TeamMember.objects.create(team=team, member=member, is_leader=leader)
    if team.is_confirmed:
        for assignment in team.assignments.select_related("application"):
            _grant(member, assignment.application)
    audit.record(
        actor=by,
        action=AuditAction.TEAM_MEMBER_ADD,
        target=team,
        changes={"member": str(member.profile), "leader": leader},
    )
    return team_member


@transaction.atomic
def team_leader_set(*, team: Team, member: PoolMember, by) -> Team:
    require_role(by, Role.SLK)
    team = Team.objects.select_for_update().get(pk=team.pk)
    team_member = (
        team.members.select_related("member__profile", "member__cycle").filter(member=member).first()
    )
    if team_member is None:
        raise ValidationError(_("Lagledaren måste vara med i laget."))
    _refuse(rules.leader_errors(team_member.member))
    team.members.filter(is_leader=True).update(is_leader=False)
    team_member.is_leader = True
    team_member.save(update_fields=["is_leader"])
    audit.record(
        actor=by, action=AuditAction.TEAM_LEADER, target=team, changes={"leader": str(member.profile)}
    )
    return team


@transaction.atomic
def team_member_remove(*, team_member: TeamMember, by) -> None:
    """Remove a member; their access to the team's applications goes in the same step."""
    require_role(by, Role.SLK)
    team = Team.objects.select_for_update().get(pk=team_member.team_id)
    if team.is_confirmed:
        remaining = [m for m in _members_for_rules(team) if m.pk != team_member.member_id]
        errors = []
        if team_member.is_leader:
            errors.append(_("Utse en ny lagledare innan lagledaren tas bort ur ett fastställt lag."))
        if len(remaining) < 2:
            errors.append(_("Ett fastställt lag behöver minst två examinatorer."))
        if not any(m.is_experienced for m in remaining):
            errors.append(_("Laget skulle bli utan erfaren examinator."))
        _refuse(errors)
        for assignment in team.assignments.select_related("application"):
            _revoke(team_member.member, assignment.application)
    audit.record(
        actor=by,
        action=AuditAction.TEAM_MEMBER_REMOVE,
        target=team,
        changes={"member": str(team_member.member.profile)},
    )
    team_member.delete()


@transaction.atomic
def team_assign(*, team: Team, application: Application, by) -> Assignment:
    require_role(by, Role.SLK)
    team = Team.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=team.pk)
    errors = []
    if application.track_id != team.track_id:
        errors.append(_("%(code)s hör till ett annat spår än laget.") % {"code": application.code})
    if application.status != Application.Status.SUBMITTED:
        errors.append(_("%(code)s är inte inskickat.") % {"code": application.code})
    if Assignment.objects.filter(application=application).exists():
        errors.append(_("%(code)s har redan ett lag.") % {"code": application.code})
    limit = rules.applications_limit(team.cycle)
    if team.assignments.count() >= limit:
        errors.append(_("Laget har redan %(limit)s bidrag, det högsta omgången tillåter.") % {"limit": limit})
    members = _members_for_rules(team)
    for member in members:
        errors += member.conflict_reasons(application)
        if team.is_confirmed:
            # Whoever gets access now must still meet the rules, not only on confirmation day.
            errors += rules.member_errors(member)
    _refuse(errors)
    assignment = Assignment.objects.create(team=team, application=application)
    if team.is_confirmed:
        for member in members:
            _grant(member, application)
    audit.record(
        actor=by, action=AuditAction.TEAM_ASSIGN, target=team, changes={"application": application.code}
    )
    return assignment


def _assessment_started(application) -> bool:
    # Scoring sits above this app in the chain, so its rows are reached through the
    # reverse relation rather than an import.
    return Application.objects.filter(pk=application.pk, assessments__isnull=False).exists()


@transaction.atomic
def team_unassign(*, assignment: Assignment, by) -> None:
    """Take an application from a team, while nobody has started assessing it: after
    that the team's work would be orphaned (a withdrawn application leaves through
    `application_status_changed` instead)."""
    require_role(by, Role.SLK)
    team = Team.objects.select_for_update().get(pk=assignment.team_id)
    if _assessment_started(assignment.application):
        raise ValidationError(
            _("%(code)s har redan bedömningar i %(team)s och kan inte tas från laget.")
            % {"code": assignment.application.code, "team": team.name}
        )
    if team.is_confirmed:
        for team_member in team.members.select_related("member__profile__user"):
            _revoke(team_member.member, assignment.application)
    audit.record(
        actor=by,
        action=AuditAction.TEAM_UNASSIGN,
        target=team,
        changes={"application": assignment.application.code},
    )
    assignment.delete()


@transaction.atomic
def team_errors(team: Team) -> tuple[list[str], list[str]]:
    """(hard errors, soft warnings) for a team as it stands, its members locked (so in a
    transaction of its own when called alone)."""
    return rules.team_errors(
        members=_members_for_rules(team),
        leader_ids=set(team.members.filter(is_leader=True).values_list("member_id", flat=True)),
        applications=[a.application for a in team.assignments.select_related("application__unit")],
    )


@transaction.atomic
def team_confirm(*, team: Team, by) -> Team:
    """Confirm a team: each member gets to view and assess exactly its applications."""
    require_role(by, Role.SLK)
    team = Team.objects.select_for_update().get(pk=team.pk)
    if team.is_confirmed:
        raise ValidationError(_("Laget är redan fastställt."))
    errors, _warnings = team_errors(team)
    _refuse(errors)
    team.status = Team.Status.CONFIRMED
    team.confirmed_by = by
    team.confirmed_at = timezone.now()
    team.save()
    applications = [a.application for a in team.assignments.select_related("application")]
    for member in _members_for_rules(team):
        for application in applications:
            _grant(member, application)
    audit.record(
        actor=by,
        action=AuditAction.TEAM_CONFIRM,
        target=team,
        changes={"applications": [a.code for a in applications]},
    )
    return team


@transaction.atomic
def team_delete(*, team: Team, by) -> None:
    """Dissolve a team; its members lose access to its applications."""
    require_role(by, Role.SLK)
    team = Team.objects.select_for_update().get(pk=team.pk)
    for assignment in list(team.assignments.select_related("application")):
        team_unassign(assignment=assignment, by=by)
    audit.record(actor=by, action=AuditAction.TEAM_DELETE, target=team.cycle, changes={"team": team.name})
    team.delete()


# --- The proposal ---------------------------------------------------------------------


@transaction.atomic
def proposal_apply(*, cycle: AwardCycle, by) -> list[Team]:
    """Replace the cycle's draft teams with a fresh proposal, saved as drafts with the
    reason for each choice. SLK adjusts them and confirms each team."""
    require_role(by, Role.SLK)
    # One proposal at a time per cycle: a second click waits instead of clashing on names.
    cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
    for team in Team.objects.drafts().filter(cycle=cycle):
        team_delete(team=team, by=by)
    result = queries.proposal_make(cycle)
    taken = set(Team.objects.filter(cycle=cycle).values_list("name", flat=True))
    members = {m.pk: m for m in PoolMember.objects.filter(cycle=cycle)}
    applications = {a.pk: a for a in Application.objects.filter(track__cycle=cycle)}
    teams = []
    number = 1
    for proposed in result.teams:
        while f"Lag {number:02d}" in taken:
            number += 1
        name = f"Lag {number:02d}"
        taken.add(name)
        team = Team.objects.create(
            cycle=cycle, track_id=proposed.track_id, name=name, reasons=list(proposed.reasons)
        )
        TeamMember.objects.bulk_create(
            TeamMember(team=team, member=members[pk], is_leader=pk == proposed.leader_id)
            for pk in proposed.member_ids
        )
        Assignment.objects.bulk_create(
            Assignment(team=team, application=applications[pk]) for pk in proposed.entry_ids
        )
        teams.append(team)
    audit.record(
        actor=by,
        action=AuditAction.TEAM_PROPOSE,
        target=cycle,
        changes={"teams": len(teams), "unplaced": [applications[pk].code for pk in result.unplaced]},
    )
    return teams


# --- The practice case of a training session ---------------------------------------------


def _lines(items) -> list[str]:
    """A list of texts from a textarea (one per line) or a list; blank lines dropped."""
    if isinstance(items, str):
        items = items.splitlines()
    return [str(item).strip() for item in items if str(item).strip()]


def _check_practice_score(cycle: AwardCycle, score, number: int) -> None:
    if score is not None and not cycle.scale.is_valid_score(score):
        raise ValidationError(
            _("Kriterium %(n)s: poängen måste vara ett steg på skalan (0–100 i steg om %(step)s).")
            % {"n": number, "step": cycle.scale.step}
        )


@dataclass
class CaseItemData:
    text: str = ""
    reference_score: int | None = None
    reference_strengths: str | list = ""
    reference_improvements: str | list = ""


@transaction.atomic
def practice_case_save(
    *, session: TrainingSession, track: Track, title: str, introduction: str, items: dict, by
) -> PracticeCase:
    """Attach the practice case to `session`, or change it: its texts and SLK's reference
    consensus per criterion of `track` (`items`: criterion id -> CaseItemData; criteria
    left out keep what they have). The track's criteria cannot change once a trainee has
    started, since their assessment is of those criteria."""
    require_role(by, Role.SLK)
    session = (
        TrainingSession.objects.select_for_update(of=("self",))
        .select_related("cycle__scale")
        .get(pk=session.pk)
    )
    cycle = session.cycle
    if track.cycle_id != cycle.pk:
        raise ValidationError(_("Spåret hör till en annan omgång än utbildningen."))
    if not title.strip():
        raise ValidationError(_("Ge övningsfallet en rubrik."))
    case = PracticeCase.objects.filter(session=session).first()
    if case is not None and case.track_id != track.pk and case.assessments.exists():
        raise ValidationError(_("Deltagare har redan börjat bedöma fallet; spåret kan inte bytas."))
    criteria = {c.pk: c for c in track.criteria.all()}
    unknown = set(items) - set(criteria)
    if unknown:
        raise ValidationError(_("Ett kriterium hör inte till spåret."))
    for criterion_id, data in items.items():
        _check_practice_score(cycle, data.reference_score, criteria[criterion_id].number)
    created = case is None
    if created:
        case = PracticeCase(session=session)
    elif case.track_id != track.pk:
        case.items.all().delete()
    case.track, case.title, case.introduction = track, title.strip(), introduction.strip()
    case.save()
    existing = {item.criterion_id: item for item in case.items.all()}
    for criterion_id, criterion in criteria.items():
        item = existing.get(criterion_id) or PracticeCaseItem(case=case, criterion=criterion)
        data = items.get(criterion_id)
        if data is not None:
            item.text = data.text.strip()
            item.reference_score = data.reference_score
            item.reference_strengths = _lines(data.reference_strengths)
            item.reference_improvements = _lines(data.reference_improvements)
        item.save()
    audit.record(
        actor=by,
        action=AuditAction.PRACTICE_CASE_SAVE,
        target=session,
        changes={"case": case.title, "track": track.name, "created": created},
    )
    return case


def _anonymised(text: str, names: list[str]) -> str:
    for name in names:
        if name:
            text = text.replace(name, _("[enheten]"))
    return text


@transaction.atomic
def practice_case_copy(*, session: TrainingSession, application: Application, by) -> PracticeCase:
    """A practice case from a past application: its answers as the case's texts with the
    unit's name and code taken out (SLK reads and edits them afterwards), on the criteria
    of this cycle's track of the same kind, matched by number. The reference starts empty:
    SLK sets it."""
    require_role(by, Role.SLK)
    session = TrainingSession.objects.select_related("cycle").get(pk=session.pk)
    application = Application.objects.select_related("unit", "track").get(pk=application.pk)
    if application.track.cycle_id == session.cycle_id:
        raise ValidationError(_("Välj ett bidrag från en tidigare omgång, inte ett som bedöms i år."))
    if not application.is_submitted:
        raise ValidationError(_("Bara ett inskickat bidrag kan bli övningsfall."))
    track = Track.objects.filter(cycle=session.cycle, kind=application.track.kind).first()
    if track is None:
        raise ValidationError(_("Omgången har inget spår av samma slag som bidraget."))
    names = [application.unit.name, application.unit.code, application.code]
    answers = {a.criterion.number: a.text for a in application.answers.select_related("criterion")}
    items = {
        criterion.pk: CaseItemData(text=_anonymised(answers.get(criterion.number, ""), names))
        for criterion in track.criteria.all()
    }
    case = practice_case_save(
        session=session,
        track=track,
        title=_("Övningsfall från %(year)s") % {"year": application.track.cycle.year},
        introduction="",
        items=items,
        by=by,
    )
    case.source = application
    case.save(update_fields=["source"])
    return case


def _require_trainee(user, case: PracticeCase) -> PoolMember:
    """The pool member of `user` enrolled (not waiting) in the case's session."""
    enrolment = (
        Enrolment.objects.filter(
            session_id=case.session_id, member__profile__user=user, status=Enrolment.Status.ENROLLED
        )
        .select_related("member__profile")
        .first()
    )
    if enrolment is None:
        raise PermissionDenied(_("Du är inte anmäld till den här utbildningen."))
    return enrolment.member


@transaction.atomic
def practice_assessment_for(*, case: PracticeCase, by) -> PracticeAssessment:
    """The trainee's own assessment of the case, started (with an empty item per
    criterion) the first time they save."""
    member = _require_trainee(by, case)
    assessment, created = PracticeAssessment.objects.get_or_create(case=case, member=member)
    if created:
        PracticeAssessmentItem.objects.bulk_create(
            PracticeAssessmentItem(assessment=assessment, criterion_id=criterion_id)
            for criterion_id in case.items.values_list("criterion_id", flat=True)
        )
    return assessment


@dataclass
class PracticeItemData:
    score: int | None
    strengths: str | list = ""
    improvements: str | list = ""


@transaction.atomic
def practice_item_save(
    *, item: PracticeAssessmentItem, data: PracticeItemData, base_version: int, by
) -> PracticeAssessmentItem:
    """Save one criterion of the trainee's own draft (autosave and explicit save)."""
    item = (
        PracticeAssessmentItem.objects.select_for_update(of=("self",))
        .select_related("assessment__case__session__cycle__scale", "assessment__member", "criterion")
        .get(pk=item.pk)
    )
    assessment = item.assessment
    if _require_trainee(by, assessment.case).pk != assessment.member_id:
        raise PermissionDenied(_("Du kan bara ändra din egen bedömning."))
    if assessment.is_submitted:
        raise ValidationError(_("Bedömningen av övningsfallet är inlämnad och kan inte ändras."))
    _check_practice_score(assessment.case.session.cycle, data.score, item.criterion.number)
    before = {"score": item.score, "strengths": item.strengths, "improvements": item.improvements}
    after = {
        "score": data.score,
        "strengths": _lines(data.strengths),
        "improvements": _lines(data.improvements),
    }
    if after == before:
        return item
    check_version(item, base_version)
    item.score, item.strengths, item.improvements = after["score"], after["strengths"], after["improvements"]
    bump_version(item)
    item.save()
    audit.record(
        actor=by,
        action=AuditAction.PRACTICE_SAVE,
        target=assessment.case.session,
        changes={
            "criterion": item.criterion.number,
            **{key: [before[key], after[key]] for key in after if before[key] != after[key]},
        },
    )
    return item


@transaction.atomic
def practice_submit(*, assessment: PracticeAssessment, by) -> PracticeAssessment:
    """Submit the trainee's assessment of the case; from then on they see the reference
    and their comparison with it, and it can no longer change."""
    assessment = (
        PracticeAssessment.objects.select_for_update(of=("self",))
        .select_related("case", "member")
        .get(pk=assessment.pk)
    )
    if _require_trainee(by, assessment.case).pk != assessment.member_id:
        raise PermissionDenied(_("Du kan bara lämna in din egen bedömning."))
    if assessment.is_submitted:
        raise ValidationError(_("Bedömningen av övningsfallet är redan inlämnad."))
    missing = rules.practice_missing(list(assessment.items.select_related("criterion")))
    if missing:
        raise ValidationError(missing)
    assessment.status = PracticeAssessment.Status.SUBMITTED
    assessment.submitted_at = timezone.now()
    assessment.save(update_fields=["status", "submitted_at"])
    audit.record(
        actor=by,
        action=AuditAction.PRACTICE_SUBMIT,
        target=assessment.case.session,
        changes={"examiner": str(assessment.member.profile)},
    )
    return assessment
