"""Every change to an application's examination: the examiners' individual assessments,
the team's consensus, the site visit and the feedback report.

Who may do what is decided here, whatever calls: an examiner of the application's
confirmed team (holding the assess permission) assesses; the team leader runs the
consensus and edits the report; SLK may step in everywhere with a recorded reason. Every
change records old and new values in the audit trail with the application as target.
Texts that many people edit carry a version: saving from an old version is refused with
`StaleEdit` (`award.versioning`), and nothing is overwritten.
"""

import copy
import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Subquery
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from award import audit
from award.roles import Role, has_role, require_role
from award.versioning import StaleEdit, bump_version, check_version, is_current, save_if_version
from examiners.models import PoolMember, Team
from scoring import figures, queries, rules
from scoring.audit_actions import AuditAction
from scoring.models import (
    Assessment,
    AssessmentItem,
    Consensus,
    ConsensusItem,
    FeedbackItem,
    FeedbackReport,
    SiteVisit,
)
from submissions.models import Application

ASSESS = "submissions.assess_application"


def _record(*, by, action: str, application: Application, changes: dict, reason: str = "") -> None:
    audit.record(actor=by, action=action, target=application, changes=changes, reason=reason)


def _lines(items) -> list[str]:
    """A list of texts from a textarea (one per line) or a list; blank lines dropped."""
    if isinstance(items, str):
        items = items.splitlines()
    return [str(item).strip() for item in items if str(item).strip()]


def _criteria(application: Application):
    return list(application.track.criteria.order_by("number"))


# --- Who is who -------------------------------------------------------------------------


def _require_examiner(user, application) -> PoolMember:
    team_member = queries.team_member_for(user, application)
    if team_member is None:
        raise PermissionDenied(_("Bidraget är inte tilldelat dig."))
    return team_member.member


def _require_leader_or_slk(user, application) -> None:
    if has_role(user, Role.SLK):
        return
    team_member = queries.team_member_for(user, application)
    if team_member is None or not team_member.is_leader:
        raise PermissionDenied(_("Bara lagledaren eller stadsledningskontoret kan göra detta."))


def _consensus_started(application, *, lock: bool = False) -> bool:
    """Whether the consensus has started. With `lock`, the application row is locked first,
    the same row consensus_start locks, so an assessment cannot change while it starts."""
    if lock:
        Application.objects.select_for_update().filter(pk=application.pk).first()
    return Consensus.objects.filter(application=application).exists()


def _require_assessment_open(application) -> None:
    refusal = rules.assessment_closed(application)
    if refusal:
        raise ValidationError(refusal)


def _check_score(application, score) -> None:
    if score is None:
        return
    scale = application.track.cycle.scale
    if not scale.is_valid_score(score):
        raise ValidationError(
            _("Poängen %(score)s finns inte på skalan; välj ett värde mellan 0 och 100 i steg om %(step)s.")
            % {"score": score, "step": scale.step}
        )


# --- Individual assessment -----------------------------------------------------------------


@transaction.atomic
def assessment_for(*, application: Application, by) -> Assessment:
    """The examiner's own assessment, started (with an empty row per criterion) by the
    first write that needs it: a save, the submission, the hours. Pages read it through
    `queries.own_assessment` and never create it."""
    member = _require_examiner(by, application)
    assessment, created = Assessment.objects.get_or_create(application=application, member=member)
    if created:
        AssessmentItem.objects.bulk_create(
            AssessmentItem(assessment=assessment, criterion=criterion) for criterion in _criteria(application)
        )
        _record(
            by=by,
            action=AuditAction.INDIVIDUAL_START,
            application=application,
            changes={"stage": "individual", "examiner": str(member.profile)},
        )
    return assessment


@dataclass
class ItemData:
    score: int | None
    strengths: list[str] | str
    improvements: list[str] | str
    notes: str = ""


def _assessment_item_read(pk) -> AssessmentItem:
    # With what the checks and the audit entry read: the examiner's name, the scale.
    return AssessmentItem.objects.select_related(
        "assessment__application__track__cycle__scale",
        "assessment__application__unit",
        "assessment__member__profile__user",
        "criterion",
    ).get(pk=pk)


