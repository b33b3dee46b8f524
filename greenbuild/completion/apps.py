from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CompletionConfig(AppConfig):
    name = "greenbuild.completion"
    verbose_name = _("Completion evaluation")

    def ready(self) -> None:
        from greenbuild.completion import documents, events, permissions  # noqa: F401  (rules and the gate)
        from greenbuild.projects.panels import register_panel

        events.register()
        documents.register()
        from greenbuild.completion.selectors import project_panel_context

        register_panel(
            "completion", order=420, template="completion/partials/project_panel.html", context=project_panel_context
        )
