"""Personal data of one person (for SLK): everything the platform holds about them as one
JSON-able document, and anonymisation of someone who has left.

Anonymising keeps every record (applications, assessments, consensus, decisions, the
audit trail) so past cycles stay whole; it only removes who the person was:

- name, user name and e-mail become a stable pseudonym built from the id
  (“Anonymiserad användare 123”), the password becomes unusable, the account inactive
  and without staff or superuser rights;
- the person leaves every group (role), every unit's contacts, loses their model and
  object permissions;
- free text about them is cleared: job title and employer on the examiner profile, the
  availability note on their pool memberships;
- the old name, user name and e-mail are replaced by the pseudonym wherever they were
  written into other text (the audit trail's object names, changes and reasons, teams'
  reasons and flags, site-visit participants, the admin log…): every text and JSON column
  of every model is searched.

It is refused for someone in a team or on the judging committee of a cycle that has not
yet reached its decision (the phase “Beslut fattat, utdelning”): SLK first takes them off
the team, which moves their work to someone else through the usual service. It is also
refused for oneself. The audit trail records the anonymisation with the pseudonym only.
"""

import json
import re

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from guardian.models import UserObjectPermission

from award import audit
from award.models import AuditEntry, CommitteeMembership, Phase
from award.roles import GROUP_NAMES, Role, require_role

DECIDED_PHASES = {Phase.AWARDED, Phase.FEEDBACK}


def pseudonym(user) -> str:
    return f"Anonymiserad användare {user.pk}"


def is_anonymised(user) -> bool:
    return user.username == f"anonymiserad-{user.pk}"


def search(query: str, limit: int = 50):
    """People whose user name, name or e-mail contains every word of the query."""
    users = get_user_model().objects.all()
    for word in query.split():
        users = users.filter(
            models.Q(username__icontains=word)
            | models.Q(first_name__icontains=word)
            | models.Q(last_name__icontains=word)
            | models.Q(email__icontains=word)
        )
    return users.order_by("last_name", "first_name", "username")[:limit]


# --- Export ----------------------------------------------------------------------------


def _dt(value):
    return value.isoformat() if value is not None else None


def _target(obj) -> str:
    return str(obj.unit or obj.organisation)


