"""Every state-changing route, posted once the way production runs it.

pytest-django wraps each test in a transaction, so a service that has lost its
`transaction.atomic`, or a `select_for_update()` outside one, passes every other test and
crashes in production: PostgreSQL refuses a row lock in autocommit. Here nothing is
wrapped. One world is committed for the module (the walk's, tests/support/access.py, built
with the services), every request runs in autocommit as it does under gunicorn, and the
database is flushed afterwards, as Django's TransactionTestCase does.

Each route tests/access/declarations.py declares as writing is posted once, in the order
of WRITES, by a role allowed to, with the form its page sends, in a state where the use
case succeeds: the builder of each entry makes that state (mostly objects of its own, so
the entries hardly depend on each other) and says what must have changed. The answer
must be neither a server error nor a refusal, the service's audit action must be
recorded, and the row must have changed. A POST to any other route must answer 405 or
write nothing, so a page that starts taking a form cannot hide from WRITES.

SQLite has no row locks and Django leaves `select_for_update()` out of its SQL there, so
the module makes SQLite refuse it outside a transaction as PostgreSQL does: a missing
`atomic` fails here on both databases.
"""

import datetime as dt
import io
import itertools
import traceback
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
import time_machine
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import Group
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Max
from django.db.models.sql.compiler import SQLCompiler
from django.db.transaction import TransactionManagementError
from django.forms import BaseForm
from django.test import override_settings
from django.test.utils import CaptureQueriesContext, ContextList
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from openpyxl import Workbook

from accounts.models import Invitation, RoleRequest, ThrottleHit, VolunteerRequest, token_digest
from accounts.twofactor import new_totp_key
from award.models import (
    AuditEntry,
    AwardCycle,
    BackgroundJob,
    CommitteeMembership,
    Organisation,
    OutboxMessage,
    PastResult,
    Phase,
    Track,
    end_of_day,
    today,
)
from award.roles import Role
from evaluation.models import Questionnaire, QuestionnaireResponse
from examiners import services as examiner_services
from examiners.models import (
    ApplicationOpening,
    Assignment,
    Conflict,
    Enrolment,
    PoolMember,
    PracticeAssessment,
    PracticeAssessmentItem,
    PracticeCase,
    PracticeCaseItem,
    Team,
    TeamMember,
    TrainingDay,
    TrainingSession,
)
from judging import services as judging_services
from judging.models import CommitteeConflict, Decision, DecisionOutcome, Meeting
from scoring import rules, services
from scoring.models import (
    Assessment,
    AssessmentItem,
    Consensus,
    ConsensusItem,
    FeedbackItem,
    FeedbackReport,
    SiteVisit,
)
from submissions import services as submission_services
from submissions.models import Answer, Application, Attachment
from tests.access.declarations import (
    ANONYMOUS,
    COMMITTEE,
    EXAMINER,
    LEADER,
    OTHER_EXAMINER,
    OTHER_UNIT_CONTACT,
    ROLES,
    ROUTES,
    SLK,
    UNIT_CONTACT,
)
from tests.support import demo, factories
from tests.support.access import build_world
from tests.support.teams import fill

VIEW, ASSESS = "submissions.view_application", "submissions.assess_application"
PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"

#: How far an application has come, in order; `World.staged` takes it there with the services.
STAGES = ("assigned", "opened", "submitted", "consensus", "agreed", "final", "visit")

#: Days after registration opens on which each phase is under way, on factories.timeline()'s spacing.
PHASE_DAY = {
    Phase.PREPARATION: -5,
    Phase.REGISTRATION: 10,
    Phase.APPLICATION: 45,
    Phase.ASSESSMENT: 70,
    Phase.CONSENSUS: 80,
    Phase.SHORTLISTING: 95,
    Phase.SITE_VISITS: 110,
    Phase.FINAL_DECISION: 120,
    Phase.AWARDED: 130,
    Phase.FEEDBACK: 140,
}


# --- the world ---------------------------------------------------------------------------


class World:
    """The walk's world (its users by role and its objects by the names declarations use),
    committed, with helpers that add the fresh objects a POST needs."""

    def __init__(self, built: dict):
        self.users = dict(built["users"])
        self.objects = built["objects"]
        self.cycle_pk = built["cycle"].pk
        cycle = self.cycle
        self.slk = self.users[SLK]
        # The chair signs decisions; none of the walk's roles may (declared NOBODY).
        self.users["chair"] = CommitteeMembership.objects.get(cycle=cycle, is_chair=True).user
        self.quality = cycle.tracks.get(kind=Track.Kind.QUALITY_AWARD)
        self.renewal = cycle.tracks.get(kind=Track.Kind.RENEWAL_PRIZE)
        self._numbers = itertools.count(1)
        self._shared: dict[str, Application] = {}
        # The routes of the team's own pages need an application at each stage assessed by
        # the world's leader and examiner; SLK lets them be in several teams for that.
        self.pair = [
            PoolMember.objects.get(cycle=cycle, profile__user=self.users[r]) for r in (LEADER, EXAMINER)
        ]
        for member in self.pair:
            examiner_services.pool_member_settings(member=member, max_teams=5, by=self.slk)

    @property
    def cycle(self) -> AwardCycle:
        return AwardCycle.objects.get(pk=self.cycle_pk)

    def competition_class(self, name: str):
        return self.quality.classes.get(name=name)

    def name(self, prefix: str) -> str:
        return f"{prefix} {next(self._numbers)}"

    def unit(self, *, contact=None):
        unit = factories.UnitFactory()
        if contact is not None:
            unit.contacts.add(contact)
        return unit

    def application(self, *, track=None, status=Application.Status.SUBMITTED, answered=True, **kwargs):
        """An application of a fresh unit whose contact is the world's unit contact, with
        an answer to every criterion (empty unless `answered`)."""
        track = track or self.quality
        if status != Application.Status.SUBMITTED:
            kwargs.setdefault("submitted_at", None)
        unit = self.unit(contact=self.users[UNIT_CONTACT])
        application = factories.submitted_application(track, unit, status=status, **kwargs)
        Answer.objects.bulk_create(
            Answer(
                application=application,
                criterion=criterion,
                text="Så här arbetar vi." if answered else "",
                updated_by=application.registered_by,
            )
            for criterion in track.criteria.all()
        )
        submission_services.grant_unit_access(application)
        return application

    def team(self, *, members=None, applications=(), confirmed=True) -> Team:
        """A team of the quality award of fresh experienced examiners (the first leads), or of
        `members`, with `applications`."""
        cycle = self.cycle
        members = members or [factories.pool_member(cycle, led=True), factories.pool_member(cycle)]
        team = examiner_services.team_create(
            cycle=cycle, track=self.quality, name=self.name("Lag"), by=self.slk
        )
        for i, member in enumerate(members):
            examiner_services.team_member_add(team=team, member=member, leader=i == 0, by=self.slk)
        for application in applications:
            examiner_services.team_assign(team=team, application=application, by=self.slk)
        if confirmed:
            examiner_services.team_confirm(team=team, by=self.slk)
        return team

    def _pair_team(self, application) -> Team:
        """A confirmed team of the leader and the examiner with room for `application`, which
        it is assigned to."""
        team = (
            Team.objects.filter(status=Team.Status.CONFIRMED, members__member=self.pair[0])
            .filter(members__member=self.pair[1])
            .annotate(taken=Count("assignments", distinct=True))
            .filter(taken__lt=self.cycle.max_applications_per_team)
            .first()
        )
        if team is None:
            return self.team(members=self.pair, applications=[application])
        examiner_services.team_assign(team=team, application=application, by=self.slk)
        return team

    def staged(self, stage: str, *, pair=False, share: str = "", **kwargs) -> Application:
        """A fresh submitted application taken to `stage` (STAGES) with the services, by the
        world's leader and examiner (`pair`) or by a team of its own. Two routes that can
        share one application name it with `share`."""
        if share in self._shared:
            return self._shared[share]
        application = self.application(**kwargs)
        team = self._pair_team(application) if pair else self.team(applications=[application])
        _advance(application, team, stage, slk=self.slk)
        application = Application.objects.get(pk=application.pk)
        if share:
            self._shared[share] = application
        return application

    def session(self, *, capacity=10, enrolled=()) -> TrainingSession:
        """A calibration session of one day, with `enrolled` pool members in order."""
        session = examiner_services.session_save(
            session=TrainingSession(
                cycle=self.cycle,
                kind=TrainingSession.Kind.CALIBRATION,
                title=self.name("Kalibrering"),
                place="Stadshuset",
                capacity=capacity,
                trainer="Utbildare",
            ),
            days=[today() + dt.timedelta(days=7)],
            by=self.slk,
        )
        for member in enrolled:
            examiner_services.enrol(session=session, member=member, by=self.slk)
        return session


