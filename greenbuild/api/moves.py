"""Every workflow move documented with its preconditions (issue 18 item 5, DOC-02).

The text of each ``POST …/actions/{action}/`` operation is generated from the workflow tables
(``core.workflow.Workflow``) the services run, so it cannot drift from them: per move, the
states it starts from and leads to, who may make it (the ``rules`` permission, read from its
predicate expression), the comment rule, and what must hold (each guard, from its docstring, or
from the definitions it checks, e.g. the submission rules of ``projects/checks.py``).
``docs/api.md`` ("Business rules") prints the same text (:func:`business_rules_markdown`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from greenbuild.api.schema import bilingual
from greenbuild.core.workflow import OPTIONAL, REQUIRED, Move, Workflow

#: who a predicate's name stands for (the ``rules`` predicates of the apps' ``permissions.py``)
WHO: dict[str, str] = {
    "is_owner_applicant": "an applicant of the project's owner organisation",
    "is_owner": "the project's owner (an applicant of the owner organisation)",
    "owner_of_step": "the project's owner",
    "is_district_official": "an official of the project's district",
    "is_bureau": "the bureau (住建局 administrator)",
    "bureau_of_step": "the bureau",
    "is_confirmed": "the project is a confirmed pilot",
    "is_review_leader": "the leader of the plan's expert panel",
    "is_leader": "the panel leader",
    "is_seated": "an expert seated on the panel",
    "verifies_revision": "the revision's verifier named by the conclusion (the bureau or the panel leader)",
    "sees_request": "a reader of the project's internal pages",
    "sees_step": "a reader of the project's internal pages",
    "reviews_step": "a reviewer of the step's responsible department",
    "can_manage": "the bureau as a member of the joint conference",
    "can_close_item": "the department or district the action item is assigned to",
    "routed_to_the_district_or_the_owner": "an official of the project's district or the project's owner (and the bureau)",
    "_system": "the platform itself (never through the API)",
}


def _guard_details() -> dict[Callable[..., Any], Callable[[], str]]:
    """Guards whose rule is data: the text is built from that data."""
    from greenbuild.projects.workflow import submission_blockers

    return {submission_blockers: submission_rules}


def submission_rules() -> str:
    """What ``submit`` checks (``projects.checks.submission_gaps``), from its field lists."""
    from greenbuild.projects.checks import MUNICIPAL_REQUIRED_FIELDS, REQUIRED_FIELDS
    from greenbuild.projects.models import Project

    def names(fields: Iterable[str]) -> str:
        return ", ".join("`{}`".format(Project._meta.get_field(f).name) for f in fields)

    municipal = [f for f in REQUIRED_FIELDS if f not in MUNICIPAL_REQUIRED_FIELDS]
    return (
        "the application is complete: every one of {fields} is filled in (not empty: an empty "
        "`approval_code` is refused here); for building works (房屋建筑) also a target star level other "
        "than `none` and at least one single building (POST /api/v1/buildings/, which needs the project's "
        "floor areas first: `gfa_above_m2` and `gfa_below_m2` before buildings); municipal infrastructure "
        "needs neither {municipal}, a star level nor buildings"
    ).format(fields=names(REQUIRED_FIELDS), municipal=names(municipal))


def _first_paragraph(text: str | None) -> str:
    if not text:
        return ""
    paragraph = text.strip().split("\n\n")[0]
    paragraph = " ".join(paragraph.split()).replace("``", "`")
    paragraph = re.sub(r"^Guard of [^:]+:\s*", "", paragraph)
    return re.sub(r"^[A-Z]{2,5}-[0-9]{1,3}:\s*", "", paragraph)


def _humane(name: str) -> str:
    return name.strip("_").replace("_", " ")


def guard_text(guard: Callable[..., Any]) -> str:
    detail = _guard_details().get(guard)
    if detail is not None:
        return detail()
    return _first_paragraph(guard.__doc__) or _humane(getattr(guard, "__name__", str(guard)))


def permission_expression(workflow: Workflow, move: Move) -> str:
    """The move's permission as its ``rules`` predicate expression (``is_bureau | is_owner``)."""
    from rules.permissions import permissions

    permission = move.permission or workflow._permission_name(move)
    if isinstance(permission, str):
        predicate = permissions.get(permission)
        return str(predicate.name) if predicate is not None else permission
    name = getattr(permission, "name", None) or getattr(permission, "__name__", None)
    return str(name or permission)


