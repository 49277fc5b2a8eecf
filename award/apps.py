from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AwardConfig(AppConfig):
    name = "award"
    verbose_name = _("Utmärkelsen")

    def ready(self):
        from award.roles import sync_role_groups

        post_migrate.connect(sync_role_groups, sender=self)
