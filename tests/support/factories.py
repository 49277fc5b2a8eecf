"""Factories for the award's data. A complete, openable cycle comes from `open_cycle()`."""

import datetime as dt

import factory
from django.contrib.auth import get_user_model

from award.models import (
    AwardCycle,
    CompetitionClass,
    Criterion,
    Organisation,
    PastResult,
    ScaleBand,
    ScoringScale,
    Track,
    Unit,
    today,
)
from award.roles import Role, add_role

PASSWORD = "test-lösenord-123"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = "Test"
    last_name = factory.Sequence(lambda n: f"Person{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.se")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        self.save()
        for role in extracted or []:
            add_role(self, role)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"ORG{n:03d}")
    name = factory.Sequence(lambda n: f"Förvaltning {n}")
    kind = Organisation.Kind.DISTRICT


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"ENH{n:04d}")
    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Enhet {n}")
    head_name = "Anna Chef"
    head_email = factory.Sequence(lambda n: f"chef{n}@example.se")
    staff_count = 12
    has_operational_plan = True


def timeline(around: dt.date | None = None, *, phase_offset: int = 0) -> dict:
    """A timeline in order, in the registration phase on `around` (default today) shifted
    by phase_offset days: negative values move the whole timeline into the past."""
    start = (around or today()) - dt.timedelta(days=10) + dt.timedelta(days=phase_offset)
    days = [0, 30, 60, 75, 90, 100, 105, 115, 125, 130, 135]
    from award.models import TIMELINE_FIELDS

    return {name: start + dt.timedelta(days=d) for name, d in zip(TIMELINE_FIELDS, days, strict=True)}


class AwardCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AwardCycle
        django_get_or_create = ["year"]

    # Wraps so long runs stay inside the model's valid years (2000–2100).
    year = factory.Sequence(lambda n: 2030 + n % 60)

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        for name, value in timeline().items():
            kwargs.setdefault(name, value)
        return super()._create(model_class, *args, **kwargs)


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track

    cycle = factory.SubFactory(AwardCycleFactory)
    kind = Track.Kind.QUALITY_AWARD
    name = factory.LazyAttribute(lambda t: Track.Kind(t.kind).label)


class CompetitionClassFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CompetitionClass

    track = factory.SubFactory(TrackFactory)
    name = factory.Sequence(lambda n: f"Klass {n}")


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    track = factory.SubFactory(TrackFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Kriterium {n}")
    weight = 100
    max_length = 2000


class PastResultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PastResult

    unit = factory.SubFactory(UnitFactory)
    year = 2024
    track_kind = Track.Kind.QUALITY_AWARD
    outcome = PastResult.Outcome.WINNER


BANDS = [(0, 5), (10, 25), (30, 45), (50, 65), (70, 85), (90, 100)]


def add_scale(cycle, step=5):
    scale = ScoringScale.objects.create(cycle=cycle, step=step)
    ScaleBand.objects.bulk_create(
        ScaleBand(scale=scale, kind=kind, low=low, high=high, descriptor=f"{kind} {low}–{high}")
        for kind in Criterion.Kind.values
        for low, high in BANDS
    )
    return scale


def complete_cycle(year=None, *, open=False, criteria_per_track=(4, 5), **timeline_overrides):
    """A cycle with both tracks, classes, criteria weighing 1000 per track and a scale."""
    kwargs = {"year": year} if year else {}
    cycle = AwardCycleFactory(**kwargs, **timeline_overrides)
    quality = TrackFactory(cycle=cycle, kind=Track.Kind.QUALITY_AWARD)
    renewal = TrackFactory(cycle=cycle, kind=Track.Kind.RENEWAL_PRIZE)
    # In bulk (these models have no save() of their own and no signals): nearly every test
    # starts from this cycle, so its thirty single inserts were a second of every minute.
    CompetitionClass.objects.bulk_create(
        CompetitionClass(track=quality, name=name, order=i)
        for i, name in enumerate(["Förskola", "Skola", "Äldreomsorg"])
    )
    criteria = []
    for track, count in zip([quality, renewal], criteria_per_track, strict=True):
        weights = [1000 // count] * count
        weights[-1] += 1000 - sum(weights)
        criteria += [
            CriterionFactory.build(
                track=track,
                number=number,
                weight=weight,
                kind=Criterion.Kind.RESULTS if number == count else Criterion.Kind.APPROACH,
            )
            for number, weight in enumerate(weights, start=1)
        ]
    Criterion.objects.bulk_create(criteria)
    add_scale(cycle)
    if open:
        cycle.status = AwardCycle.Status.OPEN
        cycle.save(update_fields=["status"])
    return cycle


def user_with_role(role: Role, **kwargs):
    return UserFactory(roles=[role], **kwargs)


def slk_user():
    """The city office's administrator of the tests (the `slk` fixture)."""
    return user_with_role(Role.SLK, username="slk-admin", is_staff=True)


# --- Applications and examiners (used from the examiners app on) ----------------------


def submitted_application(track, unit=None, **kwargs):
    """A submitted application, created directly (the timeline need not allow it)."""
    from django.utils import timezone

    from submissions.models import Application

    unit = unit or UnitFactory()
    number = Application.objects.filter(track=track).count() + 1
    prefix = "K" if track.kind == Track.Kind.QUALITY_AWARD else "F"
    defaults = {
        "code": f"{prefix}{track.cycle.year % 100:02d}-{track.pk:03d}-{number:03d}",
        "registered_by": UserFactory(),
        "registration_status": Application.RegistrationStatus.APPROVED,
        "status": Application.Status.SUBMITTED,
        "submitted_at": timezone.now(),
        "competition_class": track.classes.first() if track.has_classes else None,
    }
    defaults.update(kwargs)
    return Application.objects.create(track=track, unit=unit, **defaults)


def pool_member(
    cycle, *, experienced=True, led=False, qualified=True, organisation=None, user=None, **kwargs
):
    """An accepted pool member with the manager's approval; `qualified` adds a finished
    basic training for a new examiner (experienced ones need nothing unless the cycle asks)."""
    from examiners.models import (
        Attendance,
        Enrolment,
        ExaminerProfile,
        PoolMember,
        TrainingDay,
        TrainingSession,
    )

    user = user or user_with_role(Role.EXAMINER)
    add_role(user, Role.EXAMINER)
    profile = ExaminerProfile.objects.create(
        user=user,
        organisation=organisation or OrganisationFactory(),
        years_served=[cycle.year - 2, cycle.year - 1] if experienced else [],
        years_led=[cycle.year - 1] if led else [],
        areas=["Förskola"],
    )
    defaults = {
        "status": PoolMember.Status.ACCEPTED,
        "manager_name": "Chef Chefsson",
        "manager_approved_on": cycle.registration_opens,
    }
    defaults.update(kwargs)
    member = PoolMember.objects.create(cycle=cycle, profile=profile, **defaults)
    if qualified and (not experienced or cycle.refresher_required):
        kind = TrainingSession.Kind.BASIC if not experienced else TrainingSession.Kind.REFRESHER
        session, _ = TrainingSession.objects.get_or_create(
            cycle=cycle,
            kind=kind,
            defaults={
                "title": f"{kind.label} {cycle.year}",
                "place": "Stadshuset",
                "capacity": 200,
                "trainer": "Utbildare",
            },
        )
        day, _ = TrainingDay.objects.get_or_create(session=session, date=cycle.registration_opens)
        enrolment = Enrolment.objects.create(session=session, member=member, status=Enrolment.Status.ENROLLED)
        Attendance.objects.create(enrolment=enrolment, day=day, present=True, marked_by=user)
    return member
