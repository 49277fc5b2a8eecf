from django.apps import AppConfig
from django.db.models.signals import post_migrate, post_save
from django.utils.translation import gettext_lazy as _


class AwardConfig(AppConfig):
    name = "award"
    verbose_name = _("Utmärkelsen")

    def ready(self):
        from django.contrib.admin.models import LogEntry
        from django.contrib.auth.signals import user_logged_in

        from award.audit import mirror_admin_log
        from award.roles import sync_role_groups
        from award.sessions import stamp_login_time

        post_migrate.connect(sync_role_groups, sender=self)
        post_save.connect(mirror_admin_log, sender=LogEntry, dispatch_uid="award.mirror_admin_log")
        # Connected here, not where the middleware is, so a login before the first request
        # is stamped too (award/sessions.py).
        user_logged_in.connect(stamp_login_time, dispatch_uid="award.stamp_login_time")
