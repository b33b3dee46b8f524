from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ScoringConfig(AppConfig):
    name = "greenbuild.scoring"
    verbose_name = _("Standards scoring")

    def ready(self) -> None:
        from greenbuild.scoring import checks, events, permissions  # noqa: F401  (registers the rules and checks)

        events.register()

        from greenbuild.projects import hooks
        from greenbuild.projects.panels import register_panel
        from greenbuild.scoring.selectors import project_panel_context, unknown_pilot_requirements

        hooks.register_unknown_requirements(unknown_pilot_requirements)
        register_panel(  # the standards-checks card on the project page
            "standards",
            order=100,
            template="scoring/partials/project_panel.html",
            context=project_panel_context,
            column="side",
        )
