from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BulletinsConfig(AppConfig):
    name = "greenbuild.bulletins"
    verbose_name = _("Periodic bulletins")

    def ready(self) -> None:
        from greenbuild.bulletins import events, permissions, tasks  # noqa: F401  (rules, gates, job kind)

        events.register()
        from greenbuild.bulletins.api.open_data import register_dataset

        register_dataset()  # the published bulletins in the open-data catalogue (/data.json)
