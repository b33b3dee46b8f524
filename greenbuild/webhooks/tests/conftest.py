from __future__ import annotations

import pytest

from greenbuild.webhooks.models import AllowedHost
from greenbuild.webhooks.tests.receiver import Receiver

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def immediate(settings):
    """Jobs run inline when the starting transaction commits (a delayed retry waits in the queue)."""
    settings.TASKS = IMMEDIATE


@pytest.fixture
def receiver():
    running = Receiver().start()
    yield running
    running.stop()


@pytest.fixture
def local_host(db):
    """The test receiver's host, allowed explicitly with plain http and an internal address."""
    return AllowedHost.objects.create(host="127.0.0.1", allow_http=True, allow_private=True, note="tests")


@pytest.fixture
def english():
    """Messages (and the jobs started meanwhile) in English, for asserting on their text."""
    from django.utils import translation

    with translation.override("en"):
        yield
