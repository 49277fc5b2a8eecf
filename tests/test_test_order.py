"""The order pytest-xdist hands the tests out in (tests/conftest.py): the demo seed's tests
first, then the long kinds (those that commit, those without a database), and the many short
tests in a transaction last, so that neither worker ends the run alone with a long test; and
the browser tests in one group, so that one worker runs them with one Chromium.

Read from this run's own collection (`request.session.items`): run alone, or with a selection
that holds no browser test or only one kind, they have little to check."""

from tests.support import kinds


def test_the_seeds_tests_come_first_and_the_short_tests_in_a_transaction_last(request):
    found = [kinds.kind(item) for item in request.session.items]
    assert found == sorted(found), "\n".join(
        f"{item.nodeid} (kind {kind}) after kind {before}"
        for item, kind, before in zip(request.session.items[1:], found[1:], found, strict=False)
        if kind < before
    )


def test_the_browser_tests_are_one_group(request):
    for item in request.session.items:
        if kinds.in_browser_tests(item):
            groups = [mark.kwargs.get("name", *mark.args) for mark in item.iter_markers("xdist_group")]
            assert groups == ["browser"], item.nodeid
