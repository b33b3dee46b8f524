from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "greenbuild.supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from greenbuild.projects.panels import register_panel
        from greenbuild.supervision import events, permissions  # noqa: F401  (registers the rules and the gates)
        from greenbuild.supervision.panels import project_panel_context

        events.register()
        register_panel(
            "supervision", order=450, template="supervision/partials/project_panel.html", context=project_panel_context
        )
