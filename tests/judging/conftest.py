"""The judging tests' world: a committee of three (chair, member, a member who will
declare a conflict) and three applications scored by a harsh and a lenient team
(tests/support/decisions.py, tests/support/teams.py). Scoring them through the services
takes about a second, so the modules that read it list it in SHARED_WORLD and build it
once (tests/support/world.py)."""

import pytest

from tests.support import world


@pytest.fixture
def committee(_world, cycle):
    return world.shared(_world, "committee", cycle=cycle)


@pytest.fixture
def scored(_world, cycle, quality, slk):
    return world.shared(_world, "scored", cycle=cycle, quality=quality, slk=slk)
