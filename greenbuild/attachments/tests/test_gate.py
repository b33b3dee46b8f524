"""The attachments gate: its predicate and SQL forms agree for every persona (issue 11 item 2)."""

import pytest
from hypothesis import HealthCheck, given, settings

from greenbuild.attachments import services
from greenbuild.attachments.choices import AttachmentKind
from greenbuild.attachments.models import Attachment
from greenbuild.attachments.permissions import can_write_kind
from greenbuild.attachments.tests.conftest import PDF, upload
from greenbuild.core.permissions import gate_for
from greenbuild.testing.gates import build_projects, gate_disagreements, random_projects, users_of
from greenbuild.testing.matrix import undone

pytestmark = pytest.mark.django_db


def _files_of(projects, personas):
    """For each project a bound and a pending file of its owner's; programme-level files besides."""
    made = []
    for project in projects:
        owner = (
            personas["alice_owner"]
            if project.owner_id == personas["alice_owner"].memberships.get().organisation_id
            else personas["olivia_other_owner"]
        )
        # evidence while the owner may file it; on a rejected or withdrawn project a generated report
        kind = AttachmentKind.EVIDENCE if can_write_kind(owner, "evidence", project) else AttachmentKind.REPORT
        for pending in (False, True):
            made.append(
                services.store_attachment(
                    actor=owner,
                    project=project,
                    kind=kind,
                    uploaded_file=upload("a.pdf", PDF),
                    pending=pending,
                )
            )
    for persona in ("dan_district", "bureau"):
        made.append(
            services.store_attachment(
                actor=personas[persona], project=None, kind=AttachmentKind.REPORT, uploaded_file=upload("r.pdf", PDF)
            )
        )
    return made


def test_predicate_and_sql_forms_of_the_attachments_gate_agree(personas, orgs):
    users = users_of(personas)

    @settings(
        max_examples=6,
        deadline=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
    )
    @given(specs=random_projects(max_size=4))
    def check(specs):
        with undone():
            projects = build_projects(specs, personas, orgs)
            files = _files_of(projects, personas)
            assert gate_disagreements(gate_for(Attachment), users, files) == []

    check()


def test_a_list_of_attachments_shows_only_what_the_user_may_download(personas, filed_project):
    draft = filed_project("draft", name="草稿项目")
    services.store_attachment(
        actor=personas["alice_owner"], project=draft, kind=AttachmentKind.EVIDENCE, uploaded_file=upload("a.pdf", PDF)
    )
    assert Attachment.objects.for_user(personas["alice_owner"]).count() == 1
    assert Attachment.objects.for_user(personas["dan_district"]).count() == 0  # never submitted
    assert Attachment.objects.for_user(personas["bureau"]).count() == 1
