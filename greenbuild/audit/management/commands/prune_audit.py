"""``greenbuild prune_audit``: delete audit events older than AUDIT_RETENTION_DAYS (≥ 180)."""

from typing import Any

from django.core.management.base import BaseCommand

from greenbuild.audit.services import prune_audit_events, retention_days


class Command(BaseCommand):
    help = "Delete security audit events older than AUDIT_RETENTION_DAYS (at least 180 days)."

    def handle(self, *args: Any, **options: Any) -> None:
        from greenbuild.accounts.services import prune_login_failures

        deleted = prune_audit_events()
        failures = prune_login_failures()
        self.stdout.write(
            "Deleted {} audit events older than {} days and {} expired sign-in failure counts.".format(
                deleted, retention_days(), failures
            )
        )
