"""The access tests' world (tests/access): one cycle with everything a URL can point at,
built with the services, and one user for each role of tests/access/declarations.py."""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from accounts.models import Invitation, RoleRequest, VolunteerRequest, token_digest
from award.models import (
    TIMELINE_FIELDS,
    AwardCycle,
    BackgroundJob,
    CommitteeMembership,
    OutboxMessage,
    Track,
    today,
)
from award.roles import Role
from evaluation import services as evaluation_services
from evaluation.models import Questionnaire
from examiners import services as examiner_services
from examiners.models import Enrolment
from judging import services as judging_services
from judging.models import DecisionOutcome, Meeting
from scoring import services
from scoring.models import ConsensusItem
from submissions import services as submission_services
from submissions.models import Answer, Attachment
from tests.support import factories
from tests.support.teams import confirmed_team, finalise

#: The secret of the world's invitation link.
INVITATION_TOKEN = "walk-inbjudan"
#: The secret of the world's volunteer confirmation link.
VOLUNTEER_TOKEN = "walk-intresse"


def _release_today(cycle):
    """Move the whole timeline so the feedback reports were released today."""
    cycle.refresh_from_db()
    delta = today() - cycle.feedback_release
    AwardCycle.objects.filter(pk=cycle.pk).update(**{n: getattr(cycle, n) + delta for n in TIMELINE_FIELDS})
    cycle.refresh_from_db()


def build_world(media_root) -> dict:
    """One cycle with everything a URL can point at; returns the users by role and the
    objects by the names tests/access/declarations.py's routes use."""
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
    # A finished background job with its file (SLK's jobs page, issue 15).
    job = BackgroundJob(
        kind="judging.cycle_export",
        params={"year": cycle.year},
        requested_by=slk,
        status=BackgroundJob.Status.DONE,
        done=1,
        total=1,
        filename="omgang.xlsx",
        content_type="application/octet-stream",
        finished_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(hours=24),
    )
    job.file.save("omgang.xlsx", ContentFile(b"PK\x03\x04"), save=False)
    job.save()

    # The committee of the cycle: a chair, a member and a member with a conflict on the unit.
    chair, member, conflicted = (
        factories.user_with_role(Role.COMMITTEE, username=name) for name in ("ordforande", "ledamot", "javig")
    )
    for user in (chair, member, conflicted):
        CommitteeMembership.objects.create(cycle=cycle, user=user, is_chair=user == chair)
    judging_services.committee_conflict_declare(
        cycle=cycle, member=conflicted, target=application.unit, reason="Min bror arbetar där", by=slk
    )
    # Last year's committee: the same role, another cycle.
    last_year = factories.AwardCycleFactory(year=cycle.year - 1, **factories.timeline(phase_offset=-365))
    other_committee = factories.user_with_role(Role.COMMITTEE, username="fjolarets-ledamot")
    CommitteeMembership.objects.create(cycle=last_year, user=other_committee)

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
    # The session's practice case, which the team's examiner takes as a trainee.
    practice_case = examiner_services.practice_case_save(
        session=session, track=quality, title="Övningsfall", introduction="", items={}, by=slk
    )
    examiner_services.enrol(session=session, member=members[1], by=slk)

    questionnaire = evaluation_services.questionnaire_send(
        cycle=cycle, audience=Questionnaire.Audience.APPLICANTS, by=slk, notify=False
    )

    examiner = members[1].profile.user
    # An invitation for a new contact of the unit, waiting for its answer.
    invitation = Invitation.objects.create(
        kind=Invitation.Kind.UNIT_CONTACT,
        email="ny-kontakt@example.se",
        name="Ny Kontakt",
        unit=application.unit,
        token_hash=token_digest(INVITATION_TOKEN),
        invited_by=slk,
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    # A volunteer without an account who has confirmed their address, waiting for SLK.
    volunteer_request = VolunteerRequest.objects.create(
        cycle=cycle,
        name="Villig Volontär",
        email="villig@stockholm.se",
        organisation=application.unit.organisation,
        workplace="Skolan",
        manager_name="Chef Chefsson",
        token_hash=token_digest(VOLUNTEER_TOKEN),
        status=VolunteerRequest.Status.CONFIRMED,
        confirmed_at=timezone.now(),
    )
    users = {
        "anonymous": None,
        "unit_contact": unit_contact,
        "other_unit_contact": other_unit_contact,
        "examiner": examiner,
        "other_examiner": other_members[1].profile.user,
        "leader": leader,
        "committee": member,
        "committee_conflicted": conflicted,
        "other_committee": other_committee,
        "slk": slk,
    }
    objects = {
        "year": cycle.year,
        "track": quality.pk,
        "application": application.pk,
        "criterion": quality.criteria.order_by("number").first().pk,
        "attachment": attachment.pk,
        "job": job.pk,
        "pool_member": members[1].pk,
        "team": team.pk,
        "team_member": members[1].pk,
        "session": session.pk,
        "day": day.pk,
        "enrolment": enrolment.pk,
        "practice_case": practice_case.pk,
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
        "unit": application.unit_id,
        "invitation": invitation.pk,
        "invitation_token": INVITATION_TOKEN,
        "volunteer_request": volunteer_request.pk,
        "volunteer_token": VOLUNTEER_TOKEN,
        "role_request": RoleRequest.objects.create(
            email="vill-ha-roll@example.se", name="Vill Ha Roll", kind=RoleRequest.Kind.EXAMINER
        ).pk,
        # An e-mail of the outbox that could not be sent, for SLK's resend.
        "outbox_message": OutboxMessage.objects.create(
            key="access-walk",
            recipient="kontakt@example.se",
            subject="Ett ärende",
            body="Text",
            last_error="SMTP nere",
        ).pk,
        "reset_uid": "MQ",
        "reset_token": "ogiltig-nyckel",
    }
    return {"users": users, "objects": objects, "cycle": cycle}


def logged_in_sessions(users: dict) -> dict:
    """role -> the key of a session logged in as that role's user (its second factor
    passed), None for the anonymous visitor: the walk sends each request in its role's
    session and rolls the request back, instead of logging in and out around each one."""
    from django.test import Client

    from accounts.twofactor import SECOND_FACTOR_KEY

    sessions = {}
    for role, user in users.items():
        if user is None:
            sessions[role] = None
            continue
        client = Client()
        client.force_login(user)
        session = client.session
        session[SECOND_FACTOR_KEY] = "test"
        session.save()
        sessions[role] = session.session_key
    return sessions
