"""What the examiners app holds about a person, for SLK's personal-data page
(award.personal): the examiner profile, pool memberships, training and attendance,
declared conflicts and teams, and their assessments of training's practice cases.
Registered in ExaminersConfig.ready().

Anonymising clears the free text about the person (job title and employer on the profile,
the availability note on pool memberships) and is refused while they are in a team of a
cycle that has not yet reached its decision: SLK first takes them off the team, which
moves their work to someone else through the usual service. A practice assessment is
training, not the award's record: anonymising deletes it (its scores, texts and any flag
for a talk), and the trainer's calibration of that session counts one trainee fewer."""

from django.utils.translation import gettext as _

from award.personal.data import DECIDED_PHASES
from award.personal.providers import Section, iso
from examiners.models import (
    Attendance,
    Conflict,
    Enrolment,
    ExaminerProfile,
    PoolMember,
    PracticeAssessment,
    PracticeAssessmentItem,
    Team,
    TeamMember,
)


class ExaminersPersonalData:
    label = "examiners"
    models = (
        ExaminerProfile,
        PoolMember,
        Enrolment,
        Attendance,
        Conflict,
        Team,
        TeamMember,
        PracticeAssessment,
        PracticeAssessmentItem,
    )
    cleared = ("job_title", "employer")

    def export(self, person) -> list[Section]:
        profile = (
            ExaminerProfile.objects.filter(user=person)
            .select_related("organisation", "employer_unit")
            .first()
        )
        members = list(
            PoolMember.objects.filter(profile__user=person).select_related("cycle").order_by("cycle__year")
        )
        return [
            Section("examiner_profile", _("Examinatorsprofil"), _profile(profile)),
            Section("pool_memberships", _("Examinatorspool"), [_pool_row(m) for m in members]),
            Section("training", _("Utbildning och närvaro"), _training(members)),
            Section("conflicts", _("Jäv"), _conflicts(members)),
            Section("teams", _("Examinatorslag"), _teams(members)),
            Section("practice_assessments", _("Bedömningar av övningsfall"), _practice(members)),
        ]

    def refusals(self, person) -> list[str]:
        return [
            _(
                "Personen ingår i %(team)s i omgång %(year)s, som inte är avslutad. Ta först bort personen ur laget."
            )
            % {"team": tm.team.name, "year": tm.team.cycle.year}
            for tm in TeamMember.objects.filter(member__profile__user=person).select_related("team__cycle")
            if tm.team.cycle.phase not in DECIDED_PHASES
        ]

    def anonymise(self, person, *, by) -> dict:
        profile_fields = ExaminerProfile.objects.filter(user=person).update(job_title="", employer="")
        PoolMember.objects.filter(profile__user=person).update(availability_note="")
        _total, deleted = PracticeAssessment.objects.filter(member__profile__user=person).delete()
        return {
            "profile_cleared": bool(profile_fields),
            "practice_assessments_deleted": deleted.get(PracticeAssessment._meta.label, 0),
        }


def _profile(profile):
    if profile is None:
        return None
    return {
        "organisation": profile.organisation.name,
        "workplace": profile.employer_unit.name if profile.employer_unit else None,
        "employer": profile.employer,
        "job_title": profile.job_title,
        "years_served": profile.years_served,
        "years_led": profile.years_led,
        "areas": profile.areas,
    }


def _pool_row(m):
    return {
        "cycle": m.cycle.year,
        "status": str(m.get_status_display()),
        "available": m.available,
        "availability_note": m.availability_note,
        "manager_name": m.manager_name,
        "manager_approved_on": iso(m.manager_approved_on),
        "max_teams": m.max_teams,
        "volunteered_at": iso(m.volunteered_at),
        "decided_at": iso(m.decided_at),
    }


def _training(members):
    return [
        {
            "cycle": e.session.cycle.year,
            "session": e.session.title,
            "kind": str(e.session.get_kind_display()),
            "status": str(e.get_status_display()),
            "requested_at": iso(e.requested_at),
            "attendance": [
                {"date": iso(a.day.date), "present": a.present}
                for a in Attendance.objects.filter(enrolment=e).select_related("day").order_by("day__date")
            ],
        }
        for e in Enrolment.objects.filter(member__in=members).select_related("session__cycle")
    ]


def _conflicts(members):
    return [
        {
            "cycle": c.member.cycle.year,
            "with": str(c.unit or c.organisation),
            "reason": c.reason,
            "source": str(c.get_source_display()),
            "recorded_at": iso(c.recorded_at),
        }
        for c in Conflict.objects.filter(member__in=members).select_related(
            "member__cycle", "unit", "organisation"
        )
    ]


def _teams(members):
    return [
        {
            "cycle": tm.team.cycle.year,
            "team": tm.team.name,
            "status": str(tm.team.get_status_display()),
            "is_leader": tm.is_leader,
            "applications": sorted(tm.team.assignments.values_list("application__code", flat=True)),
        }
        for tm in TeamMember.objects.filter(member__in=members).select_related("team__cycle")
    ]


def _practice(members):
    return [
        {
            "cycle": a.case.session.cycle.year,
            "session": a.case.session.title,
            "case": a.case.title,
            "status": str(a.get_status_display()),
            "submitted_at": iso(a.submitted_at),
            "items": [
                {
                    "criterion": item.criterion.number,
                    "score": item.score,
                    "strengths": item.strengths,
                    "improvements": item.improvements,
                }
                for item in a.items.select_related("criterion").order_by("criterion__number")
            ],
        }
        for a in PracticeAssessment.objects.filter(member__in=members).select_related("case__session__cycle")
    ]