def _advance(application, team, stage: str, *, slk) -> None:
    """Take an assigned application to `stage` the way its team and SLK would."""
    reached = set(STAGES[: STAGES.index(stage) + 1])
    members = [
        tm.member for tm in team.members.select_related("member__profile__user").order_by("-is_leader", "pk")
    ]
    leader = members[0].profile.user
    if "opened" in reached:
        for member in members:
            examiner_services.application_open(member=member, application=application, by=member.profile.user)
    if "submitted" in reached:
        # On time: the individual assessment holds after its deadline (scoring.rules).
        deadline = end_of_day(rules.assessment_deadline(_fresh(application))) - dt.timedelta(hours=1)
        with time_machine.travel(min(deadline, timezone.now()), tick=False):
            for member in members:
                user = member.profile.user
                services.assessment_submit(assessment=fill(application, user, 50), by=user)
    if "consensus" in reached:
        consensus = services.consensus_start(application=application, by=leader)
    if "agreed" in reached:
        for item in consensus.items.all():
            services.consensus_item_save(
                item=item,
                data=services.ItemData(50, ["Styrka"], ["Område"]),
                discussion_note="Diskuterat",
                base_version=item.version,
                by=leader,
            )
    if "final" in reached:
        services.consensus_finalise(consensus=consensus, by=leader)
    if "visit" in reached:
        judging_services.site_visit_select(application=Application.objects.get(pk=application.pk), by=slk)


def _visit_done(visit, *, by) -> None:
    services.site_visit_save(
        visit=visit,
        data=services.VisitData(
            today(), "Laget och enhetens chef", visit.questions, "Som beskrivet", done=True
        ),
        base_version=visit.version,
        by=by,
    )


def _move_to(phase: Phase, world: World) -> None:
    """Move the cycle's whole timeline, spaced as factories.timeline's, so today is in `phase`."""
    AwardCycle.objects.filter(pk=world.cycle_pk).update(
        **factories.timeline(phase_offset=10 - PHASE_DAY[phase])
    )
    assert world.cycle.phase == phase


def _day(days: int = 0) -> str:
    return (today() + dt.timedelta(days=days)).isoformat()


def _fresh(obj):
    return type(obj).objects.get(pk=obj.pk)


# --- one entry per writing route ------------------------------------------------------------


@dataclass
class Post:
    """One request: what must have changed (a sentence, and a check of the database, or of
    the response), the form, and the path's values where they are not the declared objects
    of the world."""

    expect: str
    effect: Callable[..., bool]
    data: dict = field(default_factory=dict)
    kwargs: dict = field(default_factory=dict)
    query: str = ""


@dataclass(frozen=True)
class Write:
    #: who posts: a role of declarations.ROLES allowed to, or "chair" (no walk role signs)
    user: str
    #: makes the state in which the use case succeeds; returns the request
    build: Callable[[World], Post]
    #: the action the service records in the audit trail (None: it records none)
    audit: str | None
    #: the phase the cycle is in when the route is posted
    phase: Phase = Phase.FEEDBACK


# The account


def login(w):
    user = factories.UserFactory()
    return Post(
        "the user is logged in",
        lambda response: _fresh(user).last_login is not None,
        data={"username": user.username, "password": factories.PASSWORD},
    )


def logout(w):
    return Post(
        "the session is gone",
        lambda response: (
            not Session.objects.filter(
                session_key=response.wsgi_request.COOKIES[settings.SESSION_COOKIE_NAME]
            ).exists()
        ),
    )


def password_change(w):
    user, new = w.users[OTHER_UNIT_CONTACT], "Ett-nytt-lösenord-för-våren"
    return Post(
        "the password is the new one",
        lambda response: _fresh(user).check_password(new),
        data={"old_password": factories.PASSWORD, "new_password1": new, "new_password2": new},
    )


# The cycle and personal data (SLK)


def cycle_phase_close(w):
    return Post(
        "the consensus phase has begun",
        lambda response: w.cycle.phase == Phase.CONSENSUS,
        data={"close-reason": "Alla har lämnat in sina bedömningar."},
    )


def cycle_reminders(w):
    return Post(
        "the cycle reminds unit contacts 10 and 3 days before, and sends the questionnaires after 5",
        lambda response: (w.cycle.application_reminder_days, w.cycle.questionnaire_send_day) == ("10,3", 5),
        data={
            "reminders-application_reminder_days": "3, 10",
            "reminders-assessment_reminder_days": "5,1",
            "reminders-consensus_reminder_days": "3,1",
            "reminders-report_reminder_days": "7,1",
            "reminders-questionnaire_send_day": "5",
            "reminders-questionnaire_reminder_days": "21,35",
        },
    )


def job_start(w):
    started = set(BackgroundJob.objects.values_list("pk", flat=True))
    return Post(
        "the cycle export is made in the background and its file is kept",
        lambda response: (
            BackgroundJob.objects.exclude(pk__in=started)
            .filter(kind="judging.cycle_export", status=BackgroundJob.Status.DONE)
            .exclude(file="")
            .exists()
        ),
        data={"kind": "judging.cycle_export"},
    )


def cycle_phase_extend(w):
    until = w.cycle.phase_end(Phase.ASSESSMENT) + dt.timedelta(days=7)
    return Post(
        "the assessment phase ends a week later",
        lambda response: w.cycle.assessment_deadline == until,
        data={"extend-until": until.isoformat(), "extend-reason": "Två examinatorer är sjuka."},
    )


def person_detail(w):
    leaver = factories.user_with_role(Role.UNIT_CONTACT)
    w.unit(contact=leaver)
    return Post(
        "the person is anonymised",
        lambda response: not _fresh(leaver).is_active and _fresh(leaver).username.startswith("anonymiserad-"),
        data={"confirm": "yes"},
        kwargs={"pk": leaver.pk},
    )


def person_role(w):
    person = factories.UserFactory()
    return Post(
        "the person is an examiner",
        lambda response: _fresh(person).groups.filter(name="Examinatorer").exists(),
        data={"action": "grant", "role": Role.EXAMINER.value, "reason": "Antagen i poolen"},
        kwargs={"pk": person.pk},
    )


def person_unit(w):
    person = factories.UserFactory()
    unit = w.unit()
    return Post(
        "the person is the unit's contact",
        lambda response: unit.contacts.filter(pk=person.pk).exists(),
        data={"action": "add", "unit": unit.pk, "reason": "Ny rektor"},
        kwargs={"pk": person.pk},
    )


def person_committee(w):
    person = factories.UserFactory()
    return Post(
        "the person sits on the cycle's committee",
        lambda response: w.cycle.has_committee_member(person),
        data={"action": "add", "cycle": w.cycle.pk, "reason": "Ersätter en ledamot"},
        kwargs={"pk": person.pk},
    )


def person_two_factor(w):
    person = factories.UserFactory()
    TOTPDevice.objects.create(user=person, key=new_totp_key(), confirmed=True)
    return Post(
        "the lost second factor is gone",
        lambda response: not TOTPDevice.objects.filter(user=person).exists(),
        data={"reason": "Tappat telefonen, uppringd och kontrollerad"},
        kwargs={"pk": person.pk},
    )


def outbox_resend(w):
    message = w.objects["outbox_message"]
    OutboxMessage.objects.filter(pk=message).update(status=OutboxMessage.Status.FAILED)
    return Post(
        "the failed e-mail is sent again",
        lambda response: OutboxMessage.objects.get(pk=message).is_sent,
        kwargs={"pk": message},
    )


# Registrations and applications


