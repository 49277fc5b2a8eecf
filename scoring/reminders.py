"""The examination's reminders, sent by the scheduler's tick (registered in apps.py):

- examiners with an unsubmitted individual assessment, on each of the cycle's
  `assessment_reminder_days` (5 and 1 by default) before its deadline (the team's
  extension, if SLK gave one), and on the day such an extension starts;
- team leaders whose consensus is not finalised, on each of `consensus_reminder_days`
  before the consensus deadline;
- SLK, while feedback reports wait for approval, on each of `report_reminder_days`
  before the feedback release.

An assessment is no longer reminded once the consensus has started (it is frozen then), and
an examiner who has lost access to the application (a conflict declared after assignment)
is not reminded of it. Each reminder is keyed by its thing, deadline and day: once per person."""

import datetime as dt

from django.urls import reverse
from django.utils.translation import gettext as _

from award import reminders
from examiners.models import Team
from scoring.models import Assessment, Consensus, FeedbackReport

ASSESS = "submissions.assess_application"


def _confirmed_teams(cycle):
    return (
        Team.objects.confirmed()
        .filter(cycle=cycle)
        .select_related("cycle")
        .prefetch_related("members__member__profile__user", "assignments__application__unit")
    )


def _assessment_deadline(team) -> dt.date:
    """The same date as scoring.rules.assessment_deadline, from the team already read."""
    return team.assessment_deadline_extended_to or team.cycle.assessment_deadline


def examiners_due(*, today: dt.date) -> int:
    sent = 0
    for cycle in reminders.cycles(today):
        teams = list(_confirmed_teams(cycle))
        applications = [a.application for team in teams for a in team.assignments.all()]
        started = set(
            Consensus.objects.filter(application__in=applications).values_list("application_id", flat=True)
        )
        submitted = set(
            Assessment.objects.filter(
                application__in=applications, status=Assessment.Status.SUBMITTED
            ).values_list("application_id", "member_id")
        )
        for team in teams:
            deadline = _assessment_deadline(team)
            if deadline < today:
                continue
            extended = team.assessment_deadline_extended_to
            extension_day = bool(extended) and cycle.assessment_deadline < today <= extended
            reminder_day = reminders.is_reminder_day(deadline, today, cycle.assessment_reminder_days)
            if not (extension_day or reminder_day):
                continue
            for assignment in team.assignments.all():
                application = assignment.application
                if application.pk in started:
                    continue
                waiting = [
                    tm.member.profile.user
                    for tm in team.members.all()
                    if (application.pk, tm.member_id) not in submitted
                    and tm.member.profile.user.is_active
                    and tm.member.profile.user.has_perm(ASSESS, application)
                ]
                for user in waiting:
                    sent += _remind_examiner(
                        user,
                        application,
                        cycle,
                        deadline,
                        today,
                        extension_day=extension_day,
                        reminder_day=reminder_day,
                    )
    return sent


def _remind_examiner(user, application, cycle, deadline, today, *, extension_day, reminder_day) -> int:
    name = {"code": application.code, "unit": application.unit.name, "year": cycle.year}
    path = reverse("scoring:assessment", args=[application.pk])
    sent = 0
    due = _(
        "Sista dag för din individuella bedömning är %(date)s (%(when)s). Lämna in den före dagens slut."
    ) % {
        "date": deadline.isoformat(),
        "when": reminders.when(deadline, today),
    }
    if extension_day:
        sent += reminders.remind(
            key=f"reminder:assessment:{application.pk}:user:{user.pk}:extension:{deadline.isoformat()}",
            recipients=[user.email],
            subject=_("Kvalitetsutmärkelsen %(year)s: förlängd tid för bedömningen av %(code)s") % name,
            lines=[
                _(
                    "Stadsledningskontoret har förlängt tiden för den individuella bedömningen av %(code)s (%(unit)s)."
                )
                % name,
                due,
                _("Din bedömning:"),
            ],
            path=path,
            reason=_("Påminnelse: förlängd tid för individuell bedömning"),
            related=application,
        )
    if reminder_day:
        left = reminders.days_before(deadline, today)
        sent += reminders.remind(
            key=f"reminder:assessment:{application.pk}:user:{user.pk}:deadline:{deadline.isoformat()}:{left}",
            recipients=[user.email],
            subject=_("Kvalitetsutmärkelsen %(year)s: lämna in bedömningen av %(code)s senast %(date)s")
            % {**name, "date": deadline.isoformat()},
            lines=[
                _("Din individuella bedömning av %(code)s (%(unit)s) är inte inlämnad ännu.") % name,
                due,
                _("Din bedömning:"),
            ],
            path=path,
            reason=_("Påminnelse: individuell bedömning inte inlämnad"),
            related=application,
        )
    return sent


