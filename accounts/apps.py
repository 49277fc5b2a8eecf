from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Konton")

    def ready(self):
        from accounts.audit_actions import AuditAction
        from accounts.personal import AccountsPersonalData
        from award import audit
        from award.personal import providers

        audit.register_actions(AuditAction)
        providers.register(AccountsPersonalData())
