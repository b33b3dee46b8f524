"""Issue 19 item 5: the bureau's batch actions on the project list (assign a third-party
evaluator, export the selected), each project checked by the gate, all or nothing, a doubled
submission changing nothing twice; refused for everyone else."""

from __future__ import annotations

import re
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from greenbuild.core.errors import DomainError
from greenbuild.projects import services
from greenbuild.projects.choices import ParticipantRole
from greenbuild.projects.models import Project, ProjectParticipant
from greenbuild.testing.factories import make_project

pytestmark = pytest.mark.django_db

ASSIGN = "projects:project-batch-assign"
EXPORT = "reports:project-selection-xlsx"


@pytest.fixture
def submitted(personas, filed_project):
    return [filed_project("submitted", name="项目{}".format(n)) for n in range(3)]


def evaluations(org) -> set[int]:
    return set(
        ProjectParticipant.objects.filter(organisation=org, role=ParticipantRole.EVALUATOR).values_list(
            "project_id", flat=True
        )
    )


def test_the_bureau_assigns_an_evaluator_to_several_projects_and_twice_changes_nothing(
    client, personas, orgs, submitted
):
    client.force_login(personas["bureau"])
    ids = [p.pk for p in submitted]
    data = {"project": ids, "organisation": orgs["evaluator"].pk, "next": "q=项目&sort=name"}
    response = client.post(reverse(ASSIGN), data)
    assert response.status_code == 302 and response["Location"] == "/projects/?q=%E9%A1%B9%E7%9B%AE&sort=name"
    assert evaluations(orgs["evaluator"]) == set(ids)
    # attributable: each assignment's history names the bureau's user
    for participant in ProjectParticipant.objects.filter(role=ParticipantRole.EVALUATOR):
        assert participant.history.first().history_user == personas["bureau"]
    with translation.override("zh-hans"):
        page = client.get(response["Location"]).content.decode()
    assert page.count('data-outcome="assigned"') == 3
    # the same submission again (a double click, a stale tab): nothing is assigned twice
    client.post(reverse(ASSIGN), data)
    assert ProjectParticipant.objects.filter(role=ParticipantRole.EVALUATOR).count() == 3
    with translation.override("zh-hans"):
        page = client.get(reverse("projects:project-list")).content.decode()
    assert page.count('data-outcome="unchanged"') == 3
    # shown once: a reload does not show the report again
    assert 'id="batch-report"' not in client.get(reverse("projects:project-list")).content.decode()


def test_one_refused_project_refuses_the_whole_batch_with_a_row_each(client, personas, orgs, submitted):
    withdrawn = make_project(personas["alice_owner"], "撤回项目")
    services.transition_project(
        actor=personas["alice_owner"], project_id=withdrawn.pk, action="withdraw", comment="计划调整"
    )
    client.force_login(personas["bureau"])
    ids = [p.pk for p in submitted] + [withdrawn.pk, 99999999]
    response = client.post(reverse(ASSIGN), {"project": ids, "organisation": orgs["evaluator"].pk})
    assert response.status_code == 302
    assert evaluations(orgs["evaluator"]) == set()  # all or nothing
    with translation.override("zh-hans"):
        page = client.get(reverse("projects:project-list")).content.decode()
    assert 'id="batch-report"' in page and page.count('data-outcome="refused"') == 2
    assert page.count('data-outcome="assigned"') == 3  # what would have happened
    # the selection is kept ticked for a second try
    assert all(
        re.search(r'value="{}" id="select-project-{}" form="project-batch" checked'.format(i, i), page) for i in ids[:3]
    )


def test_the_service_checks_every_project_and_the_organisation(personas, orgs, submitted):
    ids = [p.pk for p in submitted]
    with pytest.raises(services.BatchRefused) as refused:
        services.assign_evaluator_batch(actor=personas["dan_district"], project_ids=ids, organisation=orgs["evaluator"])
    assert {row.outcome for row in refused.value.rows} == {"refused"}
    with pytest.raises(DomainError):
        services.assign_evaluator_batch(actor=personas["bureau"], project_ids=ids, organisation=orgs["contractor"])
    with pytest.raises(DomainError):
        services.assign_evaluator_batch(actor=personas["bureau"], project_ids=[], organisation=orgs["evaluator"])
    assert evaluations(orgs["evaluator"]) == set()


@pytest.mark.parametrize("who", ["alice_owner", "dan_district", "ted_evaluator", "dave_outsider"])
def test_batch_actions_are_refused_to_everyone_but_the_bureau(client, personas, orgs, submitted, who):
    client.force_login(personas[who])
    ids = [p.pk for p in submitted]
    assert client.post(reverse(ASSIGN), {"project": ids, "organisation": orgs["evaluator"].pk}).status_code == 403
    assert client.post(reverse(EXPORT), {"project": ids}).status_code == 403
    assert evaluations(orgs["evaluator"]) == set()
    page = client.get(reverse("projects:project-list"), {"programme": ""}).content.decode()
    assert 'id="project-batch"' not in page and 'name="project"' not in page
    client.logout()
    assert client.post(reverse(ASSIGN), {"project": ids}).status_code == 302  # to sign in


def test_the_bureau_exports_the_selected_projects(client, personas, submitted):
    from greenbuild.audit.models import AuditEvent

    client.force_login(personas["bureau"])
    chosen = submitted[:2]
    response = client.post(reverse(EXPORT), {"project": [p.pk for p in chosen]})
    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    names = sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True))
    assert names == sorted(p.name for p in chosen)
    assert AuditEvent.objects.filter(kind="export", actor=personas["bureau"]).exists()
    # an id outside the selection's gate (or not an id) refuses the whole export
    for bad in ([chosen[0].pk, 99999999], ["x"], []):
        response = client.post(reverse(EXPORT), {"project": bad})
        assert response.status_code == 302 and response["Location"].startswith("/projects/")


def test_the_selection_export_keeps_the_lists_sort(client, personas, submitted):
    """The export of the ticked projects is in the order the list showed them, its column sort
    included (a reviewer found it always in the default order)."""
    client.force_login(personas["bureau"])
    ids = [p.pk for p in submitted]
    for sort, expected in (("name", ["项目0", "项目1", "项目2"]), ("-name", ["项目2", "项目1", "项目0"])):
        response = client.post(reverse(EXPORT), {"project": ids, "next": "sort={}".format(sort)})
        sheet = load_workbook(BytesIO(response.content)).active
        assert [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)] == expected


def test_the_batch_form_is_labelled_and_costs_no_query_per_row(client, personas, orgs):
    client.force_login(personas["bureau"])
    make_project(personas["alice_owner"], "项目一")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            page = client.get(reverse("projects:project-list")).content.decode()
        return len(ctx.captured_queries), page

    few, page = count()
    assert 'for="select-all-projects"' in page and 'id="batch-organisation"' in page
    assert 'label class="form-label small mb-1" for="batch-organisation"' in page
    for pk in Project.objects.values_list("pk", flat=True):
        assert 'for="select-project-{}"'.format(pk) in page
    for n in range(2, 7):
        make_project(personas["olivia_other_owner"], "项目{}".format(n), district="wujin")
    many, _page = count()
    assert many == few