def register(w):
    unit = w.unit(contact=w.users[UNIT_CONTACT])
    return Post(
        "the unit is registered",
        lambda response: Application.objects.filter(unit=unit, track=w.quality).exists(),
        data={
            "unit": unit.pk,
            "track": w.quality.pk,
            "competition_class": w.competition_class("Skola").pk,
            "head_has_full_responsibility": "on",
            "deficit_last_year": "0",
            "deficit_forecast": "0",
            "nominee_kind": "",
            "nominee_name": "",
        },
    )


def answer_edit(w):
    application = w.application(status=Application.Status.DRAFT, answered=False)
    answer = application.answers.order_by("criterion__number").first()
    text = "Vi följer upp varje mål varje månad."
    return Post(
        "the answer is saved",
        lambda response: _fresh(answer).text == text,
        data={"text": text, "version": answer.version},
        kwargs={"pk": application.pk, "criterion_id": answer.criterion_id},
    )


def improvement_notes(w):
    # Last year's released, approved feedback report of the same unit names an area.
    last_year = AwardCycle.objects.get(year=w.cycle.year - 1)
    track = Track.objects.filter(
        cycle=last_year, kind=Track.Kind.QUALITY_AWARD
    ).first() or factories.TrackFactory(cycle=last_year, kind=Track.Kind.QUALITY_AWARD)
    earlier_criterion = track.criteria.filter(number=1).first() or factories.CriterionFactory(
        track=track, number=1, weight=100
    )
    application = w.application(status=Application.Status.DRAFT)
    earlier = factories.submitted_application(track, application.unit)
    report = FeedbackReport.objects.create(application=earlier, status=FeedbackReport.Status.APPROVED)
    FeedbackItem.objects.create(report=report, criterion=earlier_criterion, improvements=["Följ upp"])
    criterion = w.quality.criteria.get(number=1)
    return Post(
        "the unit's note is saved with the area",
        lambda response: (
            Answer.objects.get(application=application, criterion=criterion).improvement_notes
            == [{"area": "Följ upp", "done": "Vi följer upp varje månad."}]
        ),
        data={"note_0": "Vi följer upp varje månad."},
        kwargs={"pk": application.pk, "criterion_id": criterion.pk},
    )


def details_save(w):
    application = w.application(track=w.renewal, status=Application.Status.DRAFT)
    url = "https://example.se/film"
    return Post(
        "the film link is saved",
        lambda response: _fresh(application).film_url == url,
        data={"film_url": url},
        kwargs={"pk": application.pk},
    )


def attachment_upload(w):
    application = w.application(status=Application.Status.DRAFT)
    return Post(
        "the attachment is stored",
        lambda response: application.attachments.filter(original_name="plan.pdf").exists(),
        data={
            "file": SimpleUploadedFile("plan.pdf", PDF, "application/pdf"),
            "description": "Verksamhetsplan",
        },
        kwargs={"pk": application.pk},
    )


def attachment_delete(w):
    application = w.application(status=Application.Status.DRAFT)
    attachment = submission_services.attachment_add(
        application=application,
        uploaded_file=SimpleUploadedFile("plan.pdf", PDF, "application/pdf"),
        description="",
        by=w.users[UNIT_CONTACT],
    )
    return Post(
        "the attachment is gone",
        lambda response: not Attachment.objects.filter(pk=attachment.pk).exists(),
        kwargs={"pk": application.pk, "attachment_id": attachment.pk},
    )


def submit(w):
    application = w.application(status=Application.Status.DRAFT)
    return Post(
        "the application is submitted",
        lambda response: _fresh(application).status == Application.Status.SUBMITTED,
        kwargs={"pk": application.pk},
    )


def withdraw(w):
    # Assigned to a team: withdrawing also takes it from the team and flags the team.
    application = w.staged("assigned")
    team = Team.objects.get(assignments__application=application)
    return Post(
        "the application is withdrawn and has left its team, which is flagged",
        lambda response: (
            _fresh(application).status == Application.Status.WITHDRAWN
            and not Assignment.objects.filter(application=application).exists()
            and _fresh(team).flag != ""
        ),
        data={"reason": "Vi hinner inte i år."},
        kwargs={"pk": application.pk},
    )


def registration_decide(w):
    application = w.application(
        status=Application.Status.DRAFT, registration_status=Application.RegistrationStatus.PENDING
    )
    return Post(
        "the registration is approved",
        lambda response: _fresh(application).registration_status == Application.RegistrationStatus.APPROVED,
        data={"decision-decision": "approve", "decision-reason": ""},
        kwargs={"pk": application.pk},
    )


def registrations_approve(w):
    application = w.application(
        status=Application.Status.DRAFT, registration_status=Application.RegistrationStatus.PENDING
    )
    return Post(
        "the marked registrations are approved",
        lambda response: _fresh(application).registration_status == Application.RegistrationStatus.APPROVED,
        data={"year": application.track.cycle.year, "application": [application.pk]},
    )


def extend(w):
    application = w.application(status=Application.Status.DRAFT)
    until = today() + dt.timedelta(days=14)
    return Post(
        "the unit has until the new day",
        lambda response: _fresh(application).deadline_extended_to == until,
        data={"extend-until": until.isoformat(), "extend-reason": "Chefen har varit sjuk."},
        kwargs={"pk": application.pk},
    )


def reopen(w):
    # Assigned to a team, after the deadline: reopening extends it and flags the team.
    application = w.staged("assigned")
    until = today() + dt.timedelta(days=14)
    return Post(
        "the application is a draft again until the new day, and its team is flagged",
        lambda response: (
            (_fresh(application).status, _fresh(application).deadline_extended_to)
            == (Application.Status.DRAFT, until)
            and Team.objects.get(assignments__application=application).flag != ""
        ),
        data={"reopen-reason": "Fel bilaga.", "reopen-until": until.isoformat()},
        kwargs={"pk": application.pk},
    )


# Examiners' own pages


def volunteer(w):
    user = w.users[COMMITTEE]
    return Post(
        "the offer is in the pool",
        lambda response: PoolMember.objects.filter(
            cycle=w.cycle, profile__user=user, status=PoolMember.Status.VOLUNTEERED
        ).exists(),
        data={
            "organisation": Organisation.objects.order_by("pk").first().pk,
            "employer": "Stockholms stad",
            "job_title": "Rektor",
            "manager_name": "Karin Chef",
            "available": "on",
            "availability_note": "",
            "conflict_reason": "",
        },
    )


def volunteer_request_decide(w):
    found = VolunteerRequest.objects.create(
        cycle=w.cycle,
        name="Antagen Volontär",
        email="antagen@stockholm.se",
        organisation=Organisation.objects.order_by("pk").first(),
        workplace="Skolan",
        manager_name="Chef Chefsson",
        token_hash=token_digest("antas"),
        status=VolunteerRequest.Status.CONFIRMED,
    )
    return Post(
        "the volunteer has an account, a place in the pool and an invitation",
        lambda response: (
            Invitation.objects.filter(person__email="antagen@stockholm.se").exists()
            and PoolMember.objects.filter(profile__user__email="antagen@stockholm.se").exists()
        ),
        data={"decision": "accept"},
        kwargs={"pk": found.pk},
    )


def conflict_declare(w):
    unit = w.unit()
    return Post(
        "the conflict is recorded",
        lambda response: Conflict.objects.filter(member=w.pair[1], unit=unit).exists(),
        data={"unit": unit.code, "organisation": "", "reason": "Min bror arbetar där."},
    )


def application_open(w):
    application = w.staged("assigned", pair=True)
    return Post(
        "the examiner has opened the application",
        lambda response: ApplicationOpening.objects.filter(
            member=w.pair[1], application=application
        ).exists(),
        data={"has_conflict": "0", "reason": ""},
        kwargs={"pk": application.pk},
    )


# The pool (SLK)


def pool_decide(w):
    member = factories.pool_member(w.cycle, status=PoolMember.Status.VOLUNTEERED)
    return Post(
        "the volunteer is accepted",
        lambda response: _fresh(member).status == PoolMember.Status.ACCEPTED,
        data={"decision": "accept"},
        kwargs={"pk": member.pk},
    )


