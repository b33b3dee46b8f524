"""Personas (style.md §11): one user per role, inside and outside each scope.

* ``alice_owner`` — owner applicant of 天宁置业 (owns projects in 天宁区)
* ``olivia_other_owner`` — owner applicant of another company (outsider to alice's projects)
* ``dan_district`` — district official of 天宁区; ``wu_district`` — of 武进区 (outside)
* ``bureau`` — bureau administrator; ``dept_reviewer`` — 自然资源和规划局 reviewer
* ``carl_contractor`` — participant whose company works on alice's project
* ``eve_expert`` — expert with nothing assigned; ``ted_evaluator`` — third-party evaluator
* ``dave_outsider`` — signed in, no role at all
* ``sys_admin``, ``sec_admin``, ``audit_admin`` — the three separated administrators of the
  bureau (三员: system, security, audit; not in ``personas``, see ``duty_admins``)
"""

from __future__ import annotations

import pytest

from greenbuild.accounts.choices import OrganisationKind, Role
from greenbuild.reference.models import Department
from greenbuild.testing.factories import OrganisationFactory, UserFactory, make_project, move_to, person


@pytest.fixture
def orgs(db):
    return {
        "owner": OrganisationFactory(name="常州天宁置业有限公司", kind=OrganisationKind.OWNER),
        "other_owner": OrganisationFactory(name="常州武进城投", kind=OrganisationKind.OWNER),
        "bureau": OrganisationFactory(name="常州市住建局", kind=OrganisationKind.BUREAU),
        "tianning": OrganisationFactory(name="天宁区人民政府", kind=OrganisationKind.DISTRICT_GOVERNMENT),
        "wujin": OrganisationFactory(name="武进区人民政府", kind=OrganisationKind.DISTRICT_GOVERNMENT),
        "nrp": OrganisationFactory(name="常州市自然资源和规划局", kind=OrganisationKind.DEPARTMENT),
        "contractor": OrganisationFactory(name="中建八局三公司", kind=OrganisationKind.CONTRACTOR),
        "experts": OrganisationFactory(name="专家库", kind=OrganisationKind.EXPERT_POOL),
        "evaluator": OrganisationFactory(name="省建科院", kind=OrganisationKind.EVALUATOR),
    }


@pytest.fixture
def alice_owner(orgs):
    return person("alice", Role.OWNER_APPLICANT, orgs["owner"])


@pytest.fixture
def olivia_other_owner(orgs):
    return person("olivia", Role.OWNER_APPLICANT, orgs["other_owner"])


@pytest.fixture
def dan_district(orgs):
    return person("dan", Role.DISTRICT_OFFICIAL, orgs["tianning"], district="tianning")


@pytest.fixture
def wu_district(orgs):
    return person("wu", Role.DISTRICT_OFFICIAL, orgs["wujin"], district="wujin")


@pytest.fixture
def bureau(orgs):
    return person("bureau", Role.BUREAU_ADMIN, orgs["bureau"])


@pytest.fixture
def dept_reviewer(orgs):
    return person(
        "nina",
        Role.DEPARTMENT_REVIEWER,
        orgs["nrp"],
        department=Department.objects.get(code="natural-resources-planning"),
    )


@pytest.fixture
def carl_contractor(orgs):
    return person("carl", Role.PARTICIPANT, orgs["contractor"])


@pytest.fixture
def eve_expert(orgs):
    return person("eve", Role.EXPERT, orgs["experts"])


@pytest.fixture
def ted_evaluator(orgs):
    return person("ted", Role.EVALUATOR, orgs["evaluator"])


@pytest.fixture
def dave_outsider(db):
    return UserFactory(username="dave")


@pytest.fixture
def personas(
    alice_owner,
    olivia_other_owner,
    dan_district,
    wu_district,
    bureau,
    dept_reviewer,
    carl_contractor,
    eve_expert,
    ted_evaluator,
    dave_outsider,
):
    return {
        "alice_owner": alice_owner,
        "olivia_other_owner": olivia_other_owner,
        "dan_district": dan_district,
        "wu_district": wu_district,
        "bureau": bureau,
        "dept_reviewer": dept_reviewer,
        "carl_contractor": carl_contractor,
        "eve_expert": eve_expert,
        "ted_evaluator": ted_evaluator,
        "dave_outsider": dave_outsider,
    }


@pytest.fixture
def filed_project(personas):
    """Build alice's complete application, walked through the real workflow to ``status``
    (dan recommends, the bureau decides)."""

    def _filed(status="draft", name="测试项目", **fields):
        project = make_project(personas["alice_owner"], name=name, **fields)
        return move_to(
            project,
            status,
            owner=personas["alice_owner"],
            district_official=personas["dan_district"],
            bureau=personas["bureau"],
        )

    return _filed


def staff(user):
    """The user, allowed into the Django admin (what they see there is their duty's)."""
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    return user


@pytest.fixture
def sys_admin(orgs):
    return staff(person("sysadmin", Role.SYSTEM_ADMIN, orgs["bureau"]))


@pytest.fixture
def sec_admin(orgs):
    return staff(person("secadmin", Role.SECURITY_ADMIN, orgs["bureau"]))


@pytest.fixture
def audit_admin(orgs):
    return staff(person("auditor", Role.AUDIT_ADMIN, orgs["bureau"]))


@pytest.fixture
def duty_admins(sys_admin, sec_admin, audit_admin):
    """The three separated administrators (三员), by persona name."""
    return {"sys_admin": sys_admin, "sec_admin": sec_admin, "audit_admin": audit_admin}
