"""The rectification order (整改通知书) as a kind of the issued-documents register."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from greenbuild.reports.pdf import render_pdf

ORDER_DOCUMENT = "inspections.rectification_order"


def render_order(order: Any, draft: Any) -> bytes:
    with translation.override("zh-hans"):
        return render_pdf(
            "inspections/pdf/order.html",
            {"order": order, "finding": order.finding, "project": order.project, "draft": draft},
            title=_("Rectification order"),
        )


def order_subject(order: Any) -> str:
    return _("Rectification order for {project}").format(project=order.project.name)


def may_issue(user: Any, order: Any) -> bool:
    from greenbuild.inspections.permissions import can

    return bool(can(user, "change", order))


def audience(order: Any) -> Any:
    from django.db.models import Q

    from greenbuild.accounts.choices import Role

    return Q(memberships__role=Role.OWNER_APPLICANT, memberships__organisation_id=order.project.owner_id)


def register() -> None:
    from greenbuild.documents.registry import DocumentKind, Party, register_kind, register_party
    from greenbuild.inspections.permissions import is_inspector

    register_party(Party(code="inspectorate", default_name="常州市住房和城乡建设局", is_member=is_inspector))
    register_kind(
        DocumentKind(
            code=ORDER_DOCUMENT,
            label=gettext_lazy("Rectification order"),
            model="inspections.RectificationOrder",
            issuer="inspectorate",
            prefix="常住建绿整改",
            subject=order_subject,
            render=render_order,
            project_of=lambda order: order.project,
            url_of=lambda order: reverse("inspections:order-detail", args=[order.pk]),
            may_issue=may_issue,
            audience=audience,
        )
    )
