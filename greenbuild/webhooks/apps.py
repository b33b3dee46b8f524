from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebhooksConfig(AppConfig):
    name = "greenbuild.webhooks"
    verbose_name = _("Webhooks")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from greenbuild.webhooks import events, permissions, signals, tasks  # noqa: F401  (registrations)

        signals.connect()
        events.register()
