"""``{% project_panels "main" %}``: the panels other apps registered (``greenbuild.projects.panels``).

The view puts ``panels`` (``visible_panels(request, project)``) into the page's context; each panel's
template renders with the whole page context (``request``, ``project``, ``csrf_token`` …) plus the
dict its callable returned, the way ``{% include %}`` does.
"""

from __future__ import annotations

from django import template
from django.template.engine import Engine
from django.utils.html import format_html_join
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag(takes_context=True)
def project_panels(context: template.Context, column: str) -> SafeString:
    engine = context.template.engine if context.template is not None else Engine.get_default()
    parts = []
    for panel in context.get("panels", ()):
        if panel.column != column:
            continue
        with context.push(panel.context):
            parts.append(engine.get_template(panel.template).render(context))
    return format_html_join("", "{}", ((part,) for part in parts))  # each part is already safe
