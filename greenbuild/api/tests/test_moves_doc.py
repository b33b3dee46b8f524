"""Every action documented with its preconditions (issue 18 item 5, DOC-02): the text of each
``…/actions/{action}/`` operation and the "Business rules" of ``docs/api.md`` are generated from
the workflow tables the services run, so they cannot drift from them."""

from __future__ import annotations

from pathlib import Path

import pytest

from greenbuild.api import moves
from greenbuild.projects.checks import REQUIRED_FIELDS

DOCS = Path(__file__).resolve().parents[3] / "docs" / "api.md"
BEGIN, END = moves.DOCS_BEGIN, moves.DOCS_END

pytestmark = pytest.mark.django_db


def test_every_move_says_where_from_who_the_comment_and_what_must_hold():
    for _resource, workflow, actions, _endpoint in moves.workflows():
        for name in actions or [m.action for m in workflow.moves]:
            move = workflow.table[name]
            text = moves.describe_move(workflow, move)
            assert "`{}`".format(move.target) in text and "Who: " in text and "Comment: " in text
            assert all("`{}`".format(source) in text for source in move.sources)
            assert ("Must hold: " in text) == bool(move.guards), name


def test_the_submission_rules_come_from_the_self_check():
    from greenbuild.projects.workflow import APPLICATION_WORKFLOW

    text = moves.describe_move(APPLICATION_WORKFLOW, APPLICATION_WORKFLOW.table["submit"])
    assert all("`{}`".format(field) in text for field in REQUIRED_FIELDS)
    assert "star level" in text and "single building" in text and "floor areas first" in text
    confirm = moves.describe_move(APPLICATION_WORKFLOW, APPLICATION_WORKFLOW.table["confirm"])
    assert "passed expert review" in confirm and "R7–R14" in confirm  # the confirm precondition
    withdraw = moves.describe_move(APPLICATION_WORKFLOW, APPLICATION_WORKFLOW.table["withdraw"])
    assert "not (the project is a confirmed pilot)" in withdraw


def test_the_docs_business_rules_are_the_generated_text():
    text = DOCS.read_text(encoding="utf-8")
    assert BEGIN in text and END in text, "docs/api.md lacks the generated business rules"
    generated = text.split(BEGIN, 1)[1].split(END, 1)[0].strip()
    assert generated == moves.business_rules_markdown().strip(), (
        "docs/api.md's business rules are stale: "
        'greenbuild shell -c "from greenbuild.api.moves import write_docs; write_docs()"'
    )


def test_every_action_operation_of_the_schema_lists_its_moves():
    from drf_spectacular.generators import SchemaGenerator

    document = SchemaGenerator().get_schema(request=None, public=True)
    described = {
        path: operation["description"]
        for path, operations in document["paths"].items()
        if "/actions/" in path
        for method, operation in operations.items()
        if method == "post"
    }
    expected = {
        "/api/v1/projects/{id}/actions/{move}/": ["submit", "recommend", "return", "accept", "reject", "confirm"],
        "/api/v1/plans/{id}/actions/{move}/": ["submit", "answer_clarification", "submit_revision"],
        "/api/v1/plans/{id}/actions/verify_revision/": ["accept_revision", "refuse_revision"],
        "/api/v1/review-rounds/{id}/actions/conclude/": ["conclude"],
        "/api/v1/project-steps/{id}/actions/{move}/": ["approve", "approve_with_conditions", "resubmit"],
        "/api/v1/baseline-change-requests/{id}/actions/{move}/": ["approve", "approve_exception", "refuse"],
        "/api/v1/meetings/{id}/actions/{move}/": ["hold", "publish_minutes"],
        "/api/v1/action-items/{id}/actions/{move}/": ["close", "confirm", "send_back", "reopen"],
    }
    for path, actions in expected.items():
        for action in actions:
            assert "**`{}`**".format(action) in described[path], (path, action)
        assert "Who: " in described[path] and "409" in described[path]
    building = document["paths"]["/api/v1/buildings/"]["post"]["description"]
    assert "floor area before buildings" in building


def test_the_docs_list_only_moves_the_api_offers_at_their_endpoint(client, personas):
    """open_scoring and resume are made by the platform (the last seat accepting, the owner's
    answer), open by the step engine: no API endpoint offers them, so the docs may not list them
    as ``POST …/actions/{action}/`` moves (they 404)."""
    from greenbuild.lifecycle.workflow import USER_MOVES

    documented = {resource: actions for resource, _w, actions, _e in moves.workflows()}
    assert documented["Review rounds"] == ["request_clarification", "conclude"]
    assert documented["Project steps"] == list(USER_MOVES)
    client.force_login(personas["bureau"])
    for action in ("open_scoring", "resume"):
        answer = client.post("/api/v1/review-rounds/1/actions/{}/".format(action), content_type="application/json")
        assert answer.status_code == 404, action
    text = moves.business_rules_markdown()
    assert "**`open_scoring`**" not in text and "**`resume`**" not in text
    assert "made by the platform" in text
