from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConferenceConfig(AppConfig):
    name = "greenbuild.conference"
    verbose_name = _("Joint conference")

    def ready(self) -> None:
        from greenbuild.conference import events, permissions  # noqa: F401  (registers the rules and the gates)

        events.register()
