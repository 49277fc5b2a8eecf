"""An autosave that is not saved says so in the form's status line and the text stays in
its box (issue 12): htmx itself shows nothing for an error status or a lost connection.
static/js/autosave.js does, in a real browser: a 500, no contact with the server, and a
session that ended while the unit contact was writing."""

import pytest
from django.contrib.sessions.models import Session as StoredSession

from award.roles import Role
from tests.support import factories
from tests.support.applications import register

pytestmark = pytest.mark.django_db(transaction=True)

TEXT = "Vi följer upp våra mål varje vecka och skriver ner vad vi lärt oss."
KEPT = "; din text finns kvar i rutan. Kopiera den innan du laddar om sidan."


@pytest.fixture
def writing(open_session):
    """A unit contact on the page of their application's first answer."""
    cycle = factories.complete_cycle(open=True)
    unit = factories.UnitFactory()
    contact = factories.user_with_role(Role.UNIT_CONTACT, username="enhet-autosave")
    unit.contacts.add(contact)
    application = register(cycle, unit, contact)
    answer = application.answers.order_by("criterion__number").first()
    session = open_session(contact)
    session.page.goto(f"/bidrag/{application.pk}/kriterium/{answer.criterion_id}/")
    return session, answer


def _write_and_leave_the_box(page):
    area = page.locator("textarea")
    area.fill(TEXT)
    area.press("Tab")  # "change" sends the autosave at once
    return area


def _expected_errors(session, *fragments):
    """Drop the browser's own report of the failure the test caused on purpose."""
    session.errors[:] = [e for e in session.errors if not any(f in e for f in fragments)]


def _on_autosave(page, handler):
    page.route(
        "**/kriterium/**",
        lambda route: handler(route) if route.request.method == "POST" else route.continue_(),
    )


def test_a_server_error_is_said_and_the_text_kept(writing):
    session, answer = writing
    page = session.page
    _on_autosave(page, lambda route: route.fulfill(status=500, body="Server Error"))

    area = _write_and_leave_the_box(page)

    page.locator("#save-status").get_by_text("Inte sparat: ett fel uppstod på servern" + KEPT).wait_for()
    assert page.locator("#save-status [role=alert]").count() == 1
    assert area.input_value() == TEXT
    session.shot("autosave-500")
    _expected_errors(session, "status of 500", "answered 500", "Response Status Error Code 500")
    answer.refresh_from_db()
    assert answer.text == ""


def test_no_contact_with_the_server_is_said_and_the_text_kept(writing):
    session, _answer = writing
    page = session.page
    _on_autosave(page, lambda route: route.abort("connectionrefused"))

    area = _write_and_leave_the_box(page)

    page.locator("#save-status").get_by_text("Inte sparat: ingen kontakt med servern" + KEPT).wait_for()
    assert area.input_value() == TEXT
    _expected_errors(session, "ERR_CONNECTION_REFUSED", "ERR_FAILED", "htmx:sendError", "htmx:afterRequest")


def test_an_ended_session_is_said_not_replaced_by_the_login_page(writing):
    session, answer = writing
    page = session.page
    StoredSession.objects.all().delete()  # the session ended while the contact was writing

    area = _write_and_leave_the_box(page)

    page.locator("#save-status").get_by_text("Inte sparat: du har loggats ut" + KEPT).wait_for()
    assert page.locator("#save-status").get_by_text("Logga in").count() == 0
    assert page.locator("#save-status input").count() == 0
    assert area.input_value() == TEXT
    _expected_errors(session, "Response Status Error Code 401")
    answer.refresh_from_db()
    assert answer.text == ""


def test_a_login_page_reached_through_a_redirect_is_not_swapped_in(writing, live_server):
    # A server (or a proxy in front of it) that still redirects an autosave to the login page.
    session, _answer = writing
    page = session.page
    StoredSession.objects.all().delete()
    _on_autosave(
        page,
        lambda route: route.fulfill(status=302, headers={"Location": f"{live_server.url}/logga-in/?next=/"}),
    )

    area = _write_and_leave_the_box(page)

    page.locator("#save-status").get_by_text("Inte sparat: du har loggats ut" + KEPT).wait_for()
    assert page.locator("#save-status form, #save-status input").count() == 0
    assert area.input_value() == TEXT


