from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "greenbuild.projects"
    verbose_name = _("Pilot projects")

    def ready(self) -> None:
        from greenbuild.projects import events, fields, permissions  # noqa: F401  (registers the rules)

        events.register()
