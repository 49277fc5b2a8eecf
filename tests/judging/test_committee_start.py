"""A committee member's start page says what the next meeting needs: its date and purpose
from the cycle's timeline, the applications still without a final consensus and the
classes without a signed decision, each a link."""

import pytest
from django.urls import reverse

from award.models import AwardCycle, CommitteeMembership, Phase
from award.roles import Role
from tests.support import factories

pytestmark = pytest.mark.django_db
SHARED_WORLD = ("cycle", "slk", "team_world")  # built once for the module (tests/support/world.py)


def _move_to(cycle, phase):
    for offset in range(0, -300, -1):
        AwardCycle.objects.filter(pk=cycle.pk).update(**factories.timeline(phase_offset=offset))
        cycle.refresh_from_db()
        if cycle.phase == phase:
            return
    raise AssertionError(phase)


def test_a_member_sees_the_next_meeting_and_what_it_lacks(client, team_world):
    cycle = team_world["cycle"]
    _move_to(cycle, Phase.SHORTLISTING)
    judge = factories.user_with_role(Role.COMMITTEE)
    CommitteeMembership.objects.create(cycle=cycle, user=judge)
    client.force_login(judge)
    html = client.get(reverse("home")).content.decode()
    assert "Nästa möte" in html and "Första domarmötet: urval till platsbesök" in html
    committee = reverse("judging:committee_home", args=[cycle.year])
    assert (
        f'<a href="{committee}"><span class="todo-count">2</span> Inlämnade bidrag utan fastställd konsensus</a>'
        in html
    )
    # three quality classes and the renewal prize
    decisions = reverse("judging:decisions", args=[cycle.year])
    assert f'<a href="{decisions}"><span class="todo-count">4</span> Klasser utan signerat beslut</a>' in html


def test_someone_outside_the_committee_gets_no_numbers(client, team_world):
    cycle = team_world["cycle"]
    _move_to(cycle, Phase.SHORTLISTING)
    client.force_login(factories.user_with_role(Role.COMMITTEE))
    assert "Klasser utan signerat beslut" not in client.get(reverse("home")).content.decode()
