"""Every change of the cycle's evaluation: SLK sends the questionnaire to applicants or
examiners, and each recipient answers once. Each function runs in one transaction and
writes the audit trail (never the answers themselves)."""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from award import audit, reminders
from award.models import AwardCycle
from award.notify import mail_after_commit
from award.roles import Role, require_role
from evaluation.audit_actions import AuditAction
from evaluation.models import Questionnaire, QuestionnaireResponse
from evaluation.questionnaire import SCALE_VALUES, TEXT_MAX_LENGTH, questions_for
from evaluation.report import is_recipient, questionnaire_recipients


@transaction.atomic
def questionnaire_send(*, cycle, audience: str, by, on=None, notify: bool = True):
    """SLK sends the cycle's questionnaire to one audience, once, and not before the
    feedback reports are released: every contact of a unit with a submitted application
    (applicants) or every examiner of a confirmed team (examiners) gets one e-mail with
    the link. Who may answer is decided by the same rule when they answer."""
    require_role(by, Role.SLK)
    if audience not in Questionnaire.Audience.values:
        raise ValidationError(_("Okänd målgrupp för enkäten."))
    return _send(cycle=cycle, audience=audience, by=by, on=on, notify=notify)


@transaction.atomic
def questionnaires_send_scheduled(*, cycle, on) -> list:
    """The scheduler sends the cycle's questionnaires on their day (the cycle's
    `questionnaire_send_day` after the feedback release): each audience SLK has not sent
    by hand and that has someone to send to. Two workers on the same day send each once
    (the cycle's row is locked, then the audience's questionnaire is looked for)."""
    cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
    sent = []
    for audience in Questionnaire.Audience.values:
        if Questionnaire.objects.filter(cycle=cycle, audience=audience).exists():
            continue
        if not questionnaire_recipients(cycle=cycle, audience=audience).exists():
            continue
        sent.append(_send(cycle=cycle, audience=audience, by=None, on=on, notify=True))
    return sent


def _send(*, cycle, audience: str, by, on, notify: bool):
    # Locking the cycle makes two clicks on the send button queue instead of racing.
    cycle = AwardCycle.objects.select_for_update().get(pk=cycle.pk)
    if not cycle.feedback_released(on):
        raise ValidationError(
            _("Enkäten kan skickas först när återföringsrapporterna har släppts, %(date)s.")
            % {"date": cycle.feedback_release.isoformat()}
        )
    label = Questionnaire.Audience(audience).label
    if Questionnaire.objects.filter(cycle=cycle, audience=audience).exists():
        raise ValidationError(
            _("Enkäten till %(audience)s %(year)s är redan skickad.")
            % {"audience": str(label).lower(), "year": cycle.year}
        )
    recipients = list(questionnaire_recipients(cycle=cycle, audience=audience))
    if not recipients:
        raise ValidationError(
            _("Det finns ingen att skicka enkäten till: inga %(audience)s i omgången %(year)s.")
            % {"audience": str(label).lower(), "year": cycle.year}
        )
    questionnaire = Questionnaire.objects.create(cycle=cycle, audience=audience, sent_by=by)
    audit.record(
        actor=by,
        action=AuditAction.QUESTIONNAIRE_SEND,
        target=questionnaire,
        changes={"audience": audience, "recipients": len(recipients)},
    )
    link = reminders.absolute(reverse("evaluation:questionnaire_answer", args=[questionnaire.pk]))
    # One message per person: the recipients do not see each other's addresses.
    for user in recipients:
        if notify:
            mail_after_commit(
                subject=_("Kvalitetsutmärkelsen %(year)s: vad tyckte du?") % {"year": cycle.year},
                template="evaluation/email/questionnaire.txt",
                context={"questionnaire": questionnaire, "cycle": cycle, "user": user, "link": link},
                recipients=[user.email],
                key=f"questionnaire:{questionnaire.pk}",
                reason=_("Enkät"),
                related=questionnaire,
            )
    return questionnaire


def _clean_answers(questions, answers: dict) -> dict:
    """The answers as stored: scale answers as integers 1–5 (required), text answers
    stripped and left out when blank. Refuses with one Swedish message per question."""

    cleaned, errors = {}, {}
    for question in questions:
        value = answers.get(question.key)
        if question.is_scale:
            try:
                number = int(value)
            except (TypeError, ValueError):
                number = None
            if number not in SCALE_VALUES or isinstance(value, bool):
                errors[question.key] = _("Välj ett värde mellan 1 och 5.")
                continue
            cleaned[question.key] = number
        else:
            text = str(value or "").strip()
            if len(text) > TEXT_MAX_LENGTH:
                errors[question.key] = _("Svaret får vara högst %(max)s tecken; det är nu %(length)s.") % {
                    "max": TEXT_MAX_LENGTH,
                    "length": len(text),
                }
                continue
            if text:
                cleaned[question.key] = text
    unknown = set(answers) - {q.key for q in questions}
    if unknown:
        errors[NON_FIELD_ERRORS] = _("Svaret innehåller frågor som inte finns i enkäten.")
    if errors:
        raise ValidationError(errors)
    return cleaned


@transaction.atomic
def questionnaire_answer(*, questionnaire, respondent, answers: dict, by):
    """Record one recipient's answers, once. Only the respondent answers for themselves,
    and only if the questionnaire's audience includes them."""
    if by != respondent:
        raise PermissionDenied(_("Bara den som fått enkäten kan besvara den."))
    questionnaire = (
        Questionnaire.objects.select_for_update(of=("self",)).select_related("cycle").get(pk=questionnaire.pk)
    )
    if not is_recipient(questionnaire, respondent):
        raise PermissionDenied(_("Enkäten är inte skickad till dig."))
    if QuestionnaireResponse.objects.filter(questionnaire=questionnaire, respondent=respondent).exists():
        raise ValidationError(_("Du har redan besvarat enkäten. Tack!"))
    cleaned = _clean_answers(questions_for(questionnaire.audience), answers)
    try:
        with transaction.atomic():
            response = QuestionnaireResponse.objects.create(
                questionnaire=questionnaire, respondent=respondent, answers=cleaned
            )
    except IntegrityError as error:
        raise ValidationError(_("Du har redan besvarat enkäten. Tack!")) from error
    # The answers themselves stay out of the log: it is read more widely than the results.
    audit.record(actor=by, action=AuditAction.QUESTIONNAIRE_ANSWER, target=questionnaire)
    return response
