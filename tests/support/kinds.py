"""What kind of test an item is, as the suite's collection hooks (tests/conftest.py) and
tests/test_test_order.py ask it: whether it uses the demo seed, commits (pytest-django's
transactional kind), may use the database at all, or drives the browser."""

from pathlib import Path

from django.test import SimpleTestCase

BROWSER_TESTS = Path(__file__).resolve().parent.parent / "browser"

# Fixtures through which a test reaches the database; a test with none of them and no
# django_db mark cannot: pytest-django refuses it any query.
DATABASE_FIXTURES = {"db", "transactional_db", "django_db_setup", "live_server", "_django_db_helper"}
# Of those, the ones that give the test a database without the wrapping transaction.
COMMITTING_FIXTURES = {"transactional_db", "live_server"}


def in_browser_tests(item) -> bool:
    """Whether the test is one of tests/browser (one group, one Chromium)."""
    return BROWSER_TESTS in item.path.parents


def uses_seed(item) -> bool:
    return "seeded" in getattr(item, "fixturenames", ())


def may_use_database(item) -> bool:
    if item.get_closest_marker("django_db") or DATABASE_FIXTURES & set(item.fixturenames):
        return True
    # A Django TestCase class (none today) opens the database by itself.
    cls = getattr(item, "cls", None)
    return cls is not None and issubclass(cls, SimpleTestCase)


def commits(item) -> bool:
    """Whether the test runs without the wrapping transaction, as pytest-django decides it
    (transaction=True or reset_sequences=True, or one of COMMITTING_FIXTURES); it ends by
    emptying the database."""
    marker = item.get_closest_marker("django_db")
    if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
        return True
    return bool(COMMITTING_FIXTURES & set(item.fixturenames))


def kind(item) -> int:
    """The order the suite hands the kinds out in: the demo seed's tests, those that commit,
    those without a database, those in a transaction."""
    if uses_seed(item):
        return 0
    if commits(item):
        return 1
    return 2 if not may_use_database(item) else 3
