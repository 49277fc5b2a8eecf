"""Every eligibility rule (R1–R6) as the unit reads it: code, outcome, whether it blocks
and the exact Swedish explanation, both ways, pinned where mutation testing found only
the outcome pinned (README, "Mutation testing")."""

import pytest

from award.models import PastResult, Track
from submissions import eligibility
from tests.support import factories

pytestmark = pytest.mark.django_db


def _track(year=2030, kind=Track.Kind.QUALITY_AWARD):
    return factories.TrackFactory(cycle=factories.AwardCycleFactory(year=year), kind=kind)


def _rules(result):
    return [(rule.code, rule.ok, rule.blocking, rule.text) for rule in result.rules]


def test_a_unit_meeting_every_rule_reads_why_each_holds():
    unit = factories.UnitFactory(staff_count=5, is_private_provider=True, stockholmers_share=51)
    result = eligibility.check(unit=unit, track=_track(), head_has_full_responsibility=True)
    assert _rules(result) == [
        ("head", True, True, "Chefen har verksamhets-, budget- och personalansvar."),
        ("plan", True, True, "Enheten har en verksamhetsplan med mål."),
        ("staff", True, True, "Enheten har 5 medarbetare inklusive chefen (minst 5 krävs)."),
        ("private", True, True, "Privat utförare: 51 % av brukarna är stockholmare (minst 51 % krävs)."),
    ]
    assert result.can_register and result.award_eligible and result.refusals == [] and result.note == ""


def test_a_unit_failing_every_rule_reads_why_each_fails(unit):
    unit = factories.UnitFactory(
        staff_count=4, has_operational_plan=False, is_private_provider=True, stockholmers_share=50
    )
    factories.PastResultFactory(unit=unit, year=2029, track_kind=Track.Kind.QUALITY_AWARD)
    result = eligibility.check(
        unit=unit, track=_track(), head_has_full_responsibility=False, deficit_forecast=True
    )
    assert _rules(result) == [
        (
            "head",
            False,
            True,
            "Enhetens chef måste ha verksamhets-, budget- och personalansvar för att enheten ska få delta.",
        ),
        ("plan", False, True, "Enheten saknar verksamhetsplan med mål, vilket krävs för att delta."),
        ("staff", False, True, "Enheten har 4 medarbetare inklusive chefen; minst 5 krävs."),
        ("private", False, True, "Privat utförare: bara 50 % av brukarna är stockholmare; minst 51 % krävs."),
        (
            "previous_win",
            False,
            True,
            "Enheten vann Kvalitetsutmärkelsen 2029 och får tävla igen tidigast 2032.",
        ),
        (
            "deficit",
            False,
            False,
            "Enheten redovisar underskott (årets prognos). Den får tävla och få återföring, "
            "men kan inte tilldelas utmärkelsen.",
        ),
    ]
    assert not result.can_register and not result.award_eligible
    assert len(result.refusals) == 5
    assert result.note == _rules(result)[-1][3]


def test_an_open_head_declaration_is_explained_and_does_not_block(unit):
    result = eligibility.check(unit=unit, track=_track())
    assert _rules(result)[0] == (
        "head",
        True,
        True,
        "Enhetens chef ska ha verksamhets-, budget- och personalansvar (bekräftas i anmälan).",
    )


def test_a_private_provider_with_an_unknown_share_serves_none():
    unit = factories.UnitFactory(is_private_provider=True, stockholmers_share=None)
    result = eligibility.check(unit=unit, track=_track(), head_has_full_responsibility=True)
    assert result.refusals == ["Privat utförare: bara 0 % av brukarna är stockholmare; minst 51 % krävs."]


def test_the_given_past_results_are_used_instead_of_the_units(unit):
    track = _track()
    factories.PastResultFactory(unit=unit, year=2029, track_kind=Track.Kind.QUALITY_AWARD)
    result = eligibility.check(unit=unit, track=track, head_has_full_responsibility=True, past_results=[])
    assert result.can_register
    given = [PastResult(unit=unit, year=2028, track_kind=Track.Kind.QUALITY_AWARD, outcome="winner")]
    other = factories.UnitFactory()
    result = eligibility.check(unit=other, track=track, head_has_full_responsibility=True, past_results=given)
    assert not result.can_register


def test_this_years_own_result_is_not_a_recent_win(unit):
    """The decision signed this year writes this year's result; a correction naming the same
    winner must not find it in the way."""
    results = [PastResult(unit=unit, year=2030, track_kind=Track.Kind.QUALITY_AWARD, outcome="winner")]
    assert eligibility.recent_win(results, track_kind=Track.Kind.QUALITY_AWARD, year=2030) is None
    results.append(PastResult(unit=unit, year=2028, track_kind=Track.Kind.QUALITY_AWARD, outcome="winner"))
    assert eligibility.recent_win(results, track_kind=Track.Kind.QUALITY_AWARD, year=2030) == 2028
    assert eligibility.next_possible_win(2028) == 2031
