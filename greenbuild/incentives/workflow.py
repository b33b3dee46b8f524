"""The state machines of incentives, on the shared engine (core/workflow.py): a bonus record is
revoked with a reason (never deleted); an eligible escrow release is recorded by the bureau."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from greenbuild.core.workflow import REQUIRED, Move, Workflow
from greenbuild.incentives.choices import BonusStatus as B
from greenbuild.incentives.choices import EscrowStatus as E


def _record_revocation(record: Any, actor: Any, comment: str) -> list[str]:
    record.revoked_by = actor
    record.revoked_at = timezone.now()
    record.revoke_reason = comment
    return ["revoked_by", "revoked_at", "revoke_reason"]


def _record_release(eligibility: Any, actor: Any, comment: str) -> list[str]:
    eligibility.released_by = actor
    eligibility.released_at = timezone.now()
    eligibility.release_note = comment
    return ["released_by", "released_at", "release_note"]


def _bonus_hook(transition: Any) -> None:
    from greenbuild.incentives.events import notify_bonus_revoked

    notify_bonus_revoked(transition.pk)


def _escrow_hook(transition: Any) -> None:
    from greenbuild.incentives.events import notify_escrow_released

    notify_escrow_released(transition.pk)


BONUS_WORKFLOW = Workflow(
    name="bonus_record",
    model="incentives.BonusRecord",
    transition_model="incentives.BonusTransition",
    object_field="record",
    moves=[
        Move(
            "revoke",
            {B.ACTIVE},
            B.REVOKED,
            _("Revoke with a reason"),
            comment=REQUIRED,
            effects=[_record_revocation],
            button="outline-danger",
        ),
    ],
    status_label=lambda s: B(s).label,
    view_permission="incentives.view_bonusrecord",
    after_commit=[_bonus_hook],
)

ESCROW_WORKFLOW = Workflow(
    name="escrow",
    model="incentives.EscrowEligibility",
    transition_model="incentives.EscrowTransition",
    object_field="eligibility",
    moves=[
        Move(
            "release",
            {E.ELIGIBLE},
            E.RELEASED,
            _("Record the release"),
            comment=REQUIRED,
            effects=[_record_release],
            button="success",
        ),
    ],
    status_label=lambda s: E(s).label,
    view_permission="incentives.view_escroweligibility",
    after_commit=[_escrow_hook],
)