def manager_approval(w):
    member = factories.pool_member(w.cycle, manager_name="", manager_approved_on=None)
    return Post(
        "the manager's approval is recorded",
        lambda response: _fresh(member).manager_approved_on == today(),
        data={"manager_name": "Karin Chef", "approved_on": _day()},
        kwargs={"pk": member.pk},
    )


def max_teams(w):
    member = factories.pool_member(w.cycle)
    return Post(
        "the examiner may be in two teams",
        lambda response: _fresh(member).max_teams == 2,
        data={"max_teams": "2"},
        kwargs={"pk": member.pk},
    )


def conflict_record(w):
    # A member of a confirmed team, conflicted with its application: access goes at once.
    application = w.staged("opened")
    member = TeamMember.objects.get(team__assignments__application=application, is_leader=False).member
    user = member.profile.user
    return Post(
        "the conflict is recorded and the member's access is gone",
        lambda response: (
            Conflict.objects.filter(member=member, unit=application.unit).exists()
            and not _fresh(user).has_perm(VIEW, application)
        ),
        data={"unit": application.unit.code, "organisation": "", "reason": "Min syster är chef där."},
        kwargs={"pk": member.pk},
    )


# Teams (SLK)


def teams_propose(w):
    # A draft team to be replaced, an application without a team, and free examiners.
    draft = w.team(applications=[w.application()], confirmed=False)
    application = w.application()
    for led in (True, False, False, False):
        factories.pool_member(w.cycle, led=led)
    return Post(
        "the draft team is replaced by a proposal that places the application",
        lambda response: (
            not Team.objects.filter(pk=draft.pk).exists()
            and Assignment.objects.filter(application=application, team__status=Team.Status.DRAFT).exists()
        ),
    )


def team_create(w):
    name = w.name("Lag")
    return Post(
        "the team exists",
        lambda response: Team.objects.filter(cycle=w.cycle, name=name).exists(),
        data={"name": name, "track": w.quality.pk},
    )


def team_member_add(w):
    application = w.application()
    team = w.team(applications=[application])
    member = factories.pool_member(w.cycle)
    return Post(
        "the member is in the team and may assess its application",
        lambda response: (
            TeamMember.objects.filter(team=team, member=member).exists()
            and _fresh(member.profile.user).has_perm(ASSESS, application)
        ),
        data={"member": member.pk},
        kwargs={"pk": team.pk},
    )


def team_member_remove(w):
    application = w.application()
    members = [
        factories.pool_member(w.cycle, led=True),
        factories.pool_member(w.cycle),
        factories.pool_member(w.cycle),
    ]
    team = w.team(members=members, applications=[application])
    leaving = members[2]
    return Post(
        "the member has left the team and its application",
        lambda response: (
            not TeamMember.objects.filter(team=team, member=leaving).exists()
            and not _fresh(leaving.profile.user).has_perm(ASSESS, application)
        ),
        kwargs={"pk": team.pk, "member_pk": leaving.pk},
    )


def team_leader(w):
    members = [factories.pool_member(w.cycle, led=True), factories.pool_member(w.cycle, led=True)]
    team = w.team(members=members, applications=[w.application()])
    return Post(
        "the second member leads",
        lambda response: TeamMember.objects.get(team=team, member=members[1]).is_leader,
        kwargs={"pk": team.pk, "member_pk": members[1].pk},
    )


def team_assign(w):
    team = w.team(applications=[w.application()])
    application = w.application()
    return Post(
        "the application is the team's",
        lambda response: Assignment.objects.filter(team=team, application=application).exists(),
        data={"application": application.pk},
        kwargs={"pk": team.pk},
    )


def team_unassign(w):
    application = w.application()
    team = w.team(applications=[application])
    users = [tm.member.profile.user for tm in team.members.select_related("member__profile__user")]
    return Post(
        "the application has left the team, and its members their access to it",
        lambda response: (
            not Assignment.objects.filter(team=team, application=application).exists()
            and not any(_fresh(user).has_perm(ASSESS, application) for user in users)
        ),
        kwargs={"pk": team.pk, "application_pk": application.pk},
    )


def team_confirm(w):
    team = w.team(applications=[w.application()], confirmed=False)
    return Post(
        "the team is confirmed",
        lambda response: _fresh(team).status == Team.Status.CONFIRMED,
        kwargs={"pk": team.pk},
    )


def team_delete(w):
    team = w.team(applications=[w.application()])
    return Post(
        "the team is gone",
        lambda response: not Team.objects.filter(pk=team.pk).exists(),
        kwargs={"pk": team.pk},
    )


def team_flag_clear(w):
    team = w.team(applications=[w.application()])
    Team.objects.filter(pk=team.pk).update(flag="En examinator har anmält jäv.")
    return Post("the flag is cleared", lambda response: _fresh(team).flag == "", kwargs={"pk": team.pk})


# Training (SLK)


def _session_form(title: str, days: list[str], **extra) -> dict:
    return {
        "kind": TrainingSession.Kind.CALIBRATION,
        "title": title,
        "place": "Stadshuset",
        "capacity": "20",
        "trainer": "Utbildare",
        "notes": "",
        "days": "\n".join(days),
        **extra,
    }


def session_create(w):
    title = w.name("Kalibrering")
    return Post(
        "the session exists",
        lambda response: (
            TrainingDay.objects.filter(session__cycle_id=w.cycle_pk, session__title=title).count() == 2
        ),
        data=_session_form(title, [_day(14), _day(15)]),
    )


def session_edit(w):
    session = w.session(enrolled=[factories.pool_member(w.cycle)])
    title = w.name("Kalibrering")
    days = [d.date.isoformat() for d in session.days.all()] + [_day(30)]
    return Post(
        "the session has its new title and a second day",
        lambda response: _fresh(session).title == title and session.days.count() == 2,
        data=_session_form(title, days, notify="on"),
        kwargs={"pk": session.pk},
    )


def enrol(w):
    session = w.session()
    member = factories.pool_member(w.cycle)
    return Post(
        "the examiner is enrolled",
        lambda response: Enrolment.objects.filter(
            session=session, member=member, status=Enrolment.Status.ENROLLED
        ).exists(),
        data={"member": member.pk},
        kwargs={"pk": session.pk},
    )


def attendance(w):
    there, away = factories.pool_member(w.cycle), factories.pool_member(w.cycle)
    session = w.session(enrolled=[there, away])
    day = session.days.get()
    return Post(
        "one is marked present and one absent",
        lambda response: (
            sorted(day.attendance.values_list("enrolment__member_id", "present"))
            == sorted([(there.pk, True), (away.pk, False)])
        ),
        data={"present": [there.pk]},
        kwargs={"pk": session.pk, "day_pk": day.pk},
    )


def enrolment_cancel(w):
    # The session is full: cancelling gives the seat to the one waiting.
    leaving, waiting = factories.pool_member(w.cycle), factories.pool_member(w.cycle)
    session = w.session(capacity=1, enrolled=[leaving, waiting])
    enrolment = Enrolment.objects.get(session=session, member=leaving)
    return Post(
        "the place is cancelled and the one waiting has it",
        lambda response: (
            _fresh(enrolment).status == Enrolment.Status.CANCELLED
            and Enrolment.objects.get(session=session, member=waiting).status == Enrolment.Status.ENROLLED
        ),
        kwargs={"pk": enrolment.pk},
    )


# The practice case of a training session


def _practice_case(w, *, trainee=None):
    """A fresh session with a practice case on the quality award's criteria; `trainee`
    enrolled in it."""
    session = w.session(enrolled=[trainee] if trainee else [])
    case = examiner_services.practice_case_save(
        session=session, track=w.quality, title=w.name("Övningsfall"), introduction="", items={}, by=w.slk
    )
    return session, case


def practice_case(w):
    session = w.session()
    title = w.name("Övningsfall")
    data = {"track": w.quality.pk, "title": title, "introduction": "En förskola."}
    for criterion in w.quality.criteria.all():
        data |= {
            f"c{criterion.pk}_text": "Så här arbetar vi.",
            f"c{criterion.pk}_score": "60",
            f"c{criterion.pk}_strengths": "Tydliga mål",
            f"c{criterion.pk}_improvements": "Följ upp",
        }
    return Post(
        "the case and its reference are saved",
        lambda response: (
            PracticeCaseItem.objects.filter(
                case__session=session, case__title=title, reference_score=60
            ).count()
            == w.quality.criteria.count()
        ),
        data=data,
        kwargs={"pk": session.pk},
    )


