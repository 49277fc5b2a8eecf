from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JudgingConfig(AppConfig):
    name = "judging"
    verbose_name = _("Domarkommittén")

    def ready(self):
        from award.personal import providers
        from judging.personal import JudgingPersonalData

        providers.register(JudgingPersonalData())
