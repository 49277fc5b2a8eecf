import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from award.models import TIMELINE_FIELDS, AwardCycle, Phase, Unit
from tests.support import factories

pytestmark = pytest.mark.django_db


def test_timeline_in_order_is_valid():
    cycle = factories.AwardCycleFactory.build(year=2040, **factories.timeline())
    cycle.full_clean()


def test_timeline_out_of_order_names_both_dates():
    dates = factories.timeline()
    dates["consensus_deadline"] = dates["assessment_deadline"] - dt.timedelta(days=1)
    cycle = AwardCycle(year=2040, **dates)
    with pytest.raises(ValidationError) as error:
        cycle.full_clean()
    message = " ".join(error.value.message_dict["consensus_deadline"])
    assert "sista dag för konsensus" in message
    assert "sista dag för individuell bedömning" in message


def test_year_is_unique():
    factories.AwardCycleFactory(year=2041)
    with pytest.raises(IntegrityError):
        AwardCycle.objects.create(year=2041, **factories.timeline())


@pytest.mark.parametrize(
    ("offset_days", "phase"),
    [
        (-1, Phase.PREPARATION),
        (0, Phase.REGISTRATION),
        (30, Phase.REGISTRATION),
        (31, Phase.APPLICATION),
        (60, Phase.APPLICATION),
        (61, Phase.ASSESSMENT),
        (91, Phase.SHORTLISTING),
        (110, Phase.SITE_VISITS),
        (120, Phase.FINAL_DECISION),
        (126, Phase.AWARDED),
        (134, Phase.AWARDED),
        (135, Phase.FEEDBACK),
    ],
)
def test_phase_follows_the_timeline(offset_days, phase):
    start = dt.date(2040, 3, 1)
    cycle = AwardCycle(year=2040, **factories.timeline(start + dt.timedelta(days=10)))
    assert cycle.registration_opens == start
    assert cycle.phase_on(start + dt.timedelta(days=offset_days)) == phase


@pytest.mark.parametrize("offset_days", [-1, 0, 1])
def test_feedback_released_from_the_release_day_in_the_method_and_the_queryset(offset_days):
    cycle = factories.AwardCycleFactory(year=2040, **factories.timeline(dt.date(2040, 1, 1)))
    on = cycle.feedback_release + dt.timedelta(days=offset_days)
    assert cycle.feedback_released(on) == (offset_days >= 0)
    assert AwardCycle.objects.feedback_released(on).filter(pk=cycle.pk).exists() == (offset_days >= 0)


def test_application_deadline_is_the_end_of_the_day_in_stockholm():
    cycle = AwardCycle(year=2040, **factories.timeline(dt.date(2040, 1, 1)))
    deadline = cycle.application_deadline_at
    assert deadline.date() == cycle.application_deadline
    assert (deadline.hour, deadline.minute) == (23, 59)
    assert str(deadline.tzinfo) == "Europe/Stockholm"


def test_private_provider_must_state_share_of_stockholmers():
    unit = factories.UnitFactory.build(
        organisation=factories.OrganisationFactory(), is_private_provider=True, stockholmers_share=None
    )
    with pytest.raises(ValidationError) as error:
        unit.full_clean()
    assert "stockholmers_share" in error.value.message_dict


def test_share_of_stockholmers_cannot_exceed_100():
    unit = factories.UnitFactory.build(
        organisation=factories.OrganisationFactory(), is_private_provider=True, stockholmers_share=101
    )
    with pytest.raises(ValidationError):
        unit.full_clean()


def test_competition_classes_only_in_quality_award():
    renewal = factories.TrackFactory(kind="renewal_prize")
    klass = factories.CompetitionClassFactory.build(track=renewal, name="Skola")
    with pytest.raises(ValidationError):
        klass.full_clean()


def test_scale_accepts_only_its_steps():
    cycle = factories.complete_cycle()
    scale = cycle.scale
    assert scale.is_valid_score(35)
    assert not scale.is_valid_score(33)
    assert not scale.is_valid_score(105)
    assert scale.band_for("results", 35).low == 30


def test_the_descriptor_beside_a_score_is_its_bands():
    scale = factories.complete_cycle().scale
    for kind in ("approach", "results"):
        for value in scale.steps:
            assert scale.descriptor_for(kind, value) == scale.band_for(kind, value).descriptor
        assert scale.descriptor_for(kind, None) == ""


def test_scale_with_a_gap_reports_it():
    cycle = factories.complete_cycle()
    cycle.scale.bands.filter(kind="results", low=50).delete()
    errors = cycle.scale.coverage_errors()
    assert len(errors) == 1
    assert "50 %" in errors[0]


def test_timeline_fields_list_every_date_field():
    dates = {f.name for f in AwardCycle._meta.get_fields() if f.get_internal_type() == "DateField"}
    assert dates == set(TIMELINE_FIELDS)


def test_unit_name_is_unique_within_organisation():
    unit = factories.UnitFactory()
    with pytest.raises(IntegrityError):
        Unit.objects.create(
            code="X1",
            organisation=unit.organisation,
            name=unit.name,
            head_name="A",
            head_email="a@b.se",
            staff_count=5,
        )
