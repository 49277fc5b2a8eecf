import datetime as dt
import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.formats import date_format

from award.models import AwardCycle, Criterion, Track, today
from award.roles import Role
from submissions import queries, services
from submissions.models import Answer, AnswerRevision, Application
from tests.support import factories
from tests.support.applications import answer_all, close_writing, register

pytestmark = pytest.mark.django_db


def _messages(response):
    return [str(m) for m in response.context["messages"]]


def _answers(application):
    return list(application.answers.select_related("criterion").order_by("criterion__number"))


def _edit_url(application, answer):
    return reverse("submissions:answer_edit", args=[application.pk, answer.criterion_id])


def _detail_url(application):
    return reverse("submissions:application_detail", args=[application.pk])


# --- register -------------------------------------------------------------------------------------------


def test_register_page_explains_each_rule_per_unit_and_track(client, cycle, unit_contact, unit):
    small = factories.UnitFactory(name="Lilla enheten", staff_count=3)
    small.contacts.add(unit_contact)
    client.force_login(unit_contact)
    response = client.get(reverse("submissions:register"))
    content = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert f"Anmälan till kvalitetsutmärkelsen {cycle.year}" in content
    small_card = content[content.index("Lilla enheten") :]
    assert "Enheten har 3 medarbetare inklusive chefen; minst 5 krävs." in small_card
    assert "Kvalitetsutmärkelsen: kan inte anmälas" in small_card
    unit_card = content[content.index(f"<h3>{unit.name}") :]
    assert "Kvalitetsutmärkelsen: kan anmälas" in unit_card
    assert "Enheten har 12 medarbetare inklusive chefen (minst 5 krävs)." in unit_card


def test_register_creates_the_application_and_opens_it(client, cycle, unit_contact, unit):
    track = cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    client.force_login(unit_contact)
    response = client.post(
        reverse("submissions:register"),
        {
            "unit": unit.pk,
            "track": track.pk,
            "competition_class": track.classes.first().pk,
            "head_has_full_responsibility": "on",
            "deficit_last_year": "0",
            "deficit_forecast": "0",
        },
        follow=True,
    )
    application = Application.objects.get()
    assert response.redirect_chain[-1][0] == _detail_url(application)
    assert _messages(response) == [
        f"{unit.name} är anmäld till Kvalitetsutmärkelsen med bidragskoden {application.code}. Nu kan ni börja skriva."
    ]
    assert application.code == f"K{cycle.year % 100:02d}-001"
    assert application.answers.count() == track.criteria.count()


def test_register_refusal_is_shown_on_the_form(client, cycle, unit_contact, unit):
    track = cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    client.force_login(unit_contact)
    response = client.post(
        reverse("submissions:register"),
        {
            "unit": unit.pk,
            "track": track.pk,
            "competition_class": track.classes.first().pk,
            "deficit_last_year": "0",
            "deficit_forecast": "0",
        },
    )
    assert response.status_code == 200
    assert (
        "Enhetens chef måste ha verksamhets-, budget- och personalansvar för att enheten ska få delta."
        in html.unescape(response.content.decode())
    )
    assert not Application.objects.exists()


def test_register_renewal_without_nominee_is_refused_on_the_form(client, cycle, unit_contact, unit):
    client.force_login(unit_contact)
    response = client.post(
        reverse("submissions:register"),
        {
            "unit": unit.pk,
            "track": cycle.tracks.get(kind=Track.Kind.RENEWAL_PRIZE).pk,
            "head_has_full_responsibility": "on",
            "deficit_last_year": "0",
            "deficit_forecast": "0",
        },
    )
    assert "Ange vem som nomineras till Förnyelsepriset" in html.unescape(response.content.decode())
    assert not Application.objects.exists()


def test_register_offers_only_the_users_own_units(client, cycle, unit_contact, unit):
    stranger = factories.UnitFactory(name="Någon annans enhet")
    track = cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    client.force_login(unit_contact)
    assert stranger.name not in client.get(reverse("submissions:register")).content.decode()
    response = client.post(
        reverse("submissions:register"),
        {
            "unit": stranger.pk,
            "track": track.pk,
            "competition_class": track.classes.first().pk,
            "head_has_full_responsibility": "on",
            "deficit_last_year": "0",
            "deficit_forecast": "0",
        },
    )
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_register_when_registration_is_closed(client, cycle, unit_contact):
    close_writing(cycle)
    client.force_login(unit_contact)
    response = client.get(reverse("submissions:register"), follow=True)
    assert response.redirect_chain[-1][0] == reverse("submissions:application_list")
    assert _messages(response) == ["Anmälan är inte öppen just nu."]
    assert "Anmäl en enhet" not in response.content.decode()


