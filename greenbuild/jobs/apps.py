from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class JobsConfig(AppConfig):
    name = "greenbuild.jobs"
    verbose_name = _("Background jobs")

    def ready(self) -> None:
        # Every app declares its job kinds and daily entries in its own ``tasks.py``.
        autodiscover_modules("tasks")
