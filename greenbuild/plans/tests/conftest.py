import itertools

import pytest

from greenbuild.plans import services
from greenbuild.plans.demo import complete_data

_names = itertools.count(1)


@pytest.fixture
def plan_in(filed_project, personas):
    """alice's candidate project with a plan walked through the real services to ``status``."""

    def _plan(status="draft", project_status="candidate"):
        from greenbuild.plans.demo import _walk

        project = filed_project(project_status, name="策划方案测试{}".format(next(_names)))
        plan = services.start_plan(actor=personas["alice_owner"], project=project)
        _walk(plan, status, personas["alice_owner"], personas["bureau"])
        plan.refresh_from_db()
        return plan

    return _plan


@pytest.fixture
def good_data():
    return complete_data
