from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ListsConfig(AppConfig):
    """What every list page shares: sortable columns (through the field policy) and saved filters."""

    name = "greenbuild.lists"
    verbose_name = _("Lists")
