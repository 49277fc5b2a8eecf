import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.formats import date_format

from award import audit
from award.models import AwardCycle, Phase, today
from award.roles import Role
from submissions import services
from submissions.models import Answer, AnswerRevision, Application, Attachment
from tests.support import factories
from tests.support.applications import answer_all, close_writing, pdf_bytes, register, upload

pytestmark = pytest.mark.django_db


def _first_answer(application) -> Answer:
    return application.answers.select_related("criterion").order_by("criterion__number").first()


def _save(application, by, text, base_version=None, answer=None):
    answer = answer or _first_answer(application)
    return services.answer_save(
        application=application,
        criterion_id=answer.criterion_id,
        text=text,
        base_version=answer.version if base_version is None else base_version,
        by=by,
    )


def _actions(application):
    return [entry.action for entry in audit.entries_for(application).order_by("at", "id")]


# --- the deadline lock ---------------------------------------------------------------------


def test_answer_save_refused_after_the_deadline_and_nothing_changes(application, unit_contact, cycle):
    _save(application, unit_contact, "Skrivet i tid.")
    close_writing(cycle)
    with pytest.raises(ValidationError) as refused:
        _save(application, unit_contact, "För sent.")
    assert refused.value.messages == [
        f"Sista dag för tävlingsbidraget var {date_format(cycle.application_deadline)}. Bidraget är låst."
    ]
    answer = _first_answer(application)
    assert (answer.text, answer.version) == ("Skrivet i tid.", 1)
    assert answer.revisions.count() == 1


def test_submit_refused_after_the_deadline(application, unit_contact, cycle):
    answer_all(application, unit_contact)
    close_writing(cycle)
    with pytest.raises(ValidationError, match="Bidraget är låst"):
        services.application_submit(application=application, by=unit_contact)
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert application.submitted_at is None


def test_attachment_add_refused_after_the_deadline(application, unit_contact, cycle, media_root):
    close_writing(cycle)
    with pytest.raises(ValidationError, match="Bidraget är låst"):
        services.attachment_add(
            application=application,
            uploaded_file=upload("plan.pdf", pdf_bytes()),
            description="",
            by=unit_contact,
        )
    assert not Attachment.objects.exists()
    assert not media_root.exists() or not any(media_root.rglob("*.pdf"))


def test_deadline_is_open_all_of_its_last_day(application, unit_contact, cycle):
    cycle.application_deadline = today()
    cycle.save(update_fields=["application_deadline"])
    assert _save(application, unit_contact, "Sista dagen.").version == 1


def test_extension_reopens_writing_for_that_application_only(application, unit_contact, cycle, slk):
    other_contact = factories.user_with_role(Role.UNIT_CONTACT)
    other_unit = factories.UnitFactory()
    other_unit.contacts.add(other_contact)
    other = register(cycle, other_unit, other_contact)
    close_writing(cycle)

    services.application_extend(
        application=application, until=today() + dt.timedelta(days=7), reason="Sjukdom", by=slk
    )

    assert _save(application, unit_contact, "Med förlängd tid.").text == "Med förlängd tid."
    with pytest.raises(ValidationError, match="Bidraget är låst"):
        _save(other, other_contact, "Utan förlängning.")
    assert _first_answer(other).text == ""
    application.refresh_from_db()
    assert application.deadline == today() + dt.timedelta(days=7)
    assert "application.extend" in _actions(application)


def test_extension_needs_a_reason_and_a_date_past_the_cycle_deadline(application, cycle, slk):
    with pytest.raises(ValidationError, match="Ange skälet till förlängningen"):
        services.application_extend(
            application=application,
            until=cycle.application_deadline + dt.timedelta(days=3),
            reason=" ",
            by=slk,
        )
    with pytest.raises(ValidationError, match="måste gå längre än omgångens sista dag"):
        services.application_extend(
            application=application, until=cycle.application_deadline, reason="Sjukdom", by=slk
        )
    application.refresh_from_db()
    assert application.deadline_extended_to is None


def test_only_slk_may_extend(application, unit_contact, cycle):
    with pytest.raises(PermissionDenied):
        services.application_extend(
            application=application,
            until=cycle.application_deadline + dt.timedelta(days=3),
            reason="Vi vill ha mer tid",
            by=unit_contact,
        )


