import time
from io import BytesIO

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from greenbuild.publicity import antiabuse, services
from greenbuild.testing.factories import pass_plan_review


@pytest.fixture(autouse=True)
def _clean_cache(db):
    cache.clear()
    yield
    cache.clear()


def png(name="dust.png", size=(40, 30)):
    out = BytesIO()
    Image.new("RGB", size, (120, 120, 120)).save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


def old_token(scope):
    """A token issued a minute ago (a person takes longer than the minimum fill time)."""
    return antiabuse.issue_token(scope, now=time.time() - 60)


@pytest.fixture
def ready_candidate(filed_project, personas):
    """alice's candidate whose plan has passed expert review: confirmable but for publicity."""
    candidate = filed_project("candidate", name="公示候选")
    pass_plan_review(candidate, owner=personas["alice_owner"], bureau=personas["bureau"])
    return candidate


@pytest.fixture
def pilot(filed_project):
    return filed_project("confirmed", name="公众留言试点")


@pytest.fixture
def running_notice(ready_candidate, personas):
    notice = services.create_notice(
        actor=personas["bureau"],
        project=ready_candidate,
        data={"kind": "candidate", "title": "拟确定试点公示", "body": "公示内容"},
    )
    services.transition_notice(actor=personas["bureau"], notice_id=notice.pk, action="publish")
    notice.refresh_from_db()
    return notice