def _assessment_locked(assessment: Assessment) -> Assessment:
    """The assessment's row locked (assessment_submit and assessment_reopen lock it too, so
    its status holds until this transaction ends), read with whether the consensus has
    started and the team's extended deadline: one statement.

    The consensus is read without waiting for a consensus_start under way (which locks the
    application, not the assessment): a draft saved at that moment is as if saved just
    before it, since the consensus reads only submitted assessments and a draft can no
    longer be submitted once it has started."""
    return (
        Assessment.objects.select_for_update(of=("self",))
        .annotate(
            consensus_started=Exists(Consensus.objects.filter(application_id=OuterRef("application_id"))),
            deadline_extended_to=Subquery(
                Team.objects.filter(assignments__application_id=OuterRef("application_id")).values(
                    "assessment_deadline_extended_to"
                )[:1]
            ),
        )
        .only("status", "application_id", "member_id")
        .get(pk=assessment.pk)
    )


@transaction.atomic
def assessment_item_save(*, item: AssessmentItem, data: ItemData, base_version: int, by) -> AssessmentItem:
    """Save one criterion of the examiner's own draft (autosave and explicit save).

    `item` is the row as the caller read it, unlocked, with its assessment (its application
    and criterion spare a query each); it is read again only when it is not at
    `base_version`. The checks read nothing of the item locked: the assessment's row is
    locked with what the refusals need, and the save itself is a conditional
    `UPDATE ... WHERE version = base_version`, the last statement and the only one that
    locks the item, where a save from another window meanwhile is seen (StaleEdit, and
    nothing of this one is kept, its audit entry included)."""
    if not is_current(item, base_version):
        item = _assessment_item_read(item.pk)
    assessment = item.assessment
    application = assessment.application
    member = _require_examiner(by, application)
    if member.pk != assessment.member_id:
        raise PermissionDenied(_("Du kan bara ändra din egen bedömning."))
    locked = _assessment_locked(assessment)
    if locked.is_submitted:
        raise ValidationError(_("Bedömningen är inlämnad. Öppna den igen för att ändra."))
    if locked.consensus_started:
        raise ValidationError(_("Konsensus har startat; de individuella bedömningarna är låsta."))
    refusal = rules.assessment_closed(application, extended_to=locked.deadline_extended_to)
    if refusal:
        raise ValidationError(refusal)
    _check_score(application, data.score)
    before = {"score": item.score, "strengths": item.strengths, "improvements": item.improvements}
    after = {
        "score": data.score,
        "strengths": _lines(data.strengths),
        "improvements": _lines(data.improvements),
    }
    notes = data.notes.strip()
    if after == before and notes == item.notes:
        # Nothing to save, whatever version the page had: an explicit save right after
        # the autosave of the same text is not a conflict.
        return item
    check_version(item, base_version)
    changed = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if changed:
        # Before the save, in its transaction: a refused save takes its entry with it.
        _record(
            by=by,
            action=AuditAction.INDIVIDUAL,
            application=application,
            changes={
                "stage": "individual",
                "examiner": str(member.profile),
                "criterion": item.criterion.number,
                **changed,
            },
        )
    now = timezone.now()
    saved = save_if_version(
        AssessmentItem.objects.filter(pk=item.pk),
        base_version,
        score=after["score"],
        strengths=after["strengths"],
        improvements=after["improvements"],
        notes=notes,
        updated_at=now,
    )
    if not saved:
        # Saved from another window since the caller read it: refused with the row as it is now.
        raise StaleEdit(_assessment_item_read(item.pk))
    item = copy.copy(item)  # the caller's row stays as they read it
    item.score, item.strengths, item.improvements = after["score"], after["strengths"], after["improvements"]
    item.notes, item.version, item.updated_at = notes, base_version + 1, now
    return item


