"""Settings for the type checker only (pyproject ``[tool.django-stubs]``): the django-stubs plugin
imports the settings to learn the installed apps and models. The real settings refuse to load
without a SECRET_KEY (greenbuild/settings.py); mypy reads code, never runs it against users, so it
gets a fixed placeholder here when none is set (scripts/test sets a throwaway key anyway)."""

import os

if not os.environ.get("SECRET_KEY") and not os.environ.get("SECRET_KEY_FILE"):
    os.environ["SECRET_KEY"] = "mypy-only-not-a-secret"  # noqa: S105

from greenbuild.settings import *  # noqa: E402, F403
