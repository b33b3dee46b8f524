"""What the registry benchmarks share: a throwaway database and a registry of N projects.

``start_django(prefix)`` points Django at a new SQLite file in a temporary directory (or at the
PostgreSQL database named by BENCH_DATABASE_URL), sets a throwaway secret key and migrates.
``World`` holds the reference rows, 50 owner organisations and the bureau's organisation, makes
users with one role (``user``) and grows the registry (``load``), spreading the projects over
districts, categories, statuses, owners, materials and uses.
"""

from __future__ import annotations

import os
import secrets
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def start_django(prefix: str) -> str:
    tmp = tempfile.mkdtemp(prefix=prefix)
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", "sqlite:///{}/bench.sqlite3".format(tmp))
    os.environ["GREENBUILD_VAR_DIR"] = tmp
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))  # a throwaway key for a throwaway database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenbuild.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return tmp


class World:
    def __init__(self) -> None:
        from greenbuild.accounts.models import Organisation
        from greenbuild.core.credit_code import make_credit_code
        from greenbuild.programmes.models import Programme
        from greenbuild.projects.choices import ProjectStatus
        from greenbuild.reference.models import BuildingUse, District, ProjectCategory, StructureMaterial

        self.programme = Programme.objects.get(code="changzhou-2021")
        self.districts = list(District.objects.all())
        self.categories = list(ProjectCategory.objects.filter(children__isnull=True))
        self.materials = list(StructureMaterial.objects.all())
        self.uses = list(BuildingUse.objects.all())
        self.statuses = list(ProjectStatus)
        self.owners = [
            Organisation.objects.create(
                name="业主{}".format(i), kind="owner", credit_code=make_credit_code("9132040200000{:04d}".format(i))
            )
            for i in range(50)
        ]
        self.bureau_org = Organisation.objects.create(
            name="住建局", kind="bureau", credit_code=make_credit_code("91320402000009999")
        )

    def user(self, name: str, role: Any, org: Any, district: Any = None) -> Any:
        from greenbuild.accounts.models import Membership, User

        u = User.objects.create(username=name)
        Membership.objects.create(user=u, organisation=org, role=role, district=district)
        return u

    def load(self, start: int, stop: int, *, created_by: Any) -> None:
        """Projects ``start`` … ``stop - 1``, in batches, then fresh planner statistics."""
        from django.db import connection

        from greenbuild.projects.models import Project

        for first in range(start, stop, 10_000):
            Project.objects.bulk_create(
                [
                    Project(
                        programme=self.programme,
                        name="基准项目{:06d}".format(i),
                        status=self.statuses[i % len(self.statuses)],
                        owner=self.owners[i % len(self.owners)],
                        district=self.districts[i % len(self.districts)],
                        category=self.categories[i % len(self.categories)],
                        structure_material=self.materials[i % len(self.materials)],
                        use=self.uses[i % len(self.uses)],
                        created_by=created_by,
                    )
                    for i in range(first, min(first + 10_000, stop))
                ],
                batch_size=1000,
            )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # SQLite and PostgreSQL
