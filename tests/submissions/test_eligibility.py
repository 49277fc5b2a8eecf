import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from award.models import PastResult, Track
from submissions import eligibility
from submissions.models import Application
from tests.support import factories
from tests.support.applications import register

pytestmark = pytest.mark.django_db


def _track(year, kind=Track.Kind.QUALITY_AWARD):
    return factories.TrackFactory(cycle=factories.AwardCycleFactory(year=year), kind=kind)


def _rule(result, code):
    return next(rule for rule in result.rules if rule.code == code)


# --- the rules, each both ways ---------------------------------------------------------------


def test_head_with_full_responsibility_may_register(unit):
    result = eligibility.check(unit=unit, track=_track(2030), head_has_full_responsibility=True)
    assert result.can_register
    assert _rule(result, "head").ok


def test_head_without_full_responsibility_blocks_registration(unit):
    result = eligibility.check(unit=unit, track=_track(2030), head_has_full_responsibility=False)
    assert not result.can_register
    assert result.refusals == [
        "Enhetens chef måste ha verksamhets-, budget- och personalansvar för att enheten ska få delta."
    ]


def test_head_declaration_not_yet_made_is_an_open_question_not_a_refusal(unit):
    result = eligibility.check(unit=unit, track=_track(2030))
    assert result.can_register
    assert "bekräftas i anmälan" in _rule(result, "head").text


def test_unit_with_operational_plan_may_register(unit):
    result = eligibility.check(unit=unit, track=_track(2030), head_has_full_responsibility=True)
    assert _rule(result, "plan").ok


def test_unit_without_operational_plan_is_refused():
    unit = factories.UnitFactory(has_operational_plan=False)
    result = eligibility.check(unit=unit, track=_track(2030), head_has_full_responsibility=True)
    assert not result.can_register
    assert result.refusals == ["Enheten saknar verksamhetsplan med mål, vilket krävs för att delta."]


def test_five_staff_including_the_head_is_enough():
    unit = factories.UnitFactory(staff_count=5)
    result = eligibility.check(unit=unit, track=_track(2030), head_has_full_responsibility=True)
    assert result.can_register
    assert _rule(result, "staff").text == "Enheten har 5 medarbetare inklusive chefen (minst 5 krävs)."


def test_four_staff_is_too_few():
    unit = factories.UnitFactory(staff_count=4)
    result = eligibility.check(unit=unit, track=_track(2030), head_has_full_responsibility=True)
    assert not result.can_register
    assert result.refusals == ["Enheten har 4 medarbetare inklusive chefen; minst 5 krävs."]


def test_private_provider_serving_51_percent_stockholmers_may_register():
    unit = factories.UnitFactory(is_private_provider=True, stockholmers_share=51)
    result = eligibility.check(unit=unit, track=_track(2030), head_has_full_responsibility=True)
    assert result.can_register
    assert _rule(result, "private").ok


def test_private_provider_serving_50_percent_stockholmers_is_refused():
    unit = factories.UnitFactory(is_private_provider=True, stockholmers_share=50)
    result = eligibility.check(unit=unit, track=_track(2030), head_has_full_responsibility=True)
    assert not result.can_register
    assert result.refusals == ["Privat utförare: bara 50 % av brukarna är stockholmare; minst 51 % krävs."]


def test_public_unit_is_not_asked_about_stockholmers(unit):
    result = eligibility.check(unit=unit, track=_track(2030), head_has_full_responsibility=True)
    assert "private" not in {rule.code for rule in result.rules}


@pytest.mark.parametrize(("year", "allowed"), [(2025, False), (2026, False), (2027, True), (2028, True)])
def test_winner_of_2024_may_enter_the_same_track_again_from_2027(unit, year, allowed):
    factories.PastResultFactory(unit=unit, year=2024, track_kind=Track.Kind.QUALITY_AWARD)
    result = eligibility.check(unit=unit, track=_track(year), head_has_full_responsibility=True)
    assert result.can_register is allowed
    if not allowed:
        assert result.refusals == ["Enheten vann Kvalitetsutmärkelsen 2024 och får tävla igen tidigast 2027."]


