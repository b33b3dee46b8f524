from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferenceConfig(AppConfig):
    name = "greenbuild.reference"
    verbose_name = _("Reference data")
