"""The order pytest-xdist hands the tests out in (tests/conftest.py): the demo seed's tests
first, then the long kinds (those that commit, those without a database), and the many short
tests in a transaction last, so that neither worker ends the run alone with a long test; and
the browser tests in one group, so that one worker runs them with one Chromium.

Read from this run's own collection (`request.session.items`), whichever tests it selected."""

from pathlib import Path

BROWSER_TESTS = Path(__file__).parent / "browser"


def _kind(item) -> str:
    marker = item.get_closest_marker("django_db")
    if "seeded" in item.fixturenames:
        return "seeded"
    if marker and marker.kwargs.get("transaction"):
        return "commits"
    if marker or {"db", "transactional_db", "live_server"} & set(item.fixturenames):
        return "in a transaction"
    return "no database"


def test_the_short_tests_in_a_transaction_come_last(request):
    kinds = [_kind(item) for item in request.session.items]
    seen_short = False
    for item, kind in zip(request.session.items, kinds, strict=True):
        seen_short = seen_short or kind == "in a transaction"
        assert not (seen_short and kind != "in a transaction"), f"{item.nodeid} ({kind}) after a short test"
    if "seeded" in kinds:
        assert kinds[: kinds.count("seeded")] == ["seeded"] * kinds.count("seeded")


def test_the_browser_tests_are_one_group(request):
    for item in request.session.items:
        if BROWSER_TESTS in item.path.parents:
            groups = [mark.kwargs.get("name", *mark.args) for mark in item.iter_markers("xdist_group")]
            assert groups == ["browser"], item.nodeid
