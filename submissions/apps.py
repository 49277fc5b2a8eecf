from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SubmissionsConfig(AppConfig):
    name = "submissions"
    verbose_name = _("Tävlingsbidrag")

    def ready(self):
        from award.personal import providers
        from submissions.personal import SubmissionsPersonalData

        providers.register(SubmissionsPersonalData())
