"""The summary's state machine on the shared engine (core/workflow.py): drafted, approved by the
bureau, then issued (filed in the documents register). Approving needs the latest revision to be
generated; issuing is a move from ``approved`` only, so an unapproved summary is refused on every
path (page, API, service, admin: all of them call :func:`apply_move`)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenbuild.core.workflow import OPTIONAL, REQUIRED, Move, Workflow
from greenbuild.summaries.choices import RevisionStatus
from greenbuild.summaries.choices import SummaryStatus as S


def _generated(summary: Any, actor: Any) -> list[Any]:
    """A summary is approved as generated: its latest revision must be ready (no job running)."""
    latest = summary.latest_revision()
    if latest is None or latest.status == RevisionStatus.FAILED:
        return [_("Generate the summary first: there are no figures to approve.")]
    if latest.status != RevisionStatus.READY:
        return [_("The summary is still being generated: wait until the job has finished.")]
    return []


def _has_record(summary: Any, actor: Any) -> list[Any]:
    if summary.revision_id is None or summary.approved_at is None:
        return [_("Only an approved summary can be issued.")]
    return []


def _record_approval(summary: Any, actor: Any, comment: str) -> list[str]:
    summary.revision = summary.latest_revision()
    summary.approved_by = actor
    summary.approved_at = timezone.now()
    return ["revision", "approved_by", "approved_at"]


def _clear_approval(summary: Any, actor: Any, comment: str) -> list[str]:
    summary.revision = None
    summary.approved_by = None
    summary.approved_at = None
    return ["revision", "approved_by", "approved_at"]


def _record_issue(summary: Any, actor: Any, comment: str) -> list[str]:
    summary.issued_by = actor
    summary.issued_at = timezone.now()
    return ["issued_by", "issued_at"]


def _hook(transition: Any) -> None:
    from greenbuild.summaries.events import notify_summary_transition

    notify_summary_transition(transition.pk)


SUMMARY_WORKFLOW = Workflow(
    name="summary",
    model="summaries.ProgrammeSummary",
    transition_model="summaries.SummaryTransition",
    object_field="summary",
    moves=[
        Move(
            "approve",
            {S.DRAFT},
            S.APPROVED,
            _("Approve"),
            comment=OPTIONAL,
            guards=[_generated],
            effects=[_record_approval],
            button="success",
        ),
        Move(
            "send_back",
            {S.APPROVED},
            S.DRAFT,
            _("Send back to draft"),
            comment=REQUIRED,
            effects=[_clear_approval],
            button="outline-danger",
        ),
        Move(
            "issue",
            {S.APPROVED},
            S.ISSUED,
            _("Issue"),
            comment=OPTIONAL,
            guards=[_has_record],
            effects=[_record_issue],
            button="primary",
        ),
    ],
    status_label=lambda s: S(s).label,
    view_permission="summaries.view_programmesummary",
    after_commit=[_hook],
    not_allowed=_("“{action}” is not possible: the summary is “{status}”."),
)
