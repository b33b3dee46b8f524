"""Guards and effects for the state machine of a parent of frozen revisions (core/workflow.py).

The usual table: ``approve`` (draft → approved) guarded by :func:`generated_guard` with the effect
:func:`record_approval`; ``send_back`` (approved → draft) with :func:`clear_approval`; the final
move (``publish``, ``issue``) guarded by :func:`record_guard`. The guards' messages are the app's
own (lazy), so its msgids stay in its ``workflow.py``.

The parent has ``revision``, ``approved_by`` and ``approved_at`` fields and
:class:`~greenbuild.reports.revisions.models.FrozenRevisionsMixin`.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.functional import Promise

from greenbuild.core.workflow import Guard
from greenbuild.reports.revisions.models import RevisionStatus

Message = str | Promise


def generated_guard(*, no_figures: Message, still_generating: Message, doc: str = "") -> Guard:
    """A parent is approved as generated: its latest revision must be ready (no job running).
    ``no_figures`` when there is none (or it failed), ``still_generating`` while its job runs;
    ``doc`` is the guard's docstring, which the API schema prints as the rule (``api/moves.py``)."""

    def generated(parent: Any, actor: Any) -> list[Message]:
        latest = parent.latest_revision()
        if latest is None or latest.status == RevisionStatus.FAILED:
            return [no_figures]
        if latest.status != RevisionStatus.READY:
            return [still_generating]
        return []

    generated.__doc__ = doc or "Approved as generated: the latest revision must be ready (no job running)."
    return generated


def record_guard(message: Message) -> Guard:
    """Only a parent with a revision of record, approved, makes the final move (else ``message``).
    The guard has no docstring: the API schema names it "has record"."""

    def has_record(parent: Any, actor: Any) -> list[Message]:
        if parent.revision_id is None or parent.approved_at is None:
            return [message]
        return []

    return has_record


def record_approval(parent: Any, actor: Any, comment: str) -> list[str]:
    """Approval fixes the latest revision as the revision of record."""
    parent.revision = parent.latest_revision()
    parent.approved_by = actor
    parent.approved_at = timezone.now()
    return ["revision", "approved_by", "approved_at"]


def clear_approval(parent: Any, actor: Any, comment: str) -> list[str]:
    """Sent back to draft: no revision of record any more."""
    parent.revision = None
    parent.approved_by = None
    parent.approved_at = None
    return ["revision", "approved_by", "approved_at"]
