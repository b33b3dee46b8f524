#!/usr/bin/env python
"""Benchmark: the programme overview and the project list with 10,000 projects.

Creates a throwaway database (SQLite in a temporary directory, or the PostgreSQL database named
by BENCH_DATABASE_URL), loads N projects (default 10,000) spread over districts, categories and
statuses, and prints the median time and the query count of each page for several roles.

    .venv/bin/python bench/overview.py [--projects 10000] [--repeat 15]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    tmp = tempfile.mkdtemp(prefix="greenbuild-bench-")
    os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", "sqlite:///{}/bench.sqlite3".format(tmp))
    os.environ["GREENBUILD_VAR_DIR"] = tmp
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "greenbuild.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from greenbuild.accounts.choices import Role
    from greenbuild.accounts.models import Membership, Organisation, User
    from greenbuild.core.credit_code import make_credit_code
    from greenbuild.programmes.models import Programme
    from greenbuild.projects.choices import ProjectStatus
    from greenbuild.projects.models import Project
    from greenbuild.reference.models import BuildingUse, District, ProjectCategory, StructureMaterial

    call_command("migrate", verbosity=0)
    programme = Programme.objects.get(code="changzhou-2021")
    districts = list(District.objects.all())
    categories = list(ProjectCategory.objects.filter(children__isnull=True))
    materials = list(StructureMaterial.objects.all())
    uses = list(BuildingUse.objects.all())
    statuses = list(ProjectStatus)
    owners = [
        Organisation.objects.create(name="业主{}".format(i), kind="owner", credit_code=make_credit_code("9132040200000{:04d}".format(i)))
        for i in range(50)
    ]
    bureau_org = Organisation.objects.create(name="住建局", kind="bureau", credit_code=make_credit_code("91320402000009999"))

    def user(name: str, role: Role, org: Organisation, district: District | None = None) -> User:
        u = User.objects.create(username=name)
        Membership.objects.create(user=u, organisation=org, role=role, district=district)
        return u

    viewers = {
        "bureau": user("bureau", Role.BUREAU_ADMIN, bureau_org),
        "district": user("district", Role.DISTRICT_OFFICIAL, bureau_org, districts[2]),
        "owner": user("owner", Role.OWNER_APPLICANT, owners[0]),
        "public": None,
    }
    started = time.perf_counter()
    Project.objects.bulk_create(
        [
            Project(
                programme=programme,
                name="基准项目{:05d}".format(i),
                status=statuses[i % len(statuses)],
                owner=owners[i % len(owners)],
                district=districts[i % len(districts)],
                category=categories[i % len(categories)],
                structure_material=materials[i % len(materials)],
                use=uses[i % len(uses)],
                created_by=viewers["bureau"],
            )
            for i in range(args.projects)
        ],
        batch_size=1000,
    )
    print("loaded {} projects in {:.1f} s ({})".format(args.projects, time.perf_counter() - started, connection.vendor))

    pages = {"overview": "/", "project list": "/projects/", "list filtered": "/projects/?status=confirmed&q=基准"}
    print("{:<10} {:<14} {:>10} {:>8}".format("viewer", "page", "median ms", "queries"))
    for who, viewer in viewers.items():
        client = Client()
        if viewer is not None:
            client.force_login(viewer)
        for label, url in pages.items():
            client.get(url)  # warm-up
            times = []
            for _ in range(args.repeat):
                t0 = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - t0)
                assert response.status_code == 200, response.status_code
            with CaptureQueriesContext(connection) as ctx:
                client.get(url)
            print("{:<10} {:<14} {:>10.1f} {:>8}".format(who, label, statistics.median(times) * 1000, len(ctx.captured_queries)))


if __name__ == "__main__":
    main()
