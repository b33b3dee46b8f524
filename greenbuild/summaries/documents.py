"""The programme summary as an issued document (总结评估报告): a kind of the issued-documents register
(number, filing, public verification), laid out in Chinese through ``reports.pdf`` from the
revision of record. Readers: whoever may open the summary (its gate)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

SUMMARY_DOCUMENT = "summaries.programme_summary"


def subject(summary: Any) -> str:
    return _("Summary and evaluation report of {programme}").format(programme=summary.programme.name_zh)


def render(summary: Any, draft: Any) -> bytes:
    from greenbuild.summaries.render import render_summary_pdf

    revision = summary.revision
    return render_summary_pdf(summary, revision.number, revision.content, draft=draft)


def may_issue(user: Any, summary: Any) -> bool:
    """Filed by the issue move, once the summary is issued from its revision of record."""
    return summary.status == "issued" and summary.revision_id is not None


def audience(summary: Any) -> Any:
    from django.db.models import Q

    from greenbuild.accounts.choices import Role

    return Q(memberships__role__in=[Role.BUREAU_ADMIN, Role.DISTRICT_OFFICIAL, Role.DEPARTMENT_REVIEWER])


def register() -> None:
    from greenbuild.documents.registry import DocumentKind, register_kind

    register_kind(
        DocumentKind(
            code=SUMMARY_DOCUMENT,
            label=gettext_lazy("Programme summary and evaluation report"),
            model="summaries.ProgrammeSummary",
            issuer="bureau",
            prefix="常住建绿总",
            subject=subject,
            render=render,
            url_of=lambda summary: reverse("summaries:summary-detail", args=[summary.pk]),
            may_issue=may_issue,
            audience=audience,
        )
    )
