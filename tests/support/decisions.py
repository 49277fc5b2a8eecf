"""The judging committee, its final meeting and an outcome naming a winner."""

from award.models import CommitteeMembership
from judging import services as judging_services
from judging.models import Meeting
from tests.support import factories


def committee_of_three(cycle) -> dict:
    """A chair, a member, and a member who will declare a conflict (the `committee` fixture
    of tests/judging)."""
    chair, member, conflicted = (factories.user_with_role("committee") for _ in range(3))
    CommitteeMembership.objects.create(cycle=cycle, user=chair, is_chair=True)
    CommitteeMembership.objects.create(cycle=cycle, user=member)
    CommitteeMembership.objects.create(cycle=cycle, user=conflicted)
    return {"chair": chair, "member": member, "conflicted": conflicted}


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