def who_text(expression: str) -> str:
    """``(is_bureau | (is_owner_applicant & ~is_confirmed))`` in words."""
    text = re.sub(r"~\s*([A-Za-z_]+)", lambda m: "not ({})".format(WHO.get(m.group(1), m.group(1))), expression)
    text = re.sub(r"\b([A-Za-z_]+)\b", lambda m: WHO.get(m.group(1), m.group(1)), text)
    return text.replace(" | ", " or ").replace(" & ", " and ")


def comment_text(move: Move) -> str:
    if move.comment == REQUIRED:
        return "required"
    if move.comment == OPTIONAL:
        return "optional"
    rule = _first_paragraph(getattr(move.comment, "__doc__", None)).rstrip(".")
    if rule:
        return "optional, except: {}".format(rule)
    try:  # a rule that asks for a comment whatever the object
        reason = move.comment(None)  # type: ignore[operator]
    except Exception:  # noqa: BLE001 (the rule reads the object: it decides per object)
        reason = None
    if reason:
        return "required ({})".format(str(reason).rstrip("."))
    return "required in some cases (the refusal says why)"


def describe_move(workflow: Workflow, move: Move) -> str:
    label = workflow.status_label
    sources = ", ".join("`{}` ({})".format(s, bilingual(label(s))) for s in sorted(move.sources))
    expression = permission_expression(workflow, move)
    parts = [
        "**`{}`** ({}): from {} to `{}` ({}).".format(
            move.action, bilingual(move.label), sources, move.target, bilingual(label(move.target))
        ),
        "Who: {} (`{}`).".format(who_text(expression), expression),
        "Comment: {}.".format(comment_text(move).rstrip(".")),
    ]
    if move.guards:
        holds = "; ".join(guard_text(guard).rstrip(".") for guard in move.guards)
        parts.append("Must hold: {}.".format(holds))
    return " ".join(parts)


def describe_moves(workflow: Workflow, actions: Iterable[str] | None = None, *, intro: str = "") -> str:
    """A Markdown list of ``workflow``'s moves (``actions`` only, in that order), for a schema
    description, after ``intro`` (the operation's own text)."""
    names = list(actions) if actions is not None else [move.action for move in workflow.moves]
    head = (
        "Moves (from the workflow table): a move from another state answers 409 (`conflict`), a move "
        "the caller may not make 403, a precondition that does not hold 400 (`refused`, with its reason)."
    )
    moves = "\n".join("- " + describe_move(workflow, workflow.table[name]) for name in names)
    return "\n\n".join(part for part in (intro.strip(), head, moves) if part)


