"""Teams and assessments: a confirmed team whose members have opened their applications,
and helpers to fill and submit assessments, to finalise a consensus and to set its scores."""

from django.core.files.uploadedfile import SimpleUploadedFile

from award.models import Track
from examiners import services as examiner_services
from scoring import figures, services
from scoring.models import ConsensusItem, FeedbackReport
from submissions import services as submission_services
from submissions.models import Application
from tests.support import factories
from tests.support.applications import answer_all, pdf_bytes, register


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


def team_world(cycle, track, slk) -> dict:
    """Two confirmed teams of four, each with one submitted application opened by every
    member (the `team_world` fixture)."""
    team, members, (application,) = confirmed_team(cycle, track, slk)
    other_team, other_members, (elsewhere,) = confirmed_team(cycle, track, slk, name="Lag B")
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


def scored(cycle, track, slk) -> dict:
    """Three applications in one class, scored by a harsh team (A: 2 apps) and a lenient one
    (B), each consensus finalised (the `scored` fixture of tests/judging)."""
    team_a, members_a, (a1, a2) = confirmed_team(cycle, track, slk, name="Lag A", applications=2)
    team_b, members_b, (b1,) = confirmed_team(cycle, track, slk, name="Lag B")
    finalise(a1, members_a, [40, 40, 50, 50], 45)
    finalise(a2, members_a, [60, 60, 70, 70], 65)
    finalise(b1, members_b, [70, 80, 80, 90], 80)
    return {"a1": a1, "a2": a2, "b1": b1, "track": track}


def judged_track(cycle, track, slk) -> dict:
    """Two teams of four, two applications each, one of each finalised with different
    severities (the stored figures' tests)."""
    _team, members, apps = confirmed_team(cycle, track, slk, applications=2)
    _other, other_members, other_apps = confirmed_team(cycle, track, slk, name="Lag B", applications=2)
    finalise(apps[0], members, [40, 50, 60, 70], 60)
    finalise(other_apps[0], other_members, [70, 75, 80, 90], 80)
    return {"members": members, "apps": apps, "other_members": other_members, "other_apps": other_apps}


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
    figures.store_consensus_totals(consensus)  # as consensus_finalise stores them
    return application


def finalise(application, members, scores_by_member, consensus_score):
    """Every member submits `scores_by_member[i]` on all criteria; the leader agrees on
    `consensus_score` everywhere (with a note, for flagged spreads)."""
    for member, score in zip(members, scores_by_member, strict=True):
        user = member.profile.user
        services.assessment_submit(assessment=fill(application, user, score), by=user)
    leader = members[0].profile.user
    consensus = services.consensus_start(application=application, by=leader)
    for item in consensus.items.all():
        services.consensus_item_save(
            item=item,
            data=services.ItemData(consensus_score, ["Styrka"], ["Område"]),
            discussion_note="Diskuterat",
            base_version=item.version,
            by=leader,
        )
    return services.consensus_finalise(consensus=consensus, by=leader)


def report_drafted(world, score=50):
    """Every member of `world`'s team (tests/conftest.py team_world) submits, the leader
    agrees `score` on every criterion and finalises, which drafts the feedback report;
    returns the report."""
    submit_all(world)
    leader = world["leader"]
    consensus = services.consensus_start(application=world["application"], by=leader)
    for item in consensus.items.all():
        services.consensus_item_save(
            item=item,
            data=services.ItemData(score, ["Tydlig styrning"], ["Följ upp resultaten"]),
            discussion_note="",
            base_version=item.version,
            by=leader,
        )
    services.consensus_finalise(consensus=consensus, by=leader)
    return FeedbackReport.objects.get(application=world["application"])


def set_consensus_scores(application, scores, visit_scores=None):
    """Rewrite the application's (finalised) consensus scores per criterion, straight in the
    database; `visit_scores` maps a criterion's index to its score after the site visit."""
    items = list(
        ConsensusItem.objects.filter(consensus__application=application).order_by("criterion__number")
    )
    for i, (item, score) in enumerate(zip(items, scores, strict=True)):
        item.score = score
        item.visit_score = (visit_scores or {}).get(i)
    ConsensusItem.objects.bulk_update(items, ["score", "visit_score"])
    if items:
        figures.store_consensus_totals(items[0].consensus)  # as the services store them


def assessed_application(cycle, slk, unit, unit_contact):
    """A submitted application with an attachment, its confirmed team with object
    permissions, and every member's submitted scores."""
    application = register(cycle, unit, unit_contact)
    submission_services.registration_decide(application=application, approve=True, reason="", by=slk)
    answer_all(application, unit_contact)
    attachment = submission_services.attachment_add(
        application=application,
        uploaded_file=SimpleUploadedFile("verksamhetsplan.pdf", pdf_bytes()),
        description="Verksamhetsplan",
        by=unit_contact,
    )
    Application.objects.filter(pk=application.pk).update(
        status=Application.Status.SUBMITTED, submitted_by=unit_contact
    )
    application.refresh_from_db()
    track = cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    team = examiner_services.team_create(cycle=cycle, track=track, name="Lag A", by=slk)
    members = [factories.pool_member(cycle, led=i == 0) for i in range(3)]
    for i, member in enumerate(members):
        examiner_services.team_member_add(team=team, member=member, leader=i == 0, by=slk)
    examiner_services.team_assign(team=team, application=application, by=slk)
    examiner_services.team_confirm(team=team, by=slk)
    for i, member in enumerate(members):
        user = member.profile.user
        examiner_services.application_open(member=member, application=application, by=user)
        assessment = services.assessment_for(application=application, by=user)
        for item in assessment.items.all():
            services.assessment_item_save(
                item=item,
                data=services.ItemData(
                    score=40 + 10 * i, strengths=[f"Styrka {i}"], improvements=["Förbättra"], notes="Egen"
                ),
                base_version=item.version,
                by=user,
            )
        services.assessment_submit(assessment=assessment, by=user)
    return {"application": application, "attachment": attachment, "team": team, "members": members}
