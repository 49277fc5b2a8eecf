"""One whole cycle in a real browser, as its people walk it.

Every person logs in through the login form in a browser context of their own. What is
done through a service instead of the UI, and why, is said where it happens:

- the cycle's phases are moved with `award.services.phase_close_early` (SLK's "close the
  current phase today" form does the same; clicking it nine times adds nothing);
- the examiners' team is built and confirmed with `examiners.services` (the issue's
  walk starts at "examiners assess"; the team pages have tests of their own).

Screenshots of each main page are written to test-artifacts/screens/.
"""

import re

import pytest

from award import services as award_services
from award.models import AwardCycle, CommitteeMembership, Phase
from award.roles import Role
from examiners import services as examiner_services
from judging.models import Decision
from scoring.models import Consensus, FeedbackReport
from submissions.models import Application
from tests.support import factories

pytestmark = pytest.mark.django_db(transaction=True)


def close_phase(cycle, slk, expected: Phase):
    """Move the cycle on by one phase, as SLK's "Avsluta fasen" does."""
    phase = award_services.phase_close_early(cycle=cycle, by=slk, reason="Testet går vidare i omgången.")
    assert phase == expected, f"expected {expected}, the cycle is in {phase}"


def wait_saved(page, status_selector: str):
    """Wait until the htmx autosave of one form has answered and swapped in the new
    version, so the explicit save that follows does not race it (see the report)."""
    page.locator(status_selector).filter(has_text=re.compile("Sparat|sparades")).wait_for()


