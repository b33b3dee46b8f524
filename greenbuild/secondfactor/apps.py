from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecondFactorConfig(AppConfig):
    name = "greenbuild.secondfactor"
    label = "secondfactor"
    verbose_name = _("Second factor")

    def ready(self) -> None:
        from greenbuild.secondfactor import signals  # noqa: F401  (audits removed devices)
