from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "greenbuild.scoring"
    verbose_name = _("Standards scoring")

    def ready(self) -> None:
        from greenbuild.scoring import permissions  # noqa: F401  (registers the rules)
