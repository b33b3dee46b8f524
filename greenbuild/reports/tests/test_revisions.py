"""The shared frozen-revision mechanism, without a database: the guards, the approval effects and
the refusal of a revision the actor has not seen. The apps using it (bulletins, summaries) test
the whole cycle through their services and pages."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from greenbuild.core.errors import TransitionNotAllowed
from greenbuild.reports.revisions import workflow
from greenbuild.reports.revisions.models import RevisionStatus
from greenbuild.reports.revisions.services import refuse_unseen_revision


@dataclass
class Revision:
    number: int
    status: str = RevisionStatus.READY


@dataclass
class Parent:
    revisions: list[Revision] = field(default_factory=list)
    revision: Revision | None = None
    approved_by: object = None
    approved_at: object = None

    @property
    def revision_id(self) -> int | None:
        return self.revision.number if self.revision else None

    def latest_revision(self) -> Revision | None:
        return self.revisions[-1] if self.revisions else None


GENERATED = workflow.generated_guard(no_figures="none", still_generating="running", doc="The rule.")


@pytest.mark.parametrize(
    ("statuses", "reasons"),
    [
        ([], ["none"]),
        ([RevisionStatus.FAILED], ["none"]),
        ([RevisionStatus.READY, RevisionStatus.GENERATING], ["running"]),
        ([RevisionStatus.FAILED, RevisionStatus.READY], []),
    ],
)
def test_approving_needs_the_latest_revision_generated(statuses, reasons):
    parent = Parent([Revision(n, s) for n, s in enumerate(statuses, 1)])
    assert GENERATED(parent, None) == reasons


def test_the_guards_describe_themselves_as_the_api_schema_reads_them():
    assert GENERATED.__doc__ == "The rule."
    assert workflow.record_guard("x").__doc__ is None  # named "has record" in the schema


def test_approval_fixes_the_latest_revision_and_sending_back_clears_it():
    parent = Parent([Revision(1), Revision(2)])
    assert workflow.record_guard("not approved")(parent, None) == ["not approved"]
    assert workflow.record_approval(parent, "bureau", "") == ["revision", "approved_by", "approved_at"]
    assert parent.revision.number == 2 and parent.approved_by == "bureau" and parent.approved_at
    assert workflow.record_guard("not approved")(parent, None) == []
    workflow.clear_approval(parent, "bureau", "")
    assert parent.revision is None and parent.approved_by is None and parent.approved_at is None


def test_a_move_on_a_revision_the_actor_has_not_seen_is_refused():
    parent = Parent([Revision(1), Revision(2)], revision=Revision(1))
    changed = "revision {number} is now the one to {action}"
    refuse_unseen_revision(parent, seen=None, of_record=False, changed=changed, action="approve")
    refuse_unseen_revision(parent, seen=2, of_record=False, changed=changed, action="approve")
    refuse_unseen_revision(parent, seen=1, of_record=True, changed=changed, action="publish")
    with pytest.raises(TransitionNotAllowed, match="revision 2 is now the one to approve"):
        refuse_unseen_revision(parent, seen=1, of_record=False, changed=changed, action="approve")
    with pytest.raises(TransitionNotAllowed, match="revision 1 is now the one to publish"):
        refuse_unseen_revision(parent, seen=2, of_record=True, changed=changed, action="publish")
