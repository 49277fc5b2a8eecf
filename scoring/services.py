"""Every change to scores, consensus, site visits and feedback reports.

Who may do what is decided here, whatever calls: an examiner of the application's
confirmed team (holding the assess permission) assesses; the team leader runs the
consensus and edits the report; SLK may step in everywhere with a recorded reason. Every
change records old and new values in the audit trail with the application as target.
Texts that many people edit carry a version: saving from an old version is refused with
`StaleEdit`, and nothing is overwritten.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from award import audit
from award.models import today
from award.roles import Role, has_role, require_role
from examiners.models import PoolMember
from submissions.models import Application

from . import queries, rules
from .models import (
    Assessment,
    AssessmentItem,
    Consensus,
    ConsensusItem,
    FeedbackItem,
    FeedbackReport,
    SiteVisit,
)

ASSESS = "submissions.assess_application"


class StaleEdit(ValidationError):
    """Someone saved since this form was loaded. `current` is the row as it is now."""

    def __init__(self, current):
        self.current = current
        super().__init__(
            _(
                "Någon annan har sparat här sedan du öppnade sidan. Dina ändringar är inte sparade; "
                "jämför med den nya versionen nedan och spara igen."
            )
        )


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
            action="scoring.individual_start",
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


@transaction.atomic
def assessment_item_save(*, item: AssessmentItem, data: ItemData, base_version: int, by) -> AssessmentItem:
    """Save one criterion of the examiner's own draft (autosave and explicit save)."""
    item = (
        AssessmentItem.objects.select_for_update(of=("self",))
        .select_related("assessment__application__track__cycle__scale", "criterion")
        .get(pk=item.pk)
    )
    assessment = item.assessment
    application = assessment.application
    if _require_examiner(by, application).pk != assessment.member_id:
        raise PermissionDenied(_("Du kan bara ändra din egen bedömning."))
    if assessment.is_submitted:
        raise ValidationError(_("Bedömningen är inlämnad. Öppna den igen för att ändra."))
    if _consensus_started(application, lock=True):
        raise ValidationError(_("Konsensus har startat; de individuella bedömningarna är låsta."))
    _check_score(application, data.score)
    before = {"score": item.score, "strengths": item.strengths, "improvements": item.improvements}
    after = {
        "score": data.score,
        "strengths": _lines(data.strengths),
        "improvements": _lines(data.improvements),
    }
    if after == before and data.notes.strip() == item.notes:
        # Nothing to save, whatever version the page had: an explicit save right after
        # the autosave of the same text is not a conflict.
        return item
    if item.version != base_version:
        raise StaleEdit(item)
    item.score, item.strengths, item.improvements = after["score"], after["strengths"], after["improvements"]
    item.notes = data.notes.strip()
    item.version += 1
    item.save()
    changed = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
    if changed:
        _record(
            by=by,
            action="scoring.individual",
            application=application,
            changes={
                "stage": "individual",
                "examiner": str(assessment.member.profile),
                "criterion": item.criterion.number,
                **changed,
            },
        )
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
    missing = rules.assessment_missing(assessment)
    if missing:
        raise ValidationError(missing)
    return _assessment_move(
        assessment, to=Assessment.Status.SUBMITTED, action="scoring.individual_submit", by=by
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
    return _assessment_move(assessment, to=Assessment.Status.DRAFT, action="scoring.individual_reopen", by=by)


def _assessment_move(assessment: Assessment, *, to: str, action: str, by) -> Assessment:
    """Submit or reopen an individual assessment (checked by the caller), with its audit entry."""
    was = assessment.status
    assessment.status = to
    assessment.submitted_at = timezone.now() if to == Assessment.Status.SUBMITTED else None
    assessment.save(update_fields=["status", "submitted_at", "updated_at"])
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
    before = assessment.hours
    assessment.hours = hours
    assessment.save(update_fields=["hours", "updated_at"])
    _record(
        by=by,
        action="scoring.hours",
        application=assessment.application,
        changes={
            "examiner": str(assessment.member.profile),
            "hours": [str(before) if before is not None else None, str(hours) if hours is not None else None],
        },
    )
    return assessment


# --- Consensus -----------------------------------------------------------------------------


@transaction.atomic
def consensus_start(*, application: Application, by, override_reason: str = "") -> Consensus:
    """The team leader starts the consensus once every member with access has submitted;
    SLK may start it earlier with a reason. Starting freezes the individual assessments."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("track__cycle")
        .get(pk=application.pk)
    )
    _require_leader_or_slk(by, application)
    if _consensus_started(application):
        raise ValidationError(_("Konsensus har redan startat."))
    assignment = getattr(application, "assignment", None)
    if assignment is None or assignment.team.status != "confirmed":
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
        action="scoring.consensus_start",
        application=application,
        changes={"stage": "consensus", "waiting": [str(m.profile) for m in waiting]},
        reason=override_reason,
    )
    return consensus


@transaction.atomic
def consensus_item_save(
    *, item: ConsensusItem, data: ItemData, discussion_note: str, base_version: int, by
) -> ConsensusItem:
    item = (
        ConsensusItem.objects.select_for_update(of=("self",))
        .select_related("consensus__application__track__cycle__scale", "criterion")
        .get(pk=item.pk)
    )
    application = item.consensus.application
    _require_leader_or_slk(by, application)
    if item.consensus.is_final:
        raise ValidationError(_("Konsensus är fastställd och kan inte ändras."))
    if item.version != base_version:
        raise StaleEdit(item)
    _check_score(application, data.score)
    before = {
        "score": item.score,
        "strengths": item.strengths,
        "improvements": item.improvements,
        "discussion_note": item.discussion_note,
    }
    item.score = data.score
    item.strengths = _lines(data.strengths)
    item.improvements = _lines(data.improvements)
    item.discussion_note = discussion_note.strip()
    after = {
        "score": item.score,
        "strengths": item.strengths,
        "improvements": item.improvements,
        "discussion_note": item.discussion_note,
    }
    if before == after:
        return item
    item.version += 1
    item.updated_by = by
    item.save()
    _record(
        by=by,
        action="scoring.consensus",
        application=application,
        changes={
            "stage": "consensus",
            "criterion": item.criterion.number,
            **{k: [before[k], after[k]] for k in after if before[k] != after[k]},
        },
    )
    return item


@transaction.atomic
def consensus_finalise(*, consensus: Consensus, by) -> Consensus:
    from .queries import individual_spreads

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
    _record(
        by=by,
        action="scoring.consensus_final",
        application=consensus.application,
        changes={"stage": "consensus", "status": ["open", "final"]},
    )
    report_draft(application=consensus.application, by=by)
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
def site_visit_select(*, application: Application, by) -> SiteVisit:
    """Select an application for a site visit (the committee's choice; SLK records it).
    The questions to verify are drafted from the consensus."""
    _require_committee_or_slk(by, application.track.cycle)
    if queries.committee_conflicts_for(by, application):
        raise ValidationError(
            _("Du har jäv mot %(code)s och kan inte välja det för platsbesök.") % {"code": application.code}
        )
    consensus = getattr(application, "consensus", None)
    if consensus is None or not consensus.is_final:
        raise ValidationError(_("Bidraget har ingen fastställd konsensus ännu."))
    visit, created = SiteVisit.objects.get_or_create(
        application=application, defaults={"selected_by": by, "questions": _draft_questions(application)}
    )
    if not created:
        raise ValidationError(_("Bidraget är redan utvalt för platsbesök."))
    _record(
        by=by, action="scoring.site_visit_select", application=application, changes={"stage": "site_visit"}
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
    if visit.version != base_version:
        raise StaleEdit(visit)
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
    visit.version += 1
    visit.save()
    _record(
        by=by,
        action="scoring.site_visit",
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
    if (report is not None and report.is_approved) or application.outcomes.filter(
        decision__status="signed"
    ).exists():
        raise ValidationError(
            _("Återföringsrapporten är godkänd eller kommittén har beslutat; poängen kan inte längre ändras.")
        )
    if item.version != base_version:
        raise StaleEdit(item)
    _check_score(application, score)
    if score is not None and not reason.strip():
        raise ValidationError(_("Ange skälet till att poängen ändras efter platsbesöket."))
    before = [item.visit_score, item.visit_reason]
    item.visit_score = score
    item.visit_reason = reason.strip() if score is not None else ""
    item.version += 1
    item.updated_by = by
    item.save()
    _record(
        by=by,
        action="scoring.visit_score",
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
            score=item.final_score, band=_band(application, item.criterion, item.final_score)
        )
    return item


# --- Feedback report -----------------------------------------------------------------------


def _band(application, criterion, score) -> str:
    if score is None:
        return ""
    band = application.track.cycle.scale.band_for(criterion.kind, score)
    return band.descriptor if band else ""


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
            band=_band(application, item.criterion, item.final_score),
        )
        for item in items
    )
    if created:
        _record(by=by, action="scoring.report_draft", application=application, changes={"stage": "feedback"})
    else:
        # A redraft replaces the edited texts: a form loaded before it must not save over it.
        report.version += 1
        report.save(update_fields=["version", "updated_at"])
        _record(
            by=by, action="scoring.report_redraft", application=application, changes={"stage": "feedback"}
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
    if report.version != base_version:
        raise StaleEdit(report)
    changes = {}
    if summary.strip() != report.summary:
        changes["summary"] = [report.summary, summary.strip()]
        report.summary = summary.strip()
    by_criterion = {i.criterion_id: i for i in report.items.select_related("criterion")}
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
            item.strengths, item.improvements = strengths, improvements
            item.save(update_fields=["strengths", "improvements"])
    if changes:
        report.version += 1
        report.save()
        _record(
            by=by,
            action="scoring.report",
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
        action="scoring.report_approve",
        application=report.application,
        changes={"stage": "feedback", "status": ["draft", "approved"]},
    )
    return report


# --- The judging committee -----------------------------------------------------------------


def _committee(cycle):
    from award.models import CommitteeMembership

    return CommitteeMembership.objects.filter(cycle=cycle).select_related("user")


def _require_committee_or_slk(user, cycle) -> None:
    if has_role(user, Role.SLK):
        return
    if not _committee(cycle).filter(user=user).exists():
        raise PermissionDenied(
            _("Bara domarkommitténs ledamöter eller stadsledningskontoret kan göra detta.")
        )


@transaction.atomic
def committee_conflict_declare(*, cycle, member, target, reason: str, by):
    """A committee member declares a conflict with a unit or an organisation (SLK may
    record one for them)."""
    from award.models import Organisation, Unit

    from .models import CommitteeConflict

    if by != member:
        require_role(by, Role.SLK)
    if not _committee(cycle).filter(user=member).exists():
        raise ValidationError(_("%(name)s är inte ledamot i årets domarkommitté.") % {"name": member})
    if not reason.strip():
        raise ValidationError(_("Ange skälet till jävet."))
    conflict = CommitteeConflict.objects.create(
        cycle=cycle,
        member=member,
        unit=target if isinstance(target, Unit) else None,
        organisation=target if isinstance(target, Organisation) else None,
        reason=reason.strip(),
        recorded_by=by,
    )
    audit.record(
        actor=by,
        action="committee.conflict",
        target=cycle,
        changes={"member": str(member), "target": str(target)},
        reason=reason,
    )
    return conflict


@transaction.atomic
def meeting_record(*, cycle, kind: str, date, present, notes: str = "", by):
    """Record a committee meeting and who was present."""
    from .models import Meeting

    _require_committee_or_slk(by, cycle)
    members = {m.user for m in _committee(cycle)}
    present = set(present)
    if not present:
        raise ValidationError(_("Ange vilka ledamöter som var närvarande."))
    outsiders = present - members
    if outsiders:
        raise ValidationError(
            _("Bara kommitténs ledamöter kan anges som närvarande: %(names)s.")
            % {"names": ", ".join(str(u) for u in outsiders)}
        )
    meeting = Meeting.objects.create(cycle=cycle, kind=kind, date=date, notes=notes.strip(), recorded_by=by)
    meeting.present.set(present)
    audit.record(
        actor=by,
        action="committee.meeting",
        target=cycle,
        changes={"kind": kind, "date": date.isoformat(), "present": sorted(str(u) for u in present)},
    )
    return meeting


@transaction.atomic
def site_visits_choose(*, meeting, applications, by) -> list[SiteVisit]:
    """At the first meeting the committee chooses the applications for site visits."""
    from .models import Meeting

    if meeting.kind != Meeting.Kind.SHORTLISTING:
        raise ValidationError(_("Platsbesök väljs vid det första domarmötet."))
    _require_committee_or_slk(by, meeting.cycle)
    conflicted = [a.code for a in applications if queries.committee_conflicts_for(by, a)]
    if conflicted:
        raise ValidationError(
            _("Du har jäv mot %(codes)s och kan inte välja platsbesök för dem.")
            % {"codes": ", ".join(conflicted)}
        )
    visits = []
    for application in applications:
        visit = site_visit_select(application=application, by=by)
        visit.meeting = meeting
        visit.save(update_fields=["meeting"])
        visits.append(visit)
    return visits


def _decision_scope(decision):
    """The submitted applications a decision is about: its class, or its whole track."""
    scope = Application.objects.filter(track=decision.track, status=Application.Status.SUBMITTED)
    if decision.competition_class_id:
        scope = scope.filter(competition_class_id=decision.competition_class_id)
    return scope


@dataclass
class OutcomeData:
    application: Application
    outcome: str
    citation: str


@transaction.atomic
def decision_save(
    *,
    meeting,
    track,
    competition_class,
    no_award: bool,
    rationale: str,
    outcomes: list[OutcomeData],
    by,
    decision=None,
    base_version: int | None = None,
):
    """Create or change the draft decision for one class (or the Förnyelsepriset track).
    Refuses outcomes `outcome_refusal` refuses (what was not judged, ineligible winners),
    applications outside the class, and members deciding on an application they have a
    conflict with."""
    from .models import Decision, DecisionOutcome, Meeting

    cycle = meeting.cycle
    _require_committee_or_slk(by, cycle)
    if meeting.kind != Meeting.Kind.FINAL:
        raise ValidationError(_("Beslut om vinnare fattas vid det slutliga domarmötet."))
    if track.cycle_id != cycle.pk or (competition_class and competition_class.track_id != track.pk):
        raise ValidationError(_("Klassen hör inte till omgångens spår."))
    if track.has_classes and competition_class is None:
        raise ValidationError(_("Välj tävlingsklass."))
    if decision is not None:
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if decision.is_signed:
            raise ValidationError(_("Beslutet är signerat och låst. En rättelse görs som ett nytt beslut."))
        if base_version is None or decision.version != base_version:
            raise StaleEdit(decision)
        replaced = [o.application for o in decision.outcomes.select_related("application__unit")]
        conflicted = [a.code for a in replaced if queries.committee_conflicts_for(by, a)]
        if conflicted:
            raise ValidationError(
                _("Du har jäv mot %(codes)s och kan inte ändra beslutet om det.")
                % {"codes": ", ".join(conflicted)}
            )
    elif (
        Decision.objects.filter(track=track, competition_class=competition_class)
        .exclude(status=Decision.Status.SUPERSEDED)
        .exists()
    ):
        # Two decisions for one class would each name winners; a change goes through the
        # draft, and a signed decision through a correction.
        raise ValidationError(
            _("Det finns redan ett beslut för %(scope)s. Ändra utkastet eller rätta det signerade beslutet.")
            % {"scope": competition_class or track}
        )
    errors = []
    # As the database has them now, not as the caller's copies remember them.
    facts = queries.outcome_facts(o.application.pk for o in outcomes)
    winners = [o for o in outcomes if o.outcome == DecisionOutcome.Outcome.WINNER]
    if no_award and winners:
        errors.append(_("Ett beslut om ingen utmärkelse kan inte ha vinnare."))
    if not no_award and not winners and not outcomes:
        errors.append(_("Ange minst en vinnare, eller att ingen utmärkelse delas ut i år."))
    if not rationale.strip():
        errors.append(_("Skriv en motivering till beslutet."))
    for o in outcomes:
        a = o.application
        if a.track_id != track.pk or (competition_class and a.competition_class_id != competition_class.pk):
            errors.append(
                _("%(code)s hör inte till %(scope)s.") % {"code": a.code, "scope": competition_class or track}
            )
        if a.status != Application.Status.SUBMITTED:
            errors.append(_("%(code)s är inte ett inlämnat bidrag.") % {"code": a.code})
        if not o.citation.strip():
            errors.append(_("%(code)s saknar motivering (citat).") % {"code": a.code})
        refusal = rules.outcome_refusal(facts[a.pk], o.outcome)
        if refusal:
            errors.append(refusal)
        if queries.committee_conflicts_for(by, a):
            errors.append(
                _("Du har jäv mot %(code)s och kan inte registrera beslut om det.") % {"code": a.code}
            )
    if len({o.application.pk for o in outcomes}) != len(outcomes):
        errors.append(_("Ett bidrag kan bara ha ett utfall."))
    if errors:
        raise ValidationError(errors)
    if decision is None:
        decision = Decision(meeting=meeting, track=track, competition_class=competition_class, created_by=by)
    else:
        decision.version += 1
    decision.meeting = meeting
    decision.no_award = no_award
    decision.rationale = rationale.strip()
    decision.save()
    decision.outcomes.all().delete()
    DecisionOutcome.objects.bulk_create(
        DecisionOutcome(
            decision=decision, application=o.application, outcome=o.outcome, citation=o.citation.strip()
        )
        for o in outcomes
    )
    audit.record(
        actor=by,
        action="committee.decision_draft",
        target=decision,
        changes={"no_award": no_award, "outcomes": [[o.application.code, o.outcome] for o in outcomes]},
        reason=rationale,
    )
    return decision


@transaction.atomic
def decision_sign(*, decision, by):
    """The chair signs: the decision is locked, members with a conflict are recorded as
    having stepped out, winners and honourable mentions enter the units' history, and a
    decision it corrects is marked as replaced."""
    from award.models import PastResult

    from .models import CommitteeConflict, Decision

    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("meeting__cycle", "track")
        .get(pk=decision.pk)
    )
    cycle = decision.meeting.cycle
    if not _committee(cycle).filter(user=by, is_chair=True).exists():
        raise PermissionDenied(_("Bara kommitténs ordförande signerar beslut."))
    if decision.is_signed:
        raise ValidationError(_("Beslutet är redan signerat."))
    outcomes = list(decision.outcomes.select_related("application__unit"))
    applications = [o.application for o in outcomes]
    if any(queries.committee_conflicts_for(by, a) for a in applications):
        raise ValidationError(_("Ordföranden har jäv mot ett av bidragen och kan inte signera beslutet."))
    # What was true when the draft was saved may not be now (a site visit chosen since,
    # a win recorded): the rules are asked again at the signature.
    refusals = [r for r in (rules.outcome_refusal(o.application, o.outcome) for o in outcomes) if r]
    if refusals:
        raise ValidationError(refusals)
    # A class decision decides on every candidate in the class, not only on the winners.
    candidates = list(_decision_scope(decision).select_related("unit"))
    conflicted = {
        c.member
        for c in CommitteeConflict.objects.filter(cycle=cycle).select_related(
            "member", "unit", "organisation"
        )
        if any(c.covers(a) for a in candidates)
    }
    decision.stepped_out.set(conflicted)
    decision.status = Decision.Status.SIGNED
    decision.signed_by = by
    decision.signed_at = timezone.now()
    decision.save()
    if decision.supersedes_id:
        old = Decision.objects.select_for_update().get(pk=decision.supersedes_id)
        old.status = Decision.Status.SUPERSEDED
        old.save(update_fields=["status"])
        kept = {(o.application.unit_id, o.outcome) for o in outcomes}
        for o in old.outcomes.select_related("application"):
            if (o.application.unit_id, o.outcome) not in kept:
                PastResult.objects.filter(
                    unit_id=o.application.unit_id, year=cycle.year, track_kind=decision.track.kind
                ).delete()
    for o in outcomes:
        PastResult.objects.update_or_create(
            unit=o.application.unit,
            year=cycle.year,
            track_kind=decision.track.kind,
            defaults={"outcome": o.outcome},
        )
    audit.record(
        actor=by,
        action="committee.decision_sign",
        target=decision,
        changes={
            "outcomes": [[o.application.code, o.outcome] for o in outcomes],
            "stepped_out": sorted(str(u) for u in conflicted),
        },
    )
    return decision


@transaction.atomic
def decision_correct(*, decision, reason: str, by):
    """A signed decision is never edited: a correction starts a new draft that replaces it
    when signed."""
    from .models import Decision, DecisionOutcome

    _require_committee_or_slk(by, decision.meeting.cycle)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != Decision.Status.SIGNED:
        raise ValidationError(_("Bara ett signerat beslut kan rättas."))
    if hasattr(decision, "superseded_by"):
        raise ValidationError(_("Beslutet har redan en rättelse."))
    if not reason.strip():
        raise ValidationError(_("Ange skälet till rättelsen."))
    conflicted = [a.code for a in _decision_scope(decision) if queries.committee_conflicts_for(by, a)]
    if conflicted:
        raise ValidationError(
            _("Du har jäv mot %(codes)s och kan inte rätta beslutet.") % {"codes": ", ".join(conflicted)}
        )
    correction = Decision.objects.create(
        meeting=decision.meeting,
        track=decision.track,
        competition_class=decision.competition_class,
        no_award=decision.no_award,
        rationale=decision.rationale,
        supersedes=decision,
        correction_reason=reason.strip(),
        created_by=by,
    )
    DecisionOutcome.objects.bulk_create(
        DecisionOutcome(
            decision=correction, application=o.application, outcome=o.outcome, citation=o.citation
        )
        for o in decision.outcomes.all()
    )
    audit.record(actor=by, action="committee.decision_correct", target=decision, reason=reason)
    return correction


@transaction.atomic
def decisions_notify(*, cycle, by=None, on=None, notify: bool = True) -> int:
    """After signing, once the feedback release date has come, tell each unit and each
    examiner of the application's team. Each decision is announced once. Only a unit
    whose application has a finalised consensus is promised a feedback report."""
    from award.notify import mail_after_commit

    from .models import Decision

    if (on or today()) < cycle.feedback_release:
        return 0
    decisions = list(
        Decision.objects.select_for_update(of=("self",))
        .filter(meeting__cycle=cycle, status=Decision.Status.SIGNED, notified_at__isnull=True)
        .select_related("track", "competition_class")
    )
    sent = 0
    for decision in decisions:
        outcomes = {o.application_id: o for o in decision.outcomes.all()}
        for application in (
            _decision_scope(decision).select_related("unit", "consensus").prefetch_related("unit__contacts")
        ):
            outcome = outcomes.get(application.pk)
            recipients = [u.email for u in application.unit.contacts.all()] + [application.unit.head_email]
            team = getattr(getattr(application, "assignment", None), "team", None)
            if team is not None:
                recipients += [
                    tm.member.profile.user.email
                    for tm in team.members.select_related("member__profile__user")
                ]
            if notify:
                mail_after_commit(
                    subject=_("Kvalitetsutmärkelsen %(year)s: beslut för %(code)s")
                    % {"year": cycle.year, "code": application.code},
                    template="scoring/email/decision.txt",
                    context={
                        "decision": decision,
                        "outcome": outcome,
                        "application": application,
                        "cycle": cycle,
                        "report_coming": rules.report_coming(application),
                    },
                    recipients=recipients,
                )
            sent += 1
        decision.notified_at = timezone.now()
        decision.save(update_fields=["notified_at"])
        audit.record(actor=by, action="committee.notify", target=decision)
    return sent


@transaction.atomic
def good_example_save(*, outcome, summary: str, consented: bool, by):
    """SLK records the unit's consent and the summary published among the good examples."""
    require_role(by, Role.SLK)
    if consented and not summary.strip():
        raise ValidationError(_("Skriv en sammanfattning att publicera."))
    outcome.public_summary = summary.strip()
    outcome.unit_consented = consented
    outcome.save(update_fields=["public_summary", "unit_consented"])
    audit.record(
        actor=by,
        action="committee.good_example",
        target=outcome.decision,
        changes={"application": outcome.application.code, "consented": consented},
    )
    return outcome


# --- Evaluating the cycle ---------------------------------------------------------------


@transaction.atomic
def questionnaire_send(*, cycle, audience: str, by, on=None, notify: bool = True):
    """SLK sends the cycle's questionnaire to one audience, once, and not before the
    feedback reports are released: every contact of a unit with a submitted application
    (applicants) or every examiner of a confirmed team (examiners) gets one e-mail with
    the link. Who may answer is decided by the same rule when they answer."""
    from award.models import AwardCycle
    from award.notify import mail_after_commit

    from .cycle_report import questionnaire_recipients
    from .models import Questionnaire

    require_role(by, Role.SLK)
    if audience not in Questionnaire.Audience.values:
        raise ValidationError(_("Okänd målgrupp för enkäten."))
    # Locking the cycle makes two clicks on the send button queue instead of racing.
    cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
    if (on or today()) < cycle.feedback_release:
        raise ValidationError(
            _("Enkäten kan skickas först när återföringsrapporterna har släppts, %(date)s.")
            % {"date": cycle.feedback_release.isoformat()}
        )
    label = Questionnaire.Audience(audience).label
    if Questionnaire.objects.filter(cycle=cycle, audience=audience).exists():
        raise ValidationError(
            _("Enkäten till %(audience)s %(year)s är redan skickad.")
            % {"audience": str(label).lower(), "year": cycle.year}
        )
    recipients = list(questionnaire_recipients(cycle=cycle, audience=audience))
    if not recipients:
        raise ValidationError(
            _("Det finns ingen att skicka enkäten till: inga %(audience)s i omgången %(year)s.")
            % {"audience": str(label).lower(), "year": cycle.year}
        )
    questionnaire = Questionnaire.objects.create(cycle=cycle, audience=audience, sent_by=by)
    audit.record(
        actor=by,
        action="evaluation.questionnaire_send",
        target=questionnaire,
        changes={"audience": audience, "recipients": len(recipients)},
    )
    # One message per person: the recipients do not see each other's addresses.
    for user in recipients:
        if notify:
            mail_after_commit(
                subject=_("Kvalitetsutmärkelsen %(year)s: vad tyckte du?") % {"year": cycle.year},
                template="scoring/email/questionnaire.txt",
                context={"questionnaire": questionnaire, "cycle": cycle, "user": user},
                recipients=[user.email],
            )
    return questionnaire


def _clean_answers(questions, answers: dict) -> dict:
    """The answers as stored: scale answers as integers 1–5 (required), text answers
    stripped and left out when blank. Refuses with one Swedish message per question."""
    from django.core.exceptions import NON_FIELD_ERRORS

    from .questionnaire import SCALE_VALUES, TEXT_MAX_LENGTH

    cleaned, errors = {}, {}
    for question in questions:
        value = answers.get(question.key)
        if question.is_scale:
            try:
                number = int(value)
            except (TypeError, ValueError):
                number = None
            if number not in SCALE_VALUES or isinstance(value, bool):
                errors[question.key] = _("Välj ett värde mellan 1 och 5.")
                continue
            cleaned[question.key] = number
        else:
            text = str(value or "").strip()
            if len(text) > TEXT_MAX_LENGTH:
                errors[question.key] = _("Svaret får vara högst %(max)s tecken; det är nu %(length)s.") % {
                    "max": TEXT_MAX_LENGTH,
                    "length": len(text),
                }
                continue
            if text:
                cleaned[question.key] = text
    unknown = set(answers) - {q.key for q in questions}
    if unknown:
        errors[NON_FIELD_ERRORS] = _("Svaret innehåller frågor som inte finns i enkäten.")
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def questionnaire_answer(*, questionnaire, respondent, answers: dict, by):
    """Record one recipient's answers, once. Only the respondent answers for themselves,
    and only if the questionnaire's audience includes them."""
    from django.db import IntegrityError

    from .cycle_report import is_recipient
    from .models import Questionnaire, QuestionnaireResponse
    from .questionnaire import questions_for

    if by != respondent:
        raise PermissionDenied(_("Bara den som fått enkäten kan besvara den."))
    questionnaire = (
        Questionnaire.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=questionnaire.pk)
    )
    if not is_recipient(questionnaire, respondent):
        raise PermissionDenied(_("Enkäten är inte skickad till dig."))
    if QuestionnaireResponse.objects.filter(questionnaire=questionnaire, respondent=respondent).exists():
        raise ValidationError(_("Du har redan besvarat enkäten. Tack!"))
    cleaned = _clean_answers(questions_for(questionnaire.audience), answers)
    try:
        with transaction.atomic():
            response = QuestionnaireResponse.objects.create(
                questionnaire=questionnaire, respondent=respondent, answers=cleaned
            )
    except IntegrityError as error:
        raise ValidationError(_("Du har redan besvarat enkäten. Tack!")) from error
    # The answers themselves stay out of the log: it is read more widely than the results.
    audit.record(actor=by, action="evaluation.questionnaire_answer", target=questionnaire)
    return response
