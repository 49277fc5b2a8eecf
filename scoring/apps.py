from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "scoring"
    verbose_name = _("Bedömning")

    def ready(self):
        from award.personal import providers
        from scoring.personal import ScoringPersonalData

        providers.register(ScoringPersonalData())
