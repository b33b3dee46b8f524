"""pytest plugin (loaded with ``-p`` from pyproject's addopts, so before pytest-django reads the
settings): gives the test run a throwaway SECRET_KEY unless one is set. Production refuses to
start without a key (greenbuild/settings.py); the tests must run without the operator setting one."""

import os
import secrets

if not os.environ.get("SECRET_KEY") and not os.environ.get("SECRET_KEY_FILE"):
    os.environ["SECRET_KEY"] = "test-only-" + secrets.token_urlsafe(40)
