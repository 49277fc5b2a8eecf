import pytest

from award.models import AwardCycle, today
from award.roles import Role
from tests.support import factories, kinds, migrations, world
from tests.support.applications import register
from tests.support.demo import FAST_HASHERS, SHARED_SEED


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """Factories set a password on every user; the production hasher is slow on purpose."""
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def second_factor_verified(request):
    """Every login of a test (force_login, the login form, the browser's) counts as having
    passed the second factor, so the tests of pages need not set up an authenticator for SLK
    and the committee. A test marked `second_factor` opts out and meets the real demand
    (tests/accounts/test_two_factor.py)."""
    if request.node.get_closest_marker("second_factor"):
        yield
        return
    from django.contrib.auth.signals import user_logged_in

    from accounts.twofactor import SECOND_FACTOR_KEY

    def verified(sender, request, user, **kwargs):
        if request is not None and hasattr(request, "session"):
            request.session[SECOND_FACTOR_KEY] = "test"

    user_logged_in.connect(verified, dispatch_uid="tests.second_factor_verified")
    yield
    user_logged_in.disconnect(dispatch_uid="tests.second_factor_verified")


@pytest.fixture(autouse=True)
def tasks_run_at_once(settings):
    """Background tasks run in the test's own process, at the moment they are queued (the
    e-mail of a service is then in mail.outbox once its transaction commits). A test of
    the database queue itself sets settings.TASKS back to django_tasks_db."""
    settings.TASKS = world.TASKS_AT_ONCE


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test databases, made from the models (--no-migrations,
    pyproject.toml), with every migration recorded as applied, as on a migrated database."""
    with django_db_blocker.unblock():
        migrations.record_every_migration()


@pytest.fixture(scope="module", autouse=True)
def _shared_world(request):
    """The objects a module lists in SHARED_WORLD, built once for it (tests/support/world.py);
    None for a module that lists none."""
    names = getattr(request.module, "SHARED_WORLD", ())
    if not names:
        yield None
        return
    request.getfixturevalue("django_db_setup")
    with world.built_once(request.getfixturevalue("django_db_blocker"), names) as built:
        yield built


@pytest.fixture
def _world(_shared_world, db):
    """This test's copy of its module's shared world (None when the module shares none)."""
    return world.for_test(_shared_world)


@pytest.fixture
def cycle(_world):
    """The current, opened cycle, in its registration phase."""
    return world.shared(_world, "cycle")


@pytest.fixture
def slk(_world):
    return world.shared(_world, "slk")


@pytest.fixture
def committee_member(db):
    return factories.user_with_role(Role.COMMITTEE, username="domare")


@pytest.fixture
def examiner(db):
    return factories.user_with_role(Role.EXAMINER, username="examinator")


@pytest.fixture
def unit(db):
    return factories.UnitFactory()


@pytest.fixture
def unit_contact(unit):
    user = factories.user_with_role(Role.UNIT_CONTACT, username="enhetskontakt")
    unit.contacts.add(user)
    return user


@pytest.fixture
def other_unit_contact(db):
    user = factories.user_with_role(Role.UNIT_CONTACT, username="annan-enhet")
    factories.UnitFactory().contacts.add(user)
    return user


@pytest.fixture
def role_users(slk, committee_member, examiner, unit_contact):
    """One user per role, for permission matrices."""
    return {
        Role.SLK: slk,
        Role.COMMITTEE: committee_member,
        Role.EXAMINER: examiner,
        Role.UNIT_CONTACT: unit_contact,
    }


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="run only the tests that may use the database (make test's PostgreSQL pass)",
    )


def _check_shared_world(item) -> None:
    """A module that builds its world once (tests/support/world.py) holds only tests that
    use the database in their own transaction, and none of the demo seed's."""
    if not kinds.may_use_database(item) or kinds.commits(item) or kinds.uses_seed(item):
        raise pytest.UsageError(
            f"{item.nodeid}: a SHARED_WORLD module's tests must each use the database, in a "
            "transaction of their own (no transaction=True) and without the demo seed"
        )


