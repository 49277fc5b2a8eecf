import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError
from django.db.models import Sum

from award import queries
from award.models import (
    AuditEntry,
    AwardCycle,
    CommitteeMembership,
    CompetitionClass,
    Criterion,
    Organisation,
    PastResult,
    Phase,
    ScaleBand,
    ScoringScale,
    Track,
    Unit,
    today,
)
from award.roles import Role, has_role
from submissions.eligibility import MIN_STAFF, MIN_STOCKHOLMERS_SHARE
from tests.support.demo import model_counts, seed_demo, seed_demo_again

pytestmark = pytest.mark.django_db

User = get_user_model()

SEEDED_MODELS = [
    Organisation,
    Unit,
    User,
    AwardCycle,
    Track,
    CompetitionClass,
    Criterion,
    ScoringScale,
    ScaleBand,
    CommitteeMembership,
    PastResult,
    AuditEntry,
]


def counts() -> dict[str, int]:
    return model_counts(SEEDED_MODELS)


class TestSeededDemo:
    """Facts about one seeded database, shared by the tests of this class."""

    def test_seed_demo_builds_a_city_of_administrations_and_units(self, seeded):
        kinds = set(Organisation.objects.values_list("kind", flat=True))
        assert kinds == {Organisation.Kind.DISTRICT, Organisation.Kind.SPECIALIST}
        assert 12 <= Organisation.objects.count() <= 16
        assert 70 <= Unit.objects.count() <= 90
        for unit in Unit.objects.all():
            unit.full_clean()

    def test_seed_demo_units_give_the_eligibility_rules_something_to_show(self, seeded):
        assert Unit.objects.filter(staff_count__lt=MIN_STAFF).exists()
        assert Unit.objects.filter(has_operational_plan=False).exists()
        private = Unit.objects.filter(is_private_provider=True)
        assert private.filter(stockholmers_share__gte=MIN_STOCKHOLMERS_SHARE).exists()
        assert private.filter(stockholmers_share__lt=MIN_STOCKHOLMERS_SHARE).exists()
        year = today().year
        winners = PastResult.objects.filter(outcome=PastResult.Outcome.WINNER)
        assert winners.filter(year=year - 1).exists()
        assert winners.filter(year=year - 2).exists()
        assert winners.filter(year__lte=year - 3).exists()
        assert PastResult.objects.filter(outcome=PastResult.Outcome.HONOURABLE_MENTION).exists()
        assert set(PastResult.objects.values_list("track_kind", flat=True)) == set(Track.Kind.values)

    def test_seed_demo_current_cycle_is_open_in_individual_assessment(self, seeded):
        cycle = AwardCycle.objects.get(year=today().year)
        assert cycle.status == AwardCycle.Status.OPEN
        assert cycle.phase == Phase.ASSESSMENT
        assert AwardCycle.objects.current() == cycle
        cycle.full_clean()
        quality = cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
        assert quality.name == "Kvalitetsutmärkelsen"
        assert list(quality.classes.values_list("name", flat=True)) == [
            "Förskola",
            "Skola",
            "Äldreomsorg",
            "Socialtjänst samt stöd och service till personer med funktionsnedsättning",
            "Andra verksamheter",
        ]
        renewal = cycle.tracks.get(kind=Track.Kind.RENEWAL_PRIZE)
        assert renewal.name == "Förnyelsepriset"
        assert not renewal.classes.exists()

    def test_seed_demo_last_years_cycle_is_open_history(self, seeded):
        cycle = AwardCycle.objects.get(year=today().year - 1)
        assert cycle.status == AwardCycle.Status.OPEN
        assert cycle.phase == Phase.FEEDBACK
        cycle.full_clean()

    def test_seed_demo_every_track_weighs_1000_and_every_scale_covers_both_kinds(self, seeded):
        sums = Track.objects.annotate(total=Sum("criteria__weight")).values_list("total", flat=True)
        assert list(sums) == [1000] * 4
        for cycle in AwardCycle.objects.all():
            assert queries.cycle_opening_errors(cycle) == []
            assert cycle.scale.step == ScoringScale.Step.FIVE
            assert set(cycle.scale.bands.values_list("kind", flat=True)) == set(Criterion.Kind.values)
        for criterion in Criterion.objects.all():
            assert criterion.applicant_guidance and criterion.examiner_guidance

    def test_seed_demo_slk_logs_in_with_demo_password_as_staff_but_not_superuser(self, seeded, client):
        assert client.login(username="slk", password="demo")
        slk = User.objects.get(username="slk")
        assert has_role(slk, Role.SLK)
        assert slk.is_staff
        assert not slk.is_superuser
        assert not User.objects.filter(is_superuser=True).exists()

    def test_seed_demo_gives_every_account_its_role(self, seeded):
        assert (
            User.objects.filter(username__startswith="examinator", groups__name="Examinatorer").count() == 30
        )
        for cycle in AwardCycle.objects.all():
            committee = cycle.committee.order_by("user__username")
            assert [(m.user.username, m.is_chair) for m in committee] == [
                ("domare1", True),
                ("domare2", False),
                ("domare3", False),
            ]
            assert all(has_role(m.user, Role.COMMITTEE) for m in committee)
        for unit in Unit.objects.prefetch_related("contacts"):
            (contact,) = unit.contacts.all()
            assert contact.username.startswith("enhet")
            assert has_role(contact, Role.UNIT_CONTACT)
            assert contact.get_full_name() == unit.head_name

    def test_seed_demo_names_contacts_and_seats_the_committee_through_the_services(self, seeded):
        slk = User.objects.get(username="slk")
        contacts_set = AuditEntry.objects.filter(action="unit.contacts_set")
        assert contacts_set.count() == Unit.objects.count()
        assert set(contacts_set.values_list("actor", flat=True)) == {slk.pk}
        seated = AuditEntry.objects.filter(action="committee.member_add")
        assert seated.count() == 3 * AwardCycle.objects.count()
        for cycle in AwardCycle.objects.all():
            opened = AuditEntry.objects.get(action="cycle.open", object_id=str(cycle.pk))
            assert opened.actor == slk
            assert opened.at.date() < cycle.registration_opens

    def test_seed_demo_summary_names_the_accounts_and_the_password(self, seeded):
        last_contact = f"enhet{Unit.objects.count():02d}"
        expected = ["slk", "domare1", "ordförande", "examinator01", "examinator30", "enhet01", last_contact]
        for text in [*expected, '"demo"']:
            assert text in seeded


def test_seed_demo_refuses_without_debug_and_creates_nothing(settings):
    settings.DEBUG = False
    before = counts()
    with pytest.raises(CommandError, match="DEBUG är avstängt"):
        seed_demo()
    assert counts() == before
    assert not Organisation.objects.exists()
    assert not User.objects.exists()


def test_seed_demo_twice_keeps_every_count_and_writes_nothing(seeded):
    first = counts()
    _output, writes = seed_demo_again()
    assert counts() == first
    assert writes == []
