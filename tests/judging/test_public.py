"""The public good examples: signed winners and honourable mentions after the award
ceremony, with citations, consented summaries only, no scores, no login."""

import datetime as dt

import pytest
from django.urls import reverse

from award.models import CommitteeMembership, Track, today
from award.roles import Role
from judging import services as judging_services
from judging.models import DecisionOutcome, Meeting
from tests.support import factories
from tests.support.teams import judged

pytestmark = pytest.mark.django_db

URL = "/goda-exempel/"


@pytest.fixture
def past_cycle(db):
    """Last year's cycle: every date, the ceremony included, is behind us."""
    return factories.complete_cycle(year=2024, open=True, **factories.timeline(phase_offset=-200))


@pytest.fixture
def chair(past_cycle):
    user = factories.user_with_role(Role.COMMITTEE, username="ordforande")
    CommitteeMembership.objects.create(cycle=past_cycle, user=user, is_chair=True)
    return user


def _decide(cycle, chair, track, competition_class, outcomes, *, sign=True):
    meeting = Meeting.objects.filter(
        cycle=cycle, kind=Meeting.Kind.FINAL
    ).first() or judging_services.meeting_record(
        cycle=cycle, kind=Meeting.Kind.FINAL, date=cycle.final_committee_meeting, present=[chair], by=chair
    )
    decision = judging_services.decision_save(
        meeting=meeting,
        track=track,
        competition_class=competition_class,
        no_award=False,
        rationale="Kommitténs skäl",
        outcomes=[judging_services.OutcomeData(a, outcome, citation) for a, outcome, citation in outcomes],
        by=chair,
    )
    if sign:
        judging_services.decision_sign(decision=decision, by=chair)
    return decision


@pytest.fixture
def decided(past_cycle, chair, slk):
    quality = past_cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    renewal = past_cycle.tracks.get(kind=Track.Kind.RENEWAL_PRIZE)
    winner = judged(
        factories.submitted_application(quality, unit=factories.UnitFactory(name="Förskolan Solen"))
    )
    mention = judged(
        factories.submitted_application(quality, unit=factories.UnitFactory(name="Förskolan Månen"))
    )
    innovator = judged(
        factories.submitted_application(
            renewal,
            unit=factories.UnitFactory(name="Hemtjänst Norr"),
            nominee_kind="team",
            nominee_name="Nattpatrullen",
        )
    )
    decision = _decide(
        past_cycle,
        chair,
        quality,
        winner.competition_class,
        [
            (winner, "winner", "Barnens delaktighet genomsyrar allt."),
            (mention, "honourable_mention", "Modigt."),
        ],
    )
    _decide(past_cycle, chair, renewal, None, [(innovator, "winner", "Nytänkande nattetid.")])
    outcomes = {o.application_id: o for o in decision.outcomes.all()}
    judging_services.good_example_save(
        outcome=outcomes[winner.pk], summary="Vi lyssnar på barnen varje dag.", consented=True, by=slk
    )
    # Written, but the unit has not consented (yet): it must not be published.
    outcome = outcomes[mention.pk]
    outcome.public_summary = "Hemlig sammanfattning utan samtycke."
    outcome.save(update_fields=["public_summary"])
    return {"winner": winner, "mention": mention, "innovator": innovator, "decision": decision}


def test_the_url_is_the_public_good_examples_page():
    assert reverse("public:good_examples") == URL


def test_it_needs_no_login_and_shows_signed_winners_after_the_ceremony(client, decided):
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Förskolan Solen" in page and "Barnens delaktighet genomsyrar allt." in page
    assert "Förskolan Månen" in page and "Hedersomnämnande" in page and "Modigt." in page
    assert "Nattpatrullen (ett arbetslag), Hemtjänst Norr" in page and "Nytänkande nattetid." in page
    assert "2024" in page


def test_it_shows_only_consented_summaries(client, decided):
    page = client.get(URL).content.decode()
    assert "Vi lyssnar på barnen varje dag." in page
    assert "Hemlig sammanfattning utan samtycke." not in page


def test_it_shows_no_scores(client, decided):
    page = client.get(URL).content.decode().lower()
    assert "poäng" not in page and "placering" not in page and "%" not in page


def test_nothing_is_shown_before_the_ceremony(client, decided, past_cycle):
    for ceremony in (today() + dt.timedelta(days=3), today()):
        past_cycle.ceremony_date = ceremony
        past_cycle.save(update_fields=["ceremony_date"])
        page = client.get(URL).content.decode()
        assert "Förskolan Solen" not in page and "Nattpatrullen" not in page
        assert "presenteras här efter prisutdelningen" in page


def test_drafts_and_superseded_decisions_are_not_shown(client, decided, past_cycle, chair):
    judging_services.decision_correct(decision=decided["decision"], reason="Fel", by=chair)
    # The correction is a draft: the signed decision still stands.
    assert "Förskolan Solen" in client.get(URL).content.decode()
    correction = decided["decision"].superseded_by
    judging_services.decision_save(
        meeting=correction.meeting,
        track=correction.track,
        competition_class=correction.competition_class,
        no_award=False,
        rationale="Rättat",
        outcomes=[judging_services.OutcomeData(decided["mention"], "winner", "Rättad motivering.")],
        by=chair,
        decision=correction,
        base_version=correction.version,
    )
    judging_services.decision_sign(decision=correction, by=chair)
    page = client.get(URL).content.decode()
    assert "Barnens delaktighet genomsyrar allt." not in page and "Förskolan Solen" not in page
    assert "Rättad motivering." in page


def test_the_current_cycles_signed_decision_waits_for_its_ceremony(client, cycle):
    chair = factories.user_with_role(Role.COMMITTEE)
    CommitteeMembership.objects.create(cycle=cycle, user=chair, is_chair=True)
    quality = cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    application = judged(
        factories.submitted_application(quality, unit=factories.UnitFactory(name="Skolan Stjärnan"))
    )
    _decide(cycle, chair, quality, application.competition_class, [(application, "winner", "Utmärkt.")])
    assert "Skolan Stjärnan" not in client.get(URL).content.decode()


def test_query_count_does_not_grow_with_the_examples(client, past_cycle, chair, django_assert_num_queries):
    quality = past_cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    classes = list(quality.classes.all())

    def decide(competition_class):
        application = judged(factories.submitted_application(quality, competition_class=competition_class))
        _decide(past_cycle, chair, quality, competition_class, [(application, "winner", "Bra.")])
        return application

    units = [decide(classes[0]).unit.name]
    # the outcomes with everything they show, and the years and classes, and the criteria,
    # the search form offers
    with django_assert_num_queries(3):
        response = client.get(URL)
    assert response.status_code == 200
    assert units[0] in response.content.decode()
    units += [decide(classes[1]).unit.name, decide(classes[2]).unit.name]
    assert DecisionOutcome.objects.count() == 3
    with django_assert_num_queries(3):
        response = client.get(URL)
    assert response.status_code == 200
    assert all(name in response.content.decode() for name in units)
