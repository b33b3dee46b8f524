"""The one permission gate of the plans app (style.md §7).

Who may see and do what with a green construction plan:

* owner applicant of the project: reads it always; writes it while it is a draft, sent back for
  revision or waiting for their answer to a clarification; submits it; answers clarifications;
* bureau administrator: reads everything; starts the review (the reviews app calls
  ``begin_review``), asks for clarification; the conclusion is the review round's (its leader
  records it, ``reviews.services.conclude_round``), never a move on the plan alone;
* the verifier of a 修改后通过 revision (the round's leader or the bureau, as the revision request
  says): accepts or refuses the revised version (复核);
* the review leader (registered by the reviews app, ``hooks.register_review_leader``): asks for
  clarification and records the conclusion;
* experts of the plan's panel (``hooks.register_plan_reader``): read it;
* district officials, department reviewers and participants: read a plan once it has been
  submitted, as they read the project's internal pages; never the owner's unsent draft.

Lists use ``GreenPlan.objects`` through :data:`PLAN_GATE`; one plan ``get_plan_for_user``.
"""

from __future__ import annotations

from typing import Any

import rules
from django.db.models import Q

from greenbuild.accounts.choices import Role
from greenbuild.accounts.roles import is_bureau_admin, organisation_ids
from greenbuild.core.permissions import VIEW, Gate, get_object_for_user, register_gate
from greenbuild.plans import hooks
from greenbuild.plans.choices import OWNER_EDITABLE
from greenbuild.projects.choices import ProjectStatus
from greenbuild.projects.permissions import can as can_project
from greenbuild.projects.permissions import restrict_projects

#: a plan may be started for a project in any of these states
PLANNABLE_PROJECT_STATUSES = frozenset(
    {
        ProjectStatus.DRAFT,
        ProjectStatus.SUBMITTED,
        ProjectStatus.RETURNED,
        ProjectStatus.RECOMMENDED,
        ProjectStatus.CANDIDATE,
        ProjectStatus.CONFIRMED,
    }
)


@rules.predicate
def is_bureau(user: Any, plan: Any = None) -> bool:
    return is_bureau_admin(user)


@rules.predicate
def is_owner(user: Any, plan: Any) -> bool:
    return plan is not None and plan.project.owner_id in organisation_ids(user, Role.OWNER_APPLICANT)


@rules.predicate
def reads_project(user: Any, plan: Any) -> bool:
    return plan is not None and can_project(user, "view_internal", plan.project)


@rules.predicate
def was_submitted(user: Any, plan: Any) -> bool:
    return plan is not None and plan.current_version_id is not None


@rules.predicate
def is_extra_reader(user: Any, plan: Any) -> bool:
    return plan is not None and user.is_authenticated and hooks.is_extra_reader(user, plan)


@rules.predicate
def is_review_leader(user: Any, plan: Any) -> bool:
    return plan is not None and user.is_authenticated and hooks.is_review_leader(user, plan)


@rules.predicate
def owner_may_write(user: Any, plan: Any) -> bool:
    return plan is not None and plan.status in OWNER_EDITABLE


@rules.predicate
def verifies_revision(user: Any, plan: Any) -> bool:
    """The verifier (复核) of the plan's submitted revision: the bureau, or the accepted leader of
    the round that asked for it, as the revision request says."""
    if plan is None or not getattr(user, "is_authenticated", False):
        return False
    from greenbuild.plans.choices import RevisionStatus, Verifier

    revision = plan.revisions.filter(status=RevisionStatus.SUBMITTED).select_related("review_round").first()
    if revision is None:
        return False
    if revision.verifier == Verifier.BUREAU:
        return is_bureau_admin(user)
    return revision_round_leader(user, revision.review_round)


def verified_last_revision(user: Any, plan: Any) -> bool:
    """Whether ``user`` is the verifier of the plan's latest revision request, waiting or not (a
    doubled post of the verification page is answered with the plan's state, not a 403)."""
    from greenbuild.plans.choices import Verifier

    revision = plan.revisions.select_related("review_round").order_by("-pk").first()
    if revision is None or not getattr(user, "is_authenticated", False):
        return False
    if revision.verifier == Verifier.BUREAU:
        return is_bureau_admin(user)
    return revision_round_leader(user, revision.review_round)


def revision_round_leader(user: Any, review_round: Any) -> bool:
    """Whether ``user`` led ``review_round`` (its accepted leader seat, while still in the expert
    pool: reviews.permissions.in_pool)."""
    from greenbuild.reviews.permissions import seats_of

    return seats_of(user).filter(round=review_round, is_leader=True, response="accepted").exists()


is_reader = (reads_project & (is_bureau | is_owner | was_submitted)) | is_extra_reader