def test_application_list_invites_registration_while_open(client, cycle, unit_contact):
    client.force_login(unit_contact)
    content = client.get(reverse("submissions:application_list")).content.decode()
    assert "Anmäl en enhet" in content
    assert "Ni har inga anmälningar ännu." in content


def test_application_list_shows_progress(client, application, unit_contact):
    services.answer_save(
        application=application,
        criterion_id=_answers(application)[0].criterion_id,
        text="Ett svar.",
        base_version=0,
        by=unit_contact,
    )
    client.force_login(unit_contact)
    content = client.get(reverse("submissions:application_list")).content.decode()
    row = content[content.index(application.code) :]
    assert "1 / 4" in row[: row.index("</tr>")]


# --- writing an answer ---------------------------------------------------------------------------------


def test_answer_page_shows_guidance_and_the_limit(client, application, unit_contact):
    answer = _answers(application)[0]
    Criterion.objects.filter(pk=answer.criterion_id).update(
        applicant_guidance="Beskriv hur ni arbetar med mål.", max_length=1500
    )
    client.force_login(unit_contact)
    content = client.get(_edit_url(application, answer)).content.decode()
    assert "Vägledning" in content
    assert "Beskriv hur ni arbetar med mål." in content
    assert "Högst 1500 tecken." in content
    assert "0 / 1500 tecken" in content
    assert 'data-max-length="1500"' in content
    assert "maxlength=" not in content  # the browser must not cut a pasted text


def test_saving_goes_on_to_the_next_criterion(client, application, unit_contact):
    first, second = _answers(application)[:2]
    client.force_login(unit_contact)
    response = client.post(_edit_url(application, first), {"text": "Vårt svar.", "version": 0}, follow=True)
    assert response.redirect_chain[-1][0] == _edit_url(application, second)
    assert _messages(response) == [
        f"Svaret på kriterium {first.criterion.number}, {first.criterion.title}, är sparat."
    ]
    first.refresh_from_db()
    assert (first.text, first.version) == ("Vårt svar.", 1)


def test_saving_the_last_criterion_returns_to_the_application(client, application, unit_contact):
    last = _answers(application)[-1]
    client.force_login(unit_contact)
    response = client.post(_edit_url(application, last), {"text": "Sista svaret.", "version": 0})
    assert response.url == _detail_url(application)


def test_too_long_answer_keeps_the_draft_on_the_page(client, application, unit_contact):
    answer = _answers(application)[0]
    limit = answer.criterion.max_length
    draft = "Lång text. " + "x" * limit
    client.force_login(unit_contact)
    response = client.post(_edit_url(application, answer), {"text": draft, "version": 0})
    content = html.unescape(response.content.decode())
    assert response.status_code == 200
    over = len(draft) - limit
    assert (
        f"Svaret har {len(draft)} tecken; högst {limit} tecken är tillåtet. Korta texten med {over} tecken."
        in content
    )
    assert draft in content
    answer.refresh_from_db()
    assert (answer.text, answer.version) == ("", 0)


def test_conflict_shows_both_texts(client, application, unit_contact, unit):
    colleague = factories.user_with_role(
        Role.UNIT_CONTACT, first_name="Kim", last_name="Kollega", username="kim"
    )
    unit.contacts.add(colleague)
    services.grant_unit_access(application, users=[colleague])
    answer = _answers(application)[0]
    services.answer_save(
        application=application,
        criterion_id=answer.criterion_id,
        text="Kims text.",
        base_version=0,
        by=colleague,
    )
    client.force_login(unit_contact)
    response = client.post(_edit_url(application, answer), {"text": "Min egen text.", "version": 0})
    content = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Någon annan har sparat det här svaret" in content
    assert "Kims text." in content
    assert "Min egen text." in content
    assert 'name="version" value="1"' in content  # saving again works from the version now saved
    assert AnswerRevision.objects.get(conflict=True).text == "Min egen text."
    answer.refresh_from_db()
    assert answer.text == "Kims text."