def export(user) -> dict:
    """Everything the platform holds about `user`, as plain JSON-able data."""
    from evaluation.models import QuestionnaireResponse
    from examiners.models import Attendance, Conflict, Enrolment, ExaminerProfile, PoolMember, TeamMember
    from judging.models import CommitteeConflict, Decision, Meeting
    from scoring.models import Assessment, ConsensusItem
    from submissions.models import Answer, AnswerRevision, Application, Attachment

    group_roles = {name: role for role, name in GROUP_NAMES.items()}
    groups = list(user.groups.order_by("name").values_list("name", flat=True))
    data = {
        "exported_at": timezone.now().isoformat(),
        "user": {
            "id": user.pk,
            "username": user.username,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "is_active": user.is_active,
            "is_staff": user.is_staff,
            "is_superuser": user.is_superuser,
            "date_joined": _dt(user.date_joined),
            "last_login": _dt(user.last_login),
            "has_usable_password": user.has_usable_password(),
            "anonymised": is_anonymised(user),
        },
        "roles": [str(Role(group_roles[g]).label) for g in groups if g in group_roles],
        "groups": groups,
        "units_as_contact": [
            {"code": u.code, "name": u.name, "organisation": u.organisation.name}
            for u in user.units.select_related("organisation").order_by("code")
        ],
    }

    # Applications: what they did as a unit contact (or as SLK deciding on them).
    roles_on_applications = {
        "registered_by": "anmälde",
        "submitted_by": "lämnade in",
        "withdrawn_by": "återtog",
        "registration_decided_by": "beslutade om anmälan",
    }
    applications = []
    for field, label in roles_on_applications.items():
        for application in Application.objects.filter(**{field: user}).select_related("unit", "track__cycle"):
            applications.append(
                {
                    "application": application.code,
                    "unit": application.unit.name,
                    "cycle": application.track.cycle.year,
                    "role": label,
                }
            )
    data["applications"] = applications
    data["answers_last_saved"] = [
        {"application": a.application.code, "criterion": a.criterion.number, "updated_at": _dt(a.updated_at)}
        for a in Answer.objects.filter(updated_by=user).select_related("application", "criterion")
    ]
    data["answer_revisions"] = [
        {
            "application": r.answer.application.code,
            "criterion": r.answer.criterion.number,
            "version": r.version,
            "saved_at": _dt(r.saved_at),
            "conflict": r.conflict,
            "text": r.text,
        }
        for r in AnswerRevision.objects.filter(saved_by=user)
        .select_related("answer__application", "answer__criterion")
        .order_by("saved_at", "pk")
    ]
    data["attachments_uploaded"] = [
        {
            "application": a.application.code,
            "file": a.original_name,
            "description": a.description,
            "size": a.size,
            "uploaded_at": _dt(a.uploaded_at),
        }
        for a in Attachment.objects.filter(uploaded_by=user).select_related("application")
    ]

    # Examiner: profile, pool, training, conflicts, teams, assessments.
    profile = (
        ExaminerProfile.objects.filter(user=user).select_related("organisation", "employer_unit").first()
    )
    data["examiner_profile"] = (
        {
            "organisation": profile.organisation.name,
            "workplace": profile.employer_unit.name if profile.employer_unit else None,
            "employer": profile.employer,
            "job_title": profile.job_title,
            "years_served": profile.years_served,
            "years_led": profile.years_led,
            "areas": profile.areas,
        }
        if profile
        else None
    )
    members = list(
        PoolMember.objects.filter(profile__user=user).select_related("cycle").order_by("cycle__year")
    )
    data["pool_memberships"] = [
        {
            "cycle": m.cycle.year,
            "status": str(m.get_status_display()),
            "available": m.available,
            "availability_note": m.availability_note,
            "manager_name": m.manager_name,
            "manager_approved_on": _dt(m.manager_approved_on),
            "max_teams": m.max_teams,
            "volunteered_at": _dt(m.volunteered_at),
            "decided_at": _dt(m.decided_at),
        }
        for m in members
    ]
    data["training"] = [
        {
            "cycle": e.session.cycle.year,
            "session": e.session.title,
            "kind": str(e.session.get_kind_display()),
            "status": str(e.get_status_display()),
            "requested_at": _dt(e.requested_at),
            "attendance": [
                {"date": _dt(a.day.date), "present": a.present}
                for a in Attendance.objects.filter(enrolment=e).select_related("day").order_by("day__date")
            ],
        }
        for e in Enrolment.objects.filter(member__in=members).select_related("session__cycle")
    ]
    data["conflicts"] = [
        {
            "cycle": c.member.cycle.year,
            "with": _target(c),
            "reason": c.reason,
            "source": str(c.get_source_display()),
            "recorded_at": _dt(c.recorded_at),
        }
        for c in Conflict.objects.filter(member__in=members).select_related(
            "member__cycle", "unit", "organisation"
        )
    ]
    data["teams"] = [
        {
            "cycle": tm.team.cycle.year,
            "team": tm.team.name,
            "status": str(tm.team.get_status_display()),
            "is_leader": tm.is_leader,
            "applications": sorted(tm.team.assignments.values_list("application__code", flat=True)),
        }
        for tm in TeamMember.objects.filter(member__in=members).select_related("team__cycle")
    ]
    data["assessments"] = [
        {
            "application": a.application.code,
            "cycle": a.member.cycle.year,
            "status": str(a.get_status_display()),
            "hours": str(a.hours) if a.hours is not None else None,
            "submitted_at": _dt(a.submitted_at),
            "items": [
                {
                    "criterion": i.criterion.number,
                    "score": i.score,
                    "strengths": i.strengths,
                    "improvements": i.improvements,
                    "notes": i.notes,
                }
                for i in a.items.select_related("criterion").order_by("criterion__number")
            ],
        }
        for a in Assessment.objects.filter(member__in=members).select_related("application", "member__cycle")
    ]
    data["consensus_items_changed"] = [
        {
            "application": i.consensus.application.code,
            "criterion": i.criterion.number,
            "score": i.score,
            "visit_score": i.visit_score,
            "strengths": i.strengths,
            "improvements": i.improvements,
            "discussion_note": i.discussion_note,
            "visit_reason": i.visit_reason,
            "updated_at": _dt(i.updated_at),
        }
        for i in ConsensusItem.objects.filter(updated_by=user).select_related(
            "consensus__application", "criterion"
        )
    ]

    # The judging committee.
    data["committee_memberships"] = [
        {"cycle": m.cycle.year, "is_chair": m.is_chair}
        for m in CommitteeMembership.objects.filter(user=user).select_related("cycle").order_by("cycle__year")
    ]
    data["committee_conflicts"] = [
        {"cycle": c.cycle.year, "with": _target(c), "reason": c.reason, "recorded_at": _dt(c.recorded_at)}
        for c in CommitteeConflict.objects.filter(member=user).select_related("cycle", "unit", "organisation")
    ]
    data["meetings_present"] = [
        {"cycle": m.cycle.year, "meeting": str(m.get_kind_display()), "date": _dt(m.date)}
        for m in Meeting.objects.filter(present=user).select_related("cycle")
    ]

    def decision_row(d):
        return {
            "cycle": d.meeting.cycle.year,
            "scope": d.scope_label,
            "status": str(d.get_status_display()),
            "signed_at": _dt(d.signed_at),
        }

    decisions = Decision.objects.select_related("meeting__cycle", "track", "competition_class")
    data["decisions_signed"] = [decision_row(d) for d in decisions.filter(signed_by=user)]
    data["decisions_created"] = [decision_row(d) for d in decisions.filter(created_by=user)]
    data["decisions_stepped_out"] = [decision_row(d) for d in decisions.filter(stepped_out=user)]
    data["questionnaire_responses"] = [
        {
            "cycle": r.questionnaire.cycle.year,
            "questionnaire": str(r.questionnaire.get_audience_display()),
            "answers": r.answers,
            "submitted_at": _dt(r.submitted_at),
        }
        for r in QuestionnaireResponse.objects.filter(respondent=user).select_related("questionnaire__cycle")
    ]

    # The audit trail: what they did, and what was done to their account.
    user_type = ContentType.objects.get_for_model(user)
    data["audit_entries_as_actor"] = [_audit_row(e) for e in AuditEntry.objects.filter(actor=user)]
    data["audit_entries_about_account"] = [
        _audit_row(e) for e in AuditEntry.objects.filter(content_type=user_type, object_id=str(user.pk))
    ]
    data["object_permissions"] = sorted(
        {
            f"{p.content_type.app_label}.{p.permission.codename} #{p.object_pk}"
            for p in UserObjectPermission.objects.filter(user=user).select_related(
                "permission", "content_type"
            )
        }
        | {f"submissions.{p.permission.codename} #{p.content_object_id}" for p in _application_perms(user)}
    )
    return data


