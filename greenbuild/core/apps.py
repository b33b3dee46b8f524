from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def create_cache_tables(sender: AppConfig, using: str = "default", verbosity: int = 1, **kwargs: Any) -> None:
    """`greenbuild migrate` also creates the database cache's table (the throttles' shared
    counters, docs/security.md): no separate `createcachetable` step to forget. Idempotent; a
    no-op when the cache is Redis."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=max(0, verbosity - 1))


class CoreConfig(AppConfig):
    name = "greenbuild.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        post_migrate.connect(create_cache_tables, sender=self, dispatch_uid="core_create_cache_tables")
        from django.core import checks

        from greenbuild.core.checks import check_admin_cannot_rewrite

        checks.register(check_admin_cannot_rewrite, checks.Tags.admin)
