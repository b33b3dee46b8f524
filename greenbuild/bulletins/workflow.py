"""The bulletin's state machine on the shared engine (core/workflow.py): drafted, approved by the
bureau, then published. Publishing is a move from ``approved`` only, so an unapproved bulletin is
refused on every path (page, API, service, admin: all of them call :func:`apply_move`)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenbuild.bulletins.choices import BulletinStatus as S
from greenbuild.core.workflow import OPTIONAL, REQUIRED, Move, Workflow
from greenbuild.reports.revisions.workflow import clear_approval, generated_guard, record_approval, record_guard


def _record_publication(bulletin: Any, actor: Any, comment: str) -> list[str]:
    bulletin.published_by = actor
    bulletin.published_at = timezone.now()
    return ["published_by", "published_at"]


def _hook(transition: Any) -> None:
    from greenbuild.bulletins.events import notify_bulletin_transition

    notify_bulletin_transition(transition.pk)


BULLETIN_WORKFLOW = Workflow(
    name="bulletin",
    model="bulletins.Bulletin",
    transition_model="bulletins.BulletinTransition",
    object_field="bulletin",
    moves=[
        Move(
            "approve",
            {S.DRAFT},
            S.APPROVED,
            _("Approve"),
            comment=OPTIONAL,
            guards=[
                generated_guard(
                    no_figures=_("Generate the bulletin first: there are no figures to approve."),
                    still_generating=_("The bulletin is still being generated: wait until the job has finished."),
                    doc="A bulletin is approved as generated: its latest revision must be ready (no job running).",
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
            "publish",
            {S.APPROVED},
            S.PUBLISHED,
            _("Publish"),
            comment=OPTIONAL,
            guards=[record_guard(_("Only an approved bulletin can be published."))],
            effects=[_record_publication],
            button="primary",
        ),
    ],
    status_label=lambda s: S(s).label,
    view_permission="bulletins.view_bulletin",
    after_commit=[_hook],
    not_allowed=_("“{action}” is not possible: the bulletin is “{status}”."),
)
