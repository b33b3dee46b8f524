"""What the scoring app puts in people's inbox (待办): scorecards waiting for a reviewer.

Registered in ``ScoringConfig.ready()`` through ``greenbuild.notifications.registry``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from greenbuild.accounts.choices import Role
from greenbuild.accounts.roles import is_bureau_admin, organisation_ids
from greenbuild.notifications.registry import InboxItem, register_inbox_provider
from greenbuild.projects.choices import ParticipantRole
from greenbuild.scoring.permissions import CLOSED


def scorecards_to_review(user: Any) -> Iterator[InboxItem]:
    """The bureau and a project's third-party evaluators: claims not yet accepted or refused."""
    from greenbuild.notifications.services import due_after
    from greenbuild.projects.models import Project, ProjectParticipant
    from greenbuild.scoring.models import ClauseClaim, Scorecard

    if is_bureau_admin(user):
        projects = Project.objects.exclude(status__in=CLOSED)
    else:
        evaluator_orgs = organisation_ids(user, Role.EVALUATOR)
        if not evaluator_orgs:
            return iter(())
        evaluates = ProjectParticipant.objects.filter(
            project=OuterRef("pk"), organisation_id__in=evaluator_orgs, role=ParticipantRole.EVALUATOR
        )
        projects = Project.objects.for_user(user, "view_internal").filter(Exists(evaluates)).exclude(status__in=CLOSED)
    pending = ClauseClaim.objects.filter(scorecard=OuterRef("pk")).filter(
        Q(claimed_points__gt=0, accepted_points__isnull=True)
        | Q(claimed_pass__isnull=False, accepted_pass__isnull=True)
    )
    scorecards = (
        Scorecard.objects.filter(project__in=projects.values("pk"))
        .filter(Exists(pending))
        .select_related("project")
        .order_by("pk")[:200]
    )
    kind = "scoring.to_review"
    return iter(
        [
            InboxItem(
                kind=kind,
                label=_("Review the claims: {stage}").format(stage=card.get_stage_display()),
                title=card.project.name,
                url=reverse("scoring:scorecard-review", args=[card.project_id, card.stage]),
                since=card.updated_at,
                due=due_after(card.updated_at, kind),
                project_id=card.project_id,
            )
            for card in scorecards
        ]
    )


def register() -> None:
    register_inbox_provider("scoring.to_review", scorecards_to_review)