def test_a_whole_cycle_through_the_browser(open_session):
    # --- The people and a draft cycle with complete criteria -------------------------
    slk = factories.user_with_role(Role.SLK, username="slk-e2e", is_staff=True)
    cycle = factories.complete_cycle(open=False)
    assert cycle.status == AwardCycle.Status.DRAFT and cycle.phase == Phase.REGISTRATION
    quality = cycle.tracks.get(kind="quality_award")
    unit = factories.UnitFactory(name="Förskolan Solrosen")
    contact = factories.user_with_role(Role.UNIT_CONTACT, username="enhet-e2e", first_name="Ella")
    unit.contacts.add(contact)
    chair = factories.user_with_role(Role.COMMITTEE, username="ordforande-e2e", first_name="Olle")
    judge = factories.user_with_role(Role.COMMITTEE, username="domare-e2e", first_name="Dora")
    CommitteeMembership.objects.create(cycle=cycle, user=chair, is_chair=True)
    CommitteeMembership.objects.create(cycle=cycle, user=judge)
    leader_member = factories.pool_member(cycle, led=True)
    other_member = factories.pool_member(cycle)
    leader, examiner = leader_member.profile.user, other_member.profile.user

    # --- SLK opens the cycle with the admin action ------------------------------------
    s = open_session(slk)
    s.shot("01-slk-home")
    page = s.page
    page.goto("/admin/award/awardcycle/")
    page.locator(f'input[name="_selected_action"][value="{cycle.pk}"]').check()
    page.locator('select[name="action"]').select_option(label="Öppna omgången")
    page.locator('button[name="index"]').click()
    page.get_by_text(f"Omgången {cycle.year} är öppnad.").wait_for()
    s.shot("02-admin-cycle-opened")
    page.goto(f"/omgang/{cycle.year}/")
    s.shot("03-cycle-timeline")
    s.close()
    cycle.refresh_from_db()
    assert cycle.status == AwardCycle.Status.OPEN

    # --- The unit registers, writes every answer and submits --------------------------
    s = open_session(contact)
    page = s.page
    page.get_by_role("link", name="Anmäl en enhet").click()
    page.get_by_label("Tävlingsspår").select_option(label=str(quality))
    page.get_by_label("Tävlingsklass").select_option(label="Förskola")
    page.get_by_label("Enhetens chef har verksamhets-, budget- och personalansvar").check()
    s.shot("04-unit-register")
    page.locator("main form").get_by_role("button", name="Anmäl").click()
    page.get_by_text("Nu kan ni börja skriva").wait_for()
    application = Application.objects.get(unit=unit)
    s.shot("05-unit-application-registered")

    page.get_by_role("link", name=re.compile("^Skriv")).first.click()
    written = 0
    while page.url.rstrip("/").split("/")[-2] == "kriterium":
        area = page.locator("textarea")
        area.fill(f"Så här arbetar vi med kriteriet, svar {written + 1}. " * 5)
        if written == 0:
            s.shot("06-unit-answer-edit")
        # The autosave fires when the text area loses focus; wait for it (see wait_saved).
        area.press("Tab")
        wait_saved(page, "#save-status")
        with page.expect_navigation():  # not page.url until the next page is there
            page.get_by_role("button", name="Spara och gå vidare").click()
        written += 1
        assert written <= 10, "the answer pages never led back to the application"
    assert written == quality.criteria.count()
    page.locator("[role=status]", has_text="Alla kriterier är besvarade.").wait_for()
    page.get_by_role("link", name="Lämna in bidraget").click()
    page.get_by_role("button", name="Ja, lämna in bidraget").wait_for()  # the shot is of that page
    s.shot("07-unit-submit-confirm")
    page.get_by_role("button", name="Ja, lämna in bidraget").click()
    page.get_by_text("Tack!").wait_for()
    s.shot("08-unit-receipt")
    s.close()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED

    # --- SLK approves the registration ------------------------------------------------
    s = open_session(slk)
    page = s.page
    page.goto("/bidrag/oversikt/")
    s.shot("09-slk-overview")
    page.get_by_role("link", name=re.compile(application.code)).first.click()
    page.get_by_label("Godkänn anmälan").check()
    page.get_by_role("button", name="Registrera beslut").click()
    page.get_by_text(f"Anmälan {application.code} från {application.unit.name} är godkänd.").wait_for()
    s.shot("10-slk-registration-approved")
    s.close()
    application.refresh_from_db()
    assert application.registration_status == Application.RegistrationStatus.APPROVED

    # Registration and writing end; the team is set up through the service (see above).
    close_phase(cycle, slk, Phase.APPLICATION)
    close_phase(cycle, slk, Phase.ASSESSMENT)
    team = examiner_services.team_create(cycle=cycle, track=quality, name="Lag Solrosen", by=slk)
    examiner_services.team_member_add(team=team, member=leader_member, leader=True, by=slk)
    examiner_services.team_member_add(team=team, member=other_member, leader=False, by=slk)
    examiner_services.team_assign(team=team, application=application, by=slk)
    examiner_services.team_confirm(team=team, by=slk)

    # --- Each examiner opens the application (conflict question) and assesses ---------
    scores = {leader: ["60", "70", "55", "65"], examiner: ["65", "70", "60", "60"]}
    for n, person in enumerate([leader, examiner]):
        s = open_session(person)
        page = s.page
        page.goto("/examinator/")
        if n == 0:
            s.shot("11-examiner-home")
        page.get_by_role("link", name=re.compile(application.code)).first.click()
        page.get_by_label("Nej, jag har inget jäv").wait_for()
        if n == 0:
            s.shot("12-examiner-conflict-question")
        page.get_by_label("Nej, jag har inget jäv").check()
        page.get_by_role("button", name="Fortsätt").click()
        page.wait_for_url(f"**/bidrag/{application.pk}/")
        page.goto("/examinator/")
        page.get_by_role("link", name=f"Bedöm {application.code}").click()
        page.wait_for_url(f"**/bedomning/bidrag/{application.pk}/")  # counted below: the page must be there
        forms = page.locator("form.answer-form")
        assert forms.count() == len(scores[person])
        for i, score in enumerate(scores[person]):
            form = forms.nth(i)
            status = "#" + form.locator("[role=status]").get_attribute("id")
            form.get_by_label(f"{score} %", exact=True).check()
            wait_saved(page, status)
            form.get_by_label("Styrkor").fill(f"Tydliga mål för kriterium {i + 1}\nEngagerad personal")
            form.get_by_label("Förbättringsområden").fill("Följ upp resultaten oftare")
            form.get_by_label("Förbättringsområden").press("Tab")
            page.locator(status).filter(has_text="Sparat").wait_for()
            # No autosave still under way (a network-idle wait would add half a second each).
            page.wait_for_function("() => !document.querySelector('.htmx-request')")
        # One explicit save, as a careful examiner does.
        forms.nth(0).get_by_role("button", name=re.compile("^Spara")).click()
        page.get_by_text(re.compile(r"Kriterium 1, .*, är sparat\.")).wait_for()
        if n == 0:
            s.shot("13-examiner-assessment")
        page.get_by_role("link", name="Lämna in bedömningen").click()
        page.get_by_role("button", name="Ja, lämna in bedömningen").click()
        page.get_by_text("Status: Inlämnad").wait_for()
        if n == 1:
            s.shot("14-examiner-assessment-submitted")
        s.close()

    close_phase(cycle, slk, Phase.CONSENSUS)

    # --- The leader starts and finalises the consensus --------------------------------
    s = open_session(leader)
    page = s.page
    page.goto("/examinator/")
    page.get_by_role("link", name=f"Konsensus {application.code}").click()
    page.get_by_role("button", name="Starta konsensus").click()
    forms = page.locator("form[action*='/kriterium/']")
    forms.first.wait_for()
    agreed = ["60", "70", "55", "65"]
    for i, score in enumerate(agreed):
        # Re-query after each save: an explicit save reloads the page.
        form = page.locator("form[action*='/kriterium/']").nth(i)
        form.get_by_label("Överenskommen poäng").select_option(label=f"{score} %")
        form.get_by_label("Tydliga mål", exact=False).first.check()
        form.get_by_label("Följ upp resultaten oftare", exact=False).first.check()
        with page.expect_navigation():
            form.get_by_role("button", name=f"Spara kriterium {i + 1}").click()
        page.locator("form[action*='/kriterium/']").first.wait_for()
    s.shot("15-leader-consensus")
    page.get_by_role("link", name="Fastställ konsensus …").click()
    page.get_by_role("button", name="Ja, fastställ konsensus").click()
    page.get_by_text("Fastställd").first.wait_for()
    s.shot("16-leader-consensus-final")
    consensus = Consensus.objects.get(application=application)
    assert consensus.is_final
    assert [i.score for i in consensus.items.order_by("criterion__number")] == [int(v) for v in agreed]

    # The leader completes the drafted feedback report.
    page.goto("/examinator/")
    page.get_by_role("link", name=f"Återföringsrapport {application.code}").click()
    page.get_by_role("textbox", name="Sammanfattning").fill("Ett väl genomarbetat bidrag med tydliga mål.")
    page.locator("form.report-form button[type=submit]").first.click()
    page.get_by_text(re.compile(r"Återföringsrapporten för .* är sparad\.")).wait_for()
    s.shot("17-leader-feedback-report")
    s.close()

    # SLK approves the report.
    s = open_session(slk)
    page = s.page
    page.goto(f"/bedomning/aterforing/{application.pk}/")
    page.get_by_role("link", name="Godkänn rapporten").click()
    page.locator("main form").get_by_role("button", name="Godkänn rapporten").click()
    page.get_by_text("Rapporten är godkänd.").wait_for()
    s.close()
    assert application.feedback_report.status == FeedbackReport.Status.APPROVED

    close_phase(cycle, slk, Phase.SHORTLISTING)
    close_phase(cycle, slk, Phase.SITE_VISITS)
    close_phase(cycle, slk, Phase.FINAL_DECISION)

    # --- The committee: consolidated view, the final meeting and a decision -----------
    s = open_session(judge)
    page = s.page
    page.goto("/bedomning/kommitten/")
    page.get_by_role("link", name="Sammanställning med namn").first.click()
    page.wait_for_url(f"**/spar/{quality.pk}/")
    page.get_by_text(application.code).first.wait_for()
    s.shot("18-committee-consolidated")
    page.goto("/bedomning/beslut/")
    page.get_by_label("Möte:", exact=True).select_option(label="Slutligt domarmöte")
    page.get_by_label("Datum").fill(cycle.final_committee_meeting.isoformat())
    page.get_by_label(re.compile("Olle")).check()
    page.get_by_label(re.compile("Dora")).check()
    page.get_by_role("button", name="Registrera mötet").click()
    page.get_by_text(re.compile("Mötet .* är registrerat")).wait_for()
    page.get_by_role("link", name="Beslutssidan för Förskola").click()
    page.get_by_label(f"Utfall för {application.code}").select_option(label="Vinnare")
    page.get_by_label(f"Motivering (citat) för {application.code}").fill(
        "Solrosen visar hur systematiskt kvalitetsarbete ger resultat."
    )
    page.get_by_label("Motivering till beslutet").fill("Kommittén var enig.")
    s.shot("19-committee-decision-edit")
    page.get_by_role("button", name="Spara utkastet").click()
    page.get_by_text(re.compile(r"Utkast \(beslut nr")).wait_for()
    s.close()

    s = open_session(chair)
    page = s.page
    page.goto("/bedomning/beslut/")
    s.shot("20-committee-decisions")
    page.get_by_role("link", name=re.compile("Beslut nr")).first.click()
    page.get_by_role("link", name="Signera beslutet").click()
    page.get_by_role("button", name="Ja, signera beslutet").click()
    page.get_by_text("Beslutet är signerat och låst.", exact=True).wait_for()
    s.shot("21-chair-signed")
    s.close()
    decision = Decision.objects.get(track=quality)
    assert decision.status == Decision.Status.SIGNED and decision.signed_by == chair

    close_phase(cycle, slk, Phase.AWARDED)
    close_phase(cycle, slk, Phase.FEEDBACK)

    # --- The unit reads and downloads its feedback report -----------------------------
    s = open_session(contact)
    page = s.page
    page.get_by_role("link", name=re.compile("Era anmälningar|Våra bidrag")).first.click()
    page.get_by_role("link", name=re.compile(application.code)).first.click()
    page.get_by_role("link", name="Läs er återföringsrapport").click()
    page.get_by_text("Ett väl genomarbetat bidrag med tydliga mål.").wait_for()
    s.shot("22-unit-feedback-report")
    link = page.get_by_role("link", name="Ladda ner rapporten som PDF")
    response = s.context.request.get(link.get_attribute("href"))
    assert response.status == 200 and response.body()[:4] == b"%PDF"
    assert not s.errors, f"JavaScript errors: {s.errors}"
    s.close()
