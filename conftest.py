"""Shared pytest fixtures: personas for every role (style.md §11), built with the real services."""

import os

import pytest
from django.utils import timezone, translation

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")  # Playwright's sync API beside live_server

pytest_plugins = ["greenbuild.testing.fixtures", "pytester"]  # pytester: test_order_independence.py


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """PBKDF2 costs ~0.3 s a user; tests create many users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Drive Debian's Chromium (never `playwright install`), with the flags this network needs."""
    if not os.path.exists(CHROMIUM):
        pytest.skip("Chromium not installed at {} (scripts/bootstrap --browser installs it)".format(CHROMIUM))
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(autouse=True)
def _fresh_language_and_time_zone():
    """Every test starts as a new process would: default language, default time zone.

    LocaleMiddleware activates a request's language on the thread and never resets it, so a
    test that requested an ``/en/`` page used to leave English active for the next test (the
    credit-code messages then came out in English: issue 10 item 19). Tests that need another
    language say so with ``translation.override(...)``.
    """
    translation.deactivate()
    timezone.deactivate()
    yield
    translation.deactivate()
    timezone.deactivate()


@pytest.fixture(autouse=True)
def _empty_caches(django_db_blocker):
    """Nothing cached by one test (throttle counters, computed pages) is seen by the next. The
    default cache is the database cache (shared by workers), whose table outlives a test."""
    from django.core.cache import caches

    initialized = caches.all(initialized_only=True)
    if initialized:
        with django_db_blocker.unblock():
            for cache in initialized:
                cache.clear()
    yield


_DATABASE_FIXTURES = {"db", "transactional_db", "live_server", "django_db_reset_sequences"}


@pytest.fixture(autouse=True)
def _migration_data(request):
    """Tests run in random order on each worker: a transactional test's closing flush empties the
    tables the data migrations filled, so put those rows back before any database test needs them."""
    if request.node.get_closest_marker("django_db") is None and not _DATABASE_FIXTURES & set(request.fixturenames):
        return
    request.getfixturevalue("_django_db_helper")
    from greenbuild.testing.migration_data import migration_data_present, restore_migration_data

    if not migration_data_present():
        restore_migration_data()


@pytest.fixture(autouse=True)
def _forget_the_demo_copy():
    """A test that copied the demo in (``greenbuild.testing.demo.load_demo``) leaves no cached
    content-type id behind that its rollback took away."""
    yield
    from greenbuild.testing.demo import forget_copied_rows

    forget_copied_rows()