rules.add_perm("plans.view_greenplan", is_reader)
rules.add_perm("plans.change_greenplan", is_owner & owner_may_write)
rules.add_perm("plans.submit_greenplan", is_owner)
rules.add_perm("plans.begin_review_greenplan", is_bureau)
rules.add_perm("plans.request_clarification_greenplan", is_bureau | is_review_leader)
rules.add_perm("plans.answer_clarification_greenplan", is_owner)
rules.add_perm("plans.conclude_greenplan", is_bureau | is_review_leader)
rules.add_perm("plans.attach_greenplan", is_owner & owner_may_write)
rules.add_perm("plans.verify_revision_greenplan", verifies_revision)


def can(user: Any, action: str, plan: Any) -> bool:
    """Whether ``user`` may ``action`` (view, change, submit, conclude, …) ``plan``."""
    return rules.has_perm("plans.{}_greenplan".format(action), user, plan)


def can_start_plan(user: Any, project: Any) -> bool:
    """Whether ``user`` may start the plan of ``project`` (its owner, while the project is open)."""
    return (
        project is not None
        and project.status in PLANNABLE_PROJECT_STATUSES
        and project.owner_id in organisation_ids(user, Role.OWNER_APPLICANT)
    )


def restrict_plans(queryset: Any, user: Any, action: str = VIEW) -> Any:
    """The SQL form of ``view``: the same readers as :data:`is_reader`."""
    if action != VIEW:
        raise ValueError("unknown action {!r}".format(action))
    from greenbuild.projects.models import Project

    projects = restrict_projects(Project.objects.all(), user, "view_internal").values("pk")
    scope = Q(project__in=projects)
    if not is_bureau_admin(user):
        owners = organisation_ids(user, Role.OWNER_APPLICANT)
        scope &= Q(project__owner_id__in=owners) | Q(current_version__isnull=False)
    if user.is_authenticated:
        scope |= hooks.extra_reader_scope(user)
    return queryset.filter(scope)


PLAN_GATE = register_gate(
    Gate(model="plans.GreenPlan", can=can, restrict=restrict_plans, select_related=("project", "current_version"))
)


def can_version(user: Any, action: str, version: Any) -> bool:
    """A frozen version is read by the plan's readers and changed by nobody."""
    return action == VIEW and can(user, VIEW, version.plan)


def restrict_versions(queryset: Any, user: Any, action: str = VIEW) -> Any:
    from greenbuild.plans.models import GreenPlan

    if action != VIEW:
        raise ValueError("unknown action {!r}".format(action))
    return queryset.filter(plan__in=restrict_plans(GreenPlan.objects.all(), user).values("pk"))


VERSION_GATE = register_gate(
    Gate(model="plans.PlanVersion", can=can_version, restrict=restrict_versions, select_related=("plan",))
)


def get_plan_for_user(user: Any, pk: Any, action: str = VIEW) -> Any:
    """The plan, or 404 when ``user`` may not read it, or 403 when they read it but may not act."""
    return get_object_for_user(PLAN_GATE, user, pk, action)


# --- the files of an unsent draft (registered into the attachments gate in apps.py) -------------


def withheld_files_scope(user: Any) -> Q:
    """SEC-03, issue 17 item 4: a file on a plan's working draft that no submitted version holds
    is the owner's alone until the plan (or its next version) is submitted — not the bureau's,
    the district's, a participant's or an expert's. The SQL form, over attachments."""
    from greenbuild.plans.models import GreenPlan, PlanVersion

    on_drafts = GreenPlan.draft_attachments.through.objects.all()
    sent = PlanVersion.attachments.through.objects.values("attachment_id")
    owners = organisation_ids(user, Role.OWNER_APPLICANT)
    owned = on_drafts.filter(greenplan__project__owner_id__in=owners).values("attachment_id")
    drafts = Q(kind="plan", pk__in=on_drafts.values("attachment_id"))  # attach_plan_file stores kind plan
    return drafts & ~Q(pk__in=sent) & ~Q(pk__in=owned)


def withholds_file(user: Any, attachment: Any) -> bool:
    """Whether ``attachment`` is an unsent draft file kept from ``user`` (a query only for a plan
    file read by someone other than its project's owner)."""
    if attachment.kind != "plan" or attachment.project.owner_id in organisation_ids(user, Role.OWNER_APPLICANT):
        return False
    model = type(attachment)
    return bool(model._default_manager.filter(pk=attachment.pk).filter(withheld_files_scope(user)).exists())


def sees_draft_files(user: Any, plan: Any) -> bool:
    """Whether ``user`` sees the files of ``plan``'s working draft (its owner only)."""
    return plan is not None and bool(is_owner(user, plan))
