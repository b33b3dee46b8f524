from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    name = "greenbuild.publicity"
    verbose_name = _("Public notice and public concern")

    def ready(self) -> None:
        from greenbuild.publicity import events, permissions  # noqa: F401  (rules, gates)

        events.register()

        from greenbuild.projects import hooks
        from greenbuild.publicity.services import confirmable_projects, confirmation_basis

        hooks.register_confirmation_basis(confirmation_basis)
        hooks.register_confirmable(confirmable_projects)

        from greenbuild.projects.panels import register_panel
        from greenbuild.publicity.panels import project_panel_context

        register_panel(
            "publicity",
            order=700,
            template="publicity/partials/project_panel.html",
            context=project_panel_context,
            column="side",
        )
