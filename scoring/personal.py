"""What the scoring app holds about a person, for SLK's personal-data page
(award.personal): their individual assessments, with every score and text, and the
consensus items they changed last. Registered in ScoringConfig.ready().

The records stay on anonymisation: past cycles keep their scores, and the assessments
belong to the pool membership, which keeps pointing at the pseudonymised account."""

from django.utils.translation import gettext as _

from award.personal.providers import Section, iso
from scoring.models import Assessment, AssessmentItem, Consensus, ConsensusItem, FeedbackReport, SiteVisit


class ScoringPersonalData:
    label = "scoring"
    # Consensus (started, finalised), site visits (selected) and feedback reports
    # (approved) only record which staff member acted; the audit trail has those actions.
    models = (Assessment, AssessmentItem, Consensus, ConsensusItem, SiteVisit, FeedbackReport)
    cleared = ()

    def export(self, person) -> list[Section]:
        assessments = [
            {
                "application": a.application.code,
                "cycle": a.member.cycle.year,
                "status": str(a.get_status_display()),
                "hours": str(a.hours) if a.hours is not None else None,
                "submitted_at": iso(a.submitted_at),
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
            for a in Assessment.objects.filter(member__profile__user=person).select_related(
                "application", "member__cycle"
            )
        ]
        consensus_items = [
            {
                "application": i.consensus.application.code,
                "criterion": i.criterion.number,
                "score": i.score,
                "visit_score": i.visit_score,
                "strengths": i.strengths,
                "improvements": i.improvements,
                "discussion_note": i.discussion_note,
                "visit_reason": i.visit_reason,
                "updated_at": iso(i.updated_at),
            }
            for i in ConsensusItem.objects.filter(updated_by=person).select_related(
                "consensus__application", "criterion"
            )
        ]
        return [
            Section("assessments", _("Individuella bedömningar"), assessments),
            Section("consensus_items_changed", _("Ändrad konsensus"), consensus_items),
        ]

    def refusals(self, person) -> list[str]:
        # An examiner in an open cycle is refused by the examiners app (their team).
        return []

    def anonymise(self, person, *, by) -> dict:
        return {}
