from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "evaluation"
    verbose_name = _("Utvärdering")

    def ready(self):
        from award import audit
        from award.personal import providers
        from evaluation.audit_actions import AuditAction
        from evaluation.personal import EvaluationPersonalData

        audit.register_actions(AuditAction)
        providers.register(EvaluationPersonalData())

        from award import schedule
        from evaluation import scheduled

        schedule.register("evaluation.send_questionnaires", scheduled.send_questionnaires)
        schedule.register("evaluation.remind_questionnaires", scheduled.remind_questionnaires)

        from award import jobs
        from award.roles import Role, has_role
        from evaluation import jobs as evaluation_jobs

        jobs.register(
            "evaluation.cycle_report_pdf",
            evaluation_jobs.cycle_report_pdf,
            may_start=lambda user, params: has_role(user, Role.SLK),
            label=_("Omgångsrapporten (PDF)"),
        )