# --- the length limit ------------------------------------------------------------------------


def test_too_long_answer_refused_with_the_numbers_and_nothing_saved(application, unit_contact):
    answer = _first_answer(application)
    limit = answer.criterion.max_length
    _save(application, unit_contact, "Kort svar.")
    with pytest.raises(ValidationError) as refused:
        _save(application, unit_contact, "x" * (limit + 7))
    assert refused.value.messages == [
        f"Svaret har {limit + 7} tecken; högst {limit} tecken är tillåtet. Korta texten med 7 tecken."
    ]
    answer.refresh_from_db()
    assert (answer.text, answer.version) == ("Kort svar.", 1)


def test_answer_exactly_at_the_limit_is_saved(application, unit_contact):
    limit = _first_answer(application).criterion.max_length
    assert _save(application, unit_contact, "x" * limit).length == limit


def test_windows_line_breaks_count_as_one_character(application, unit_contact):
    limit = _first_answer(application).criterion.max_length
    text = "x" * (limit - 1) + "\r\n"
    saved = _save(application, unit_contact, text)
    assert saved.text.endswith("\n") and saved.length == limit


# --- concurrent editing ------------------------------------------------------------------------


def test_second_save_from_the_same_version_is_refused_and_both_texts_kept(application, unit_contact, unit):
    colleague = factories.user_with_role(Role.UNIT_CONTACT, first_name="Kim", last_name="Kollega")
    unit.contacts.add(colleague)
    services.grant_unit_access(application, users=[colleague])

    _save(application, colleague, "Kollegans text.", base_version=0)
    with pytest.raises(services.AnswerConflict) as conflict:
        _save(application, unit_contact, "Min text.", base_version=0)

    assert "Kim Kollega sparade det här svaret medan du skrev" in str(conflict.value)
    assert conflict.value.answer.text == "Kollegans text."
    answer = _first_answer(application)
    assert (answer.text, answer.version, answer.updated_by) == ("Kollegans text.", 1, colleague)
    refused = AnswerRevision.objects.get(answer=answer, conflict=True)
    assert (refused.text, refused.saved_by, refused.version) == ("Min text.", unit_contact, 0)
    assert AnswerRevision.objects.get(answer=answer, conflict=False).text == "Kollegans text."


def test_save_from_the_current_version_after_a_conflict_succeeds(application, unit_contact):
    _save(application, unit_contact, "Första.", base_version=0)
    with pytest.raises(services.AnswerConflict):
        _save(application, unit_contact, "Från en gammal flik.", base_version=0)
    assert _save(application, unit_contact, "Sammanfogat.", base_version=1).version == 2


def test_every_save_is_kept_as_a_revision(application, unit_contact):
    _save(application, unit_contact, "Ett.")
    _save(application, unit_contact, "Två.")
    _save(application, unit_contact, "Två.")  # unchanged: no new version
    answer = _first_answer(application)
    assert answer.version == 2
    assert list(answer.revisions.values_list("version", "text")) == [(2, "Två."), (1, "Ett.")]


def test_other_units_contact_may_not_write(application, other_unit_contact):
    with pytest.raises(PermissionDenied):
        _save(application, other_unit_contact, "Inte er enhet.")
    assert _first_answer(application).text == ""


# --- submit ------------------------------------------------------------------------------------


def test_submit_lists_every_missing_answer(application, unit_contact):
    answers = list(application.answers.select_related("criterion").order_by("criterion__number"))
    _save(application, unit_contact, "Besvarat.", answer=answers[0])
    with pytest.raises(ValidationError) as refused:
        services.application_submit(application=application, by=unit_contact)
    assert refused.value.messages == [
        f"Svar saknas på {a.criterion.number}. {a.criterion.title}." for a in answers[1:]
    ]
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_whitespace_only_answer_counts_as_missing(application, unit_contact):
    answer_all(application, unit_contact)
    _save(application, unit_contact, "   \n ")
    with pytest.raises(ValidationError, match="Svar saknas på 1."):
        services.application_submit(application=application, by=unit_contact)


