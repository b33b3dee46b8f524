"""What incentives tell people, and the bureau's to-do.

Verbs (``incentives.*``): a bonus recorded (the enterprise's members), a bonus revoked (the same),
an escrow decision and its release (the owner's members and the bureau). Inbox: for the bureau,
each eligible escrow release not yet recorded.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from greenbuild.accounts.choices import Role
from greenbuild.notifications.registry import InboxItem, Verb, register_inbox_provider, register_verb


def _readers_of(model: str, key: str) -> Any:
    def readers(users: list[Any], event: Any) -> list[Any]:
        from django.apps import apps

        from greenbuild.incentives.permissions import can

        obj = apps.get_model(model).objects.filter(pk=event.params.get(key)).first()
        if obj is None:
            return []
        return [user for user in users if can(user, "view", obj)]

    return readers


def _enterprise_url(event: Any) -> str | None:
    organisation_id = event.params.get("organisation_id")
    return reverse("incentives:enterprise", args=[organisation_id]) if organisation_id else None


def _escrow_url(event: Any) -> str | None:
    eligibility_id = event.params.get("eligibility_id")
    return reverse("incentives:escrow-detail", args=[eligibility_id]) if eligibility_id else None


def _record_params(record: Any) -> dict[str, Any]:
    return {
        "record_id": record.pk,
        "organisation_id": record.organisation_id,
        "organisation": record.organisation.name,
        "project": record.project.name,
        "points": str(record.points),
    }


def notify_bonus_awarded(record_id: int, actor_id: int) -> None:
    from greenbuild.accounts.models import User
    from greenbuild.incentives.models import BonusRecord
    from greenbuild.notifications.services import emit

    record = BonusRecord.objects.select_related("project", "organisation").get(pk=record_id)
    emit(
        "incentives.bonus_awarded",
        actor=User.objects.get(pk=actor_id),
        project=record.project,
        target=record,
        params=_record_params(record),
    )


def notify_bonus_revoked(transition_id: int) -> None:
    from greenbuild.incentives.models import BonusTransition
    from greenbuild.notifications.services import emit

    transition = BonusTransition.objects.select_related("record__project", "record__organisation", "actor").get(
        pk=transition_id
    )
    record = transition.record
    emit(
        "incentives.bonus_revoked",
        actor=transition.actor,
        project=record.project,
        target=record,
        params={**_record_params(record), "reason": transition.comment},
    )


def _escrow_params(eligibility: Any) -> dict[str, Any]:
    return {
        "eligibility_id": eligibility.pk,
        "project": eligibility.project.name,
        "owner_id": eligibility.project.owner_id,
        "status": eligibility.status,
    }


def notify_escrow_decided(transition_id: int) -> None:
    from greenbuild.incentives.models import EscrowTransition
    from greenbuild.notifications.services import emit

    transition = EscrowTransition.objects.select_related("eligibility__project", "actor").get(pk=transition_id)
    eligibility = transition.eligibility
    emit(
        "incentives.escrow_decided",
        actor=transition.actor,
        project=eligibility.project,
        target=eligibility,
        params={**_escrow_params(eligibility), "status_label": str(eligibility.get_status_display())},
    )


def notify_escrow_released(transition_id: int) -> None:
    from greenbuild.incentives.models import EscrowTransition
    from greenbuild.notifications.services import emit

    transition = EscrowTransition.objects.select_related("eligibility__project", "actor").get(pk=transition_id)
    eligibility = transition.eligibility
    emit(
        "incentives.escrow_released",
        actor=transition.actor,
        project=eligibility.project,
        target=eligibility,
        params=_escrow_params(eligibility),
    )


def releases_to_record(user: Any) -> Iterator[InboxItem]:
    """The bureau: eligible escrow releases not recorded yet (one query)."""
    from greenbuild.incentives.choices import EscrowStatus
    from greenbuild.incentives.models import EscrowEligibility
    from greenbuild.incentives.permissions import is_bureau

    if not is_bureau(user):
        return iter(())
    rows = (
        EscrowEligibility.objects.filter(status=EscrowStatus.ELIGIBLE)
        .select_related("project")
        .order_by("decided_at", "pk")[:200]
    )
    return iter(
        [
            InboxItem(
                kind="incentives.to_release",
                label=_("Record the escrow release"),
                title=row.project.name,
                url=reverse("incentives:escrow-detail", args=[row.pk]),
                since=row.decided_at,
                due=None,
                extra={},
            )
            for row in rows
        ]
    )


def register() -> None:
    bureau = Q(memberships__role=Role.BUREAU_ADMIN)
    register_verb(
        Verb(
            code="incentives.bonus_awarded",
            render=lambda e: _("Credit bonus of {points} points recorded for {organisation} (pilot {project})").format(
                **e.params
            ),
            url=_enterprise_url,
            audience=lambda e: Q(memberships__organisation_id=e.params.get("organisation_id")),
            readers=_readers_of("incentives.BonusRecord", "record_id"),
        )
    )
    register_verb(
        Verb(
            code="incentives.bonus_revoked",
            render=lambda e: _("Credit bonus of {organisation} for pilot {project} revoked: {reason}").format(
                **e.params
            ),
            url=_enterprise_url,
            audience=lambda e: Q(memberships__organisation_id=e.params.get("organisation_id")),
            readers=_readers_of("incentives.BonusRecord", "record_id"),
        )
    )
    register_verb(
        Verb(
            code="incentives.escrow_decided",
            render=lambda e: _("Escrow release for {project}: {status_label}").format(**e.params),
            url=_escrow_url,
            audience=lambda e: bureau | Q(memberships__organisation_id=e.params.get("owner_id")),
            readers=_readers_of("incentives.EscrowEligibility", "eligibility_id"),
        )
    )
    register_verb(
        Verb(
            code="incentives.escrow_released",
            render=lambda e: _("Escrowed funds of {project} released").format(**e.params),
            url=_escrow_url,
            audience=lambda e: bureau | Q(memberships__organisation_id=e.params.get("owner_id")),
            readers=_readers_of("incentives.EscrowEligibility", "eligibility_id"),
        )
    )
    register_inbox_provider("incentives.to_release", releases_to_record)