@transaction.atomic
def assessment_submit(*, assessment: Assessment, by) -> Assessment:
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("application", "member__profile")
        .get(pk=assessment.pk)
    )
    if _require_examiner(by, assessment.application).pk != assessment.member_id:
        raise PermissionDenied(_("Du kan bara lämna in din egen bedömning."))
    if assessment.is_submitted:
        raise ValidationError(_("Bedömningen är redan inlämnad."))
    if _consensus_started(assessment.application, lock=True):
        raise ValidationError(_("Konsensus har startat; de individuella bedömningarna är låsta."))
    _require_assessment_open(assessment.application)
    missing = rules.assessment_missing(assessment)
    if missing:
        raise ValidationError(missing)
    return _assessment_move(
        assessment, to=Assessment.Status.SUBMITTED, action=AuditAction.INDIVIDUAL_SUBMIT, by=by
    )


@transaction.atomic
def assessment_reopen(*, assessment: Assessment, by) -> Assessment:
    """An examiner reopens their own submitted assessment, until consensus starts."""
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("application", "member__profile")
        .get(pk=assessment.pk)
    )
    if _require_examiner(by, assessment.application).pk != assessment.member_id:
        raise PermissionDenied(_("Du kan bara öppna din egen bedömning."))
    if _consensus_started(assessment.application, lock=True):
        raise ValidationError(_("Konsensus har startat; bedömningen kan inte öppnas igen."))
    if not assessment.is_submitted:
        raise ValidationError(_("Bedömningen är inte inlämnad."))
    _require_assessment_open(assessment.application)
    return _assessment_move(
        assessment, to=Assessment.Status.DRAFT, action=AuditAction.INDIVIDUAL_REOPEN, by=by
    )


def _assessment_move(assessment: Assessment, *, to: str, action: str, by) -> Assessment:
    """Submit or reopen an individual assessment (checked by the caller), with its audit entry."""
    was = assessment.status
    assessment.status = to
    assessment.submitted_at = timezone.now() if to == Assessment.Status.SUBMITTED else None
    assessment.save(update_fields=["status", "submitted_at", "updated_at"])
    # Every calibrated score of the cycle depends on this one's examiner and the grand mean.
    figures.store_calibration(assessment.application.track.cycle_id)
    _record(
        by=by,
        action=action,
        application=assessment.application,
        changes={"stage": "individual", "examiner": str(assessment.member.profile), "status": [was, to]},
    )
    return assessment


@transaction.atomic
def hours_record(*, assessment: Assessment, hours, by) -> Assessment:
    """The examiner records the time spent on the application (SLK may correct it)."""
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("application", "member__profile")
        .get(pk=assessment.pk)
    )
    if (
        not has_role(by, Role.SLK)
        and _require_examiner(by, assessment.application).pk != assessment.member_id
    ):
        raise PermissionDenied(_("Du kan bara ange din egen tid."))
    if hours is not None and not 0 <= hours <= 200:
        raise ValidationError(_("Ange antalet timmar som ett tal mellan 0 och 200."))
    if not has_role(by, Role.SLK) and _consensus_started(assessment.application, lock=True):
        raise ValidationError(
            _("Konsensus har startat; tiden är låst. Be stadsledningskontoret rätta den om den är fel.")
        )
    before = assessment.hours
    assessment.hours = hours
    assessment.save(update_fields=["hours", "updated_at"])
    _record(
        by=by,
        action=AuditAction.HOURS,
        application=assessment.application,
        changes={
            "examiner": str(assessment.member.profile),
            "hours": [str(before) if before is not None else None, str(hours) if hours is not None else None],
        },
    )
    return assessment


@transaction.atomic
def assessment_deadline_extend(*, cycle, until: dt.date, reason: str, by, team=None) -> int:
    """SLK gives one team (or, without `team`, every team of the cycle) until `until` for
    the individual assessment, with a reason, as for an application's deadline. The
    examiners of those teams with an unsubmitted assessment are told the new date (the
    scheduler sends it on the day; scoring/reminders.py). Returns how many teams."""
    require_role(by, Role.SLK)
    if not reason.strip():
        raise ValidationError(_("Ange en motivering för förlängningen."))
    if until <= cycle.assessment_deadline:
        raise ValidationError(
            _("Förlängningen måste gå längre än sista dag för individuell bedömning, %(date)s.")
            % {"date": date_format(cycle.assessment_deadline)}
        )
    teams = Team.objects.select_for_update().filter(cycle=cycle)
    if team is not None:
        teams = teams.filter(pk=team.pk)
    count = 0
    for each in teams:
        old = each.assessment_deadline_extended_to
        each.assessment_deadline_extended_to = until
        each.save(update_fields=["assessment_deadline_extended_to"])
        audit.record(
            actor=by,
            action=AuditAction.ASSESSMENT_DEADLINE_EXTEND,
            target=each,
            changes={
                "assessment_deadline_extended_to": [old.isoformat() if old else None, until.isoformat()]
            },
            reason=reason.strip(),
        )
        count += 1
    return count


