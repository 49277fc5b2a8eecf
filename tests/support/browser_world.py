"""A small open cycle with something on every role's main page, for the browser tests
(accessibility, page widths): a unit's draft application, a confirmed team with one
application in consensus and one being assessed, a finalised application from another
team for the committee's table, a committee with a chair, and SLK."""

from award.models import CommitteeMembership
from award.roles import Role
from examiners import services as examiner_services
from scoring import services as scoring_services
from submissions import services as submission_services
from tests.support import factories
from tests.support.teams import confirmed_team, finalise

#: The two screens every page is checked and photographed at: a phone, then a city laptop.
WIDTHS = [(390, 844), (1366, 768)]


def assess(application, user, score, *, submit):
    assessment = scoring_services.assessment_for(application=application, by=user)
    for item in assessment.items.order_by("criterion__number"):
        scoring_services.assessment_item_save(
            item=item,
            data=scoring_services.ItemData(score=score, strengths=["Tydliga mål"], improvements=["Följ upp"]),
            base_version=item.version,
            by=user,
        )
    if submit:
        scoring_services.assessment_submit(assessment=assessment, by=user)


def build(*, finalised: bool = False) -> dict:
    cycle = factories.complete_cycle(open=True)
    quality = cycle.tracks.get(kind="quality_award")
    slk = factories.user_with_role(Role.SLK, username="slk-a11y", is_staff=True)
    unit = factories.UnitFactory()
    contact = factories.user_with_role(Role.UNIT_CONTACT, username="enhet-a11y")
    unit.contacts.add(contact)
    draft = submission_services.application_register(
        data=submission_services.RegistrationData(
            unit=unit,
            track=quality,
            competition_class=quality.classes.first(),
            head_has_full_responsibility=True,
        ),
        by=contact,
    )
    judge = factories.user_with_role(Role.COMMITTEE, username="domare-a11y")
    CommitteeMembership.objects.create(cycle=cycle, user=judge, is_chair=True)

    members = [factories.pool_member(cycle, led=True), factories.pool_member(cycle)]
    leader, examiner = (m.profile.user for m in members)
    in_consensus = factories.submitted_application(quality)
    being_assessed = factories.submitted_application(quality)
    team = examiner_services.team_create(cycle=cycle, track=quality, name="Lag A", by=slk)
    for i, member in enumerate(members):
        examiner_services.team_member_add(team=team, member=member, leader=i == 0, by=slk)
    for application in (in_consensus, being_assessed):
        examiner_services.team_assign(team=team, application=application, by=slk)
    examiner_services.team_confirm(team=team, by=slk)
    for member in members:
        for application in (in_consensus, being_assessed):
            examiner_services.application_open(member=member, application=application, by=member.profile.user)
    assess(in_consensus, leader, 60, submit=True)
    assess(in_consensus, examiner, 70, submit=True)
    scoring_services.consensus_start(application=in_consensus, by=leader)
    world = {
        "cycle": cycle,
        "quality": quality,
        "slk": slk,
        "contact": contact,
        "draft": draft,
        "judge": judge,
        "leader": leader,
        "examiner": examiner,
        "in_consensus": in_consensus,
        "being_assessed": being_assessed,
    }
    if finalised:
        _team, team_members, (done,) = confirmed_team(cycle, quality, slk, name="Lag B", size=2)
        finalise(done, team_members, [60, 70], 65)
        world["finalised"] = done
    return world


def main_pages(world) -> list[tuple[str, object, list[str]]]:
    """(who, user or None, URLs): each role's main pages."""
    year, track = world["cycle"].year, world["quality"].pk
    draft = world["draft"]
    criterion = draft.answers.order_by("criterion__number").first().criterion_id
    return [
        ("anonym", None, ["/", "/logga-in/", "/tillganglighet/", "/hjalp/"]),
        (
            "enhet",
            world["contact"],
            ["/hem/", "/bidrag/", f"/bidrag/{draft.pk}/", f"/bidrag/{draft.pk}/kriterium/{criterion}/"],
        ),
        (
            "examinator",
            world["examiner"],
            ["/hem/", "/examinator/", f"/bedomning/bidrag/{world['being_assessed'].pk}/"],
        ),
        ("lagledare", world["leader"], [f"/bedomning/konsensus/{world['in_consensus'].pk}/"]),
        (
            "domare",
            world["judge"],
            [
                "/hem/",
                f"/bedomning/kommitten/{year}/",
                f"/bedomning/kommitten/{year}/spar/{track}/",
                f"/bedomning/kommitten/{year}/spar/{track}/?kriterier=1",
                f"/bedomning/kommitten/{year}/spar/{track}/?storlek=stor",
                f"/bedomning/beslut/{year}/",
                f"/bedomning/diagram/{year}/spar/{track}/",
            ],
        ),
        (
            "slk",
            world["slk"],
            [
                "/hem/",
                f"/omgang/{year}/",
                "/bidrag/oversikt/",
                f"/bidrag/oversikt/?year={year}&state=pending",
                f"/bedomning/lage/{year}/",
                f"/examinator/lag/{year}/",
                f"/examinator/pool/{year}/",
                f"/examinator/utbildning/{year}/",
            ],
        ),
    ]
