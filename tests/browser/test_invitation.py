"""One invitation, end to end in a real browser: SLK invites a unit's new contact from the
unit's page, the e-mail (Django's locmem back end) carries the link, and the person opens
it, chooses a password and lands on their first page as the unit's contact. Every page is
photographed at 1366 and 390 px (test-artifacts/screens/invitation-*)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail

from award.roles import Role
from tests.support import factories

pytestmark = pytest.mark.django_db(transaction=True)


def _shots(session, name: str):
    """The page at a laptop's width and at a phone's, then back to the laptop."""
    page = session.page
    for width, height in ((1366, 900), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        session.shot(f"invitation-{name}-{width}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{name} is {overflow} px wider than a {width}-px window"
    page.set_viewport_size({"width": 1366, "height": 900})


def test_an_invitation_from_the_email_to_the_persons_first_page(open_session):
    factories.complete_cycle(open=True)
    slk = factories.user_with_role(Role.SLK, username="slk-inbjuder", is_staff=True)
    unit = factories.UnitFactory(name="Förskolan Solrosen")

    admin = open_session(slk)
    page = admin.page
    page.goto(f"/konto/enhet/{unit.pk}/")
    page.get_by_label("Namn").fill("Sara Solros")
    page.get_by_label("E-postadress").fill("sara.solros@example.se")
    page.locator("main").get_by_role("button", name="Skicka inbjudan").click()
    page.locator(".messages").wait_for()
    assert "Inbjudan är skickad till sara.solros@example.se" in page.inner_text(".messages")
    _shots(admin, "1-slk-sent")

    (message,) = [m for m in mail.outbox if m.to == ["sara.solros@example.se"]]
    assert "Förskolan Solrosen" in message.body
    link = re.search(r"https?://\S+/konto/inbjudan/\S+/", message.body).group(0)

    person = open_session()
    page = person.page
    page.goto(link)
    assert "Välkommen, Sara Solros" in page.inner_text("h1")
    assert "kontaktperson för Förskolan Solrosen" in page.inner_text("main")
    _shots(person, "2-link-opened")
    page.get_by_label("Förnamn").fill("Sara")
    page.get_by_label("Efternamn").fill("Solros")
    page.get_by_label("Välj lösenord").fill("ett-langt-losen-77")
    page.get_by_label("Upprepa lösenordet").fill("ett-langt-losen-77")
    page.locator("main").get_by_role("button", name="Skapa kontot").click()
    page.wait_for_url("**/hem/")
    assert "Välkommen! Du har nu tillgång till Kvalitetsutmärkelsen." in page.inner_text(".messages")
    _shots(person, "3-first-page")

    sara = get_user_model().objects.get(email="sara.solros@example.se")
    assert unit.contacts.filter(pk=sara.pk).exists()

    # The same link again says it is used.
    again = open_session()
    again.page.goto(link)
    assert "Inbjudan är redan använd" in again.page.inner_text("main")
    _shots(again, "4-link-used")

    # SLK's people page lists her with her unit.
    admin.page.goto(f"/omgang/personer/?q={sara.email}")
    assert "Förskolan Solrosen" in admin.page.inner_text("main table")
    _shots(admin, "5-people-page")
    with admin.page.expect_navigation():  # read the person's page, not the list
        admin.page.locator("main table").get_by_role("link", name="Sara Solros").click()
    assert "Kontaktperson för enheter" in admin.page.inner_text("main")
    _shots(admin, "5b-person-roles")


def test_a_volunteer_without_an_account_from_the_form_to_the_examiners_page(open_session):
    factories.complete_cycle(open=True)
    organisation = factories.OrganisationFactory(name="Utbildningsförvaltningen")
    slk = factories.user_with_role(Role.SLK, username="slk-pool", is_staff=True)

    visitor = open_session()
    page = visitor.page
    page.goto("/examinator/intresseanmalan/")
    _shots(visitor, "6-volunteer-form")
    page.get_by_label("Namn").fill("Vera Villig")
    page.get_by_label("E-postadress i staden").fill("vera.villig@stockholm.se")
    page.get_by_label("Din förvaltning eller ditt bolag").select_option(label=organisation.name)
    page.get_by_label("Din arbetsplats").fill("Rinkebyskolan")
    page.get_by_label("Din chef").fill("Karin Chef")
    with page.expect_navigation():  # read the answer's h1, not the form's
        page.locator("main").get_by_role("button", name="Skicka intresseanmälan").click()
    assert "Bekräfta din e-postadress" in page.inner_text("h1")
    _shots(visitor, "7-volunteer-sent")

    (message,) = [m for m in mail.outbox if m.to == ["vera.villig@stockholm.se"]]
    page.goto(re.search(r"https?://\S+/bekrafta/\S+/", message.body).group(0))
    assert "Din e-postadress är bekräftad" in page.inner_text("main")

    admin = open_session(slk)
    admin.page.goto("/examinator/pool/intresseanmalningar/")
    assert "Vera Villig" in admin.page.inner_text("main")
    _shots(admin, "8-volunteer-requests")
    admin.page.get_by_role("button", name="Anta och bjud in").click()
    admin.page.locator(".messages").wait_for()
    assert "kontot är skapat och inbjudan skickad" in admin.page.inner_text(".messages")

    invitation = [m for m in mail.outbox if m.to == ["vera.villig@stockholm.se"]][-1]
    page.goto(re.search(r"https?://\S+/konto/inbjudan/\S+/", invitation.body).group(0))
    page.get_by_label("Välj lösenord").fill("ett-langt-losen-77")
    page.get_by_label("Upprepa lösenordet").fill("ett-langt-losen-77")
    page.locator("main").get_by_role("button", name="Skapa kontot").click()
    page.wait_for_url("**/hem/")
    _shots(visitor, "9-volunteer-first-page")
    assert get_user_model().objects.get(email="vera.villig@stockholm.se").has_usable_password()
