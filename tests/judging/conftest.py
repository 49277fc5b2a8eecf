"""The judging tests' world: a committee of three (chair, member, a member who will
declare a conflict) and three applications scored by a harsh and a lenient team.

Scoring them takes about a second (every score goes through the services), and most
judging tests only read the result. A module that sets `SHARED_WORLD = True` therefore
builds the world once, as Django's `TestCase.setUpTestData` does: in a transaction opened
before the module's first test and rolled back after its last, each test's own transaction
nested inside it, each test with its own copy of the Python objects and an empty cache.
Its `cycle`, `slk`, `committee` and `scored` are then that world's; such a module must not
hold a `transaction=True` test. Other modules build them per test, as before."""

import copy

import pytest
from django.core.cache import cache
from django.db import transaction

from award.models import CommitteeMembership, Track
from tests.support import factories
from tests.support.teams import confirmed_team, finalise


def _committee(cycle):
    chair, member, conflicted = (factories.user_with_role("committee") for _ in range(3))
    CommitteeMembership.objects.create(cycle=cycle, user=chair, is_chair=True)
    CommitteeMembership.objects.create(cycle=cycle, user=member)
    CommitteeMembership.objects.create(cycle=cycle, user=conflicted)
    return {"chair": chair, "member": member, "conflicted": conflicted}


def _scored(cycle, quality, slk):
    """Three applications in one class, scored by a harsh team (A: 2 apps) and a lenient one (B)."""
    team_a, members_a, (a1, a2) = confirmed_team(cycle, quality, slk, name="Lag A", applications=2)
    team_b, members_b, (b1,) = confirmed_team(cycle, quality, slk, name="Lag B")
    finalise(a1, members_a, [40, 40, 50, 50], 45)
    finalise(a2, members_a, [60, 60, 70, 70], 65)
    finalise(b1, members_b, [70, 80, 80, 90], 80)
    return {"a1": a1, "a2": a2, "b1": b1, "track": quality}


def _shares(request) -> bool:
    return getattr(request.module, "SHARED_WORLD", False)


@pytest.fixture(scope="module", autouse=True)
def _shared_world(request):
    """The module's world when it shares one (see the module docstring), else None."""
    if not _shares(request):
        yield None
        return
    request.getfixturevalue("django_db_setup")
    blocker = request.getfixturevalue("django_db_blocker")
    with blocker.unblock(), transaction.atomic():
        cycle = factories.complete_cycle(open=True)
        slk = factories.slk_user()
        quality = cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
        yield {
            "cycle": cycle,
            "slk": slk,
            "committee": _committee(cycle),
            "scored": _scored(cycle, quality, slk),
        }
        transaction.set_rollback(True)


@pytest.fixture
def _world(_shared_world, db):
    """This test's copy of the shared world's objects (None when the module shares none)."""
    if _shared_world is None:
        return None
    cache.clear()
    return copy.deepcopy(_shared_world)


@pytest.fixture
def cycle(_world):
    return _world["cycle"] if _world else factories.complete_cycle(open=True)


@pytest.fixture
def slk(_world):
    return _world["slk"] if _world else factories.slk_user()


@pytest.fixture
def committee(_world, cycle):
    return _world["committee"] if _world else _committee(cycle)


@pytest.fixture
def scored(_world, cycle, quality, slk):
    return _world["scored"] if _world else _scored(cycle, quality, slk)
