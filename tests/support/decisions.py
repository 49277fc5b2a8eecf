"""The judging committee's decisions: its final meeting and an outcome naming a winner."""

from judging import services as judging_services
from judging.models import Meeting


def final_meeting(cycle, committee, slk):
    return judging_services.meeting_record(
        cycle=cycle,
        kind=Meeting.Kind.FINAL,
        date=cycle.final_committee_meeting,
        present=committee.values(),
        by=slk,
    )


def winner(application, citation="För ett föredömligt arbete"):
    return judging_services.OutcomeData(application=application, outcome="winner", citation=citation)
