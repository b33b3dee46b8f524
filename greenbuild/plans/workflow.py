"""The plan-review state machine, on the core workflow engine.

draft → submitted (owner, the self-check passes; a version is frozen) → in_review (bureau, when
the panel is drawn) → clarification (bureau or review leader asks) → in_review (owner answers; a
new version is frozen) → passed | passed_with_revisions | revise | failed (made only by the
conclusion of the plan's review round, ``reviews.services.conclude_round``: the guard
:func:`concluded_by_its_round` reads the round). A plan sent back (修改后重审) is revised and
submitted again for a new round; a plan passed with revisions (修改后通过) is revised by the owner
(``submit_revision`` → revision_submitted) and verified (复核) by the round's leader or the
bureau: ``accept_revision`` → passed, ``refuse_revision`` → back to the owner.
"""

from __future__ import annotations

from contextvars import ContextVar
from typing import Any

from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from greenbuild.core.history import set_history_user
from greenbuild.core.workflow import OPTIONAL, REQUIRED, BoundMove, Move, Workflow
from greenbuild.plans.choices import PlanStatus as S
from greenbuild.plans.choices import VersionReason

#: the review round whose conclusion is being recorded now: set only by
#: ``reviews.services.conclude_round`` (holding the round's row lock) around its call of
#: ``services.conclude_plan``; any other caller of the plan service is refused
concluding_round: ContextVar[Any] = ContextVar("concluding_round", default=None)
#: the verifier's verdict per listed requirement (set by ``services.verify_revision``)
pending_checks: ContextVar[list[bool] | None] = ContextVar("pending_checks", default=None)


def self_check_blockers(plan: Any, actor: Any) -> list[str]:
    """Guard of ``submit``, ``answer_clarification`` and ``submit_revision``: the self-check's
    gaps and failed checks in one reason (the page lists them one by one, ``selfcheck_gaps``)."""
    from greenbuild.plans.selfcheck import plan_self_check

    check = plan_self_check(plan.project, plan.draft, plan.guideline)
    if check.ok:
        return []
    return [
        gettext("The plan does not pass its self-check: {gaps}").format(
            gaps=pgettext("reasons separator", "; ").join(selfcheck_gaps(check))
        )
    ]


def selfcheck_gaps(check: Any) -> list[str]:
    """The self-check's blockers, each without its closing full stop (so that joined with “；”
    they never read “。；”)."""
    return [str(gap).strip().rstrip("。.；;") for gap in check.blockers() if str(gap).strip()]


def project_open(plan: Any, actor: Any) -> list[str]:
    """Guard of the owner's moves and of the acceptance of a revision: a withdrawn or rejected
    project's plan goes no further (no new version, no pass, no baseline)."""
    from greenbuild.plans.permissions import PLANNABLE_PROJECT_STATUSES

    project = plan.project
    if project.status not in PLANNABLE_PROJECT_STATUSES:
        return [
            gettext("The project is “{status}”: its plan goes no further.").format(status=project.get_status_display())
        ]
    return []


def round_blockers(plan: Any, review_round: Any) -> list[str]:
    """Why ``review_round`` cannot conclude ``plan`` now (empty: it can).

    Reads the round itself: it must be this plan's round, still scoring, on the plan's current
    version, and every seated expert must have submitted their scores."""
    if review_round is None or getattr(review_round, "pk", None) is None:
        return [gettext("A plan is concluded only by the conclusion of its expert review round.")]
    from django.apps import apps

    model = apps.get_model("reviews", "ReviewRound")
    fresh = model._default_manager.filter(pk=review_round.pk).first()
    if fresh is None or fresh.plan_id != plan.pk:
        return [gettext("A plan is concluded only by the conclusion of its expert review round.")]
    if fresh.status != "scoring":
        return [gettext("The review round is not scoring: it cannot conclude the plan.")]
    if fresh.plan_version_id != plan.current_version_id:
        return [gettext("The review round did not review the plan's current version.")]
    seats = fresh.active_seats()
    missing = [s for s in seats if s.submitted_at is None]
    if not seats or missing:
        return [
            gettext("{count} of the {total} seated experts have not submitted their scores yet.").format(
                count=len(missing), total=len(seats)
            )
        ]
    return []