def test_autosave_returns_the_status_fragment(client, application, unit_contact):
    answer = _answers(application)[0]
    client.force_login(unit_contact)
    response = client.post(
        _edit_url(application, answer), {"text": "Utkast.", "version": 0}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Sparat automatiskt" in content
    assert 'name="version" value="1"' in content and 'hx-swap-oob="true"' in content
    assert "<html" not in content
    answer.refresh_from_db()
    assert answer.text == "Utkast."


def test_autosave_of_a_too_long_text_reports_it(client, application, unit_contact):
    answer = _answers(application)[0]
    limit = answer.criterion.max_length
    client.force_login(unit_contact)
    response = client.post(
        _edit_url(application, answer), {"text": "x" * (limit + 1), "version": 0}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert f"högst {limit} tecken är tillåtet" in content
    assert "sparades automatiskt" not in content
    # A refusal leaves the page's version alone: only a save moves it.
    assert 'name="version"' not in content and "hx-swap-oob" not in content
    answer.refresh_from_db()
    assert answer.text == ""


def test_autosave_conflict_reports_it(client, application, unit_contact):
    answer = _answers(application)[0]
    services.answer_save(
        application=application,
        criterion_id=answer.criterion_id,
        text="Först.",
        base_version=0,
        by=unit_contact,
    )
    client.force_login(unit_contact)
    response = client.post(
        _edit_url(application, answer), {"text": "Från gammal flik.", "version": 0}, HTTP_HX_REQUEST="true"
    )
    assert "sparade det här svaret medan du skrev" in html.unescape(response.content.decode())
    answer.refresh_from_db()
    assert answer.text == "Först."


def _version_after_swap(response, version):
    """The page's version after htmx has swapped the autosave's answer in: the fragment's
    out-of-band version field replaces the page's, if the fragment has one."""
    match = re.search(
        r'<input type="hidden" name="version" value="(\d+)"[^>]*hx-swap-oob', response.content.decode()
    )
    return int(match.group(1)) if match else version


@pytest.mark.parametrize("refused_text", ["Min text.", "x" * 7000], ids=["conflict", "too-long"])
def test_autosave_after_a_refusal_still_cannot_overwrite_a_colleagues_text(
    client, application, unit_contact, unit, refused_text
):
    colleague = factories.user_with_role(
        Role.UNIT_CONTACT, first_name="Kim", last_name="Kollega", username="kim"
    )
    unit.contacts.add(colleague)
    services.grant_unit_access(application, users=[colleague])
    answer = _answers(application)[0]
    answer.criterion.max_length = 6000
    answer.criterion.save(update_fields=["max_length"])
    page_version = 0  # both contacts opened the answer before either saved
    services.answer_save(
        application=application,
        criterion_id=answer.criterion_id,
        text="Kims text.",
        base_version=0,
        by=colleague,
    )
    client.force_login(unit_contact)

    refused = client.post(
        _edit_url(application, answer),
        {"text": refused_text, "version": page_version},
        HTTP_HX_REQUEST="true",
    )
    assert refused.status_code == 200 and "errors" in refused.content.decode()
    page_version = _version_after_swap(refused, page_version)
    again = client.post(
        _edit_url(application, answer),
        {"text": "Min text, lite längre nu.", "version": page_version},
        HTTP_HX_REQUEST="true",
    )

    message = html.unescape(again.content.decode())
    assert "Kim Kollega sparade det här svaret medan du skrev" in message
    assert "står kvar i rutan: tryck på ”Spara och gå vidare” för att jämföra texterna" in message
    assert _version_after_swap(again, page_version) == 0
    answer.refresh_from_db()
    assert (answer.text, answer.version, answer.updated_by) == ("Kims text.", 1, colleague)
    assert AnswerRevision.objects.filter(answer=answer, conflict=True).latest("pk").text == (
        "Min text, lite längre nu."
    )


def test_autosave_with_a_broken_form_asks_for_reload(client, application, unit_contact):
    answer = _answers(application)[0]
    client.force_login(unit_contact)
    response = client.post(_edit_url(application, answer), {"text": "Utan version."}, HTTP_HX_REQUEST="true")
    assert "Sidan behöver laddas om." in response.content.decode()


def test_answer_page_after_the_deadline_sends_back_to_the_application(
    client, application, unit_contact, cycle
):
    close_writing(cycle)
    client.force_login(unit_contact)
    response = client.get(_edit_url(application, _answers(application)[0]), follow=True)
    assert response.redirect_chain[-1][0] == _detail_url(application)
    assert _messages(response) == ["Bidraget kan inte ändras längre."]
    assert "Skriv" not in response.content.decode()


def test_saving_after_the_deadline_is_refused_and_the_text_kept(client, application, unit_contact, cycle):
    answer = _answers(application)[0]
    close_writing(cycle)
    client.force_login(unit_contact)
    response = client.post(_edit_url(application, answer), {"text": "Skrivet vid midnatt.", "version": 0})
    content = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert (
        f"Sista dag för tävlingsbidraget var {date_format(cycle.application_deadline)}. Bidraget är låst."
        in content
    )
    assert "Skrivet vid midnatt." in content
    answer.refresh_from_db()
    assert (answer.text, answer.version) == ("", 0)


def test_autosave_after_the_deadline_reports_the_lock(client, application, unit_contact, cycle):
    answer = _answers(application)[0]
    close_writing(cycle)
    client.force_login(unit_contact)
    response = client.post(
        _edit_url(application, answer), {"text": "Sent.", "version": 0}, HTTP_HX_REQUEST="true"
    )
    assert "Bidraget är låst." in html.unescape(response.content.decode())
    answer.refresh_from_db()
    assert answer.text == ""


def test_answer_of_another_tracks_criterion_is_not_found(client, cycle, application, unit_contact):
    renewal_criterion = cycle.tracks.get(kind=Track.Kind.RENEWAL_PRIZE).criteria.first()
    client.force_login(unit_contact)
    url = reverse("submissions:answer_edit", args=[application.pk, renewal_criterion.pk])
    assert client.get(url).status_code == 404


# --- completeness, submit, receipt -----------------------------------------------------------------------


def test_detail_lists_what_is_missing(client, application, unit_contact):
    answers = _answers(application)
    services.answer_save(
        application=application,
        criterion_id=answers[0].criterion_id,
        text="Svar.",
        base_version=0,
        by=unit_contact,
    )
    client.force_login(unit_contact)
    content = html.unescape(client.get(_detail_url(application)).content.decode())
    assert "Det här saknas innan bidraget kan lämnas in" in content
    for answer in answers[1:]:
        assert f"Svar saknas på {answer.criterion.number}. {answer.criterion.title}." in content
    assert f"Svar saknas på {answers[0].criterion.number}." not in content
    assert "Lämna in bidraget" not in content


def test_detail_of_a_complete_application_offers_submit(client, application, unit_contact):
    answer_all(application, unit_contact)
    client.force_login(unit_contact)
    content = client.get(_detail_url(application)).content.decode()
    assert "Alla kriterier är besvarade." in content
    assert reverse("submissions:submit", args=[application.pk]) in content


def test_submit_page_of_an_incomplete_application_lists_the_gaps(client, application, unit_contact):
    client.force_login(unit_contact)
    content = html.unescape(client.get(reverse("submissions:submit", args=[application.pk])).content.decode())
    assert "Bidraget är inte komplett" in content
    assert content.count("Svar saknas på") == len(_answers(application))
    assert "Ja, lämna in bidraget" not in content


def test_submit_post_of_an_incomplete_application_is_refused(client, application, unit_contact):
    client.force_login(unit_contact)
    response = client.post(reverse("submissions:submit", args=[application.pk]), follow=True)
    assert response.redirect_chain[-1][0] == _detail_url(application)
    assert len(_messages(response)) == len(_answers(application))
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_submit_leads_to_the_receipt(
    client, application, unit_contact, unit, django_capture_on_commit_callbacks
):
    answer_all(application, unit_contact)
    client.force_login(unit_contact)
    assert (
        "Ja, lämna in bidraget"
        in client.get(reverse("submissions:submit", args=[application.pk])).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("submissions:submit", args=[application.pk]), follow=True)
    assert response.redirect_chain[-1][0] == reverse("submissions:receipt", args=[application.pk])
    content = response.content.decode()
    assert "Tack! Bidraget är inlämnat" in content
    assert application.code in content and unit.name in content
    assert f"av {unit_contact.get_full_name()}" in content
    assert "En bekräftelse har skickats med e-post" in content


def test_receipt_of_a_draft_sends_back_to_the_application(client, application, unit_contact):
    client.force_login(unit_contact)
    response = client.get(reverse("submissions:receipt", args=[application.pk]))
    assert response.url == _detail_url(application)


def test_submitted_application_shows_no_edit_links(client, application, unit_contact):
    answer_all(application, unit_contact)
    services.application_submit(application=application, by=unit_contact)
    client.force_login(unit_contact)
    content = client.get(_detail_url(application)).content.decode()
    assert "Inlämnat" in content
    assert _edit_url(application, _answers(application)[0]) not in content
    assert reverse("submissions:attachment_upload", args=[application.pk]) not in content


# --- withdraw, details ------------------------------------------------------------------------------------


def test_withdraw_through_the_page(client, application, unit_contact):
    client.force_login(unit_contact)
    assert (
        "Det går inte att ångra."
        in client.get(reverse("submissions:withdraw", args=[application.pk])).content.decode()
    )
    response = client.post(
        reverse("submissions:withdraw", args=[application.pk]), {"reason": "Chefen slutar."}, follow=True
    )
    assert _messages(response) == [f"Bidraget {application.code} är återtaget."]
    assert "Chefen slutar." in response.content.decode()
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN


@pytest.mark.parametrize(
    ("phase_offset", "withdrawn_first", "allowed"),
    [(-115, False, True), (-116, False, False), (-125, False, False), (0, True, False)],
    ids=["last-day-of-the-decision", "awarded", "feedback", "already-withdrawn"],
)
def test_the_page_offers_withdrawal_exactly_when_the_service_allows_it(
    client, application, unit_contact, cycle, phase_offset, withdrawn_first, allowed
):
    """Both ask submissions.queries.withdraw_refusal: the link and the service agree on
    the committee's decision day and after a withdrawal."""
    if withdrawn_first:
        services.application_withdraw(application=application, reason="", by=unit_contact)
    AwardCycle.objects.filter(pk=cycle.pk).update(**factories.timeline(phase_offset=phase_offset))
    client.force_login(unit_contact)
    withdraw_url = reverse("submissions:withdraw", args=[application.pk])

    offered = withdraw_url in client.get(_detail_url(application)).content.decode()
    try:
        services.application_withdraw(application=application, reason="", by=unit_contact)
    except ValidationError as error:
        refused = error.messages
    else:
        refused = []

    assert offered == allowed == (not refused)


def test_the_withdrawal_link_follows_the_rule_not_a_copy(client, application, unit_contact, monkeypatch):
    monkeypatch.setattr(queries, "withdraw_refusal", lambda application: "Nej.")
    client.force_login(unit_contact)
    assert (
        reverse("submissions:withdraw", args=[application.pk])
        not in client.get(_detail_url(application)).content.decode()
    )
    with pytest.raises(ValidationError, match="Nej."):
        services.application_withdraw(application=application, reason="", by=unit_contact)


def test_film_link_must_be_https(client, cycle, unit, unit_contact):
    application = register(cycle, unit, unit_contact, kind=Track.Kind.RENEWAL_PRIZE)
    client.force_login(unit_contact)
    url = reverse("submissions:details_save", args=[application.pk])
    response = client.post(url, {"film_url": "http://example.com/film"}, follow=True)
    assert _messages(response) == ["Filmlänken måste börja med https://."]
    response = client.post(url, {"film_url": "https://example.com/film"}, follow=True)
    assert _messages(response) == ["Länken till filmen är sparad."]
    application.refresh_from_db()
    assert application.film_url == "https://example.com/film"


def test_film_link_belongs_only_to_the_renewal_prize(client, application, unit_contact):
    client.force_login(unit_contact)
    response = client.post(
        reverse("submissions:details_save", args=[application.pk]),
        {"film_url": "https://example.com/film"},
        follow=True,
    )
    assert _messages(response) == ["Filmlänk hör bara till Förnyelsepriset."]
    application.refresh_from_db()
    assert application.film_url == ""


# --- print and PDF ----------------------------------------------------------------------------------------


def test_print_view_shows_every_answer(client, application, unit_contact, unit):
    answers = _answers(application)
    services.answer_save(
        application=application,
        criterion_id=answers[0].criterion_id,
        text="Vi mäter nöjdhet varje termin.",
        base_version=0,
        by=unit_contact,
    )
    client.force_login(unit_contact)
    content = html.unescape(client.get(reverse("submissions:print", args=[application.pk])).content.decode())
    assert unit.name in content and f"Bidragskod {application.code}" in content
    assert "Vi mäter nöjdhet varje termin." in content
    for answer in answers:
        assert f"{answer.criterion.number}. {answer.criterion.title}" in content
    assert content.count("Inget svar.") == len(answers) - 1


def test_pdf_is_a_pdf(client, application, unit_contact):
    answer_all(application, unit_contact)
    client.force_login(unit_contact)
    response = client.get(reverse("submissions:pdf", args=[application.pk]))
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="tavlingsbidrag-{application.code}.pdf"'


# --- SLK on the application page ----------------------------------------------------------------------------


def test_slk_sees_the_decision_forms_and_the_log(client, application, slk):
    client.force_login(slk)
    content = client.get(_detail_url(application)).content.decode()
    assert "Beslut om anmälan" in content and "Ge förlängd tid" in content
    assert "Bidraget anmäldes" in content and "application.register" not in content


def test_unit_does_not_see_slk_forms(client, application, unit_contact):
    client.force_login(unit_contact)
    assert "Beslut om anmälan" not in client.get(_detail_url(application)).content.decode()


def test_slk_rejection_without_reason_is_refused_on_the_page(client, application, slk):
    client.force_login(slk)
    response = client.post(
        reverse("submissions:registration_decide", args=[application.pk]),
        {"decision-decision": "reject", "decision-reason": ""},
        follow=True,
    )
    assert _messages(response) == ["Ange skälet till avslaget; enheten ser det."]
    application.refresh_from_db()
    assert application.registration_status == Application.RegistrationStatus.PENDING


def test_slk_rejection_with_reason(client, application, slk):
    client.force_login(slk)
    response = client.post(
        reverse("submissions:registration_decide", args=[application.pk]),
        {"decision-decision": "reject", "decision-reason": "Fel huvudman."},
        follow=True,
    )
    assert _messages(response) == [f"Anmälan {application.code} från {application.unit.name} är avslagen."]
    assert "Avslagen: Fel huvudman." in response.content.decode()


def test_slk_extension_through_the_page(client, application, slk, unit_contact, cycle):
    close_writing(cycle)
    until = today() + dt.timedelta(days=4)
    client.force_login(slk)
    response = client.post(
        reverse("submissions:extend", args=[application.pk]),
        {"extend-until": until.isoformat(), "extend-reason": "Sjukdom"},
        follow=True,
    )
    assert _messages(response) == [
        f"{application.unit.name} har fått förlängd tid för {application.code} till och med {date_format(until)}."
    ]
    client.force_login(unit_contact)
    assert client.get(_edit_url(application, _answers(application)[0])).status_code == 200


def test_slk_extension_without_reason_is_refused(client, application, slk, cycle):
    client.force_login(slk)
    response = client.post(
        reverse("submissions:extend", args=[application.pk]),
        {"extend-until": (cycle.application_deadline + dt.timedelta(days=3)).isoformat()},
        follow=True,
    )
    assert _messages(response) == ["Ange ett datum och en motivering."]
    application.refresh_from_db()
    assert application.deadline_extended_to is None


def test_slk_reopen_through_the_page(client, application, slk, unit_contact):
    answer_all(application, unit_contact)
    services.application_submit(application=application, by=unit_contact)
    client.force_login(slk)
    response = client.post(
        reverse("submissions:reopen", args=[application.pk]), {"reopen-reason": "Fel bilaga"}, follow=True
    )
    assert _messages(response) == [f"{application.code} är öppnat igen för {application.unit.name}."]
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_slk_list_goes_to_the_overview(client, slk):
    client.force_login(slk)
    response = client.get(reverse("submissions:application_list"))
    assert response.url == reverse("submissions:overview")


def test_overview_without_any_cycle(client, slk):
    client.force_login(slk)
    assert "Det finns ingen omgång." in client.get(reverse("submissions:overview")).content.decode()


def test_answers_exist_for_each_criterion_after_registration(application):
    assert (
        Answer.objects.filter(application=application).count()
        == Criterion.objects.filter(track=application.track).count()
    )
