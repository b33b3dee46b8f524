from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    name = "greenbuild.plans"
    verbose_name = _("Green construction plans")

    def ready(self) -> None:
        from django.core import checks as django_checks

        from greenbuild.plans import checks, events, permissions  # noqa: F401  (registers the rules and the gate)

        events.register()
        from greenbuild.attachments.permissions import register_attachment_withholder

        register_attachment_withholder(permissions.withholds_file, permissions.withheld_files_scope)
        django_checks.register(checks.check_plans_concluded_by_a_round, django_checks.Tags.database)