def practice_case_copy(w):
    last_year = AwardCycle.objects.get(year=w.cycle.year - 1)
    track = Track.objects.filter(
        cycle=last_year, kind=Track.Kind.QUALITY_AWARD
    ).first() or factories.TrackFactory(cycle=last_year, kind=Track.Kind.QUALITY_AWARD)
    application = factories.submitted_application(track, factories.UnitFactory())
    session = w.session()
    return Post(
        "the case is copied from last year's application",
        lambda response: PracticeCase.objects.filter(session=session, source=application).exists(),
        data={"code": application.code},
        kwargs={"pk": session.pk},
    )


def practice_item(w):
    _session, case = _practice_case(w, trainee=w.pair[1])
    criterion = w.quality.criteria.order_by("number").first()
    prefix = f"k{criterion.pk}"
    return Post(
        "the trainee's score is saved",
        lambda response: PracticeAssessmentItem.objects.filter(
            assessment__case=case, criterion=criterion, score=50
        ).exists(),
        data={
            f"{prefix}-score": "50",
            f"{prefix}-strengths": "Tydliga mål",
            f"{prefix}-improvements": "",
            f"{prefix}-version": "1",
        },
        kwargs={"pk": case.pk, "criterion_id": criterion.pk},
    )


def practice_submit(w):
    _session, case = _practice_case(w, trainee=w.pair[1])
    user = w.users[EXAMINER]
    own = examiner_services.practice_assessment_for(case=case, by=user)
    for item in own.items.all():
        examiner_services.practice_item_save(
            item=item,
            data=examiner_services.PracticeItemData(score=50, strengths="Tydliga mål"),
            base_version=item.version,
            by=user,
        )
    return Post(
        "the trainee's assessment is submitted",
        lambda response: PracticeAssessment.objects.get(pk=own.pk).is_submitted,
        kwargs={"pk": case.pk},
    )


# The examiner's assessment


def assessment_item(w):
    application = w.staged("opened", pair=True, share="assessing")
    criterion = w.quality.criteria.order_by("number").first()
    prefix = f"k{criterion.pk}"
    own = AssessmentItem.objects.filter(
        assessment__application=application, assessment__member=w.pair[1], criterion=criterion
    )
    # The first save starts the assessment, with every item at version 1.
    version = own.values_list("version", flat=True).first() or 1
    return Post(
        "the examiner's score is saved",
        lambda response: own.filter(score=50).exists(),
        data={
            f"{prefix}-score": "50",
            f"{prefix}-strengths": "Tydliga mål",
            f"{prefix}-improvements": "Följ upp resultaten",
            f"{prefix}-notes": "",
            f"{prefix}-version": str(version),
        },
        kwargs={"pk": application.pk, "criterion_id": criterion.pk},
    )


def assessment_hours(w):
    application = w.staged("opened", pair=True, share="assessing")
    return Post(
        "the hours are recorded",
        lambda response: (
            Assessment.objects.get(application=application, member=w.pair[1]).hours == Decimal("2.5")
        ),
        data={"hours": "2,5"},
        kwargs={"pk": application.pk},
    )


def assessment_submit(w):
    application = w.staged("opened", pair=True)
    fill(application, w.users[EXAMINER], 50)
    return Post(
        "the assessment is submitted",
        lambda response: (
            Assessment.objects.get(application=application, member=w.pair[1]).status
            == Assessment.Status.SUBMITTED
        ),
        kwargs={"pk": application.pk},
    )


def assessment_reopen(w):
    application = w.staged("opened", pair=True)
    user = w.users[EXAMINER]
    services.assessment_submit(assessment=fill(application, user, 50), by=user)
    return Post(
        "the assessment is a draft again",
        lambda response: (
            Assessment.objects.get(application=application, member=w.pair[1]).status
            == Assessment.Status.DRAFT
        ),
        kwargs={"pk": application.pk},
    )


# Consensus and site visits


def consensus_start(w):
    application = w.staged("submitted", pair=True)
    return Post(
        "the consensus has started",
        lambda response: Consensus.objects.filter(application=application).exists(),
        data={"override_reason": ""},
        kwargs={"pk": application.pk},
    )


def consensus_item_save(w):
    application = w.staged("consensus", pair=True)
    item = (
        ConsensusItem.objects.filter(consensus__application=application).order_by("criterion__number").first()
    )
    prefix = f"c{item.pk}"
    return Post(
        "the agreed score and texts are saved",
        lambda response: (
            (_fresh(item).score, _fresh(item).strengths) == (50, ["En styrka", "Gemensam styrka"])
        ),
        data={
            f"{prefix}-score": "50",
            # A member's text ticked, and one of the team's own.
            f"{prefix}-picked_strengths": "En styrka",
            f"{prefix}-strengths": "Gemensam styrka",
            f"{prefix}-improvements": "Gemensamt förbättringsområde",
            f"{prefix}-discussion_note": "",
            f"{prefix}-version": str(item.version),
        },
        kwargs={"pk": application.pk, "item_id": item.pk},
    )


def consensus_finalise(w):
    application = w.staged("agreed", pair=True)
    return Post(
        "the consensus is final and the report drafted",
        lambda response: (
            Consensus.objects.get(application=application).is_final
            and FeedbackReport.objects.filter(application=application).exists()
        ),
        kwargs={"pk": application.pk},
    )


def site_visit_select(w):
    application = w.staged("final")
    return Post(
        "the application is chosen for a visit",
        lambda response: SiteVisit.objects.filter(application=application).exists(),
        kwargs={"pk": application.pk},
    )


def site_visit_save(w):
    application = w.staged("visit", pair=True, share="visit")
    visit = SiteVisit.objects.get(application=application)
    findings = "Verksamheten arbetar som bidraget beskriver."
    return Post(
        "the visit is recorded as done",
        lambda response: (_fresh(visit).status, _fresh(visit).findings) == (SiteVisit.Status.DONE, findings),
        data={
            "visit_date": _day(),
            "participants": "Laget och enhetens chef",
            "questions": visit.questions,
            "findings": findings,
            "done": "on",
            "version": str(visit.version),
        },
        kwargs={"pk": application.pk},
    )


def visit_score_revise(w):
    application = w.staged("visit", pair=True, share="visit")
    visit = SiteVisit.objects.get(application=application)
    if visit.status != SiteVisit.Status.DONE:
        _visit_done(visit, by=w.users[LEADER])
    item = (
        ConsensusItem.objects.filter(consensus__application=application).order_by("criterion__number").first()
    )
    prefix = f"v{item.pk}"
    return Post(
        "the score after the visit is saved beside the consensus score",
        lambda response: (_fresh(item).score, _fresh(item).visit_score) == (50, 60),
        data={
            f"{prefix}-score": "60",
            f"{prefix}-reason": "Besöket visade mer.",
            f"{prefix}-version": item.version,
        },
        kwargs={"pk": application.pk, "item_id": item.pk},
    )


# The feedback report


def report_edit(w):
    application = w.staged("final", pair=True, share="report")
    report = FeedbackReport.objects.get(application=application)
    summary = "Ett genomarbetat bidrag med tydliga mål."
    data = {"summary": summary, "version": report.version}
    for item in report.items.all():
        data[f"strengths_{item.criterion_id}"] = "\n".join(item.strengths)
        data[f"improvements_{item.criterion_id}"] = "Mät resultaten oftare"
    return Post(
        "the report is saved",
        lambda response: (
            _fresh(report).summary == summary
            and all(
                texts == ["Mät resultaten oftare"]
                for texts in report.items.values_list("improvements", flat=True)
            )
        ),
        data=data,
        kwargs={"pk": application.pk},
    )


def report_redraft(w):
    application = w.staged("final", pair=True, share="report")
    report = FeedbackReport.objects.get(application=application)
    return Post(
        "the report is drafted again from the consensus",
        lambda response: _fresh(report).version == report.version + 1,
        kwargs={"pk": application.pk},
    )


