from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncentivesConfig(AppConfig):
    name = "greenbuild.incentives"
    verbose_name = _("Incentives and training")

    def ready(self) -> None:
        from greenbuild.incentives import events, panels, permissions  # noqa: F401  (registers the rules and the gates)

        events.register()
        panels.register()
        connect_completion()


def connect_completion() -> bool:
    """Listen for ``completion_accepted`` (greenbuild/completion/signals.py) once the completion
    app exists; until then the bureau runs :func:`services.award_bonuses` by hand. Returns whether
    the receiver is connected."""
    try:
        from greenbuild.completion.signals import completion_accepted
    except ImportError:  # pragma: no cover - the completion app is part of the platform
        return False
    from greenbuild.incentives.services import on_completion_accepted

    completion_accepted.connect(on_completion_accepted, dispatch_uid="incentives.on_completion_accepted")
    return True