def _application_perms(user):
    from submissions.models import ApplicationUserObjectPermission

    return ApplicationUserObjectPermission.objects.filter(user=user).select_related("permission")


def _audit_row(entry) -> dict:
    return {
        "at": _dt(entry.at),
        "action": entry.action,
        "object": entry.object_repr,
        "changes": entry.changes,
        "reason": entry.reason,
    }


def export_json(user) -> str:
    return json.dumps(export(user), ensure_ascii=False, indent=2, default=str)


# --- Anonymisation ------------------------------------------------------------------------


def anonymise_refusals(user, *, by=None) -> list[str]:
    """Why `user` cannot be anonymised now (empty when they can)."""
    from examiners.models import TeamMember

    reasons = []
    if by is not None and by.pk == user.pk:
        reasons.append(_("Du kan inte anonymisera dig själv."))
    if is_anonymised(user):
        reasons.append(_("Personen är redan anonymiserad."))
    for tm in TeamMember.objects.filter(member__profile__user=user).select_related("team__cycle"):
        if tm.team.cycle.phase not in DECIDED_PHASES:
            reasons.append(
                _(
                    "Personen ingår i %(team)s i omgång %(year)s, som inte är avslutad. Ta först bort personen ur laget."
                )
                % {"team": tm.team.name, "year": tm.team.cycle.year}
            )
    for membership in CommitteeMembership.objects.filter(user=user).select_related("cycle"):
        if membership.cycle.phase not in DECIDED_PHASES:
            reasons.append(
                _("Personen sitter i domarkommittén för omgång %(year)s, som inte har fattat beslut ännu.")
                % {"year": membership.cycle.year}
            )
    return reasons


