"""Every URL of the project against every role.

The routes come from the URL configuration (tests/support/urlwalk.py), so a view added without a
declaration in tests/access/declarations.py fails `test_every_route_is_declared`. Each
route is then opened by every role, addressing the objects of one world by id; a role
that gets through (200, or a redirect anywhere but the login page) without being
declared fails the walk."""

from urllib.parse import urlsplit

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from django.urls import get_resolver, resolve, reverse

from award.models import TIMELINE_FIELDS, AwardCycle, CommitteeMembership, Track, today
from award.roles import Role
from evaluation import services as evaluation_services
from evaluation.models import Questionnaire
from examiners.models import Enrolment
from judging import services as judging_services
from judging.models import DecisionOutcome, Meeting
from scoring import services
from scoring.models import ConsensusItem
from submissions import services as submission_services
from submissions.models import Answer, Attachment
from tests.access.declarations import ANONYMOUS, GET, POST, ROLES, ROUTES, Route
from tests.support import demo, factories
from tests.support.teams import confirmed_team, finalise
from tests.support.urlwalk import _walk

EXCLUDED_PREFIXES = ("admin/",)


def project_routes() -> dict[str, tuple[str, object]]:
    """url name -> (route, pattern) for every pattern outside admin/."""
    found = {}
    for name, route, entry in _walk(get_resolver().url_patterns):
        if route.startswith(EXCLUDED_PREFIXES) or route.startswith("^"):
            continue
        assert name, f"The URL {route!r} has no name, so it cannot be declared."
        found[name] = (route, entry)
    return found


def _release_today(cycle):
    """Move the whole timeline so the feedback reports were released today."""
    cycle.refresh_from_db()
    delta = today() - cycle.feedback_release
    AwardCycle.objects.filter(pk=cycle.pk).update(**{n: getattr(cycle, n) + delta for n in TIMELINE_FIELDS})
    cycle.refresh_from_db()


