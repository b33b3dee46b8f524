"""The bulletins' test world: a hand-made data set of pilots in three districts of the 2021
programme (quota per district: one real-estate and one government-public pilot)."""

import pytest
from django.db import transaction

from greenbuild.projects.choices import ProjectStatus
from greenbuild.projects.models import Project
from greenbuild.testing.factories import make_project

#: (name, district, category, status)
PILOTS = [
    ("天宁住宅", "tianning", "real-estate", ProjectStatus.CONFIRMED),
    ("天宁公建", "tianning", "government-public", ProjectStatus.CONFIRMED),
    ("武进住宅", "wujin", "real-estate", ProjectStatus.CONFIRMED),
    ("武进公建", "wujin", "government-public", ProjectStatus.CANDIDATE),
    ("新北住宅一", "xinbei", "real-estate", ProjectStatus.CONFIRMED),
    ("新北住宅二", "xinbei", "real-estate", ProjectStatus.CONFIRMED),
    ("钟楼草稿", "zhonglou", "real-estate", ProjectStatus.DRAFT),
]


@pytest.fixture(autouse=True)
def _attachments_in_memory(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture
def immediate(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def pilots(personas):
    """The hand-made data set. The statuses are set directly: the figures read statuses, and the
    workflow that reaches them is tested in the projects app."""
    made = {}
    for name, district, category, status in PILOTS:
        project = make_project(personas["alice_owner"], name=name, district=district, category=category)
        Project.objects.filter(pk=project.pk).update(status=status)
        made[name] = project
    return made


@pytest.fixture
def generate(personas, immediate, django_capture_on_commit_callbacks):
    """Draft a bulletin as the bureau and run its job to the end (the immediate task backend)."""
    from greenbuild.bulletins import services

    def _generate(kind="monthly", year=2021, period=11, actor=None):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            bulletin = services.create_bulletin(actor=actor or personas["bureau"], kind=kind, year=year, period=period)
        bulletin.refresh_from_db()
        return bulletin

    return _generate


@pytest.fixture
def regenerate(personas, immediate, django_capture_on_commit_callbacks):
    from greenbuild.bulletins import services

    def _regenerate(bulletin, actor=None):
        with django_capture_on_commit_callbacks(execute=True):
            revision = services.generate_bulletin(actor=actor or personas["bureau"], bulletin_id=bulletin.pk)
        revision.refresh_from_db()
        return revision

    return _regenerate
