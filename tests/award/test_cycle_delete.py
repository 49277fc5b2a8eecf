"""Deleting a cycle (issue 12): only a cycle that holds nothing but its set-up (tracks,
classes, criteria, scale) can be deleted, through `cycle_delete`; one with any data is
refused in the admin with a Swedish reason naming what it holds, and the database keeps
the data however the cycle is deleted (its questionnaires, pool, training, teams,
committee, meetings and conflicts protect it, as its registrations already did)."""

import html

import pytest
from django.db.models import ProtectedError
from django.urls import reverse

from award import queries, services
from award.models import AuditEntry, AwardCycle, CommitteeMembership, Criterion, ScoringScale, Track
from evaluation.models import Questionnaire
from examiners.models import Team, TrainingSession
from judging.models import CommitteeConflict, Meeting
from tests.support import factories

pytestmark = pytest.mark.django_db


def _delete_url(cycle):
    return reverse("admin:award_awardcycle_delete", args=[cycle.pk])


def _change_url(cycle):
    return reverse("admin:award_awardcycle_change", args=[cycle.pk])


def _questionnaire(cycle, slk):
    return Questionnaire.objects.create(cycle=cycle, audience=Questionnaire.Audience.APPLICANTS, sent_by=slk)


def _application(cycle, slk):
    return factories.submitted_application(cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD))


def _pool(cycle, slk):
    return factories.pool_member(cycle)


def _committee(cycle, slk):
    return CommitteeMembership.objects.create(cycle=cycle, user=factories.UserFactory())


def _meeting(cycle, slk):
    return Meeting.objects.create(
        cycle=cycle, kind=Meeting.Kind.FINAL, date=cycle.ceremony_date, recorded_by=slk
    )


def _team(cycle, slk):
    return Team.objects.create(cycle=cycle, track=cycle.tracks.first(), name="Lag 1")


def _training(cycle, slk):
    return TrainingSession.objects.create(
        cycle=cycle,
        kind=TrainingSession.Kind.BASIC,
        title="Grund",
        place="Stadshuset",
        capacity=10,
        trainer="T",
    )


def _conflict(cycle, slk):
    return CommitteeConflict.objects.create(
        cycle=cycle,
        member=factories.UserFactory(),
        unit=factories.UnitFactory(),
        reason="Jäv",
        recorded_by=slk,
    )


DATA = {
    "enkäter (1)": _questionnaire,
    "tävlingsbidrag (1)": _application,
    "examinatorspool (1)": _pool,
    "domarkommitté (1)": _committee,
    "domarmöten (1)": _meeting,
    "examinatorslag (1)": _team,
    "utbildningstillfällen (1)": _training,
    "jäv i domarkommittén (1)": _conflict,
}


def test_a_cycle_with_only_its_set_up_is_deleted_with_it(client, slk):
    draft = factories.complete_cycle(year=2040)
    client.force_login(slk)

    assert client.get(_delete_url(draft)).status_code == 200
    response = client.post(_delete_url(draft), {"post": "yes"})

    assert response.status_code == 302
    assert not AwardCycle.objects.filter(year=2040).exists()
    assert not Track.objects.exists() and not Criterion.objects.exists() and not ScoringScale.objects.exists()
    entry = AuditEntry.objects.get(action="cycle.delete")
    assert (entry.actor, entry.object_repr) == (slk, "2040")


@pytest.mark.parametrize("named", list(DATA))
def test_a_cycle_with_data_is_refused_naming_it(client, slk, named):
    draft = factories.complete_cycle(year=2040)
    record = DATA[named](draft, slk)
    client.force_login(slk)

    shown = client.get(_delete_url(draft), follow=True)
    posted = client.post(_delete_url(draft), {"post": "yes"}, follow=True)

    for response in (shown, posted):
        assert response.redirect_chain == [(_change_url(draft), 302)]
        content = html.unescape(response.content.decode())
        assert f"Omgången 2040 kan inte tas bort eftersom den har uppgifter: {named}." in content
    assert AwardCycle.objects.filter(year=2040).exists()
    assert type(record).objects.filter(pk=record.pk).exists()
    assert draft.tracks.count() == 2
    assert not AuditEntry.objects.filter(action__in=["cycle.delete", "admin.delete"]).exists()


def test_the_refusal_names_everything_the_cycle_holds(slk):
    cycle = factories.complete_cycle(year=2040, open=True)
    _questionnaire(cycle, slk)
    _application(cycle, slk)
    _application(cycle, slk)

    refusal = queries.cycle_delete_refusal(cycle)

    assert "tävlingsbidrag (2)" in refusal and "enkäter (1)" in refusal
    with pytest.raises(Exception, match="kan inte tas bort"):
        services.cycle_delete(cycle=cycle, by=slk)
    assert AwardCycle.objects.filter(pk=cycle.pk).exists()


@pytest.mark.parametrize("named", list(DATA))
def test_the_database_keeps_a_cycles_data_whoever_deletes_it(slk, named):
    draft = factories.complete_cycle(year=2040)
    record = DATA[named](draft, slk)

    with pytest.raises(ProtectedError):
        draft.delete()

    assert type(record).objects.filter(pk=record.pk).exists()


def test_cycles_are_not_deleted_in_bulk(client, slk):
    factories.complete_cycle(year=2040)
    client.force_login(slk)

    response = client.get(reverse("admin:award_awardcycle_changelist"))

    actions = [name for name, _label in response.context["action_form"].fields["action"].choices]
    assert "open_cycle" in actions and "delete_selected" not in actions
