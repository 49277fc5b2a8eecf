"""Who sits on a cycle's judging committee is one rule, AwardCycle.has_committee_member
(and its queryset twin for many cycles): every committee page, the drill-down reached from
scoring, and the services ask it, so replacing the rule moves all of them at once."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from award.models import AwardCycle, CommitteeMembership, Organisation
from judging import services as judging_services
from tests.support import factories

pytestmark = pytest.mark.django_db


def _pages(cycle, track, application):
    year = cycle.year
    return [
        reverse("judging:committee_home", args=[year]),
        reverse("judging:consolidated", args=[year, track.pk]),
        reverse("judging:drilldown", args=[application.pk]),
        reverse("judging:decisions", args=[year]),
        reverse("judging:site_visit_list", args=[year]),
        reverse("judging:charts", args=[year, track.pk]),
    ]


def _answers(client, user, cycle, quality):
    application = factories.submitted_application(quality)
    client.force_login(user)
    return {url: client.get(url).status_code for url in _pages(cycle, quality, application)}


def test_a_member_of_another_cycle_is_not_one_of_this_cycles(cycle, committee_member):
    other = factories.AwardCycleFactory()
    CommitteeMembership.objects.create(cycle=other, user=committee_member)
    assert not cycle.has_committee_member(committee_member)
    assert other.has_committee_member(committee_member)
    assert not other.has_committee_member(committee_member, chair=True)
    assert list(AwardCycle.objects.with_committee_member(committee_member)) == [other]


def test_the_pages_and_services_let_in_whom_the_rule_seats(
    client, cycle, quality, committee_member, monkeypatch
):
    assert set(_answers(client, committee_member, cycle, quality).values()) == {404}
    target = Organisation.objects.first()
    with pytest.raises(PermissionDenied):
        judging_services.meeting_record(
            cycle=cycle, kind="shortlisting", date=cycle.feedback_release, present=[], by=committee_member
        )

    monkeypatch.setattr(AwardCycle, "has_committee_member", lambda self, user, chair=False: True)

    assert set(_answers(client, committee_member, cycle, quality).values()) == {200}
    judging_services.committee_conflict_declare(
        cycle=cycle, member=committee_member, target=target, reason="Min förvaltning.", by=committee_member
    )


def test_the_pages_shut_out_whom_the_rule_does_not_seat(
    client, cycle, quality, committee_member, monkeypatch
):
    CommitteeMembership.objects.create(cycle=cycle, user=committee_member)
    assert set(_answers(client, committee_member, cycle, quality).values()) == {200}

    monkeypatch.setattr(AwardCycle, "has_committee_member", lambda self, user, chair=False: False)

    assert set(_answers(client, committee_member, cycle, quality).values()) == {404}
