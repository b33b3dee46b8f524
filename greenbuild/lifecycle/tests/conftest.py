import pytest

from greenbuild.accounts.choices import Role
from greenbuild.reference.models import Department
from greenbuild.testing.factories import OrganisationFactory, person


@pytest.fixture
def pilot(filed_project):
    """alice's confirmed pilot: its plan passed review, the baseline is locked, the steps are open."""
    return filed_project("confirmed", name="生命周期试点")


@pytest.fixture
def drc_reviewer(orgs):
    """A reviewer of the development and reform commission (responsible for 立项)."""
    organisation = OrganisationFactory(name="常州市发展和改革委员会", kind="department")
    return person(
        "fgw", Role.DEPARTMENT_REVIEWER, organisation, department=Department.objects.get(code="development-reform")
    )
