from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExaminersConfig(AppConfig):
    name = "examiners"
    verbose_name = _("Examinatorer")

    def ready(self):
        from award import audit
        from award.personal import providers
        from award.signals import unit_organisation_changed
        from examiners import services
        from examiners.audit_actions import AuditAction
        from examiners.personal import ExaminersPersonalData
        from submissions.signals import application_status_changed

        audit.register_actions(AuditAction)
        providers.register(ExaminersPersonalData())

        from award import dashboard
        from award.roles import Role
        from examiners.dashboard import slk_todos

        dashboard.register(Role.SLK, slk_todos)

        def on_status_changed(sender, **kwargs):
            services.application_status_changed(**kwargs)

        def on_unit_organisation_changed(sender, **kwargs):
            services.unit_organisation_changed(**kwargs)

        application_status_changed.connect(
            on_status_changed, dispatch_uid="examiners.application_status_changed"
        )
        unit_organisation_changed.connect(
            on_unit_organisation_changed, dispatch_uid="examiners.unit_organisation_changed"
        )
