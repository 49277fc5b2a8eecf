"""The browser sessions report what the platform's Content-Security-Policy refuses, and only
that: a refusal caused by the page is kept (it is shown as a warning after the test), one
caused by a script the test injected itself (axe-core) is not."""

import pytest

pytestmark = pytest.mark.django_db(transaction=True)

PAGE = '<!doctype html><html lang="sv"><title>t</title><p style="color: red">x</p></html>'


def _page_under_the_platforms_policy(session):
    """A page served under the same policy the login page is served with."""
    policy = session.page.goto("/logga-in/").headers["content-security-policy"]
    session.page.route(
        "**/csp-prov/",
        lambda route: route.fulfill(
            status=200,
            headers={"Content-Type": "text/html", "Content-Security-Policy": policy},
            body=PAGE,
        ),
    )
    session.page.goto("/csp-prov/")


def test_an_inline_style_in_the_page_is_reported(open_session):
    session = open_session()
    _page_under_the_platforms_policy(session)
    session.page.wait_for_function("document.readyState === 'complete'")
    session.page.evaluate("1")  # lets the console events of the load reach the session
    assert any("/csp-prov/" in line and "inline style" in line for line in session.csp)
    session.csp.clear()  # reported here on purpose: no warning after the test


def test_a_style_injected_by_the_test_is_not_reported(open_session):
    session = open_session()
    _page_under_the_platforms_policy(session)
    session.page.evaluate("document.head.appendChild(document.createElement('style')).textContent = 'p {}'")
    session.page.evaluate("1")
    # The page's own style attribute is there (so the console has been read), the injected
    # <style> is not.
    assert len(session.csp) == 1, session.csp
    session.csp.clear()
