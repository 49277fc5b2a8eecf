"""The browser sessions report what the platform's Content-Security-Policy refuses, and only
that: a refusal caused by the page is kept (it is shown as a warning after the test), one
caused by a script the test injected itself (axe-core) is not."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

PAGE = '<!doctype html><html lang="sv"><title>t</title><p style="color: red">x</p></html>'


def _serve_a_page_under_the_platforms_policy(session) -> str:
    """Serves /csp-prov/, a page with a style attribute, under the policy the login page is
    served with; returns its path."""
    policy = session.page.goto("/logga-in/").headers["content-security-policy"]
    session.page.route(
        "**/csp-prov/",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html", "Content-Security-Policy": policy},
            body=PAGE,
        ),
    )
    return "/csp-prov/"


def _wait_for_reports(session, count: int):
    """The console's reports reach the session a moment after the page: wait for `count`."""
    for _ in range(100):
        if len(session.csp) >= count:
            return
        session.page.wait_for_timeout(50)


def test_an_inline_style_in_the_page_is_reported(open_session):
    session = open_session()
    session.page.goto(_serve_a_page_under_the_platforms_policy(session))
    _wait_for_reports(session, 1)
    assert len(session.csp) == 1, session.csp
    assert "/csp-prov/" in session.csp[0] and "inline style" in session.csp[0]
    session.csp.clear()  # reported here on purpose: no warning after the test


def test_a_style_injected_by_the_test_is_not_reported(open_session):
    session = open_session()
    path = _serve_a_page_under_the_platforms_policy(session)
    session.page.goto(path)
    session.page.evaluate("document.head.appendChild(document.createElement('style')).textContent = 'p {}'")
    # Loading the page again after the injection: once its report is in, the injection's
    # (earlier) one would be too.
    session.page.goto(path)
    _wait_for_reports(session, 2)
    session.page.wait_for_timeout(100)
    assert len(session.csp) == 2, session.csp  # the two loads' style attribute, no injected <style>
    session.csp.clear()