# --- Consensus -----------------------------------------------------------------------------


@transaction.atomic
def consensus_start(*, application: Application, by, override_reason: str = "") -> Consensus:
    """The team leader starts the consensus once every member with access has submitted;
    SLK may start it earlier with a reason. Starting freezes the individual assessments.

    It reads the assessments' statuses and the submitted ones' items only, never a draft's
    items: an examiner's draft autosave does not wait for this (see `_assessment_locked`),
    so a draft saved at the same moment may commit just after the start. Were the consensus
    ever to read drafts (say, to fill itself in from them), it would have to lock the
    assessments' rows here first."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("track__cycle")
        .get(pk=application.pk)
    )
    _require_leader_or_slk(by, application)
    if _consensus_started(application):
        raise ValidationError(_("Konsensus har redan startat."))
    assignment = getattr(application, "assignment", None)
    if assignment is None or not assignment.team.is_confirmed:
        raise ValidationError(_("Bidraget har inget fastställt lag."))
    team = assignment.team
    members = [tm.member for tm in team.members.select_related("member__profile__user")]
    with_access = [m for m in members if m.profile.user.has_perm(ASSESS, application)]
    submitted = set(
        Assessment.objects.filter(application=application, status=Assessment.Status.SUBMITTED).values_list(
            "member_id", flat=True
        )
    )
    waiting = [m for m in with_access if m.pk not in submitted]
    override_reason = override_reason.strip()
    if waiting:
        if not has_role(by, Role.SLK):
            raise ValidationError(
                _("Alla har inte lämnat in sin bedömning: %(names)s.")
                % {"names": ", ".join(str(m.profile) for m in waiting)}
            )
        if not override_reason:
            raise ValidationError(_("Ange skälet till att konsensus startar innan alla har lämnat in."))
    if not submitted:
        raise ValidationError(_("Ingen i laget har lämnat in en bedömning ännu."))
    consensus = Consensus.objects.create(
        application=application, team=team, started_by=by, override_reason=override_reason if waiting else ""
    )
    ConsensusItem.objects.bulk_create(
        ConsensusItem(consensus=consensus, criterion=c) for c in _criteria(application)
    )
    _record(
        by=by,
        action=AuditAction.CONSENSUS_START,
        application=application,
        changes={"stage": "consensus", "waiting": [str(m.profile) for m in waiting]},
        reason=override_reason,
    )
    return consensus


def _consensus_item_read(pk) -> ConsensusItem:
    return ConsensusItem.objects.select_related(
        "consensus__application__track__cycle__scale", "consensus__application__unit", "criterion"
    ).get(pk=pk)


@transaction.atomic
def consensus_item_save(
    *, item: ConsensusItem, data: ItemData, discussion_note: str, base_version: int, by
) -> ConsensusItem:
    """Save one criterion of the consensus (autosave and explicit save), by the team leader
    or SLK, while the consensus is open.

    `item` is the row as the caller read it, unlocked, with its consensus, application and
    criterion; it is read again only when it is not at `base_version`. The consensus's
    row is locked for the check that it is still open (consensus_finalise locks it too);
    the item's own row only by the save, a conditional `UPDATE ... WHERE version =
    base_version` and the last statement, where a save meanwhile is seen (StaleEdit, and
    nothing of this one is kept, its audit entry included)."""
    if not is_current(item, base_version):
        item = _consensus_item_read(item.pk)
    application = item.consensus.application
    _require_leader_or_slk(by, application)
    consensus = Consensus.objects.select_for_update().only("status").get(pk=item.consensus_id)
    if consensus.is_final:
        raise ValidationError(_("Konsensus är fastställd och kan inte ändras."))
    before = {
        "score": item.score,
        "strengths": item.strengths,
        "improvements": item.improvements,
        "discussion_note": item.discussion_note,
    }
    after = {
        "score": data.score,
        "strengths": _lines(data.strengths),
        "improvements": _lines(data.improvements),
        "discussion_note": discussion_note.strip(),
    }
    if before == after:
        # Nothing to save, whatever version the page had: an explicit save right after
        # the autosave of the same text is not a conflict.
        return item
    check_version(item, base_version)
    _check_score(application, data.score)
    # Before the save, in its transaction: a refused save takes its entry with it.
    _record(
        by=by,
        action=AuditAction.CONSENSUS,
        application=application,
        changes={
            "stage": "consensus",
            "criterion": item.criterion.number,
            **{k: [before[k], after[k]] for k in after if before[k] != after[k]},
        },
    )
    now = timezone.now()
    saved = save_if_version(
        ConsensusItem.objects.filter(pk=item.pk), base_version, **after, updated_by=by, updated_at=now
    )
    if not saved:
        # Saved by someone else since the caller read it: refused with the row as it is now.
        raise StaleEdit(_consensus_item_read(item.pk))
    item = copy.copy(item)  # the caller's row stays as they read it
    item.score, item.strengths = after["score"], after["strengths"]
    item.improvements, item.discussion_note = after["improvements"], after["discussion_note"]
    item.version, item.updated_by, item.updated_at = base_version + 1, by, now
    return item


@transaction.atomic
def consensus_finalise(*, consensus: Consensus, by) -> Consensus:
    from scoring.queries import individual_spreads

    consensus = (
        Consensus.objects.select_for_update(of=("self",))
        .select_related("application__track__cycle")
        .get(pk=consensus.pk)
    )
    _require_leader_or_slk(by, consensus.application)
    if consensus.is_final:
        raise ValidationError(_("Konsensus är redan fastställd."))
    missing = rules.consensus_missing(consensus, individual_spreads(consensus.application))
    if missing:
        raise ValidationError(missing)
    consensus.status = Consensus.Status.FINAL
    consensus.finalised_by = by
    consensus.finalised_at = timezone.now()
    consensus.save()
    figures.store_consensus_totals(consensus)
    _record(
        by=by,
        action=AuditAction.CONSENSUS_FINAL,
        application=consensus.application,
        changes={"stage": "consensus", "status": [Consensus.Status.OPEN, Consensus.Status.FINAL]},
    )
    report_draft(application=consensus.application, by=by)
    return consensus


@transaction.atomic
def consensus_lock(*, application: Application, by) -> Consensus:
    """Lock the consensus behind the judging committee's signed decision: no score of it
    changes from now on (`visit_score_revise` refuses). Called by the decision's signing."""
    consensus = Consensus.objects.select_for_update().get(application=application)
    if consensus.locked_at is None:
        consensus.locked_at = timezone.now()
        consensus.save(update_fields=["locked_at"])
        _record(
            by=by, action=AuditAction.CONSENSUS_LOCK, application=application, changes={"stage": "consensus"}
        )
    return consensus


# --- Site visit ----------------------------------------------------------------------------


def _draft_questions(application) -> str:
    consensus = getattr(application, "consensus", None)
    if consensus is None:
        return ""
    lines = []
    for item in consensus.items.select_related("criterion"):
        for text in item.strengths[:1]:
            lines.append(
                _("Kriterium %(n)s, verifiera styrkan: %(text)s") % {"n": item.criterion.number, "text": text}
            )
        for text in item.improvements[:1]:
            lines.append(
                _("Kriterium %(n)s, fråga om: %(text)s") % {"n": item.criterion.number, "text": text}
            )
    return "\n".join(lines)


@transaction.atomic
def site_visit_create(*, application: Application, by) -> SiteVisit:
    """The site visit the judging committee chose (`judging.services.site_visit_select`
    decides who may choose): only for a finalised consensus, once, with the questions to
    verify drafted from the consensus."""
    consensus = getattr(application, "consensus", None)
    if consensus is None or not consensus.is_final:
        raise ValidationError(_("Bidraget har ingen fastställd konsensus ännu."))
    visit, created = SiteVisit.objects.get_or_create(
        application=application, defaults={"selected_by": by, "questions": _draft_questions(application)}
    )
    if not created:
        raise ValidationError(_("Bidraget är redan utvalt för platsbesök."))
    _record(
        by=by, action=AuditAction.SITE_VISIT_SELECT, application=application, changes={"stage": "site_visit"}
    )
    return visit


@dataclass
class VisitData:
    visit_date: object
    participants: str
    questions: str
    findings: str
    done: bool = False


@transaction.atomic
def site_visit_save(*, visit: SiteVisit, data: VisitData, base_version: int, by) -> SiteVisit:
    visit = SiteVisit.objects.select_for_update(of=("self",)).select_related("application").get(pk=visit.pk)
    if not has_role(by, Role.SLK):
        _require_examiner(by, visit.application)
    check_version(visit, base_version)
    if data.done and not (data.visit_date and data.findings.strip()):
        raise ValidationError(_("Ange datum och iakttagelser innan besöket markeras som genomfört."))
    before = {
        "visit_date": str(visit.visit_date or ""),
        "participants": visit.participants,
        "questions": visit.questions,
        "findings": visit.findings,
        "status": visit.status,
    }
    visit.visit_date = data.visit_date
    visit.participants = data.participants.strip()
    visit.questions = data.questions.strip()
    visit.findings = data.findings.strip()
    visit.status = SiteVisit.Status.DONE if data.done else visit.status
    after = {
        "visit_date": str(visit.visit_date or ""),
        "participants": visit.participants,
        "questions": visit.questions,
        "findings": visit.findings,
        "status": visit.status,
    }
    if before == after:
        return visit
    bump_version(visit)
    visit.save()
    _record(
        by=by,
        action=AuditAction.SITE_VISIT,
        application=visit.application,
        changes={"stage": "site_visit", **{k: [before[k], after[k]] for k in after if before[k] != after[k]}},
    )
    return visit


@transaction.atomic
def visit_score_revise(
    *, item: ConsensusItem, score: int | None, reason: str, base_version: int, by
) -> ConsensusItem:
    """After the visit the team revises a consensus score with a reason; the score
    before the visit is kept."""
    item = (
        ConsensusItem.objects.select_for_update(of=("self",))
        .select_related("consensus__application__track__cycle__scale", "criterion")
        .get(pk=item.pk)
    )
    application = item.consensus.application
    _require_leader_or_slk(by, application)
    visit = getattr(application, "site_visit", None)
    if visit is None or visit.status != SiteVisit.Status.DONE:
        raise ValidationError(_("Poängen kan ändras först när platsbesöket är genomfört."))
    report = getattr(application, "feedback_report", None)
    if (report is not None and report.is_approved) or item.consensus.is_locked:
        raise ValidationError(
            _("Återföringsrapporten är godkänd eller kommittén har beslutat; poängen kan inte längre ändras.")
        )
    check_version(item, base_version)
    _check_score(application, score)
    if score is not None and not reason.strip():
        raise ValidationError(_("Ange skälet till att poängen ändras efter platsbesöket."))
    before = [item.visit_score, item.visit_reason]
    item.visit_score = score
    item.visit_reason = reason.strip() if score is not None else ""
    bump_version(item)
    item.updated_by = by
    item.save()
    figures.store_consensus_totals(item.consensus)
    _record(
        by=by,
        action=AuditAction.VISIT_SCORE,
        application=application,
        changes={
            "stage": "site_visit",
            "criterion": item.criterion.number,
            "score_before_visit": item.score,
            "visit_score": [before[0], item.visit_score],
        },
        reason=item.visit_reason,
    )
    report = getattr(application, "feedback_report", None)
    if report is not None and not report.is_approved:
        FeedbackItem.objects.filter(report=report, criterion=item.criterion).update(
            score=item.final_score,
            band=application.track.cycle.scale.descriptor_for(item.criterion.kind, item.final_score),
        )
    return item


# --- Feedback report -----------------------------------------------------------------------


@transaction.atomic
def report_draft(*, application: Application, by) -> FeedbackReport:
    """Draft (or redraft, while not approved) the report from the final consensus."""
    _require_leader_or_slk(by, application)
    consensus = getattr(application, "consensus", None)
    if consensus is None or not consensus.is_final:
        raise ValidationError(_("Rapporten skrivs utifrån en fastställd konsensus."))
    report, created = FeedbackReport.objects.get_or_create(application=application)
    report = FeedbackReport.objects.select_for_update().get(pk=report.pk)
    if report.is_approved:
        raise ValidationError(_("Rapporten är redan godkänd."))
    items = list(consensus.items.select_related("criterion"))
    FeedbackItem.objects.filter(report=report).delete()
    FeedbackItem.objects.bulk_create(
        FeedbackItem(
            report=report,
            criterion=item.criterion,
            strengths=item.strengths,
            improvements=item.improvements,
            score=item.final_score,
            band=application.track.cycle.scale.descriptor_for(item.criterion.kind, item.final_score),
        )
        for item in items
    )
    if created:
        _record(
            by=by, action=AuditAction.REPORT_DRAFT, application=application, changes={"stage": "feedback"}
        )
    else:
        # A redraft replaces the edited texts: a form loaded before it must not save over it.
        bump_version(report)
        report.save(update_fields=["version", "updated_at"])
        _record(
            by=by, action=AuditAction.REPORT_REDRAFT, application=application, changes={"stage": "feedback"}
        )
    return report


@dataclass
class ReportItemData:
    criterion_id: int
    strengths: list[str] | str
    improvements: list[str] | str


@transaction.atomic
def report_save(
    *, report: FeedbackReport, summary: str, items: list[ReportItemData], base_version: int, by
) -> FeedbackReport:
    report = (
        FeedbackReport.objects.select_for_update(of=("self",)).select_related("application").get(pk=report.pk)
    )
    _require_leader_or_slk(by, report.application)
    if report.is_approved:
        raise ValidationError(_("Rapporten är godkänd och kan inte ändras."))
    changes = {}
    if summary.strip() != report.summary:
        changes["summary"] = [report.summary, summary.strip()]
    by_criterion = {i.criterion_id: i for i in report.items.select_related("criterion")}
    edited = []
    for data in items:
        item = by_criterion.get(data.criterion_id)
        if item is None:
            continue
        strengths, improvements = _lines(data.strengths), _lines(data.improvements)
        if (strengths, improvements) != (item.strengths, item.improvements):
            changes[f"criterion {item.criterion.number}"] = [
                {"strengths": item.strengths, "improvements": item.improvements},
                {"strengths": strengths, "improvements": improvements},
            ]
            edited.append((item, strengths, improvements))
    if not changes:
        # Nothing to save, whatever version the page had: an explicit save right after
        # the autosave of the same text is not a conflict.
        return report
    check_version(report, base_version)
    report.summary = summary.strip()
    for item, strengths, improvements in edited:
        item.strengths, item.improvements = strengths, improvements
        item.save(update_fields=["strengths", "improvements"])
    bump_version(report)
    report.save()
    _record(
        by=by,
        action=AuditAction.REPORT,
        application=report.application,
        changes={"stage": "feedback", **changes},
    )
    return report


@transaction.atomic
def report_approve(*, report: FeedbackReport, by) -> FeedbackReport:
    require_role(by, Role.SLK)
    report = (
        FeedbackReport.objects.select_for_update(of=("self",)).select_related("application").get(pk=report.pk)
    )
    if report.is_approved:
        raise ValidationError(_("Rapporten är redan godkänd."))
    if not report.summary.strip():
        raise ValidationError(_("Rapporten behöver en sammanfattning innan den godkänns."))
    report.status = FeedbackReport.Status.APPROVED
    report.approved_by = by
    report.approved_at = timezone.now()
    report.save()
    _record(
        by=by,
        action=AuditAction.REPORT_APPROVE,
        application=report.application,
        changes={
            "stage": "feedback",
            "status": [FeedbackReport.Status.DRAFT, FeedbackReport.Status.APPROVED],
        },
    )
    return report
