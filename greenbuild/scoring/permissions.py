"""The one permission gate of the scoring app. It builds on the projects gate.

* view scores: whoever may see the project's internal pages (projects ``view_internal``);
* claim (fill in scorecards, building inputs, waste records, the bill of materials): the bureau or
  the project's owner applicants, while the project is neither rejected nor withdrawn;
* review (accept points clause by clause): the bureau, or a third-party evaluator working on it,
  but never whoever claimed on the same scorecard (``can_review_scorecard``);
* manage rule tables: the bureau.
"""

from __future__ import annotations

from typing import Any

import rules
from django.http import Http404

from greenbuild.accounts.choices import Role
from greenbuild.accounts.roles import organisation_ids
from greenbuild.core.errors import ActionForbidden
from greenbuild.projects.choices import ParticipantRole, ProjectStatus
from greenbuild.projects.permissions import can as can_project
from greenbuild.projects.permissions import get_project_for_user, is_bureau, is_owner_applicant

CLOSED = frozenset({ProjectStatus.REJECTED, ProjectStatus.WITHDRAWN})


@rules.predicate
def is_open(user: Any, project: Any) -> bool:
    return project is not None and project.status not in CLOSED


@rules.predicate
def can_view_project_internals(user: Any, project: Any) -> bool:
    return can_project(user, "view_internal", project)


@rules.predicate
def is_project_evaluator(user: Any, project: Any) -> bool:
    orgs = organisation_ids(user, Role.EVALUATOR)
    return (
        project is not None
        and bool(orgs)
        and project.participants.filter(organisation_id__in=orgs, role=ParticipantRole.EVALUATOR).exists()
    )


rules.add_perm("scoring.view_scores", can_view_project_internals)
rules.add_perm("scoring.claim_scores", is_open & (is_bureau | is_owner_applicant))
rules.add_perm("scoring.review_scores", is_open & (is_bureau | is_project_evaluator))
rules.add_perm("scoring.manage_rules_scores", is_bureau)


def can(user: Any, action: str, project: Any) -> bool:
    """Whether ``user`` may ``action`` (view, claim, review, manage_rules) ``project``'s scores."""
    return rules.has_perm("scoring.{}_scores".format(action), user, project)


def get_scored_project_for_user(user: Any, pk: Any, action: str = "view") -> Any:
    """The project for a scoring page: 404 when its scores are hidden from ``user``, 403 when the
    user sees them but may not ``action``."""
    project = get_project_for_user(user, pk)
    if not can(user, "view", project):
        raise Http404("No such project.")
    if action != "view" and not can(user, action, project):
        raise ActionForbidden()
    return project


def is_claimant(user: Any, scorecard: Any) -> bool:
    """Whether ``user`` filed or changed the claims (or the header) of ``scorecard``: whoever claims
    does not review the same scorecard (issue 16 item 7, SCO-07)."""
    from greenbuild.scoring.choices import Basis

    if scorecard is None or scorecard.pk is None or not getattr(user, "is_authenticated", False):
        return False
    return (
        scorecard.runs.filter(basis=Basis.CLAIMED, actor=user).exists()
        or scorecard.history.filter(history_user=user).exists()
    )


def can_review_scorecard(user: Any, scorecard: Any) -> bool:
    """Whether ``user`` may review ``scorecard``: a reviewer of its project who claimed none of it."""
    return can(user, "review", scorecard.project) and not is_claimant(user, scorecard)
