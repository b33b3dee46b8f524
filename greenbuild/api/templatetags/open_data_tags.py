"""``{% open_data_footer %}``: the public pages' link to the open data and its licence (R26)."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings
from django.urls import reverse

register = template.Library()

#: Licence URLs the footer can name; any other shows as "licence".
LICENCE_NAMES = {
    "https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0",
}


@register.inclusion_tag("api/includes/open_data_footer.html")
def open_data_footer() -> dict[str, Any]:
    licence = settings.OPEN_DATA_LICENSE
    return {
        "catalogue_url": reverse("open-data-catalogue"),
        "index_url": reverse("api:open-data"),
        "docs_url": reverse("api:docs"),
        "licence_url": licence,
        "licence_name": LICENCE_NAMES.get(licence),
    }
