from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Bedömning")

    def ready(self):
        from award import audit
        from award.personal import providers
        from scoring.audit_actions import AuditAction
        from scoring.personal import ScoringPersonalData

        audit.register_actions(AuditAction)
        providers.register(ScoringPersonalData())

        from scoring.queries import earlier_improvements
        from submissions import earlier_feedback

        earlier_feedback.register(earlier_improvements)

        from award import dashboard
        from award.roles import Role
        from scoring.dashboard import slk_todos

        dashboard.register(Role.SLK, slk_todos)

        from examiners import steps
        from scoring.steps import examiner_progress

        steps.register(examiner_progress)

        from award import schedule
        from scoring import reminders

        schedule.register("scoring.examiner_reminders", reminders.examiners_due)
        schedule.register("scoring.leader_reminders", reminders.leaders_due)
        schedule.register("scoring.report_reminders", reminders.reports_due)
