from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LifecycleConfig(AppConfig):
    name = "greenbuild.lifecycle"
    verbose_name = _("Baseline and lifecycle steps")

    def ready(self) -> None:
        from greenbuild.lifecycle import events, permissions, receivers  # noqa: F401  (rules, gates, signals)

        events.register()
        receivers.register()

        from greenbuild.lifecycle.panels import project_panel_context
        from greenbuild.projects.panels import register_panel

        register_panel(
            "lifecycle", order=300, template="lifecycle/partials/project_panel.html", context=project_panel_context
        )