def test_a_win_in_the_other_track_does_not_block(unit):
    factories.PastResultFactory(unit=unit, year=2025, track_kind=Track.Kind.QUALITY_AWARD)
    result = eligibility.check(
        unit=unit, track=_track(2026, Track.Kind.RENEWAL_PRIZE), head_has_full_responsibility=True
    )
    assert result.can_register


def test_an_honourable_mention_does_not_block(unit):
    factories.PastResultFactory(
        unit=unit,
        year=2025,
        track_kind=Track.Kind.RENEWAL_PRIZE,
        outcome=PastResult.Outcome.HONOURABLE_MENTION,
    )
    result = eligibility.check(
        unit=unit, track=_track(2026, Track.Kind.RENEWAL_PRIZE), head_has_full_responsibility=True
    )
    assert result.can_register


@pytest.mark.parametrize(
    ("last_year", "forecast", "which"),
    [
        (True, False, "förra årets resultat"),
        (False, True, "årets prognos"),
        (True, True, "förra årets resultat och årets prognos"),
    ],
)
def test_deficit_may_compete_but_is_not_award_eligible(unit, last_year, forecast, which):
    result = eligibility.check(
        unit=unit,
        track=_track(2030),
        head_has_full_responsibility=True,
        deficit_last_year=last_year,
        deficit_forecast=forecast,
    )
    assert result.can_register
    assert not result.award_eligible
    assert f"underskott ({which})" in result.note
    assert "kan inte tilldelas utmärkelsen" in result.note


def test_no_deficit_is_award_eligible_without_note(unit):
    result = eligibility.check(unit=unit, track=_track(2030), head_has_full_responsibility=True)
    assert result.award_eligible
    assert result.note == ""


def test_every_failed_rule_is_given_at_once():
    unit = factories.UnitFactory(has_operational_plan=False, staff_count=3)
    result = eligibility.check(unit=unit, track=_track(2030), head_has_full_responsibility=False)
    assert len(result.refusals) == 3


# --- the rules applied by registration -------------------------------------------------------


def test_registration_refused_with_every_reason(cycle, unit_contact, unit):
    unit.has_operational_plan = False
    unit.staff_count = 4
    unit.save()
    with pytest.raises(ValidationError) as refused:
        register(cycle, unit, unit_contact, head_has_full_responsibility=False)
    assert refused.value.messages == [
        "Enhetens chef måste ha verksamhets-, budget- och personalansvar för att enheten ska få delta.",
        "Enheten saknar verksamhetsplan med mål, vilket krävs för att delta.",
        "Enheten har 4 medarbetare inklusive chefen; minst 5 krävs.",
    ]
    assert not Application.objects.exists()


def test_registration_refused_for_last_years_winner(cycle, unit_contact, unit):
    factories.PastResultFactory(unit=unit, year=cycle.year - 2, track_kind=Track.Kind.QUALITY_AWARD)
    with pytest.raises(ValidationError) as refused:
        register(cycle, unit, unit_contact)
    assert refused.value.messages == [
        f"Enheten vann Kvalitetsutmärkelsen {cycle.year - 2} och får tävla igen tidigast {cycle.year + 1}."
    ]
    # The other track is still open to the unit.
    assert register(cycle, unit, unit_contact, kind=Track.Kind.RENEWAL_PRIZE).pk


def test_registration_with_deficit_is_marked_not_award_eligible(cycle, unit_contact, unit):
    application = register(cycle, unit, unit_contact, deficit_forecast=True)
    application.refresh_from_db()
    assert application.award_eligible is False
    assert "Enheten redovisar underskott (årets prognos)" in application.eligibility_note


def test_registration_without_deficit_is_award_eligible(cycle, unit_contact, unit):
    application = register(cycle, unit, unit_contact)
    application.refresh_from_db()
    assert application.award_eligible is True
    assert application.eligibility_note == ""