def _open_round_status(plan: Any) -> str | None:
    from django.apps import apps

    model = apps.get_model("reviews", "ReviewRound")
    return (
        model._default_manager.filter(plan_id=plan.pk, status__in=["panel", "scoring", "clarification"])
        .values_list("status", flat=True)
        .first()
    )


def round_drawn(plan: Any, actor: Any) -> list[str]:
    """Guard of ``begin_review``: the review begins with a drawn panel (``reviews.draw_panel``)."""
    if _open_round_status(plan) is None:
        return [gettext("The review begins when the bureau draws the panel.")]
    return []


def round_asks(plan: Any, actor: Any) -> list[str]:
    """Guard of ``request_clarification``: the question is the review round's."""
    if _open_round_status(plan) != "clarification":
        return [gettext("A clarification is asked on the review round's page.")]
    return []


def concluded_by_its_round(plan: Any, actor: Any) -> list[str]:
    """Guard of the four conclusion moves: only the round's conclusion makes them."""
    return round_blockers(plan, concluding_round.get())


def open_revision(plan: Any) -> Any:
    """The plan's revision request (修改后通过) still waiting for a revision or a verdict."""
    return plan.revisions.exclude(status="accepted").order_by("-pk").first()


def revision_requested(plan: Any, actor: Any) -> list[str]:
    revision = open_revision(plan)
    if revision is None or revision.status != "requested":
        return [gettext("No revision is asked for.")]
    return []


def every_requirement_met(plan: Any, actor: Any) -> list[str]:
    revision = open_revision(plan)
    checks = pending_checks.get() or []
    if revision is None or len(checks) != len(revision.requirements) or not all(checks):
        return [gettext("Accept the revision only when every listed requirement is met; otherwise refuse it.")]
    return []


def _freeze(plan: Any, actor: Any, reason: str, note: str = "") -> list[str]:
    from greenbuild.plans.models import PlanVersion
    from greenbuild.plans.selfcheck import plan_self_check

    check = plan_self_check(plan.project, plan.draft, plan.guideline)
    last = plan.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = PlanVersion(
        plan=plan,
        number=last + 1,
        reason=reason,
        data=plan.draft,
        self_check=check.as_json(),
        guideline=plan.guideline,
        note=note,
        submitted_by=actor,
    )
    set_history_user(version, actor)
    version.save()
    version.attachments.set(plan.draft_attachments.all())
    plan.current_version = version
    return ["current_version"]


def freeze_submission(plan: Any, actor: Any, comment: str) -> list[str]:
    return _freeze(plan, actor, VersionReason.SUBMISSION, comment)


def freeze_answer(plan: Any, actor: Any, comment: str) -> list[str]:
    fields = _freeze(plan, actor, VersionReason.CLARIFICATION, comment)
    plan.clarification_question = ""
    return [*fields, "clarification_question"]


def freeze_revision(plan: Any, actor: Any, comment: str) -> list[str]:
    from django.utils import timezone

    fields = _freeze(plan, actor, VersionReason.REVISION, comment)
    revision = open_revision(plan)
    revision.status = "submitted"
    revision.submitted_version = plan.current_version
    revision.submitted_at = timezone.now()
    set_history_user(revision, actor)
    revision.save()
    return fields


def record_acceptance(plan: Any, actor: Any, comment: str) -> list[str]:
    from django.utils import timezone

    revision = open_revision(plan)
    revision.status = "accepted"
    revision.checks = list(pending_checks.get() or [])
    revision.verified_by = actor
    revision.verified_at = timezone.now()
    set_history_user(revision, actor)
    revision.save()
    return []


def record_refusal(plan: Any, actor: Any, comment: str) -> list[str]:
    from django.utils import timezone

    revision = open_revision(plan)
    revision.status = "requested"
    revision.checks = list(pending_checks.get() or [])
    revision.refusals += 1
    revision.last_refusal = comment
    revision.verified_by = actor
    revision.verified_at = timezone.now()
    set_history_user(revision, actor)
    revision.save()
    return []


def record_question(plan: Any, actor: Any, comment: str) -> list[str]:
    plan.clarification_question = comment
    return ["clarification_question"]


def notify(transition: Any) -> None:
    from greenbuild.plans.events import notify_plan_transition

    notify_plan_transition(transition.pk)


CONCLUDE_PERMISSION = "plans.conclude_greenplan"
VERIFY_PERMISSION = "plans.verify_revision_greenplan"