def workflows() -> list[tuple[str, Workflow, list[str] | None, str]]:
    """(resource, workflow, actions offered by the API or None for all, endpoint) for the docs."""
    from greenbuild.conference.workflow import ACTION_ITEM_WORKFLOW, MEETING_WORKFLOW
    from greenbuild.lifecycle.workflow import CHANGE_REQUEST_WORKFLOW, STEP_WORKFLOW, USER_MOVES
    from greenbuild.plans.workflow import MOVES as PLAN_MOVES
    from greenbuild.plans.workflow import PAGE_MOVES, PLAN_WORKFLOW
    from greenbuild.projects.workflow import APPLICATION_WORKFLOW
    from greenbuild.reviews.workflow import ROUND_WORKFLOW

    return [
        ("Projects", APPLICATION_WORKFLOW, None, "POST /api/v1/projects/{id}/actions/{action}/"),
        (
            "Plans",
            PLAN_WORKFLOW,
            [m for m in PLAN_MOVES if m in PAGE_MOVES],
            "POST /api/v1/plans/{id}/actions/{action}/ (accept_revision / refuse_revision: actions/verify_revision/)",
        ),
        (
            # open_scoring (the last seated expert accepting) and resume (the owner's answer) are
            # the platform's: no endpoint offers them
            "Review rounds",
            ROUND_WORKFLOW,
            ["request_clarification", "conclude"],
            "POST /api/v1/review-rounds/{id}/actions/request_clarification/ and …/actions/conclude/",
        ),
        ("Project steps", STEP_WORKFLOW, list(USER_MOVES), "POST /api/v1/project-steps/{id}/actions/{action}/"),
        (
            "Baseline change requests",
            CHANGE_REQUEST_WORKFLOW,
            None,
            "POST /api/v1/baseline-change-requests/{id}/actions/{action}/",
        ),
        ("Meetings", MEETING_WORKFLOW, None, "POST /api/v1/meetings/{id}/actions/{action}/"),
        ("Action items", ACTION_ITEM_WORKFLOW, None, "POST /api/v1/action-items/{id}/actions/{action}/"),
    ]


def business_rules_markdown() -> str:
    """The "Business rules" moves of ``docs/api.md``: one section per resource."""
    sections = []
    for resource, workflow, actions, endpoint in workflows():
        section = "### {}\n\n`{}`\n\n{}".format(resource, endpoint, describe_moves(workflow, actions))
        others = [move for move in workflow.moves if actions is not None and move.action not in actions]
        if others:  # the workflow's other moves: a POST to them is a 404 here
            section += "\n\nNot offered at this endpoint (made by the platform or through another resource's move): {}.".format(
                ", ".join("`{}` ({})".format(move.action, bilingual(move.label)) for move in others)
            )
        sections.append(section)
    return "\n\n".join(sections) + "\n"


def moves_doc(workflow: Workflow, actions: Iterable[str] | None = None, *, intro: str = "") -> Any:
    """:func:`describe_moves` as a lazy string for ``extend_schema(description=…)``: built when
    the schema is, once every app's permissions are registered."""
    from django.utils.functional import lazy

    return lazy(describe_moves, str)(workflow, None if actions is None else list(actions), intro=intro)


def with_moves(workflow: Workflow, actions: Iterable[str] | None = None) -> Callable[[Any], Any]:
    """Decorate a ``…/actions/{action}/`` view method (under its ``@action``, above nothing):
    its schema description is its docstring followed by the moves it makes (:func:`moves_doc`)."""
    import inspect

    from drf_spectacular.utils import extend_schema

    def decorate(function: Any) -> Any:
        intro = inspect.getdoc(function) or ""
        return extend_schema(description=moves_doc(workflow, actions, intro=intro))(function)

    return decorate


DOCS_BEGIN = "<!-- business-rules:begin (generated: greenbuild.api.moves.business_rules_markdown) -->"
DOCS_END = "<!-- business-rules:end -->"


def write_docs(path: str = "docs/api.md") -> bool:
    """Refresh the generated business rules in ``docs/api.md`` (between its markers); True when
    the file changed. ``greenbuild shell -c "from greenbuild.api.moves import write_docs; write_docs()"``"""
    from pathlib import Path

    file = Path(path)
    text = file.read_text(encoding="utf-8")
    head, rest = text.split(DOCS_BEGIN, 1)
    _old, tail = rest.split(DOCS_END, 1)
    new = "{}{}\n{}\n{}{}".format(head, DOCS_BEGIN, business_rules_markdown().strip(), DOCS_END, tail)
    if new == text:
        return False
    file.write_text(new, encoding="utf-8")
    return True
