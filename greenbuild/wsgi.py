"""WSGI entry point (``gunicorn greenbuild.wsgi``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenbuild.settings")
application = get_wsgi_application()
