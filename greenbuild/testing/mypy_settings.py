"""Settings for the type checker only (pyproject ``[tool.django-stubs]``): the django-stubs plugin
imports the settings to learn the installed apps and models. The real settings refuse to load
without a SECRET_KEY (greenbuild/settings.py); mypy reads code, never runs it against users, so it
gets a random throwaway key here when none is set (scripts/test sets one anyway)."""

import os
import secrets

if not os.environ.get("SECRET_KEY") and not os.environ.get("SECRET_KEY_FILE"):
    os.environ["SECRET_KEY"] = "mypy-only-" + secrets.token_urlsafe(40)

from greenbuild.settings import *  # noqa: E402, F403
