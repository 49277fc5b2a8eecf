"""A world of objects built once for a whole test module, as Django's
`TestCase.setUpTestData` builds one for a class.

Many modules start every test from the same objects (an open cycle, SLK's administrator, a
confirmed team with its application…), and building them through the services costs a
tenth of a second to a second a test. A module that lists them,

    SHARED_WORLD = ("cycle", "slk", "team_world")

gets them built once: tests/conftest.py's `_shared_world` opens a transaction before the
module's first test and builds them in it, each test's own transaction nests inside it (its
changes are rolled back after it, as always), every test gets its own deep copy of the
Python objects and an empty cache, and after the module's last test the whole world is
rolled back. The fixtures of those names (tests/conftest.py, tests/judging/conftest.py)
then return the module's objects instead of building new ones.

Every test of such a module must use the database, none with `transaction=True` (it would
flush the world) nor the demo seed (tests/conftest.py refuses such a module), and its tests
must not need the world built at another moment (a time-travelled clock) or under other
settings than the defaults below."""

import copy
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.core.cache import cache
from django.db import transaction
from django.test import override_settings

from award.models import Track
from tests.support import decisions, factories, teams
from tests.support.demo import FAST_HASHERS

# Background tasks run in the test's own process, at the moment they are queued.
TASKS_AT_ONCE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# name -> function(world) -> the object; a builder asks `need(world, other)` for what it uses.
BUILDERS: dict[str, Callable[[dict], object]] = {
    "cycle": lambda w: factories.complete_cycle(open=True),
    "slk": lambda w: factories.slk_user(),
    "quality": lambda w: need(w, "cycle").tracks.get(kind=Track.Kind.QUALITY_AWARD),
    "team_world": lambda w: teams.team_world(need(w, "cycle"), need(w, "quality"), need(w, "slk")),
    # The team's feedback report, drafted once every member submitted and the leader finalised.
    "report": lambda w: teams.report_drafted(need(w, "team_world")),
    "committee": lambda w: decisions.committee_of_three(need(w, "cycle")),
    "judged_track": lambda w: teams.judged_track(need(w, "cycle"), need(w, "quality"), need(w, "slk")),
    "scored": lambda w: teams.scored(need(w, "cycle"), need(w, "quality"), need(w, "slk")),
}


def need(world: dict, name: str):
    """`world`'s object of that name, built (and kept) if it has none yet."""
    if name not in world:
        world[name] = BUILDERS[name](world)
    return world[name]


@contextmanager
def built_once(django_db_blocker, names) -> Iterator[dict]:
    """The world of `names`, built in a transaction that is rolled back when the block ends.
    Settings as tests/conftest.py's autouse fixtures set them for a test. The database is
    unblocked only to build and to roll back: in between, a test reaches it only through
    its own `db` fixture (and its own savepoint), as anywhere else."""
    unknown = set(names) - set(BUILDERS)
    assert not unknown, f"SHARED_WORLD names what no builder builds: {sorted(unknown)}"
    outer = transaction.atomic()
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS, TASKS=TASKS_AT_ONCE):
        outer.__enter__()
        try:
            world: dict = {}
            for name in names:
                need(world, name)
        except BaseException:
            outer.__exit__(*sys.exc_info())
            raise
    try:
        yield world
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def for_test(world: dict | None) -> dict | None:
    """One test's copy of the world's objects, with an empty cache."""
    if world is None:
        return None
    cache.clear()
    return copy.deepcopy(world)


def shared(world: dict | None, name: str, **given):
    """The module's object of that name if it shares one, else a new one from its builder,
    out of the test's own objects it is `given` (the fixtures it depends on), so a fixture
    builds the same thing in either case."""
    if world is not None and name in world:
        return world[name]
    built = dict(given)
    made = BUILDERS[name](built)
    assert built.keys() == given.keys(), f"{name} needs {sorted(built.keys() - given.keys())} given too"
    return made
