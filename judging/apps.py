from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudgingConfig(AppConfig):
    name = "judging"
    verbose_name = _("Domarkommittén")

    def ready(self):
        from award import audit
        from award.personal import providers
        from judging.audit_actions import AuditAction
        from judging.personal import JudgingPersonalData

        audit.register_actions(AuditAction)
        providers.register(JudgingPersonalData())

        from award import schedule
        from judging.scheduled import announce_released_decisions

        schedule.register("judging.announce_released_decisions", announce_released_decisions)

        from award import jobs
        from judging import jobs as judging_jobs

        jobs.register(
            "judging.cycle_export",
            judging_jobs.cycle_export,
            may_start=judging_jobs.slk_only,
            label=_("Omgångens export (Excel)"),
        )
        jobs.register(
            "judging.decision_notices",
            judging_jobs.decision_notices,
            may_start=judging_jobs.slk_only,
            label=_("Meddela besluten till enheter och examinatorer"),
        )

        from award import dashboard
        from award.roles import Role
        from judging.dashboard import committee_todos, slk_todos

        dashboard.register(Role.SLK, slk_todos)
        dashboard.register(Role.COMMITTEE, committee_todos)
