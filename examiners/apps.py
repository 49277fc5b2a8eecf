from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ExaminersConfig(AppConfig):
    name = "examiners"
    verbose_name = _("Examinatorer")
