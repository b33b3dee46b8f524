from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "greenbuild.inspections"
    verbose_name = _("Inspections")

    def ready(self) -> None:
        from greenbuild.inspections import documents, events, panels, permissions, tasks  # noqa: F401

        events.register()
        documents.register()
        panels.register()
