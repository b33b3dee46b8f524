from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AttachmentsConfig(AppConfig):
    name = "greenbuild.attachments"
    verbose_name = _("Attachments")

    def ready(self) -> None:
        from greenbuild.attachments import permissions, signals  # noqa: F401  (the gate; file removal on delete)
