"""System check: the audit retention setting must keep records at least 180 days."""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import ImproperlyConfigured


@checks.register(checks.Tags.security)
def check_retention(app_configs: Any, **kwargs: Any) -> list[checks.CheckMessage]:
    from greenbuild.audit.services import retention_days

    try:
        retention_days()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), hint="Set AUDIT_RETENTION_DAYS to 180 or more.", id="greenbuild.audit.E001")]
    return []
