"""What the judging committee's side holds about a person, for SLK's personal-data page
(award.personal): their seats on the committee, their declared conflicts, the meetings
they attended and the decisions they created, signed or stepped out of. Registered in
JudgingConfig.ready().

The committee's seats are award's model (they grant access), but what a seat means to the
person is the committee's, so they are exported here, beside the committee's other
records. Anonymising is refused while the person sits on the committee of a cycle that
has not yet reached its decision."""

from django.utils.translation import gettext as _

from award.models import CommitteeMembership
from award.personal.data import DECIDED_PHASES
from award.personal.providers import Section, iso
from judging.models import CommitteeConflict, Decision, Meeting


class JudgingPersonalData:
    label = "judging"
    models = (CommitteeMembership, CommitteeConflict, Meeting, Decision)
    cleared = ()

    def export(self, person) -> list[Section]:
        memberships = [
            {"cycle": m.cycle.year, "is_chair": m.is_chair}
            for m in CommitteeMembership.objects.filter(user=person)
            .select_related("cycle")
            .order_by("cycle__year")
        ]
        conflicts = [
            {
                "cycle": c.cycle.year,
                "with": str(c.unit or c.organisation),
                "reason": c.reason,
                "recorded_at": iso(c.recorded_at),
            }
            for c in CommitteeConflict.objects.filter(member=person).select_related(
                "cycle", "unit", "organisation"
            )
        ]
        meetings = [
            {"cycle": m.cycle.year, "meeting": str(m.get_kind_display()), "date": iso(m.date)}
            for m in Meeting.objects.filter(present=person).select_related("cycle")
        ]
        decisions = Decision.objects.select_related("meeting__cycle", "track", "competition_class")
        return [
            Section("committee_memberships", _("Domarkommittén"), memberships),
            Section("committee_conflicts", _("Jäv i domarkommittén"), conflicts),
            Section("meetings_present", _("Närvaro vid domarmöten"), meetings),
            Section(
                "decisions_signed",
                _("Signerade beslut"),
                [_decision_row(d) for d in decisions.filter(signed_by=person)],
            ),
            Section(
                "decisions_created",
                _("Skapade beslut"),
                [_decision_row(d) for d in decisions.filter(created_by=person)],
            ),
            Section(
                "decisions_stepped_out",
                _("Beslut där personen inte deltog (jäv)"),
                [_decision_row(d) for d in decisions.filter(stepped_out=person)],
            ),
        ]

    def refusals(self, person) -> list[str]:
        return [
            _("Personen sitter i domarkommittén för omgång %(year)s, som inte har fattat beslut ännu.")
            % {"year": membership.cycle.year}
            for membership in CommitteeMembership.objects.filter(user=person).select_related("cycle")
            if membership.cycle.phase not in DECIDED_PHASES
        ]

    def anonymise(self, person, *, by) -> dict:
        # Seats, conflicts, attendance and signatures stay: they are the record of past
        # decisions, now under the pseudonym.
        return {}


def _decision_row(d):
    return {
        "cycle": d.meeting.cycle.year,
        "scope": d.scope_label,
        "status": str(d.get_status_display()),
        "signed_at": iso(d.signed_at),
    }
