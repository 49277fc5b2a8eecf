from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = _("Tävlingsbidrag")

    def ready(self):
        from award import audit
        from award.personal import providers
        from submissions.audit_actions import AuditAction
        from submissions.personal import SubmissionsPersonalData

        audit.register_actions(AuditAction)
        providers.register(SubmissionsPersonalData())

        from award import dashboard
        from award.roles import Role
        from submissions.dashboard import slk_todos

        dashboard.register(Role.SLK, slk_todos)

        from award import schedule
        from submissions import reminders

        schedule.register("submissions.reminders", reminders.send_due)
