"""The questionnaires on their dates (issue 15): the scheduler sends each audience's
questionnaire the cycle's number of days after the feedback release (unless SLK already
sent it), once however many ticks, and reminds those who have not answered on the cycle's
days, once each."""

import datetime as dt

import pytest

from evaluation import services
from evaluation.models import Questionnaire
from evaluation.questionnaire import questions_for
from tests.support import factories
from tests.support.reminders import at, days, walk

pytestmark = pytest.mark.django_db
SHARED_WORLD = ("cycle", "slk", "team_world")  # built once for the module (tests/support/world.py)


@pytest.fixture
def world(team_world, quality, unit, unit_contact):
    factories.submitted_application(quality, unit=unit)
    return team_world


def test_the_questionnaires_go_on_their_day_once(world, unit_contact):
    cycle = world["cycle"]
    release = cycle.feedback_release
    added = walk(release, release + dt.timedelta(days=9), prefix="questionnaire:", times=3)
    assert days(added, release) == [7]
    assert set(Questionnaire.objects.filter(cycle=cycle).values_list("audience", flat=True)) == set(
        Questionnaire.Audience.values
    )
    assert Questionnaire.objects.filter(cycle=cycle, sent_by__isnull=True).count() == 2
    recipients = [r for _k, r in added[release + dt.timedelta(days=7)]]
    assert unit_contact.email in recipients and world["examiner"].email in recipients
    assert len(recipients) == len(set(recipients))


def test_an_audience_slk_sent_by_hand_is_not_sent_again(world, slk):
    cycle = world["cycle"]
    release = cycle.feedback_release
    walk(release, release, prefix="questionnaire:")  # the release day: nothing yet
    with at(release + dt.timedelta(days=1)):
        services.questionnaire_send(cycle=cycle, audience=Questionnaire.Audience.EXAMINERS, by=slk)
    added = walk(release + dt.timedelta(days=2), release + dt.timedelta(days=8), prefix="questionnaire:")
    assert days(added, release) == [7]
    assert Questionnaire.objects.get(cycle=cycle, audience=Questionnaire.Audience.EXAMINERS).sent_by == slk
    assert world["examiner"].email not in [r for _k, r in added[release + dt.timedelta(days=7)]]


def test_who_has_not_answered_is_reminded_on_the_cycles_days(world, unit_contact):
    cycle = world["cycle"]
    release = cycle.feedback_release
    walk(release + dt.timedelta(days=7), release + dt.timedelta(days=7), prefix="questionnaire:")
    examiners = Questionnaire.objects.get(cycle=cycle, audience=Questionnaire.Audience.EXAMINERS)
    answered = world["examiner"]
    answers = {q.key: (4 if q.is_scale else "") for q in questions_for(examiners.audience)}
    services.questionnaire_answer(questionnaire=examiners, respondent=answered, answers=answers, by=answered)

    added = walk(
        release + dt.timedelta(days=8), release + dt.timedelta(days=40), prefix="reminder:questionnaire:"
    )
    assert days(added, release) == [21, 35]
    for rows in added.values():
        recipients = [r for _k, r in rows]
        assert answered.email not in recipients
        assert unit_contact.email in recipients and world["other_examiner"].email in recipients