def assessment_deadline(w):
    team = w.team(applications=[w.application()])
    until = w.cycle.assessment_deadline + dt.timedelta(days=4)
    return Post(
        "the team has four more days for the individual assessment",
        lambda response: _fresh(team).assessment_deadline_extended_to == until,
        data={"team": team.pk, "until": until.isoformat(), "reason": "Två i laget har varit sjuka."},
    )


def report_approve(w):
    application = w.staged("final")
    report = FeedbackReport.objects.get(application=application)
    services.report_save(
        report=report, summary="Ett bra bidrag.", items=[], base_version=report.version, by=w.slk
    )
    return Post(
        "the report is approved",
        lambda response: _fresh(report).status == FeedbackReport.Status.APPROVED,
        kwargs={"pk": application.pk},
    )


# The committee


def committee_home(w):
    unit = w.application(status=Application.Status.DRAFT).unit
    member = w.users[COMMITTEE]
    return Post(
        "the member's conflict is recorded",
        lambda response: CommitteeConflict.objects.filter(member=member, unit=unit).exists(),
        data={"unit": unit.pk, "organisation": "", "reason": "Jag har arbetat där."},
    )


def decisions(w):
    meetings = Meeting.objects.filter(cycle_id=w.cycle_pk).count()
    cycle = w.cycle
    return Post(
        "the meeting is recorded",
        lambda response: Meeting.objects.filter(cycle_id=w.cycle_pk).count() == meetings + 1,
        data={
            "kind": Meeting.Kind.FINAL,
            "date": cycle.final_committee_meeting.isoformat(),
            "present": [w.users["chair"].pk, w.users[COMMITTEE].pk],
            "notes": "Extra möte.",
        },
    )


def site_visit_choice(w):
    application = w.staged("final")
    meeting = w.objects["shortlisting_meeting"]
    return Post(
        "the application is chosen for a visit at the meeting",
        lambda response: SiteVisit.objects.filter(
            application=application, choice__meeting_id=meeting
        ).exists(),
        data={"applications": [application.pk]},
    )


def decision_edit(w):
    school = w.competition_class("Skola")
    application = w.staged("final", competition_class=school)
    return Post(
        "the draft decision names the winner",
        lambda response: DecisionOutcome.objects.filter(
            decision__competition_class=school,
            decision__status=Decision.Status.DRAFT,
            application=application,
            outcome=DecisionOutcome.Outcome.WINNER,
        ).exists(),
        data={
            "rationale": "Bäst i klassen.",
            "version": "",
            f"outcome_{application.pk}": DecisionOutcome.Outcome.WINNER,
            f"citation_{application.pk}": "Föredömligt systematiskt arbete.",
        },
        query=f"klass={school.pk}",
    )


def decision_sign(w):
    care = w.competition_class("Äldreomsorg")
    application = w.staged("final", competition_class=care)
    chair = w.users["chair"]
    decision = judging_services.decision_save(
        meeting=Meeting.objects.get(pk=w.objects["final_meeting"]),
        track=w.quality,
        competition_class=care,
        no_award=False,
        rationale="Bäst i klassen.",
        outcomes=[
            judging_services.OutcomeData(application=application, outcome="winner", citation="Föredömligt.")
        ],
        by=chair,
    )
    return Post(
        "the decision is signed and the win is in the unit's history",
        lambda response: (
            _fresh(decision).status == Decision.Status.SIGNED
            and PastResult.objects.filter(unit=application.unit, year=w.cycle.year).exists()
        ),
        kwargs={"pk": decision.pk},
    )


def decision_correct(w):
    decision = w.objects["decision"]
    return Post(
        "a correction of the decision is drafted",
        lambda response: Decision.objects.filter(
            supersedes_id=decision, status=Decision.Status.DRAFT
        ).exists(),
        data={"reason": "Fel i citatet."},
    )


def good_example_edit(w):
    outcome = w.objects["outcome"]
    return Post(
        "the unit's consent and summary are recorded",
        lambda response: DecisionOutcome.objects.filter(pk=outcome, unit_consented=True).exists(),
        data={"unit_consented": "on", "public_summary": "Enheten följer upp varje mål varje månad."},
    )


def decisions_notify(w):
    decision = w.objects["decision"]
    Decision.objects.filter(pk=decision).update(notified_at=None)
    return Post(
        "the decision is announced",
        lambda response: Decision.objects.get(pk=decision).notified_at is not None and len(mail.outbox) > 0,
    )


# Evaluation


def evaluation(w):
    return Post(
        "the examiners' questionnaire is sent",
        lambda response: Questionnaire.objects.filter(
            cycle_id=w.cycle_pk, audience=Questionnaire.Audience.EXAMINERS
        ).exists(),
        data={"audience": Questionnaire.Audience.EXAMINERS},
    )


def questionnaire_answer(w):
    return Post(
        "the answers are recorded",
        lambda response: QuestionnaireResponse.objects.filter(
            questionnaire_id=w.objects["questionnaire"], respondent=w.users[UNIT_CONTACT]
        ).exists(),
        data={
            "criteria_clarity": "4",
            "feedback_usefulness": "5",
            "workload": "3",
            "change": "Mer tid.",
            "other": "",
        },
    )


# Getting in (accounts)


def password_reset(w):
    user = factories.UserFactory()
    return Post(
        "the request is counted (and the link mailed)",
        lambda response: ThrottleHit.objects.filter(scope=ThrottleHit.Scope.RESET_ADDRESS).exists(),
        data={"email": user.email},
    )


def invitation(w):
    return Post(
        "the invited person has an account and is the unit's contact",
        lambda response: Invitation.objects.get(pk=w.objects["invitation"]).accepted_by is not None,
        data={
            "first_name": "Ny",
            "last_name": "Kontakt",
            "password1": "ett-langt-losen-77",
            "password2": "ett-langt-losen-77",
        },
    )


def _fresh_invitation(w, token: str) -> Invitation:
    original = Invitation.objects.get(pk=w.objects["invitation"])
    return Invitation.objects.create(
        kind=original.kind,
        email=f"{token}@example.se",
        name="Väntande Person",
        unit=original.unit,
        token_hash=token_digest(token),
        invited_by=w.slk,
        expires_at=original.expires_at,
    )


def invitation_renewal(w):
    _fresh_invitation(w, "fornya")
    return Post(
        "SLK is asked for a new invitation",
        lambda response: AuditEntry.objects.filter(action="invitation.renewal_asked").exists(),
        kwargs={"token": "fornya"},
    )


def invitations(w):
    book = Workbook()
    book.active.append(("enhetskod", "namn", "e-post"))
    book.active.append(
        (w.cycle.tracks.first().applications.first().unit.code, "Lista Person", "lista@example.se")
    )
    data = io.BytesIO()
    book.save(data)
    return Post(
        "the listed person is invited",
        lambda response: Invitation.objects.filter(email="lista@example.se").exists(),
        data={"file": SimpleUploadedFile("lista.xlsx", data.getvalue())},
    )


def invitation_revoke(w):
    waiting = _fresh_invitation(w, "aterkalla")
    return Post(
        "the invitation is revoked",
        lambda response: _fresh(waiting).revoked_at is not None,
        kwargs={"pk": waiting.pk},
    )


def unit_invitations(w):
    return Post(
        "the person is invited",
        lambda response: Invitation.objects.filter(email="enhet-inbjuden@example.se").exists(),
        data={"name": "Enhet Inbjuden", "email": "enhet-inbjuden@example.se"},
    )


def person_deactivate(w):
    leaver = factories.UserFactory()
    return Post(
        "the account is off",
        lambda response: not _fresh(leaver).is_active,
        data={"reason": "Slutat"},
        kwargs={"pk": leaver.pk},
    )


def role_request_decide(w):
    found = RoleRequest.objects.create(email="ber-om-roll@example.se", name="Ber Om Roll", kind="examiner")
    return Post(
        "the person has an account with the examiner role",
        lambda response: (
            Group.objects.get(name="Examinatorer").user_set.filter(email="ber-om-roll@example.se").exists()
        ),
        data={"decision": "approve"},
        kwargs={"pk": found.pk},
    )


