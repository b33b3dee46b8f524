import pytest


@pytest.fixture(autouse=True)
def _attachments_in_memory(settings):
    """Reports are stored as attachments: keep them out of var/ during tests."""
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


@pytest.fixture
def immediate(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
