"""The evaluation's dated work, run by the scheduler's tick (registered in apps.py):

- the questionnaires go out the cycle's `questionnaire_send_day` days after the feedback
  release (or at the first tick after, if no worker ran that day), to each audience SLK has
  not already sent by hand;
- on each of `questionnaire_reminder_days` after the release, everyone who got a
  questionnaire and has not answered it is reminded, once per questionnaire and day."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from award import reminders
from award.models import parse_day_list
from evaluation import services
from evaluation.models import Questionnaire, QuestionnaireResponse
from evaluation.report import questionnaire_recipients


def send_questionnaires(*, today: dt.date) -> int:
    sent = 0
    for cycle in reminders.cycles(today):
        if today < cycle.feedback_release + dt.timedelta(days=cycle.questionnaire_send_day):
            continue
        audiences = set(Questionnaire.objects.filter(cycle=cycle).values_list("audience", flat=True))
        if audiences >= set(Questionnaire.Audience.values):
            continue
        sent += len(services.questionnaires_send_scheduled(cycle=cycle, on=today))
    return sent


def remind_questionnaires(*, today: dt.date) -> int:
    sent = 0
    for cycle in reminders.cycles(today):
        after = (today - cycle.feedback_release).days
        if after not in parse_day_list(cycle.questionnaire_reminder_days):
            continue
        for questionnaire in Questionnaire.objects.filter(cycle=cycle):
            answered = QuestionnaireResponse.objects.filter(questionnaire=questionnaire).values("respondent")
            waiting = questionnaire_recipients(cycle=cycle, audience=questionnaire.audience).exclude(
                pk__in=answered
            )
            sent += reminders.remind(
                key=f"reminder:questionnaire:{questionnaire.pk}:day:{after}",
                recipients=[user.email for user in waiting],
                subject=_("Kvalitetsutmärkelsen %(year)s: påminnelse om enkäten") % {"year": cycle.year},
                lines=[
                    _(
                        "Du har fått en kort enkät om Kvalitetsutmärkelsen %(year)s men inte svarat ännu. "
                        "Den tar ett par minuter, och dina svar gör nästa års omgång bättre."
                    )
                    % {"year": cycle.year},
                    _("Enkäten:"),
                ],
                path=reverse("evaluation:questionnaire_answer", args=[questionnaire.pk]),
                reason=_("Påminnelse: enkät"),
                related=questionnaire,
            )
    return sent
