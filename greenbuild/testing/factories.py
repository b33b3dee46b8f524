"""factory_boy factories and helpers that build objects through the real services.

The shared entry: each app keeps its factories beside its tests (``greenbuild/<app>/tests/factories.py``)
and this module re-exports them, so ``from greenbuild.testing.factories import make_project`` keeps
working. A new app adds its own ``tests/factories.py`` and a line below (CONTRIBUTING.md).
"""

from __future__ import annotations

from greenbuild.accounts.tests.factories import OrganisationFactory, UserFactory, credit_code, person
from greenbuild.api.tests.factories import make_token
from greenbuild.attachments.tests.factories import PDF_BYTES, make_attachment
from greenbuild.jobs.tests.factories import make_job
from greenbuild.projects.tests.factories import (
    PATH_TO,
    building_data,
    complete_project_data,
    make_project,
    move_to,
    pass_plan_review,
)
from greenbuild.scoring.tests.factories import file_scorecard, scored_candidate

__all__ = [
    "PATH_TO",
    "PDF_BYTES",
    "OrganisationFactory",
    "UserFactory",
    "building_data",
    "complete_project_data",
    "credit_code",
    "file_scorecard",
    "make_attachment",
    "make_job",
    "make_project",
    "make_token",
    "move_to",
    "pass_plan_review",
    "person",
    "scored_candidate",
]
