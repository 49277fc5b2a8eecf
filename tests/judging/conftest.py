"""The judging tests' world: a committee of three (chair, member, a member who will
declare a conflict) and three applications scored by a harsh and a lenient team."""

import pytest

from award.models import CommitteeMembership
from tests.support import factories
from tests.support.teams import confirmed_team, finalise


@pytest.fixture
def committee(cycle):
    chair, member, conflicted = (factories.user_with_role("committee") for _ in range(3))
    CommitteeMembership.objects.create(cycle=cycle, user=chair, is_chair=True)
    CommitteeMembership.objects.create(cycle=cycle, user=member)
    CommitteeMembership.objects.create(cycle=cycle, user=conflicted)
    return {"chair": chair, "member": member, "conflicted": conflicted}


@pytest.fixture
def scored(cycle, quality, slk):
    """Three applications in one class, scored by a harsh team (A: 2 apps) and a lenient one (B)."""
    team_a, members_a, (a1, a2) = confirmed_team(cycle, quality, slk, name="Lag A", applications=2)
    team_b, members_b, (b1,) = confirmed_team(cycle, quality, slk, name="Lag B")
    finalise(a1, members_a, [40, 40, 50, 50], 45)
    finalise(a2, members_a, [60, 60, 70, 70], 65)
    finalise(b1, members_b, [70, 80, 80, 90], 80)
    return {"a1": a1, "a2": a2, "b1": b1, "track": quality}
