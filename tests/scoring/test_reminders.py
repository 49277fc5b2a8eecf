"""The examination's reminders (issue 15): examiners with an unsubmitted individual
assessment 5 and 1 days before its deadline (a team's extension respected, and announced on
its first day), team leaders whose consensus is not finalised before the consensus
deadline, SLK while feedback reports wait for approval; each once per person and day."""

import datetime as dt

import pytest

from scoring import services
from tests.support.reminders import days, walk
from tests.support.teams import fill, judged, report_drafted

pytestmark = pytest.mark.django_db
SHARED_WORLD = ("cycle", "slk", "team_world")  # built once for the module (tests/support/world.py)


def _emails(members):
    return sorted(m.profile.user.email for m in members)


def test_examiners_who_have_not_submitted_are_reminded_5_and_1_days_before(team_world):
    cycle, user = team_world["cycle"], team_world["examiner"]
    services.assessment_submit(assessment=fill(team_world["application"], user, 50), by=user)
    deadline = cycle.assessment_deadline

    added = walk(
        deadline - dt.timedelta(days=7), deadline + dt.timedelta(days=1), prefix="reminder:assessment:"
    )

    assert days(added, deadline) == [-5, -1]
    others = [m for m in team_world["members"] if m.profile.user != user]
    team_b = _emails([tm.member for tm in team_world["other_team"].members.all()])
    for rows in added.values():
        recipients = sorted(recipient for _key, recipient in rows)
        assert recipients == sorted(_emails(others) + team_b)
        assert user.email not in recipients


def test_a_team_extension_moves_its_reminders_and_is_announced_when_it_starts(team_world, slk):
    cycle = team_world["cycle"]
    deadline = cycle.assessment_deadline
    until = deadline + dt.timedelta(days=4)

    def extend(day):
        if day == deadline - dt.timedelta(days=3):
            services.assessment_deadline_extend(
                cycle=cycle, team=team_world["other_team"], until=until, reason="Sjukdom i laget", by=slk
            )

    added = walk(
        deadline - dt.timedelta(days=6),
        until + dt.timedelta(days=1),
        prefix="reminder:assessment:",
        before_tick=extend,
    )
    other = team_world["other_examiner"].email
    examiner = team_world["examiner"].email
    to_other = [day for day, rows in added.items() if any(r == other for _k, r in rows)]
    to_examiner = [day for day, rows in added.items() if any(r == examiner for _k, r in rows)]
    assert [(d - deadline).days for d in to_examiner] == [-5, -1]
    # Team B: the cycle's 5 days before; then its own deadline's 5 and 1 days before, and the
    # extension's first day.
    assert [(d - deadline).days for d in to_other] == [-5, -1, 1, 3]
    first_day = [k for k, r in added[deadline + dt.timedelta(days=1)] if r == other]
    assert len(first_day) == 1 and ":extension:" in first_day[0]


def test_no_reminder_once_the_consensus_has_started(team_world):
    world = dict(team_world)
    report_drafted(world)  # every member submits; the consensus is started and finalised
    deadline = team_world["cycle"].assessment_deadline
    added = walk(
        deadline - dt.timedelta(days=5), deadline - dt.timedelta(days=5), prefix="reminder:assessment:"
    )
    recipients = {r for rows in added.values() for _k, r in rows}
    assert team_world["examiner"].email not in recipients and team_world["other_examiner"].email in recipients


def test_leaders_whose_consensus_is_not_final_are_reminded_before_its_deadline(team_world):
    cycle = team_world["cycle"]
    judged(team_world["elsewhere"])  # team B's consensus is final
    deadline = cycle.consensus_deadline
    added = walk(
        deadline - dt.timedelta(days=4), deadline + dt.timedelta(days=1), prefix="reminder:consensus:"
    )
    assert days(added, deadline) == [-3, -1]
    for rows in added.values():
        assert [r for _k, r in rows] == [team_world["leader"].email]


def test_slk_is_reminded_of_reports_waiting_for_approval(team_world, slk):
    report = report_drafted(dict(team_world))
    release = team_world["cycle"].feedback_release
    added = walk(release - dt.timedelta(days=8), release - dt.timedelta(days=2), prefix="reminder:reports:")
    assert days(added, release) == [-7]
    assert [r for _k, r in added[release - dt.timedelta(days=7)]] == [slk.email]

    report.summary = "Sammanfattning"
    report.save(update_fields=["summary"])
    services.report_approve(report=report, by=slk)
    assert (
        walk(release - dt.timedelta(days=1), release - dt.timedelta(days=1), prefix="reminder:reports:") == {}
    )