class _HeldAutosaves:
    """Every autosave reaches the server, which saves it; its answer waits in `held` until
    the test lets it go. `posts` lists the posts in the order sent: "autosave" (htmx) or
    "save" (the form's button)."""

    def __init__(self, page):
        self.page, self.posts, self.held = page, [], []
        page.route("**/kriterium/**", self._route)

    def _route(self, route):
        request = route.request
        if request.method != "POST":
            route.continue_()
        elif request.header_value("HX-Request"):
            self.posts.append("autosave")
            self.held.append((route, route.fetch()))
        else:
            self.posts.append("save")
            route.continue_()

    def wait_for(self, count: int):
        for _ in range(250):
            if len(self.held) >= count:
                return
            self.page.wait_for_timeout(20)
        raise AssertionError(f"{count} autosave(s) expected, {len(self.held)} sent")

    def answer(self, **fulfil):
        route, response = self.held.pop(0)
        route.fulfill(**(fulfil or {"response": response}))


def _leave_the_box_then_write_on_and_save(page, autosaves):
    area = _write_and_leave_the_box(page)
    autosaves.wait_for(1)
    area.fill(TEXT + " Och mer.")
    save = page.get_by_role("button", name="Spara och gå vidare")
    save.click()  # leaving the box: a second autosave, queued behind the first
    save.click()  # impatient: still one save
    page.wait_for_timeout(300)  # time for a save that does not wait to be posted
    assert autosaves.posts == ["autosave"], "the save did not wait for the autosave under way"


def test_a_save_while_an_autosave_is_under_way_waits_for_it(writing):
    """The writer leaves the box (an autosave starts), writes on and saves with the button
    before that autosave has answered. The page still holds the version it was loaded from;
    posted at once, the save would find the row moved by the writer's own autosave and show
    the conflict page with the writer's own text as "someone else's". It waits for the
    autosave's answer (the new version), and for the autosave queued behind it, and then
    saves."""
    session, answer = writing
    page = session.page
    autosaves = _HeldAutosaves(page)
    _leave_the_box_then_write_on_and_save(page, autosaves)

    autosaves.answer()
    autosaves.wait_for(1)  # the queued autosave, sent when the first has answered
    page.wait_for_timeout(300)
    assert autosaves.posts == ["autosave", "autosave"], "the save did not wait for the queued autosave"
    autosaves.answer()

    page.wait_for_url(lambda url: f"/kriterium/{answer.criterion_id}/" not in url)
    assert autosaves.posts == ["autosave", "autosave", "save"]
    assert page.get_by_text("Någon annan har sparat det här svaret").count() == 0
    answer.refresh_from_db()
    assert answer.text == TEXT + " Och mer."


def test_a_save_waiting_for_an_autosave_that_fails_is_not_sent(writing):
    """The autosave it waited for is not saved (here a server error): the save is dropped,
    the status line says why, and the text stays in its box; the page is not left for an
    error page, where the text would be lost."""
    session, _answer = writing
    page = session.page
    autosaves = _HeldAutosaves(page)
    area = _write_and_leave_the_box(page)
    autosaves.wait_for(1)
    page.get_by_role("button", name="Spara och gå vidare").click()
    page.wait_for_timeout(300)
    assert autosaves.posts == ["autosave"], "the save did not wait for the autosave under way"

    autosaves.answer(status=500, body="Server Error")

    page.locator("#save-status").get_by_text("Inte sparat: ett fel uppstod på servern" + KEPT).wait_for()
    page.wait_for_timeout(300)
    assert autosaves.posts == ["autosave"]
    assert area.input_value() == TEXT
    _expected_errors(session, "status of 500", "answered 500", "Response Status Error Code 500")