def test_deficit_mark_shows_on_slk_overview_and_detail(client, cycle, unit_contact, unit, slk):
    marked = register(cycle, unit, unit_contact, deficit_last_year=True)
    clean = register(cycle, factories.UnitFactory(name="Utan underskott"), slk)
    client.force_login(slk)

    overview = client.get(reverse("submissions:overview")).content.decode()
    row_of = {
        code: overview[overview.index(code) : overview.index("</tr>", overview.index(code))]
        for code in (marked.code, clean.code)
    }
    assert "ej behörig till utmärkelsen" in row_of[marked.code]
    assert "ej behörig till utmärkelsen" not in row_of[clean.code]

    detail = client.get(reverse("submissions:application_detail", args=[marked.pk])).content.decode()
    assert "Behörighet" in detail
    assert "Enheten redovisar underskott (förra årets resultat)" in detail
    detail = client.get(reverse("submissions:application_detail", args=[clean.pk])).content.decode()
    assert "Behörighet" not in detail


def test_one_registration_per_unit_and_track_in_a_cycle(cycle, unit_contact, unit):
    register(cycle, unit, unit_contact)
    with pytest.raises(ValidationError) as refused:
        register(cycle, unit, unit_contact)
    assert refused.value.messages == [f"{unit.name} är redan anmäld till Kvalitetsutmärkelsen {cycle.year}."]
    assert Application.objects.filter(unit=unit).count() == 1


def test_same_unit_may_enter_both_tracks(cycle, unit_contact, unit):
    register(cycle, unit, unit_contact)
    register(cycle, unit, unit_contact, kind=Track.Kind.RENEWAL_PRIZE)
    assert Application.objects.filter(unit=unit).count() == 2


def test_renewal_entry_that_competed_last_year_without_winning_may_enter_again(cycle, unit_contact, unit):
    last_year = factories.complete_cycle(year=cycle.year - 1)
    previous = Application.objects.create(
        track=last_year.tracks.get(kind=Track.Kind.RENEWAL_PRIZE),
        unit=unit,
        code="F-previous",
        head_has_full_responsibility=True,
        nominee_kind=Application.NomineeKind.TEAM,
        nominee_name="Arbetslag Blå",
        registered_by=unit_contact,
        status=Application.Status.SUBMITTED,
    )
    factories.PastResultFactory(
        unit=unit,
        year=last_year.year,
        track_kind=Track.Kind.RENEWAL_PRIZE,
        outcome=PastResult.Outcome.HONOURABLE_MENTION,
    )
    application = register(cycle, unit, unit_contact, kind=Track.Kind.RENEWAL_PRIZE)
    assert application.pk != previous.pk
    assert application.track.cycle == cycle


@pytest.mark.parametrize(
    ("kind", "name"),
    [("", "Arbetslag Blå"), (Application.NomineeKind.TEAM, ""), (Application.NomineeKind.TEAM, "   ")],
)
def test_renewal_entry_needs_nominee_kind_and_name(cycle, unit_contact, unit, kind, name):
    with pytest.raises(ValidationError) as refused:
        register(
            cycle, unit, unit_contact, kind=Track.Kind.RENEWAL_PRIZE, nominee_kind=kind, nominee_name=name
        )
    assert refused.value.messages == [
        "Ange vem som nomineras till Förnyelsepriset: en medarbetare, en chef eller ett arbetslag."
    ]
    assert not Application.objects.exists()


def test_renewal_entry_keeps_its_nominee(cycle, unit_contact, unit):
    application = register(
        cycle,
        unit,
        unit_contact,
        kind=Track.Kind.RENEWAL_PRIZE,
        nominee_kind=Application.NomineeKind.MANAGER,
        nominee_name="  Eva Chef ",
    )
    application.refresh_from_db()
    assert application.nominee_kind == Application.NomineeKind.MANAGER
    assert application.nominee_name == "Eva Chef"
    assert application.code.startswith(f"F{cycle.year % 100:02d}-")
