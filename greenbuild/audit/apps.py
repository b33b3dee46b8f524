from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "greenbuild.audit"
    verbose_name = _("Security audit log")

    def ready(self) -> None:
        from greenbuild.audit import checks, signals, tasks  # noqa: F401  (registers the check, connects receivers)

        tasks.register()