#: conclusion outcome -> the move that records it
CONCLUSION_MOVES = {
    S.PASSED: "pass",
    S.PASSED_WITH_REVISIONS: "pass_with_revisions",
    S.REVISE: "send_back",
    S.FAILED: "fail",
}

MOVE_LIST = (
    Move(
        "submit",
        {S.DRAFT, S.REVISE},
        S.SUBMITTED,
        _("Submit the plan for expert review"),
        guards=[project_open, self_check_blockers],
        effects=[freeze_submission],
    ),
    Move("begin_review", {S.SUBMITTED}, S.IN_REVIEW, _("Begin the expert review"), guards=[round_drawn]),
    Move(
        "request_clarification",
        {S.IN_REVIEW},
        S.CLARIFICATION,
        _("Request clarification"),
        comment=REQUIRED,
        guards=[round_asks],
        effects=[record_question],
        button="warning",
    ),
    Move(
        "answer_clarification",
        {S.CLARIFICATION},
        S.IN_REVIEW,
        _("Answer the clarification"),
        comment=REQUIRED,
        guards=[project_open, self_check_blockers],
        effects=[freeze_answer],
    ),
    Move(
        "pass",
        {S.IN_REVIEW},
        S.PASSED,
        _("Pass"),
        permission=CONCLUDE_PERMISSION,
        guards=[concluded_by_its_round],
        button="success",
    ),
    Move(
        "pass_with_revisions",
        {S.IN_REVIEW},
        S.PASSED_WITH_REVISIONS,
        _("Pass with revisions"),
        permission=CONCLUDE_PERMISSION,
        comment=OPTIONAL,
        guards=[concluded_by_its_round],
        button="success",
    ),
    Move(
        "send_back",
        {S.IN_REVIEW},
        S.REVISE,
        _("Revise and resubmit"),
        permission=CONCLUDE_PERMISSION,
        guards=[concluded_by_its_round],
        button="warning",
    ),
    Move(
        "fail",
        {S.IN_REVIEW},
        S.FAILED,
        _("Fail"),
        permission=CONCLUDE_PERMISSION,
        guards=[concluded_by_its_round],
        button="danger",
    ),
    Move(
        "submit_revision",
        {S.PASSED_WITH_REVISIONS},
        S.REVISION_SUBMITTED,
        _("Submit the revision for verification"),
        permission="plans.submit_greenplan",
        comment=OPTIONAL,
        guards=[project_open, revision_requested, self_check_blockers],
        effects=[freeze_revision],
    ),
    Move(
        "accept_revision",
        {S.REVISION_SUBMITTED},
        S.PASSED,
        _("Accept the revision"),
        permission=VERIFY_PERMISSION,
        comment=OPTIONAL,
        guards=[project_open, every_requirement_met],
        effects=[record_acceptance],
        button="success",
    ),
    Move(
        "refuse_revision",
        {S.REVISION_SUBMITTED},
        S.PASSED_WITH_REVISIONS,
        _("Refuse the revision"),
        permission=VERIFY_PERMISSION,
        comment=REQUIRED,
        effects=[record_refusal],
        button="danger",
    ),
)

PLAN_WORKFLOW = Workflow(
    name="plan",
    model="plans.GreenPlan",
    transition_model="plans.PlanTransition",
    object_field="plan",
    moves=MOVE_LIST,
    status_label=lambda status: S(status).label,
    view_permission="plans.view_greenplan",
    after_commit=[notify],
    not_allowed=_("“{action}” is not possible: the plan is now “{status}”."),
)

MOVES: dict[str, Move] = PLAN_WORKFLOW.table

#: ALLOWED[from] = the states reachable in one move (for documentation and tests).
ALLOWED: dict[S, frozenset[S]] = {
    status: frozenset(move.target for move in MOVES.values() if status in move.sources) for status in S
}

#: the moves the plan page and the plan API offer (the reviews app drives begin_review,
#: request_clarification and the four conclusions through its round)
PAGE_MOVES = frozenset({"submit", "answer_clarification", "submit_revision", "accept_revision", "refuse_revision"})
#: the moves only a review round makes
ROUND_MOVES = frozenset({"begin_review", "request_clarification", *CONCLUSION_MOVES.values()})


def available_moves(plan: Any, user: Any) -> list[BoundMove]:
    return PLAN_WORKFLOW.available_moves(plan, user)
