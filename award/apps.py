from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class AwardConfig(AppConfig):
    name = "award"
    verbose_name = _("Utmärkelsen")

    def ready(self):
        from django.contrib.admin.models import LogEntry

        # The session lifetime's login stamp is a signal receiver in config.middleware, which
        # Django otherwise imports only with the first request: a login before that (a
        # test client's force_login, a shell) would go unstamped.
        import config.middleware  # noqa: F401
        from award.audit import mirror_admin_log
        from award.roles import sync_role_groups

        post_migrate.connect(sync_role_groups, sender=self)
        post_save.connect(mirror_admin_log, sender=LogEntry, dispatch_uid="award.mirror_admin_log")
