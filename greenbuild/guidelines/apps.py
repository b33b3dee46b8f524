from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GuidelinesConfig(AppConfig):
    name = "greenbuild.guidelines"
    verbose_name = _("Technical guideline")

    def ready(self) -> None:
        from greenbuild.guidelines import permissions  # noqa: F401  (registers the gate)
