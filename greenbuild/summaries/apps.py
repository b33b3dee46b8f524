from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SummariesConfig(AppConfig):
    name = "greenbuild.summaries"
    verbose_name = _("Programme summaries")

    def ready(self) -> None:
        from greenbuild.summaries import documents, events, permissions, tasks  # noqa: F401  (rules, gate, job kind)

        events.register()
        documents.register()
