"""The summary's state machine on the shared engine (core/workflow.py): drafted, approved by the
bureau, then issued (filed in the documents register). Approving needs the latest revision to be
generated; issuing is a move from ``approved`` only, so an unapproved summary is refused on every
path (page, API, service, admin: all of them call :func:`apply_move`)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenbuild.core.workflow import OPTIONAL, REQUIRED, Move, Workflow
from greenbuild.reports.revisions.workflow import clear_approval, generated_guard, record_approval, record_guard
from greenbuild.summaries.choices import SummaryStatus as S


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
            guards=[
                generated_guard(
                    no_figures=_("Generate the summary first: there are no figures to approve."),
                    still_generating=_("The summary is still being generated: wait until the job has finished."),
                    doc="A summary is approved as generated: its latest revision must be ready (no job running).",
                )
            ],
            effects=[record_approval],
            button="success",
        ),
        Move(
            "send_back",
            {S.APPROVED},
            S.DRAFT,
            _("Send back to draft"),
            comment=REQUIRED,
            effects=[clear_approval],
            button="outline-danger",
        ),
        Move(
            "issue",
            {S.APPROVED},
            S.ISSUED,
            _("Issue"),
            comment=OPTIONAL,
            guards=[record_guard(_("Only an approved summary can be issued."))],
            effects=[_record_issue],
            button="primary",
        ),
    ],
    status_label=lambda s: S(s).label,
    view_permission="summaries.view_programmesummary",
    after_commit=[_hook],
    not_allowed=_("“{action}” is not possible: the summary is “{status}”."),
)
