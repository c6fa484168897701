from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FocalConfig(AppConfig):
    name = "focal"
    verbose_name = _("Focal points")