def leaders_due(*, today: dt.date) -> int:
    sent = 0
    for cycle in reminders.cycles(today):
        deadline = cycle.consensus_deadline
        if not reminders.is_reminder_day(deadline, today, cycle.consensus_reminder_days):
            continue
        left = reminders.days_before(deadline, today)
        teams = list(_confirmed_teams(cycle))
        applications = [a.application for team in teams for a in team.assignments.all()]
        final = set(
            Consensus.objects.filter(application__in=applications, status=Consensus.Status.FINAL).values_list(
                "application_id", flat=True
            )
        )
        for team in teams:
            leader = next((tm.member.profile.user for tm in team.members.all() if tm.is_leader), None)
            if leader is None or not leader.is_active:
                continue
            for assignment in team.assignments.all():
                application = assignment.application
                if application.pk in final:
                    continue
                name = {"code": application.code, "unit": application.unit.name, "year": cycle.year}
                sent += reminders.remind(
                    key=f"reminder:consensus:{application.pk}:deadline:{deadline.isoformat()}:{left}",
                    recipients=[leader.email],
                    subject=_(
                        "Kvalitetsutmärkelsen %(year)s: fastställ konsensus för %(code)s senast %(date)s"
                    )
                    % {**name, "date": deadline.isoformat()},
                    lines=[
                        _("Lagets konsensus för %(code)s (%(unit)s) är inte fastställd ännu.") % name,
                        _("Sista dag för konsensus är %(date)s (%(when)s).")
                        % {"date": deadline.isoformat(), "when": reminders.when(deadline, today)},
                        _("Konsensus:"),
                    ],
                    path=reverse("scoring:consensus", args=[application.pk]),
                    reason=_("Påminnelse: konsensus inte fastställd"),
                    related=application,
                )
    return sent


def reports_due(*, today: dt.date) -> int:
    sent = 0
    for cycle in reminders.cycles(today):
        release = cycle.feedback_release
        if not reminders.is_reminder_day(release, today, cycle.report_reminder_days):
            continue
        waiting = list(
            FeedbackReport.objects.filter(application__track__cycle=cycle)
            .exclude(status=FeedbackReport.Status.APPROVED)
            .select_related("application__unit")
            .order_by("application__code")
        )
        if not waiting:
            continue
        lines = [
            _(
                "%(count)s återföringsrapporter väntar på ert godkännande. De släpps till enheterna %(date)s (%(when)s)."
            )
            % {"count": len(waiting), "date": release.isoformat(), "when": reminders.when(release, today)},
            "",
            *(
                f"{report.application.code} {report.application.unit.name}: "
                + reminders.absolute(reverse("scoring:report_edit", args=[report.application_id]))
                for report in waiting
            ),
            "",
            _("Er startsida:"),
        ]
        sent += reminders.remind(
            key=f"reminder:reports:{cycle.pk}:release:{release.isoformat()}:{reminders.days_before(release, today)}",
            recipients=reminders.slk_addresses(),
            subject=_("Kvalitetsutmärkelsen %(year)s: återföringsrapporter att godkänna")
            % {"year": cycle.year},
            lines=lines,
            path=reverse("home"),
            reason=_("Påminnelse: återföringsrapporter att godkänna"),
            related=cycle,
        )
    return sent
