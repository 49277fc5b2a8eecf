"""A unit's pages say where its application truly stands and, once the committee's
decisions are announced, the decision and its citation: on the start page, on the
application page (also for a past cycle's winner) and on the feedback report's cover."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from award.models import AwardCycle, Phase
from award.roles import Role
from judging.models import Decision, DecisionOutcome, Meeting
from scoring.models import FeedbackReport
from submissions.models import Application
from tests.support import factories
from tests.support.applications import register

pytestmark = pytest.mark.django_db


def _move_to(cycle, phase):
    for offset in range(0, -300, -1):
        AwardCycle.objects.filter(pk=cycle.pk).update(**factories.timeline(phase_offset=offset))
        cycle.refresh_from_db()
        if cycle.phase == phase:
            return
    raise AssertionError(phase)


@pytest.fixture
def unit_world():
    cycle = factories.complete_cycle(open=True)
    contact = factories.user_with_role(Role.UNIT_CONTACT)
    unit = factories.UnitFactory()
    unit.contacts.add(contact)
    application = register(cycle, unit, contact)
    return cycle, contact, application


def _announce(cycle, application, citation="För ett föredömligt och uthålligt arbete med målen"):
    slk = factories.user_with_role(Role.SLK)
    meeting = Meeting.objects.create(
        cycle=cycle, kind=Meeting.Kind.FINAL, date=cycle.final_committee_meeting, recorded_by=slk
    )
    decision = Decision.objects.create(
        meeting=meeting,
        track=application.track,
        competition_class=application.competition_class,
        status=Decision.Status.SIGNED,
        created_by=slk,
        signed_by=slk,
        signed_at=timezone.now(),
    )
    DecisionOutcome.objects.create(
        decision=decision, application=application, outcome=DecisionOutcome.Outcome.WINNER, citation=citation
    )
    Application.objects.filter(pk=application.pk).update(status=Application.Status.SUBMITTED)
    _move_to(cycle, Phase.FEEDBACK)


def test_an_extended_draft_in_the_assessment_phase_is_told_to_finish_it(client, unit_world):
    cycle, contact, application = unit_world
    _move_to(cycle, Phase.ASSESSMENT)
    Application.objects.filter(pk=application.pk).update(
        deadline_extended_to=timezone.localdate() + dt.timedelta(days=3)
    )
    application.answers.filter(criterion__number__gt=2).update(text="Ett svar")
    client.force_login(contact)
    html = client.get(reverse("home")).content.decode()
    assert "Ditt bidrag bedöms" not in html and "Inga ändringar kan göras" not in html
    assert "förlängt er tid" in html and "2 svar saknas" in html
    detail = client.get(reverse("submissions:application_detail", args=[application.pk])).content.decode()
    assert "2 svar saknas" in detail


def test_the_decision_and_its_citation_show_once_announced(client, unit_world):
    cycle, contact, application = unit_world
    client.force_login(contact)
    detail = reverse("submissions:application_detail", args=[application.pk])
    _announce(cycle, application)
    html = client.get(detail).content.decode()
    assert "Domarkommitténs beslut" in html and "Vinnare" in html
    assert "För ett föredömligt och uthålligt arbete med målen" in html
    assert "För ett föredömligt" in client.get(reverse("home")).content.decode()


def test_nothing_of_the_decision_shows_before_the_release(client, unit_world):
    cycle, contact, application = unit_world
    _announce(cycle, application)
    _move_to(cycle, Phase.FINAL_DECISION)
    client.force_login(contact)
    html = client.get(reverse("submissions:application_detail", args=[application.pk])).content.decode()
    assert "För ett föredömligt" not in html and "Domarkommitténs beslut" not in html


def test_the_report_cover_carries_the_decision(client, unit_world):
    cycle, contact, application = unit_world
    _announce(cycle, application)
    FeedbackReport.objects.create(
        application=application, status=FeedbackReport.Status.APPROVED, summary="Sammanfattat"
    )
    client.force_login(contact)
    html = client.get(reverse("scoring:report_unit", args=[application.pk])).content.decode()
    assert "Domarkommitténs beslut" in html and "För ett föredömligt" in html
    from django.template.loader import render_to_string

    application = Application.objects.select_related("track__cycle", "unit").get(pk=application.pk)
    cover = render_to_string(
        "scoring/feedback/report_pdf.html",
        {"application": application, "report": application.feedback_report, "items": []},
    )
    assert "För ett föredömligt" in cover


def test_the_units_start_page_reads_the_same_queries_for_more_applications(
    client, unit_world, django_assert_max_num_queries
):
    cycle, contact, application = unit_world
    client.force_login(contact)
    with CaptureQueriesContext(connection) as one:
        assert client.get(reverse("home")).status_code == 200
    for _ in range(2):
        unit = factories.UnitFactory()
        unit.contacts.add(contact)
        register(cycle, unit, contact)
    with django_assert_max_num_queries(len(one)):
        response = client.get(reverse("home"))
    assert response.content.decode().count("svar saknas") == 3