# tryfirst: pytest-xdist's worker reads the xdist_group marks in its own hook of this name,
# registered after this conftest, so it runs first unless this one is told to.
@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    if config.getoption("database_tests_only"):
        # The second database pass (Makefile, test-postgres): a test that cannot touch the
        # database (the import contracts, the team proposal's properties, the route
        # declarations…) gives the same result on either, so it runs in the first pass only.
        kept, skipped = [], []
        for item in items:
            (kept if kinds.may_use_database(item) else skipped).append(item)
        if skipped:
            config.hook.pytest_deselected(items=skipped)
            items[:] = kept
    for item in items:
        if kinds.uses_seed(item):
            # Built once, on the one worker that runs all of them (tests/support/demo.py).
            item.add_marker(pytest.mark.xdist_group("demo-seed"))
        if kinds.in_browser_tests(item):
            # One Chromium for them all (tests/browser/conftest.py, _browser_or_reason).
            item.add_marker(pytest.mark.xdist_group("browser"))
        # A module that builds its world once (tests/support/world.py) runs on one worker,
        # so it is built once, not on each.
        if getattr(getattr(item, "module", None), "SHARED_WORLD", ()):
            _check_shared_world(item)
            if not item.get_closest_marker("xdist_group"):
                item.add_marker(pytest.mark.xdist_group(f"world:{item.module.__name__}"))


class _LongTestsEarly:
    """pytest-xdist hands out its groups first, the largest first, then the other tests in
    collection order; pytest-django orders them as Django's runner does: the tests in a
    transaction, then those that commit, then those without a database. The last two hold
    the long ones: a server or a process of their own, every migration, a browser; the team
    proposal's property tests. At the end of the run, a worker still busy with one of them
    left the other with nothing to do. After pytest-django's ordering (trylast), the demo
    seed's tests come first (they share one transaction, tests/support/demo.py), then the
    long kinds, and the many short tests in a transaction close the run
    (tests/support/kinds.py, kind). Each test that commits still ends by emptying the
    database, as before."""

    @pytest.hookimpl(trylast=True)
    def pytest_collection_modifyitems(self, items):
        items.sort(key=kinds.kind)  # stable: each kind keeps its order


def pytest_configure(config):
    config.pluginmanager.register(_LongTestsEarly(), "tests-long-tests-early")


def pytest_runtest_setup(item):
    """Under --dist loadgroup, pytest-xdist marks each grouped test's id with its group
    (`…@demo-seed`); a test left unmarked is sent to any worker, and the demo seed is built
    on each. Fail it instead of running slower in silence."""
    if (
        getattr(item.config.option, "loadgroup", False)
        and item.get_closest_marker("xdist_group")
        and "@" not in item.nodeid
    ):
        pytest.fail(
            "pytest-xdist did not put this test in its xdist_group; is pytest newer than the "
            "pytest-xdist of requirements/dev.txt supports (pyproject.toml)?",
            pytrace=False,
        )


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    # After the test's own fixtures (its transaction) are torn down: roll the seed back
    # once no seeded test follows.
    if nextitem is None or not kinds.uses_seed(nextitem):
        SHARED_SEED.close()


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo-seeded database (see SharedSeed). Returns what seed_demo printed. Module
    scope only so that it is set up before the test's own transaction; the seed itself
    outlives the module."""
    return SHARED_SEED.open(django_db_blocker)


@pytest.fixture
def current(seeded):
    """The demo's current cycle."""
    return AwardCycle.objects.get(year=today().year)


@pytest.fixture
def previous(seeded):
    """The demo's previous, completed cycle."""
    return AwardCycle.objects.get(year=today().year - 1)


# --- Applications and teams -----------------------------------------------------------


@pytest.fixture
def application(cycle, unit, unit_contact):
    """A draft in the quality award, registered by the unit's contact."""
    return register(cycle, unit, unit_contact)


@pytest.fixture
def media_root(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "uploads"
    return settings.MEDIA_ROOT


# --- files ---------------------------------------------------------------------------------


@pytest.fixture
def quality(_world, cycle):
    return world.shared(_world, "quality", cycle=cycle)


@pytest.fixture
def team_world(_world, cycle, quality, slk):
    return world.shared(_world, "team_world", cycle=cycle, quality=quality, slk=slk)
