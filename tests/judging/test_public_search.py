"""Searching the good examples: free text, year, class and criterion (GET parameters),
never revealing an unconsented summary or a score, in a fixed number of queries."""

import pytest

from award.models import AwardCycle, CommitteeMembership, Track
from award.roles import Role
from judging import services as judging_services
from judging.models import DecisionOutcome, Meeting
from scoring.models import ConsensusItem
from tests.support import factories
from tests.support.teams import judged

pytestmark = pytest.mark.django_db

URL = "/goda-exempel/"


def _decide(cycle, chair, track, competition_class, outcomes):
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
        rationale="Skäl",
        outcomes=[judging_services.OutcomeData(a, outcome, citation) for a, outcome, citation in outcomes],
        by=chair,
    )
    judging_services.decision_sign(decision=decision, by=chair)
    return decision


def _year(year, names, *, strong_on=None, class_index=0):
    """A published cycle of `year`: each unit in `names` wins or is mentioned in one class;
    the first scores 80 on criterion `strong_on`, everyone else 50 everywhere."""
    cycle = factories.complete_cycle(year=year, open=True, **factories.timeline(phase_offset=-200))
    chair = factories.user_with_role(Role.COMMITTEE)
    CommitteeMembership.objects.create(cycle=cycle, user=chair, is_chair=True)
    quality = cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    klass = quality.classes.order_by("order")[class_index]
    apps = [
        judged(
            factories.submitted_application(quality, factories.UnitFactory(name=n), competition_class=klass)
        )
        for n in names
    ]
    if strong_on:
        ConsensusItem.objects.filter(consensus__application=apps[0], criterion__number=strong_on).update(
            score=80
        )
    outcomes = [(apps[0], "winner", f"Citat om {names[0]}")] + [
        (a, "honourable_mention", f"Citat om {n}") for a, n in zip(apps[1:], names[1:], strict=True)
    ]
    decision = _decide(cycle, chair, quality, klass, outcomes)
    return cycle, decision


@pytest.fixture
def published(db):
    cycle, decision = _year(2023, ["Förskolan Solen", "Förskolan Månen"], strong_on=2)
    # The units consented to publication and the cycle showed units their scores: only then
    # may the criterion filter find them by how they scored.
    decision.outcomes.update(unit_consented=True)
    cycle.show_scores_to_units = True
    cycle.save(update_fields=["show_scores_to_units"])
    _cycle, decision = _year(2024, ["Skolan Eken"], class_index=1)
    # A summary the unit has not consented to publish.
    outcome = decision.outcomes.get()
    outcome.public_summary = "Hemligt ord zebra."
    outcome.save(update_fields=["public_summary"])


def _page(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200
    return response.content.decode()


def test_the_form_has_labelled_fields(client, published):
    page = _page(client)
    for name, label in [("q", "Sök"), ("year", "År"), ("klass", "Tävlingsklass")]:
        assert f'for="id_{name}"' in page and label in page
    assert 'for="id_criterion"' in page and "Kvalitetsutmärkelsen: 2." in page


def test_filter_by_year(client, published):
    page = _page(client, year=2024)
    assert "Skolan Eken" in page and "Förskolan Solen" not in page
    assert "1 exempel matchar sökningen" in page


def test_filter_by_class(client, published):
    page = _page(client, klass="Förskola")
    assert "Förskolan Solen" in page and "Förskolan Månen" in page and "Skolan Eken" not in page


def test_filter_by_criterion_keeps_who_did_well_on_it(client, published):
    page = _page(client, criterion="quality_award:2")
    assert "Förskolan Solen" in page and "Förskolan Månen" not in page and "Skolan Eken" not in page
    # ... without showing a score.
    assert "%" not in page and "poäng" not in page.lower()


@pytest.mark.parametrize("hidden", ["no_consent", "scores_not_shown"])
def test_the_criterion_filter_finds_nobody_whose_scores_are_confidential(client, published, hidden):
    solen = DecisionOutcome.objects.get(application__unit__name="Förskolan Solen")
    if hidden == "no_consent":
        DecisionOutcome.objects.filter(pk=solen.pk).update(unit_consented=False)
    else:
        AwardCycle.objects.filter(year=2023).update(show_scores_to_units=False)
    assert "Förskolan Solen" not in _page(client, criterion="quality_award:2")
    # Still published and found by everything that is not a score.
    assert "Förskolan Solen" in _page(client, year=2023)


def test_free_text_searches_names_and_citations(client, published):
    assert "Förskolan Månen" in _page(client, q="månen")
    page = _page(client, q="Citat om Skolan")
    assert "Skolan Eken" in page and "Förskolan Solen" not in page


def test_an_unconsented_summary_is_not_searched(client, published):
    page = _page(client, q="zebra")
    assert "Skolan Eken" not in page and "Inga exempel matchar" in page


def test_a_bad_value_is_refused_with_a_message_and_everything_shown(client, published):
    page = _page(client, year="abc", criterion="nonsense:9")
    assert "Välj ett giltigt alternativ" in page
    assert "Förskolan Solen" in page and "Skolan Eken" in page


@pytest.mark.parametrize("years", [1, 3])
def test_the_search_reads_a_fixed_number_of_queries(client, db, years, django_assert_max_num_queries):
    for offset in range(years):
        cycle, decision = _year(2020 + offset, [f"Enheten {offset}"], strong_on=1)
        decision.outcomes.update(unit_consented=True)
        AwardCycle.objects.filter(pk=cycle.pk).update(show_scores_to_units=True)
    with django_assert_max_num_queries(6):
        response = client.get(URL, {"criterion": "quality_award:1", "q": "Enheten"})
    assert response.status_code == 200
    assert response.content.decode().count("Citat om Enheten") == years
