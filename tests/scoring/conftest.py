"""A confirmed team of four (leader first) with one submitted application each has opened,
another team's application, and helpers to fill and submit assessments."""

import pytest

from award.models import Track
from examiners import services as examiner_services
from scoring import services
from tests import factories


@pytest.fixture
def quality(cycle):
    return cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)


def confirmed_team(cycle, track, slk, *, name="Lag A", size=4, applications=1):
    team = examiner_services.team_create(cycle=cycle, track=track, name=name, by=slk)
    members = [factories.pool_member(cycle, led=i == 0) for i in range(size)]
    for i, member in enumerate(members):
        examiner_services.team_member_add(team=team, member=member, leader=i == 0, by=slk)
    apps = [factories.submitted_application(track) for _ in range(applications)]
    for application in apps:
        examiner_services.team_assign(team=team, application=application, by=slk)
    examiner_services.team_confirm(team=team, by=slk)
    for member in members:
        for application in apps:
            examiner_services.application_open(member=member, application=application, by=member.profile.user)
    return team, members, apps


@pytest.fixture
def team_world(cycle, quality, slk):
    team, members, (application,) = confirmed_team(cycle, quality, slk)
    other_team, other_members, (elsewhere,) = confirmed_team(cycle, quality, slk, name="Lag B")
    return {
        "cycle": cycle,
        "team": team,
        "members": members,
        "leader": members[0].profile.user,
        "examiner": members[1].profile.user,
        "application": application,
        "other_team": other_team,
        "other_examiner": other_members[1].profile.user,
        "elsewhere": elsewhere,
    }


def fill(application, user, scores, *, strengths=("En styrka",), improvements=("Ett förbättringsområde",)):
    """Fill every criterion of the user's assessment; `scores` is one score for all or a list."""
    assessment = services.assessment_for(application=application, by=user)
    items = list(assessment.items.select_related("criterion").order_by("criterion__number"))
    if isinstance(scores, int):
        scores = [scores] * len(items)
    for item, score in zip(items, scores, strict=True):
        services.assessment_item_save(
            item=item,
            data=services.ItemData(score=score, strengths=list(strengths), improvements=list(improvements)),
            base_version=item.version,
            by=user,
        )
    return assessment


def submit_all(world, scores=50):
    """Every member of the team fills and submits; returns the assessments."""
    done = []
    for i, member in enumerate(world["members"]):
        user = member.profile.user
        value = scores[i] if isinstance(scores, list) else scores
        assessment = fill(world["application"], user, value)
        done.append(services.assessment_submit(assessment=assessment, by=user))
    return done


def judged(application, score=50):
    """A finalised consensus for the application, written straight to the database: for
    tests of the committee's decisions, which may only name what was judged (R15) and do
    not care how the team got there."""
    from django.utils import timezone

    from examiners.models import Team
    from scoring.models import Consensus, ConsensusItem

    track = application.track
    team = Team.objects.create(cycle=track.cycle, track=track, name=f"Lag för {application.code}")
    consensus = Consensus.objects.create(
        application=application,
        team=team,
        started_by=factories.UserFactory(),
        status=Consensus.Status.FINAL,
        finalised_at=timezone.now(),
    )
    ConsensusItem.objects.bulk_create(
        ConsensusItem(consensus=consensus, criterion=c, score=score, strengths=["Styrka"])
        for c in track.criteria.all()
    )
    return application
