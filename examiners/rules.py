"""The rules a team must meet, evaluated over already-loaded rows so that services (one
team) and pages (every team of a cycle) share them. Load members with `profile`,
`conflicts__unit`, `conflicts__organisation` and `enrolments__session__days`,
`enrolments__attendance` prefetched, and applications with `unit`.
"""

from django.utils.translation import gettext as _

from examiners.models import PoolMember

MIN_TEAM_SIZE, MAX_TEAM_SIZE = 4, 6
# The award's rule (R9): a team takes one or two applications. A cycle may allow fewer;
# a cycle setting above this (saved before the model's validator) never allows more.
MAX_APPLICATIONS_PER_TEAM = 2


def applications_limit(cycle) -> int:
    """How many applications one team of the cycle may take."""
    return min(cycle.max_applications_per_team, MAX_APPLICATIONS_PER_TEAM)


def member_errors(member: PoolMember) -> list[str]:
    """Why this pool member cannot be placed in any team (empty when they can)."""
    errors = []
    name = member.profile
    if member.status != PoolMember.Status.ACCEPTED:
        errors.append(_("%(name)s är inte antagen till årets pool.") % {"name": name})
    if not member.available:
        errors.append(_("%(name)s är inte tillgänglig i år.") % {"name": name})
    if not member.manager_approved:
        errors.append(_("%(name)s saknar chefens godkännande.") % {"name": name})
    status = member.training_status()
    if not status.qualified:
        errors.append(_("%(name)s är inte kvalificerad: %(why)s.") % {"name": name, "why": status.label})
    return errors


def leader_errors(member: PoolMember) -> list[str]:
    if not member.is_experienced:
        return [
            _("%(name)s har inte varit examinator tidigare och kan inte leda ett lag.")
            % {"name": member.profile}
        ]
    return []


def team_errors(*, members, leader_ids, applications) -> tuple[list[str], list[str]]:
    """(hard errors, soft warnings) for a team."""
    errors, warnings = [], []
    if len(members) < 2:
        errors.append(_("Ett lag behöver minst två examinatorer."))
    if not leader_ids:
        errors.append(_("Laget saknar lagledare."))
    if not applications:
        errors.append(_("Laget har inget bidrag."))
    if members and not any(m.is_experienced for m in members):
        errors.append(_("Laget behöver minst en erfaren examinator."))
    for member in members:
        errors += member_errors(member)
        if member.pk in leader_ids:
            errors += leader_errors(member)
        for application in applications:
            errors += member.conflict_reasons(application)
    if members and not MIN_TEAM_SIZE <= len(members) <= MAX_TEAM_SIZE:
        warnings.append(
            _("Laget har %(count)s medlemmar; rekommenderat är %(min)s–%(max)s.")
            % {"count": len(members), "min": MIN_TEAM_SIZE, "max": MAX_TEAM_SIZE}
        )
    organisations = {m.profile.organisation_id for m in members}
    if len(members) > 1 and len(organisations) < len(members):
        warnings.append(_("Flera medlemmar kommer från samma förvaltning."))
    if members and all(m.is_experienced for m in members):
        warnings.append(_("Laget har inga nya examinatorer."))
    return errors, warnings


def practice_missing(items) -> list[str]:
    """What the trainee must still write before submitting: the same rule as the real
    assessment (a score and at least one strength or area per criterion)."""
    missing = []
    for item in items:
        if item.score is None:
            missing.append(_("Kriterium %(n)s saknar poäng.") % {"n": item.criterion.number})
        if not item.strengths and not item.improvements:
            missing.append(
                _("Kriterium %(n)s saknar styrkor och förbättringsområden.") % {"n": item.criterion.number}
            )
    return missing