def two_factor_setup(w):
    user = w.users[EXAMINER]
    TOTPDevice.objects.create(user=user, key=new_totp_key(), confirmed=True)
    return Post(
        "new recovery codes exist",
        lambda response: StaticToken.objects.filter(device__user=user).exists(),
        data={"action": "codes"},
    )


def two_factor_verify(w):
    user = w.users[EXAMINER]
    key = new_totp_key()
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(user=user, key=key, confirmed=True)
    return Post(
        "the code is used up",
        lambda response: TOTPDevice.objects.get(pk=device.pk).last_t >= 0,
        data={"code": f"{TOTP(bytes.fromhex(key)).token():06d}"},
    )


#: Every route declarations.ROUTES declares as writing, in the order they are posted. Each
#: builder makes its own objects where the use case changes what others need; the one
#: that reshapes the whole cycle (a new team proposal replaces every draft team) comes last.
WRITES: dict[str, Write] = {
    "login": Write(ANONYMOUS, login, None),
    "accounts:password_reset": Write(ANONYMOUS, password_reset, "password.reset_asked"),
    "accounts:invitation": Write(ANONYMOUS, invitation, "invitation.accept"),
    "accounts:invitation_renewal": Write(ANONYMOUS, invitation_renewal, "invitation.renewal_asked"),
    "accounts:invitations": Write(SLK, invitations, "invitation.send"),
    "accounts:invitation_revoke": Write(SLK, invitation_revoke, "invitation.revoke"),
    "accounts:unit_invitations": Write(SLK, unit_invitations, "invitation.send"),
    "accounts:person_deactivate": Write(SLK, person_deactivate, "person.deactivate"),
    "accounts:role_request_decide": Write(SLK, role_request_decide, "role_request.approve"),
    "accounts:two_factor_setup": Write(EXAMINER, two_factor_setup, None),
    "accounts:two_factor_verify": Write(EXAMINER, two_factor_verify, None),
    "logout": Write(OTHER_EXAMINER, logout, None),
    "password_change": Write(OTHER_UNIT_CONTACT, password_change, None),
    "award:cycle_phase_close": Write(SLK, cycle_phase_close, "cycle.phase_closed_early", Phase.ASSESSMENT),
    "award:cycle_phase_extend": Write(SLK, cycle_phase_extend, "cycle.phase_extended", Phase.ASSESSMENT),
    "award:cycle_reminders": Write(SLK, cycle_reminders, "cycle.reminders_set"),
    "award:job_start": Write(SLK, job_start, "job.start"),
    "award:person_detail": Write(SLK, person_detail, "user.anonymise"),
    "award:person_role": Write(SLK, person_role, "role.grant"),
    "award:person_unit": Write(SLK, person_unit, "role.grant"),
    "award:person_committee": Write(SLK, person_committee, "role.grant"),
    "award:person_two_factor": Write(SLK, person_two_factor, "two_factor.disable"),
    "award:outbox_resend": Write(SLK, outbox_resend, "outbox.resend"),
    "submissions:register": Write(UNIT_CONTACT, register, "application.register", Phase.REGISTRATION),
    "submissions:answer_edit": Write(UNIT_CONTACT, answer_edit, None, Phase.APPLICATION),
    "submissions:details_save": Write(UNIT_CONTACT, details_save, "application.details", Phase.APPLICATION),
    "submissions:improvement_notes": Write(
        UNIT_CONTACT, improvement_notes, "answer.improvements", Phase.APPLICATION
    ),
    "submissions:attachment_upload": Write(
        UNIT_CONTACT, attachment_upload, "attachment.add", Phase.APPLICATION
    ),
    "submissions:attachment_delete": Write(
        UNIT_CONTACT, attachment_delete, "attachment.remove", Phase.APPLICATION
    ),
    "submissions:submit": Write(UNIT_CONTACT, submit, "application.submit", Phase.APPLICATION),
    "submissions:withdraw": Write(UNIT_CONTACT, withdraw, "application.withdraw", Phase.ASSESSMENT),
    "submissions:registration_decide": Write(SLK, registration_decide, "application.registration_approved"),
    "submissions:registrations_approve": Write(
        SLK, registrations_approve, "application.registration_approved"
    ),
    "submissions:extend": Write(SLK, extend, "application.extend", Phase.ASSESSMENT),
    "submissions:reopen": Write(SLK, reopen, "application.reopen", Phase.ASSESSMENT),
    "examiners:volunteer": Write(COMMITTEE, volunteer, "pool.volunteer"),
    "examiners:volunteer_request_decide": Write(SLK, volunteer_request_decide, "volunteer_request.accept"),
    "examiners:conflict_declare": Write(EXAMINER, conflict_declare, "conflict.declare"),
    "examiners:application_open": Write(EXAMINER, application_open, None),
    "examiners:pool_decide": Write(SLK, pool_decide, "pool.accept"),
    "examiners:manager_approval": Write(SLK, manager_approval, "pool.manager_approval"),
    "examiners:max_teams": Write(SLK, max_teams, "pool.max_teams"),
    "examiners:conflict_record": Write(SLK, conflict_record, "conflict.declare"),
    "examiners:team_create": Write(SLK, team_create, "team.create"),
    "examiners:team_member_add": Write(SLK, team_member_add, "team.member_add"),
    "examiners:team_member_remove": Write(SLK, team_member_remove, "team.member_remove"),
    "examiners:team_leader": Write(SLK, team_leader, "team.leader"),
    "examiners:team_assign": Write(SLK, team_assign, "team.assign"),
    "examiners:team_unassign": Write(SLK, team_unassign, "team.unassign"),
    "examiners:team_confirm": Write(SLK, team_confirm, "team.confirm"),
    "examiners:team_delete": Write(SLK, team_delete, "team.delete"),
    "examiners:team_flag_clear": Write(SLK, team_flag_clear, "team.flag_clear"),
    "examiners:session_create": Write(SLK, session_create, "training.create"),
    "examiners:session_edit": Write(SLK, session_edit, "training.change"),
    "examiners:enrol": Write(SLK, enrol, "training.enrol"),
    "examiners:attendance": Write(SLK, attendance, "training.attendance"),
    "examiners:enrolment_cancel": Write(SLK, enrolment_cancel, "training.cancel"),
    "examiners:practice_case": Write(SLK, practice_case, "practice.case_save"),
    "examiners:practice_case_copy": Write(SLK, practice_case_copy, "practice.case_save"),
    "examiners:practice_item": Write(EXAMINER, practice_item, "practice.save"),
    "examiners:practice_submit": Write(EXAMINER, practice_submit, "practice.submit"),
    # Before the assessment deadline: after it the individual assessment holds (issue 15).
    "scoring:assessment_item": Write(EXAMINER, assessment_item, "scoring.individual", Phase.ASSESSMENT),
    "scoring:assessment_hours": Write(EXAMINER, assessment_hours, "scoring.hours", Phase.ASSESSMENT),
    "scoring:assessment_submit": Write(
        EXAMINER, assessment_submit, "scoring.individual_submit", Phase.ASSESSMENT
    ),
    "scoring:assessment_reopen": Write(
        EXAMINER, assessment_reopen, "scoring.individual_reopen", Phase.ASSESSMENT
    ),
    "scoring:consensus_start": Write(LEADER, consensus_start, "scoring.consensus_start"),
    "scoring:consensus_item_save": Write(LEADER, consensus_item_save, "scoring.consensus"),
    "scoring:consensus_finalise": Write(LEADER, consensus_finalise, "scoring.consensus_final"),
    "judging:site_visit_select": Write(COMMITTEE, site_visit_select, "scoring.site_visit_select"),
    "scoring:site_visit_save": Write(EXAMINER, site_visit_save, "scoring.site_visit"),
    "scoring:visit_score_revise": Write(LEADER, visit_score_revise, "scoring.visit_score"),
    "scoring:report_edit": Write(LEADER, report_edit, "scoring.report"),
    "scoring:report_redraft": Write(LEADER, report_redraft, "scoring.report_redraft"),
    "scoring:report_approve": Write(SLK, report_approve, "scoring.report_approve"),
    "scoring:assessment_deadline": Write(
        SLK, assessment_deadline, "scoring.assessment_deadline_extend", Phase.ASSESSMENT
    ),
    "judging:committee_home": Write(COMMITTEE, committee_home, "committee.conflict"),
    "judging:decisions": Write(COMMITTEE, decisions, "committee.meeting"),
    "judging:site_visit_choice": Write(COMMITTEE, site_visit_choice, "scoring.site_visit_select"),
    "judging:decision_edit": Write(COMMITTEE, decision_edit, "committee.decision_draft"),
    "judging:decision_sign": Write("chair", decision_sign, "committee.decision_sign"),
    "judging:decision_correct": Write(COMMITTEE, decision_correct, "committee.decision_correct"),
    "judging:good_example_edit": Write(SLK, good_example_edit, "committee.good_example"),
    "judging:decisions_notify": Write(SLK, decisions_notify, "committee.notify"),
    "evaluation:evaluation": Write(SLK, evaluation, "evaluation.questionnaire_send"),
    "evaluation:questionnaire_answer": Write(
        UNIT_CONTACT, questionnaire_answer, "evaluation.questionnaire_answer"
    ),
    "examiners:teams_propose": Write(SLK, teams_propose, "team.propose"),
}


