"""Fixtures of the documents tests: a kind of document about projects with a tiny renderer (fast,
for the register's own rules), and the reviews fixtures for the decision letter."""

from __future__ import annotations

from typing import Any

import pytest

from greenbuild.documents.registry import DocumentKind, register_kind, unregister_kind
from greenbuild.reviews.tests.conftest import (  # noqa: F401 (fixtures)
    all_submitted,
    all_submitted_high,
    drawn,
    pool,
    scheme,
    scoring,
    submitted_plan,
)

TEST_KIND = "documents.test_notice"


def tiny_pdf(obj: Any, draft: Any) -> bytes:
    """A small valid-looking PDF carrying the number (the register's rules do not need a layout)."""
    return "%PDF-1.4\n% {} {}\n%%EOF\n".format(draft.number, draft.verify_url).encode()


@pytest.fixture
def test_kind(db):
    kind = register_kind(
        DocumentKind(
            code=TEST_KIND,
            label="测试通知",
            model="projects.Project",
            issuer="bureau",
            prefix="常住建测",
            subject=lambda project: "关于{}的测试通知".format(project.name),
            render=tiny_pdf,
            project_of=lambda project: project,
        )
    )
    yield kind
    unregister_kind(TEST_KIND)


@pytest.fixture
def concluded(request):
    """The round concluded "passed" by its leader: (round, seats)."""
    from greenbuild.reviews import services

    review_round, seats = request.getfixturevalue("all_submitted_high")  # "passed" needs ≥ 80 (score bands)
    leader = next(s for s in seats if s.is_leader)
    services.conclude_round(actor=leader.expert, round_id=review_round.pk, conclusion="passed", reasons="同意通过")
    review_round.refresh_from_db()
    return review_round, seats