def build_world(media_root) -> dict:
    """One cycle with everything a URL can point at; returns the users by role and the
    objects by the names declarations.KWARGS uses."""
    slk = factories.user_with_role(Role.SLK, username="slk-admin", is_staff=True)
    cycle = factories.complete_cycle(open=True)
    quality = cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)

    # Two confirmed teams of four; each member has opened their team's application.
    team, members, (application,) = confirmed_team(cycle, quality, slk, name="Lag A")
    other_team, other_members, (elsewhere,) = confirmed_team(cycle, quality, slk, name="Lag B")

    # The units' contacts, each with access to their own unit's application.
    unit_contact = factories.user_with_role(Role.UNIT_CONTACT, username="enhetens-kontakt")
    application.unit.contacts.add(unit_contact)
    submission_services.grant_unit_access(application)
    other_unit_contact = factories.user_with_role(Role.UNIT_CONTACT, username="annan-enhet")
    elsewhere.unit.contacts.add(other_unit_contact)
    submission_services.grant_unit_access(elsewhere)

    for app in (application, elsewhere):
        Answer.objects.bulk_create(
            Answer(
                application=app, criterion=criterion, text="Så här arbetar vi.", updated_by=app.registered_by
            )
            for criterion in quality.criteria.all()
        )

    attachment = Attachment(
        application=application,
        original_name="plan.pdf",
        kind=Attachment.Kind.PDF,
        size=9,
        uploaded_by=unit_contact,
    )
    attachment.file.save("plan.pdf", ContentFile(b"%PDF-1.4\n"), save=False)
    attachment.save()

    # The committee of the cycle: a chair, a member and a member with a conflict on the unit.
    chair, member, conflicted = (
        factories.user_with_role(Role.COMMITTEE, username=name) for name in ("ordforande", "ledamot", "javig")
    )
    for user in (chair, member, conflicted):
        CommitteeMembership.objects.create(cycle=cycle, user=user, is_chair=user == chair)
    judging_services.committee_conflict_declare(
        cycle=cycle, member=conflicted, target=application.unit, reason="Min bror arbetar där", by=slk
    )

    # Every member assesses, the leader finalises the consensus (which drafts the report).
    finalise(application, members, [40, 50, 50, 60], 50)
    finalise(elsewhere, other_members, [60, 60, 70, 70], 65)
    leader = members[0].profile.user

    # Site visits: shortlisting meeting, the visit chosen and recorded.
    committee = [chair, member, conflicted]
    shortlisting = judging_services.meeting_record(
        cycle=cycle,
        kind=Meeting.Kind.SHORTLISTING,
        date=cycle.first_committee_meeting,
        present=committee,
        by=slk,
    )
    visit = judging_services.site_visit_select(application=application, by=slk)
    services.site_visit_save(
        visit=visit,
        data=services.VisitData(
            cycle.site_visits_start, "Lag A", visit.questions, "Som beskrivet", done=True
        ),
        base_version=visit.version,
        by=leader,
    )

    # The final meeting and a signed decision: the application wins its class.
    final = judging_services.meeting_record(
        cycle=cycle, kind=Meeting.Kind.FINAL, date=cycle.final_committee_meeting, present=committee, by=slk
    )
    decision = judging_services.decision_save(
        meeting=final,
        track=quality,
        competition_class=application.competition_class,
        no_award=False,
        rationale="Bäst i klassen",
        outcomes=[
            judging_services.OutcomeData(application=application, outcome="winner", citation="Föredömligt")
        ],
        by=chair,
    )
    judging_services.decision_sign(decision=decision, by=chair)
    outcome = DecisionOutcome.objects.get(decision=decision, application=application)

    # The feedback report, approved and released.
    report = application.feedback_report
    services.report_save(
        report=report, summary="Ett genomarbetat bidrag.", items=[], base_version=report.version, by=leader
    )
    report.refresh_from_db()
    services.report_approve(report=report, by=slk)
    _release_today(cycle)

    # A new examiner in the pool with a basic training session, a day and an enrolment.
    trainee = factories.pool_member(cycle, experienced=False)
    enrolment = Enrolment.objects.get(member=trainee)
    session = enrolment.session
    day = session.days.get()

    questionnaire = evaluation_services.questionnaire_send(
        cycle=cycle, audience=Questionnaire.Audience.APPLICANTS, by=slk, notify=False
    )

    examiner = members[1].profile.user
    users = {
        "anonymous": None,
        "unit_contact": unit_contact,
        "other_unit_contact": other_unit_contact,
        "examiner": examiner,
        "other_examiner": other_members[1].profile.user,
        "leader": leader,
        "committee": member,
        "committee_conflicted": conflicted,
        "slk": slk,
    }
    objects = {
        "year": cycle.year,
        "track": quality.pk,
        "application": application.pk,
        "criterion": quality.criteria.order_by("number").first().pk,
        "attachment": attachment.pk,
        "pool_member": members[1].pk,
        "team": team.pk,
        "team_member": members[1].pk,
        "session": session.pk,
        "day": day.pk,
        "enrolment": enrolment.pk,
        "consensus_item": ConsensusItem.objects.filter(consensus__application=application)
        .order_by("pk")
        .first()
        .pk,
        "shortlisting_meeting": shortlisting.pk,
        "final_meeting": final.pk,
        "decision": decision.pk,
        "outcome": outcome.pk,
        "questionnaire": questionnaire.pk,
        "chart": "totals",
        "person": unit_contact.pk,
    }
    return {"users": users, "objects": objects, "cycle": cycle}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """One world for the module, rolled back after its last test; each test's own
    transaction nests inside it."""
    media_root = tmp_path_factory.mktemp("uploads")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media_root, PASSWORD_HASHERS=demo.FAST_HASHERS),
        transaction.atomic(),
    ):
        yield build_world(media_root)
        transaction.set_rollback(True)


