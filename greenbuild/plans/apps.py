from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "greenbuild.plans"
    verbose_name = _("Green construction plans")

    def ready(self) -> None:
        from greenbuild.plans import events, permissions  # noqa: F401  (registers the rules and the gate)

        events.register()
