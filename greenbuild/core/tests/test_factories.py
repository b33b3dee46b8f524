"""The factories beside each app build through the real services, and the shared entry
``greenbuild.testing.factories`` re-exports them (issue 11 item 9)."""

from __future__ import annotations

import pytest

from greenbuild.accounts.tests import factories as account_factories
from greenbuild.api.models import ApiToken
from greenbuild.attachments.models import Attachment
from greenbuild.jobs.choices import JobStatus
from greenbuild.jobs.tests import kinds  # noqa: F401  (registers the test job kinds)
from greenbuild.projects.tests import factories as project_factories
from greenbuild.scoring.models import ScoreRun
from greenbuild.testing import factories


def test_the_shared_entry_re_exports_the_factories_of_each_app():
    assert factories.make_project is project_factories.make_project
    assert factories.move_to is project_factories.move_to
    assert factories.OrganisationFactory is account_factories.OrganisationFactory
    assert factories.person is account_factories.person
    assert set(factories.__all__) <= set(dir(factories))


@pytest.mark.django_db
def test_the_app_factories_build_through_the_services(personas, filed_project, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"  # the stored file stays in this test's folder
    alice, bureau = personas["alice_owner"], personas["bureau"]
    project = filed_project("candidate", name="工厂项目")
    assert project.status == "candidate"

    run = factories.file_scorecard(project, actor=alice)
    assert isinstance(run, ScoreRun) and run.scorecard.project == project

    attachment = factories.make_attachment(project, actor=alice)
    assert Attachment.objects.filter(pk=attachment.pk, project=project, uploaded_by=alice).exists()

    token, text = factories.make_token(alice)
    assert ApiToken.objects.get(pk=token.pk).user == alice and text

    job = factories.make_job("tests.count", actor=bureau)
    assert job.status == JobStatus.QUEUED and job.actor == bureau


@pytest.mark.django_db
def test_a_job_factory_refuses_what_the_service_refuses(personas):
    from greenbuild.core.errors import ActionForbidden

    with pytest.raises(ActionForbidden):
        factories.make_job("tests.count", actor=personas["alice_owner"])  # the bureau's kind