def _identifiers(user) -> list[tuple[re.Pattern, str]]:
    """(pattern, replacement) for each way the person's identity is written in text."""
    name = pseudonym(user)
    patterns = []
    candidates = {user.get_full_name().strip(), user.email.strip(), user.username.strip()}
    for value in sorted((v for v in candidates if len(v) >= 3), key=len, reverse=True):
        patterns.append((re.compile(r"(?<![\w@.])" + re.escape(value) + r"(?![\w@])", re.IGNORECASE), name))
    return patterns


def _scrub_value(value, patterns):
    if isinstance(value, str):
        for pattern, replacement in patterns:
            value = pattern.sub(replacement, value)
        return value
    if isinstance(value, list):
        return [_scrub_value(v, patterns) for v in value]
    if isinstance(value, dict):
        return {_scrub_value(k, patterns): _scrub_value(v, patterns) for k, v in value.items()}
    return value


def _text_fields(model):
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField | models.JSONField) and not f.primary_key
    ]


def _scrub_everywhere(user, needles: list[str], patterns) -> int:
    """Replace the person's identifiers in every text and JSON column of every model other
    than the user itself. Rows are updated with `update()`, so no `auto_now` moves."""
    skip = {get_user_model(), ContentType, Permission, Session}
    changed = 0
    for model in apps.get_models():
        if model in skip or model._meta.proxy or not model._meta.managed:
            continue
        for field in _text_fields(model):
            column = field.name
            query = models.Q()
            queryset = model._base_manager.all()
            if isinstance(field, models.JSONField):
                queryset = queryset.annotate(_scrub_text=Cast(column, models.TextField()))
                column = "_scrub_text"
            for needle in needles:
                query |= models.Q(**{f"{column}__icontains": needle})
                escaped = json.dumps(needle)[1:-1]
                if escaped != needle:
                    query |= models.Q(**{f"{column}__icontains": escaped})
            for pk, value in queryset.filter(query).values_list("pk", field.name):
                new = _scrub_value(value, patterns)
                if new != value:
                    model._base_manager.filter(pk=pk).update(**{field.name: new})
                    changed += 1
    return changed


@transaction.atomic
def anonymise(*, user, by) -> dict:
    """Anonymise a person who has left (see the module's description). Returns a summary."""
    from examiners.models import ExaminerProfile, PoolMember
    from submissions.models import ApplicationUserObjectPermission

    require_role(by, Role.SLK)
    user = get_user_model().objects.select_for_update().get(pk=user.pk)
    refusals = anonymise_refusals(user, by=by)
    if refusals:
        raise ValidationError(refusals)
    if user.is_superuser and not by.is_superuser:
        raise PermissionDenied(_("Bara en superanvändare kan anonymisera en superanvändare."))

    patterns = _identifiers(user)
    needles = [
        v for v in {user.get_full_name().strip(), user.email.strip(), user.username.strip()} if len(v) >= 3
    ]
    name = pseudonym(user)
    summary = {
        "groups_removed": sorted(user.groups.values_list("name", flat=True)),
        "units_removed": sorted(user.units.values_list("code", flat=True)),
    }
    user.groups.clear()
    user.units.clear()
    user.user_permissions.clear()
    summary["object_permissions_removed"] = (
        UserObjectPermission.objects.filter(user=user).delete()[0]
        + ApplicationUserObjectPermission.objects.filter(user=user).delete()[0]
    )
    profile_fields = ExaminerProfile.objects.filter(user=user).update(job_title="", employer="")
    PoolMember.objects.filter(profile__user=user).update(availability_note="")
    summary["profile_cleared"] = bool(profile_fields)
    summary["texts_replaced"] = _scrub_everywhere(user, needles, patterns)

    user.username = f"anonymiserad-{user.pk}"
    user.first_name = "Anonymiserad"
    user.last_name = f"användare {user.pk}"
    user.email = ""
    user.is_active = False
    user.is_staff = False
    user.is_superuser = False
    user.last_login = None
    user.set_unusable_password()
    user.save()
    user.__dict__.pop("_award_roles", None)

    audit.record(
        actor=by,
        action="user.anonymise",
        target=user,
        changes={
            "pseudonym": name,
            "cleared": [
                "username",
                "first_name",
                "last_name",
                "email",
                "password",
                "groups",
                "units",
                "permissions",
                "job_title",
                "employer",
            ],
            **summary,
        },
        reason=_("Personen har lämnat; personuppgifterna är anonymiserade."),
    )
    return summary
