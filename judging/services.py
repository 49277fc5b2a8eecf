"""Every change the judging committee makes: members' conflicts, meetings, the choice of
site visits, decisions (drafted, signed by the chair, corrected), the notices of them, and
the good examples SLK publishes.

The award's rules bind everyone here, SLK and superusers included: a member with a
conflict neither records nor signs a decision on that application (R13), only an eligible
application with a finalised consensus can win (R5, R6, R15). Each function takes the
acting user as `by`, runs in one transaction and writes the audit trail.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from award import audit
from award.models import CommitteeMembership, Organisation, PastResult, Unit
from award.notify import mail_after_commit
from award.roles import Role, require_role
from award.versioning import bump_version, check_version
from judging import queries, rules
from judging.audit_actions import AuditAction
from judging.models import CommitteeConflict, Decision, DecisionOutcome, Meeting, SiteVisitChoice
from scoring import services as scoring_services
from scoring.models import SiteVisit
from submissions.models import Application


def _require_committee_or_slk(user, cycle) -> None:
    if not queries.committee_or_slk(user, cycle):
        raise PermissionDenied(
            _("Bara domarkommitténs ledamöter eller stadsledningskontoret kan göra detta.")
        )


@transaction.atomic
def committee_conflict_declare(*, cycle, member, target, reason: str, by):
    """A committee member declares a conflict with a unit or an organisation (SLK may
    record one for them)."""
    if by != member:
        require_role(by, Role.SLK)
    if not cycle.has_committee_member(member):
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
        action=AuditAction.COMMITTEE_CONFLICT,
        target=cycle,
        changes={"member": str(member), "target": str(target)},
        reason=reason,
    )
    return conflict


@transaction.atomic
def meeting_record(*, cycle, kind: str, date, present, notes: str = "", by):
    """Record a committee meeting and who was present."""
    _require_committee_or_slk(by, cycle)
    members = {m.user for m in CommitteeMembership.objects.of_cycle(cycle)}
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
        action=AuditAction.COMMITTEE_MEETING,
        target=cycle,
        changes={"kind": kind, "date": date.isoformat(), "present": sorted(str(u) for u in present)},
    )
    return meeting


@transaction.atomic
def site_visits_choose(*, meeting, applications, by) -> list[SiteVisit]:
    """At the first meeting the committee chooses the applications for site visits."""
    if meeting.kind != Meeting.Kind.SHORTLISTING:
        raise ValidationError(_("Platsbesök väljs vid det första domarmötet."))
    _require_committee_or_slk(by, meeting.cycle)
    conflicted = [a.code for a in applications if queries.committee_conflicts_for(by, a)]
    if conflicted:
        raise ValidationError(
            _("Du har jäv mot %(codes)s och kan inte välja platsbesök för dem.")
            % {"codes": ", ".join(conflicted)}
        )
    return [
        site_visit_select(application=application, meeting=meeting, by=by) for application in applications
    ]


@transaction.atomic
def site_visit_select(*, application: Application, by, meeting=None) -> SiteVisit:
    """Select an application for a site visit: the committee's choice (at `meeting`, its
    first), or SLK recording it. A member with a conflict cannot choose it (R13); the team's
    visit itself is created by scoring, from a finalised consensus only."""
    _require_committee_or_slk(by, application.track.cycle)
    if queries.committee_conflicts_for(by, application):
        raise ValidationError(
            _("Du har jäv mot %(code)s och kan inte välja det för platsbesök.") % {"code": application.code}
        )
    visit = scoring_services.site_visit_create(application=application, by=by)
    if meeting is not None:
        SiteVisitChoice.objects.create(site_visit=visit, meeting=meeting)
    return visit


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
    applications outside the class, and a member with a conflict with any candidate of the
    class (`rules.scope_conflicts`, R13)."""
    cycle = meeting.cycle
    _require_committee_or_slk(by, cycle)
    if meeting.kind != Meeting.Kind.FINAL:
        raise ValidationError(_("Beslut om vinnare fattas vid det slutliga domarmötet."))
    if track.cycle_id != cycle.pk or (competition_class and competition_class.track_id != track.pk):
        raise ValidationError(_("Klassen hör inte till omgångens spår."))
    if track.has_classes and competition_class is None:
        raise ValidationError(_("Välj tävlingsklass."))
    conflicted = rules.member_scope_conflicts(
        by, track=track, class_id=competition_class.pk if competition_class else None
    )
    if conflicted:
        raise ValidationError(
            _(
                "Du har jäv mot %(codes)s och deltar inte i beslutet för %(scope)s: ett beslut för klassen "
                "gäller alla dess bidrag."
            )
            % {"codes": ", ".join(a.code for a in conflicted), "scope": competition_class or track}
        )
    if decision is not None:
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        if decision.is_signed:
            raise ValidationError(_("Beslutet är signerat och låst. En rättelse görs som ett nytt beslut."))
        check_version(decision, base_version)
    elif Decision.objects.current().filter(track=track, competition_class=competition_class).exists():
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
    if len({o.application.pk for o in outcomes}) != len(outcomes):
        errors.append(_("Ett bidrag kan bara ha ett utfall."))
    if errors:
        raise ValidationError(errors)
    if decision is None:
        decision = Decision(meeting=meeting, track=track, competition_class=competition_class, created_by=by)
    else:
        bump_version(decision)
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
        action=AuditAction.COMMITTEE_DECISION_DRAFT,
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
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("meeting__cycle", "track")
        .get(pk=decision.pk)
    )
    cycle = decision.meeting.cycle
    if not cycle.has_committee_member(by, chair=True):
        raise PermissionDenied(_("Bara kommitténs ordförande signerar beslut."))
    if decision.is_signed:
        raise ValidationError(_("Beslutet är redan signerat."))
    refusal = rules.chair_conflict_refusal(decision, by)
    if refusal:
        raise ValidationError(refusal)
    outcomes = list(decision.outcomes.select_related("application__unit"))
    # What was true when the draft was saved may not be now (a site visit chosen since,
    # a win recorded): the rules are asked again at the signature.
    refusals = [r for r in (rules.outcome_refusal(o.application, o.outcome) for o in outcomes) if r]
    if refusals:
        raise ValidationError(refusals)
    # A class decision decides on every candidate in the class, not only on the winners.
    conflicted = set(rules.scope_conflicts(track=decision.track, class_id=decision.competition_class_id))
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
        # The scores behind a decision no longer change, not even after a site visit.
        scoring_services.consensus_lock(application=o.application, by=by)
    audit.record(
        actor=by,
        action=AuditAction.COMMITTEE_DECISION_SIGN,
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
    _require_committee_or_slk(by, decision.meeting.cycle)
    decision = Decision.objects.select_for_update().get(pk=decision.pk)
    if decision.status != Decision.Status.SIGNED:
        raise ValidationError(_("Bara ett signerat beslut kan rättas."))
    if hasattr(decision, "superseded_by"):
        raise ValidationError(_("Beslutet har redan en rättelse."))
    if not reason.strip():
        raise ValidationError(_("Ange skälet till rättelsen."))
    conflicted = rules.member_scope_conflicts(
        by, track=decision.track, class_id=decision.competition_class_id
    )
    if conflicted:
        raise ValidationError(
            _("Du har jäv mot %(codes)s och kan inte rätta beslutet.")
            % {"codes": ", ".join(a.code for a in conflicted)}
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
    audit.record(actor=by, action=AuditAction.COMMITTEE_DECISION_CORRECT, target=decision, reason=reason)
    return correction


@transaction.atomic
def decisions_notify(*, cycle, by=None, on=None, notify: bool = True) -> int:
    """After signing, once the feedback release date has come, tell each unit and each
    examiner of the application's team. Each decision is announced once. Only a unit
    whose application has a finalised consensus is promised a feedback report."""
    if not cycle.feedback_released(on):
        return 0
    decisions = list(
        Decision.objects.signed()
        .select_for_update(of=("self",))
        .filter(meeting__cycle=cycle, notified_at__isnull=True)
        .select_related("track", "competition_class")
    )
    sent = 0
    for decision in decisions:
        outcomes = {o.application_id: o for o in decision.outcomes.all()}
        for application in (
            rules.decision_scope(decision.track, decision.competition_class_id)
            .select_related("unit", "consensus")
            .prefetch_related("unit__contacts")
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
                    template="judging/email/decision.txt",
                    context={
                        "decision": decision,
                        "outcome": outcome,
                        "application": application,
                        "cycle": cycle,
                        "report_coming": rules.report_coming(application),
                    },
                    recipients=recipients,
                    key=f"decision:{decision.pk}:application:{application.pk}",
                    reason=_("Beslut meddelat"),
                    related=decision,
                )
            sent += 1
        decision.notified_at = timezone.now()
        decision.save(update_fields=["notified_at"])
        audit.record(actor=by, action=AuditAction.COMMITTEE_NOTIFY, target=decision)
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
        action=AuditAction.COMMITTEE_GOOD_EXAMPLE,
        target=outcome.decision,
        changes={"application": outcome.application.code, "consented": consented},
    )
    return outcome
