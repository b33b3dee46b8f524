"""The evaluation report (绿色建造专项评估报告) and the acceptance letter (专项验收意见书): kinds of the
issued-documents register (number, filing, public verification); laid out in Chinese through
``reports.pdf``. Readers: whoever may open the evaluation (its gate)."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from greenbuild.reports.pdf import render_pdf

EVALUATION_REPORT = "completion.evaluation_report"
ACCEPTANCE_LETTER = "completion.acceptance_letter"


def report_context(evaluation: Any, draft: Any = None) -> dict[str, Any]:
    from greenbuild.completion.selectors import outcome_rows

    return {
        "evaluation": evaluation,
        "project": evaluation.project,
        "scheme": evaluation.scheme,
        "rows": outcome_rows(evaluation),
        "draft": draft,
    }


def render_report(evaluation: Any, draft: Any) -> bytes:
    with translation.override("zh-hans"):
        return render_pdf(
            "completion/pdf/evaluation_report.html",
            report_context(evaluation, draft),
            title=_("Green construction evaluation report"),
        )


def render_letter(evaluation: Any, draft: Any) -> bytes:
    with translation.override("zh-hans"):
        return render_pdf(
            "completion/pdf/acceptance_letter.html",
            report_context(evaluation, draft),
            title=_("Green construction acceptance letter"),
        )


def report_subject(evaluation: Any) -> str:
    return _("Green construction evaluation report of {project}").format(project=evaluation.project.name)


def letter_subject(evaluation: Any) -> str:
    return _("Green construction acceptance letter of {project}").format(project=evaluation.project.name)


def may_issue_report(user: Any, evaluation: Any) -> bool:
    from greenbuild.completion.choices import FINAL_STATUSES

    return evaluation.status in FINAL_STATUSES


def may_issue_letter(user: Any, evaluation: Any) -> bool:
    return evaluation.status == "accepted"


def audience(evaluation: Any) -> Any:
    from django.db.models import Q

    from greenbuild.accounts.choices import Role

    return Q(memberships__role=Role.OWNER_APPLICANT, memberships__organisation_id=evaluation.project.owner_id) | Q(
        pk__in=list(evaluation.panel_members.values_list("pk", flat=True))
    )


def register() -> None:
    from greenbuild.documents.registry import DocumentKind, register_kind

    common = {
        "model": "completion.CompletionEvaluation",
        "issuer": "bureau",
        "project_of": lambda evaluation: evaluation.project,
        "url_of": lambda evaluation: reverse("completion:evaluation-detail", args=[evaluation.pk]),
        "audience": audience,
    }
    register_kind(
        DocumentKind(
            code=EVALUATION_REPORT,
            label=gettext_lazy("Green construction evaluation report"),
            prefix="常住建绿评",
            subject=report_subject,
            render=render_report,
            may_issue=may_issue_report,
            **common,
        )
    )
    register_kind(
        DocumentKind(
            code=ACCEPTANCE_LETTER,
            label=gettext_lazy("Green construction acceptance letter"),
            prefix="常住建绿验",
            subject=letter_subject,
            render=render_letter,
            may_issue=may_issue_letter,
            **common,
        )
    )