def test_submit_sends_one_confirmation_to_contacts_and_head(
    application, unit_contact, unit, django_capture_on_commit_callbacks
):
    answer_all(application, unit_contact)
    with django_capture_on_commit_callbacks(execute=True):
        services.application_submit(application=application, by=unit_contact)

    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.submitted_by == unit_contact
    assert application.submitted_at is not None
    # One e-mail per person (the outbox): the recipients do not see each other's addresses.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([unit_contact.email, unit.head_email])
    message = mail.outbox[0]
    assert {m.subject for m in mail.outbox} == {f"Tävlingsbidrag inlämnat: {application.code}"}
    assert application.code in message.body and unit.name in message.body
    assert "application.submit" in _actions(application)


def test_submitted_application_cannot_be_changed(application, unit_contact):
    answer_all(application, unit_contact)
    services.application_submit(application=application, by=unit_contact)
    with pytest.raises(ValidationError, match="Bidraget är inlämnat och kan inte ändras"):
        _save(application, unit_contact, "Ändring efteråt.")
    with pytest.raises(ValidationError, match="Bidraget är inlämnat"):
        services.application_submit(application=application, by=unit_contact)


def test_no_mail_when_submit_is_refused(application, unit_contact, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.application_submit(application=application, by=unit_contact)
    assert mail.outbox == []


# --- withdraw and reopen -------------------------------------------------------------------------


def test_withdraw_keeps_the_application_and_records_the_reason(application, unit_contact):
    services.application_withdraw(application=application, reason="Chefen slutar", by=unit_contact)
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    assert application.withdraw_reason == "Chefen slutar"
    assert application.withdrawn_by == unit_contact
    entry = audit.entries_for(application).get(action="application.withdraw")
    assert entry.reason == "Chefen slutar"
    assert entry.changes == {"status": ["draft", "withdrawn"]}
    with pytest.raises(ValidationError, match="Bidraget är återtaget och kan inte ändras"):
        _save(application, unit_contact, "Efter återtagandet.")
    with pytest.raises(ValidationError, match="Bidraget är redan återtaget"):
        services.application_withdraw(application=application, reason="", by=unit_contact)


def test_withdraw_refused_once_the_committee_has_decided(application, unit_contact, cycle):
    AwardCycle.objects.filter(pk=cycle.pk).update(**factories.timeline(phase_offset=-120))
    cycle.refresh_from_db()
    assert cycle.phase == Phase.AWARDED
    with pytest.raises(ValidationError, match="Domarkommittén har redan fattat beslut"):
        services.application_withdraw(application=application, reason="", by=unit_contact)
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT


def test_reopen_lets_the_unit_change_a_submitted_application(application, unit_contact, slk):
    answer_all(application, unit_contact)
    services.application_submit(application=application, by=unit_contact)
    services.application_reopen(application=application, reason="Fel bilaga", by=slk)
    application.refresh_from_db()
    assert application.status == Application.Status.DRAFT
    assert _save(application, unit_contact, "Rättat.").text == "Rättat."
    assert audit.entries_for(application).get(action="application.reopen").reason == "Fel bilaga"


def test_reopen_after_the_deadline_needs_a_new_last_day(application, unit_contact, slk, cycle):
    answer_all(application, unit_contact)
    services.application_submit(application=application, by=unit_contact)
    close_writing(cycle)
    with pytest.raises(ValidationError, match="Sista dagen har passerat"):
        services.application_reopen(application=application, reason="Fel bilaga", by=slk)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED

    until = today() + dt.timedelta(days=3)
    services.application_reopen(application=application, reason="Fel bilaga", until=until, by=slk)
    application.refresh_from_db()
    assert (application.status, application.deadline) == (Application.Status.DRAFT, until)
    assert _save(application, unit_contact, "Rättat i tid.").version == 2


def test_only_a_submitted_application_can_be_reopened(application, slk):
    with pytest.raises(ValidationError, match="Bara ett inlämnat bidrag kan öppnas igen"):
        services.application_reopen(application=application, reason="Varför inte", by=slk)


def test_unit_cannot_reopen_its_own_application(application, unit_contact):
    answer_all(application, unit_contact)
    services.application_submit(application=application, by=unit_contact)
    with pytest.raises(PermissionDenied):
        services.application_reopen(application=application, reason="Vi ångrar oss", by=unit_contact)


# --- registration decisions --------------------------------------------------------------------


def test_rejection_needs_a_reason(application, slk):
    with pytest.raises(ValidationError) as refused:
        services.registration_decide(application=application, approve=False, reason="  ", by=slk)
    assert refused.value.messages == ["Ange skälet till avslaget; enheten ser det."]
    application.refresh_from_db()
    assert application.registration_status == Application.RegistrationStatus.PENDING


def test_rejection_reason_reaches_the_unit_by_mail_and_on_its_page(
    client, application, slk, unit_contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_decide(
            application=application, approve=False, reason="Enheten har bytt huvudman.", by=slk
        )
    application.refresh_from_db()
    assert application.registration_status == Application.RegistrationStatus.REJECTED
    assert application.registration_decided_by == slk
    assert len(mail.outbox) == 2  # the contact and the unit's head, one e-mail each
    assert mail.outbox[0].subject == f"Anmälan avslagen: {application.code}"
    assert "Enheten har bytt huvudman." in mail.outbox[0].body

    client.force_login(unit_contact)
    page = client.get(reverse("submissions:application_detail", args=[application.pk])).content.decode()
    assert "Avslagen: Enheten har bytt huvudman." in page
    with pytest.raises(ValidationError, match="Anmälan är avslagen"):
        _save(application, unit_contact, "Skriver ändå.")


def test_approval_is_recorded(application, slk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_decide(application=application, approve=True, reason="", by=slk)
    application.refresh_from_db()
    assert application.registration_status == Application.RegistrationStatus.APPROVED
    assert mail.outbox[0].subject == f"Anmälan godkänd: {application.code}"
    entry = audit.entries_for(application).get(action="application.registration_approved")
    assert entry.actor == slk
    assert entry.changes == {"registration_status": ["pending", "approved"]}


def test_unit_cannot_decide_its_own_registration(application, unit_contact):
    with pytest.raises(PermissionDenied):
        services.registration_decide(application=application, approve=True, reason="", by=unit_contact)
    application.refresh_from_db()
    assert application.registration_status == Application.RegistrationStatus.PENDING


# --- the audit trail --------------------------------------------------------------------------


def test_every_state_change_is_in_the_audit_trail(application, unit_contact, slk, media_root):
    services.registration_decide(application=application, approve=True, reason="", by=slk)
    answer_all(application, unit_contact)
    attachment = services.attachment_add(
        application=application,
        uploaded_file=upload("plan.pdf", pdf_bytes()),
        description="",
        by=unit_contact,
    )
    services.attachment_remove(attachment=attachment, by=unit_contact)
    services.application_submit(application=application, by=unit_contact)
    services.application_reopen(application=application, reason="Komplettering", by=slk)
    services.application_withdraw(application=application, reason="Vi drar oss ur", by=unit_contact)

    assert _actions(application) == [
        "application.register",
        "application.registration_approved",
        "attachment.add",
        "attachment.remove",
        "application.submit",
        "application.reopen",
        "application.withdraw",
    ]
    register_entry = audit.entries_for(application).get(action="application.register")
    assert register_entry.actor == unit_contact
    assert register_entry.changes == {"award_eligible": True, "note": ""}


def test_registration_sends_a_receipt_to_the_unit(
    cycle, unit, unit_contact, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        application = register(cycle, unit, unit_contact)
    assert {m.subject for m in mail.outbox} == {f"Anmälan mottagen: {application.code}"}
    assert sorted(m.to[0] for m in mail.outbox) == sorted([unit_contact.email, unit.head_email])


def test_registration_refused_outside_the_registration_phase(cycle, unit, unit_contact):
    close_writing(cycle)
    with pytest.raises(ValidationError, match=f"Anmälan till {cycle.year} är stängd"):
        register(cycle, unit, unit_contact)
    assert not Application.objects.exists()


def test_contact_of_another_unit_cannot_register_it(cycle, unit, other_unit_contact):
    with pytest.raises(PermissionDenied):
        register(cycle, unit, other_unit_contact)