# --- fixtures ------------------------------------------------------------------------------


# The django_db marker makes pytest-django create the test database, which it does only
# for the tests that ask for it; its own helper would then wrap each test in a transaction,
# which is what this module must not have: `_django_db_helper` below replaces that helper
# here. Under xdist the module's tests stay on one worker, in order, with one world.
pytestmark = [pytest.mark.django_db, pytest.mark.xdist_group("production")]


@pytest.fixture
def _django_db_helper(django_db_setup, django_db_blocker):
    """The database, open, with no transaction around the test (pytest-django's helper of
    the same name, which the django_db marker calls, wraps one around it)."""
    with django_db_blocker.unblock():
        yield


@pytest.fixture(scope="module", autouse=True)
def select_for_update_needs_a_transaction():
    """PostgreSQL refuses `select_for_update()` outside a transaction; SQLite has no row
    locks, and Django leaves the lock out of the SQL without a word. Refuse it here too, the
    way Django does for PostgreSQL, so a missing `atomic` fails on both databases."""
    if connection.features.has_select_for_update:
        yield
        return
    as_sql = SQLCompiler.as_sql

    def refusing(self, *args, **kwargs):
        if self.query.select_for_update and self.connection.get_autocommit():
            raise TransactionManagementError("select_for_update cannot be used outside of a transaction.")
        return as_sql(self, *args, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(SQLCompiler, "as_sql", refusing)
        yield


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The walk's world, committed (no transaction around it, nor around the tests), then
    the database flushed so the modules after this one start empty."""
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("uploads"), PASSWORD_HASHERS=demo.FAST_HASHERS),
    ):
        assert connection.get_autocommit(), "the world must be committed, as production's data is"
        try:
            yield World(build_world(settings.MEDIA_ROOT))
        finally:
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def production(world):
    """The world, with no transaction around the test."""
    assert connection.get_autocommit() and not connection.in_atomic_block, "a transaction wraps the test"
    mail.outbox = []
    return world


# --- helpers of the tests --------------------------------------------------------------------


def _url(name: str, world: World, kwargs: dict | None = None, query: str = "") -> str:
    route = ROUTES[name]
    values = {key: world.objects[obj] for key, obj in route.kwargs.items()} | (kwargs or {})
    query = query or route.query
    return reverse(name, kwargs=values) + (f"?{query}" if query else "")


def _login(client, user) -> None:
    client.logout()
    if user is not None:
        client.force_login(user)


def _crash(response) -> str:
    """The exception behind a server error, and the line of the project that raised it."""
    if not response.exc_info:
        return f"status {response.status_code}"
    kind, error, trace = response.exc_info
    project, elsewhere = (
        str(settings.BASE_DIR),
        (str(settings.BASE_DIR / ".venv"), str(settings.BASE_DIR / "tests")),
    )
    ours = [
        frame
        for frame in traceback.extract_tb(trace)
        if frame.filename.startswith(project) and not frame.filename.startswith(elsewhere)
    ]
    where = ours[-1] if ours else traceback.extract_tb(trace)[-1]
    return f"{kind.__name__}: {error}\n  at {where.filename}:{where.lineno} in {where.name}: {where.line}"


def _refusals(response) -> list[str]:
    """What the page said was refused: error messages, and the errors of bound forms it
    shows again."""
    said = [str(m) for m in messages.get_messages(response.wsgi_request) if m.level >= messages.ERROR]
    contexts = response.context
    if contexts is None:
        contexts = []
    elif not isinstance(contexts, ContextList):
        contexts = [contexts]
    forms = {}
    for context in contexts:
        for value in context.flatten().values():
            if isinstance(value, BaseForm) and value.is_bound and value.errors:
                forms[id(value)] = value
    for form in forms.values():
        said += [f"{name}: {error}" for name, errors in form.errors.items() for error in errors]
    return said


def _is_write(sql: str) -> bool:
    return sql.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) and "django_session" not in sql


# --- the tests -------------------------------------------------------------------------------


def test_every_writing_route_is_posted():
    """A route declared as writing needs an entry in WRITES, and an entry a declaration."""
    declared = {name for name, route in ROUTES.items() if route.writes}
    assert not declared - set(WRITES), (
        f"Writing routes without an entry in WRITES: {sorted(declared - set(WRITES))}"
    )
    assert not set(WRITES) - declared, (
        f"Entries in WRITES of routes not declared as writing: {sorted(set(WRITES) - declared)}"
    )
    for name, write in WRITES.items():
        allowed = ROUTES[name].allowed
        assert write.user in allowed or (write.user not in ROLES and not allowed), (
            f"{name} is posted by {write.user}, whom declarations.py does not allow"
        )


READS = [name for name, route in ROUTES.items() if not route.writes]


@pytest.mark.parametrize("name", READS)
def test_a_post_to_a_page_writes_nothing(name, production, client):
    """A POST with an empty form, by a role allowed to open the page (SLK where it may),
    answers 405 or writes nothing: a page that acts on a form must be declared writing."""
    route = ROUTES[name]
    role = SLK if SLK in route.allowed else next(r for r in ROLES if r in route.allowed)
    _move_to(Phase.FEEDBACK, production)
    _login(client, production.users[role])
    client.raise_request_exception = False
    with CaptureQueriesContext(connection) as log:
        response = client.post(_url(name, production), {})
    assert response.status_code < 500, f"POST {name} as {role}: {_crash(response)}"
    writes = [q["sql"] for q in log.captured_queries if _is_write(q["sql"])]
    assert response.status_code == 405 or not writes, (
        f"POST {name} as {role} answered {response.status_code} and wrote: declare it writing "
        f"(declarations.py) and give it an entry in WRITES.\n" + "\n".join(writes[:5])
    )


@pytest.mark.parametrize("name", list(WRITES))
def test_post(name, production, client):
    """The route, posted by an allowed role in autocommit, does its work."""
    write = WRITES[name]
    _move_to(write.phase, production)
    post = write.build(production)
    url = _url(name, production, post.kwargs, post.query)
    _login(client, production.users[write.user])
    client.raise_request_exception = False
    last_entry = AuditEntry.objects.aggregate(last=Max("pk"))["last"] or 0

    response = client.post(url, post.data)

    where = f"POST {url} ({name}) as {write.user}"
    assert response.status_code < 500, f"{where} crashed:\n{_crash(response)}"
    assert response.status_code < 400, f"{where} was refused: {response.status_code}"
    refusals = _refusals(response)
    assert not refusals, f"{where} was refused:\n" + "\n".join(refusals)
    if write.audit:
        assert AuditEntry.objects.filter(pk__gt=last_entry, action=write.audit).exists(), (
            f"{where}: no audit entry {write.audit!r}; recorded: "
            f"{list(AuditEntry.objects.filter(pk__gt=last_entry).values_list('action', flat=True))}"
        )
    assert post.effect(response), f"{where} answered {response.status_code}, but not: {post.expect}"