#: Routes whose (empty) POST by an allowed role still ends in a server error, with why.
#: The walk checks their access all the same; the crash itself fails strictly: once it is
#: fixed, the entry must go.
KNOWN_CRASHES: dict[str, str] = {}

LOGIN_PATH = reverse("login")
ROUTE_TABLE = project_routes()


def _request(client, user, route: Route, url: str):
    """The response to one request, with whatever it changed rolled back."""
    client.raise_request_exception = False
    client.logout()
    if user is not None:
        client.force_login(user)
    with transaction.atomic():
        response = client.get(url) if route.method == GET else client.post(url, {})
        transaction.set_rollback(True)
    return response


def _outcome(response) -> str:
    """ "access", "refused" or "login"; anything else is a failure of its own."""
    status = response.status_code
    if 200 <= status < 300:
        return "access"
    if status in (301, 302, 303, 307, 308):
        return "login" if urlsplit(response["Location"]).path == LOGIN_PATH else "access"
    if status in (403, 404, 405):
        return "refused"
    return f"unexpected status {status}"


def test_every_route_is_declared():
    """A new view needs a declaration; a declaration of a route that is gone is stale."""
    missing = sorted(set(ROUTE_TABLE) - set(ROUTES))
    stale = sorted(set(ROUTES) - set(ROUTE_TABLE))
    assert not missing, f"Routes without a declaration in tests/access/declarations.py: {missing}"
    assert not stale, f"Declarations of routes that do not exist: {stale}"


@pytest.mark.parametrize("name", sorted(ROUTE_TABLE))
def test_route_kwargs_are_declared(name):
    route = ROUTES.get(name)
    if route is None:
        pytest.fail(f"{name} has no declaration in tests/access/declarations.py")
    _path, entry = ROUTE_TABLE[name]
    assert set(route.kwargs) == set(entry.pattern.converters), (
        f"{name}: declare an object for each path keyword {sorted(entry.pattern.converters)}"
    )
    assert route.method in (GET, POST) and route.allowed <= set(ROLES)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(ROUTE_TABLE))
def test_walk(name, world, client):
    """Every role opens the route: none gets through unless declared, and on a page (GET)
    every declared role gets through."""
    route = ROUTES.get(name)
    if route is None:
        pytest.fail(f"{name} has no declaration in tests/access/declarations.py")
    kwargs = {key: world["objects"][obj] for key, obj in route.kwargs.items()}
    url = reverse(name, kwargs=kwargs) + (f"?{route.query}" if route.query else "")
    assert resolve(urlsplit(url).path).view_name == name
    wrong, crashes = [], []
    for role in ROLES:
        response = _request(client, world["users"][role], route, url)
        outcome = _outcome(response)
        where = f" → {response['Location']}" if response.status_code in (301, 302, 303) else ""
        if response.status_code >= 500:
            crashes.append(f"{role}: {response.status_code}")
        elif outcome.startswith("unexpected"):
            wrong.append(f"{role}: {outcome}{where}")
        elif role not in route.allowed and outcome == "access":
            wrong.append(f"{role}: got through ({response.status_code}{where}) but is not declared")
        elif role in route.allowed and route.method == GET and outcome != "access":
            wrong.append(f"{role}: declared but refused ({response.status_code}{where})")
        elif role == ANONYMOUS and role not in route.allowed and outcome != "login":
            wrong.append(f"anonymous: not sent to the login page ({response.status_code})")
    assert not wrong, f"{route.method} {url} ({name}):\n" + "\n".join(wrong)
    # Access is as declared; a server error is a bug of its own, known ones listed below.
    if name in KNOWN_CRASHES:
        assert crashes, f"{name} no longer crashes: remove it from KNOWN_CRASHES"
        pytest.xfail(KNOWN_CRASHES[name])
    assert not crashes, f"{route.method} {url} ({name}) crashed:\n" + "\n".join(crashes)
