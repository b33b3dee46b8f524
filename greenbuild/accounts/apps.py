from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "greenbuild.accounts"
    verbose_name = _("Organisations and people")

    def ready(self) -> None:
        from greenbuild.accounts import fields  # noqa: F401  (registers the field policy)
