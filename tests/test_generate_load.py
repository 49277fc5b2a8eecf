"""bench.generate_load (issue 8): a small load has the promised shape and the committee can
read it."""

import pytest
from django.urls import reverse

from award.models import AwardCycle, PastResult, Track
from bench.generate_load import LoadError, generate, main
from examiners.models import Team, TeamMember
from judging.models import Decision
from scoring.models import Assessment, AssessmentItem, Consensus, SiteVisit
from submissions.models import Answer, Application, ApplicationUserObjectPermission

N = 20


@pytest.fixture
def load(db, settings):
    settings.DEBUG = True
    generate(applications=N, seed=7, cycle_year=2031)
    return AwardCycle.objects.get(year=2031)


def test_counts_and_shape(load):
    applications = Application.objects.filter(track__cycle=load)
    assert applications.count() == N
    assert AwardCycle.objects.current() == load
    assert Application.objects.filter(track__cycle__year=2030).count() == N // 4
    assert PastResult.objects.filter(year=2030).exists()
    # Every application: answers within the criteria's limits, a confirmed team, five
    # submitted assessments with an item per criterion, a final consensus.
    for application in applications.select_related("track"):
        criteria = list(application.track.criteria.all())
        answers = list(Answer.objects.filter(application=application).select_related("criterion"))
        assert len(answers) == len(criteria)
        assert all(0.5 * a.criterion.max_length <= len(a.text) <= a.criterion.max_length for a in answers)
        assert application.assignment.team.status == Team.Status.CONFIRMED
        assessments = Assessment.objects.filter(application=application)
        assert assessments.count() == application.assignment.team.members.count() >= 2
        assert AssessmentItem.objects.filter(assessment__application=application).count() == (
            assessments.count() * len(criteria)
        )
        assert Consensus.objects.get(application=application).status == Consensus.Status.FINAL
    teams = Team.objects.filter(cycle=load)
    assert all(1 <= t.assignments.count() <= 2 for t in teams)
    assert TeamMember.objects.filter(team__cycle=load, is_leader=True).count() == teams.count()
    assert SiteVisit.objects.filter(application__track__cycle=load).exists()
    assert Decision.objects.filter(meeting__cycle=load, status=Decision.Status.SIGNED).exists()
    # Unit contacts: view + change; team members: view + assess, on each application.
    assessments = Assessment.objects.filter(application__track__cycle=load).count()
    assert ApplicationUserObjectPermission.objects.filter(content_object__track__cycle=load).count() == (
        2 * N + 2 * assessments
    )


def test_permissions_work_through_guardian(load):
    application = Application.objects.filter(track__cycle=load).first()
    contact = application.unit.contacts.get()
    assert contact.has_perm("submissions.change_application", application)
    leader = TeamMember.objects.get(team=application.assignment.team, is_leader=True).member.profile.user
    assert leader.has_perm("submissions.assess_application", application)
    assert leader.has_perm("submissions.view_application", application)
    assert not leader.has_perm("submissions.change_application", application)


def test_consolidated_view_renders(load, client):
    from django.contrib.auth import get_user_model

    track = load.tracks.get(kind=Track.Kind.QUALITY_AWARD)
    client.force_login(get_user_model().objects.get(username="load-domare2"))
    response = client.get(reverse("judging:consolidated", args=[load.year, track.pk]))
    assert response.status_code == 200
    first = Application.objects.filter(track=track).order_by("code").first()
    assert first.code in response.content.decode()


def test_refuses_without_debug(db, settings):
    settings.DEBUG = False
    with pytest.raises(LoadError, match="DEBUG"):
        generate(applications=N, seed=1)
    assert not AwardCycle.objects.exists()


def test_the_command_line_generates_and_reports_the_counts(db, settings, capsys):
    settings.DEBUG = True
    main(["--applications", "4", "--seed", "3", "--cycle-year", "2031"])
    assert Application.objects.filter(track__cycle__year=2031).count() == 4
    printed = capsys.readouterr().out
    assert printed.startswith("generate_load: 4 bidrag (2 förra året), frö 3, år 2031")
    assert "submissions.Application" in printed and "Klart på" in printed


def test_the_command_line_refuses_a_database_that_holds_the_cycle(load, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--applications", "4", "--cycle-year", "2031"])
    assert exit_.value.code == 2
    assert "använd en tom databas" in capsys.readouterr().err
