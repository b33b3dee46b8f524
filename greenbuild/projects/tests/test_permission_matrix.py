"""The permission matrix (issue 2, style.md §7 and §11): every role × every page and action × inside / outside scope.

Four projects make the scopes:

* ``draft``     — alice's draft in 天宁区;
* ``submitted`` — alice's application in 天宁区, submitted;
* ``pilot``     — alice's confirmed pilot in 天宁区; carl's contractor and ted's evaluator take part;
* ``olivia``    — olivia's application in 武进区, submitted.

The tables below state, for each persona, what each page or action gives on each project:

* ``200``     a page is shown;
* ``done``    a POST redirects to the project and the change is in the database;
* ``refused`` a POST redirects with an error message (wrong state) and nothing changed;
* ``403``     the persona can see the project but may not act; nothing changed;
* ``404``     the persona cannot see it (indistinguishable from a project that does not exist);
* ``login``   anonymous: redirected to sign in; nothing changed.

Every case goes through HTTP and the real services; each test loops over the four projects and reports
every cell that differs from the table, so one failure shows all of them. Each POST runs inside a
savepoint that is rolled back, so every cell starts from the same world (and the world is built once
per test, which keeps the 700-odd cells fast).
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
from django.urls import reverse

from greenbuild.accounts.choices import OrganisationKind
from greenbuild.projects import services
from greenbuild.projects.models import Building, Project, ProjectParticipant
from greenbuild.projects.workflow import MOVES
from greenbuild.testing import matrix as shared
from greenbuild.testing.factories import (
    OrganisationFactory,
    building_data,
    complete_project_data,
    make_project,
    move_to,
)
from greenbuild.testing.forms import as_post, edit_form_data
from greenbuild.testing.matrix import PERSONAS, error_messages, login_redirect, outcome, undone
from greenbuild.testing.snapshots import registry_snapshot

pytestmark = pytest.mark.django_db

PROJECTS = ("draft", "submitted", "pilot", "olivia")
NAMES = {
    "draft": "天宁草稿项目",
    "submitted": "天宁已申报项目",
    "pilot": "天宁确认试点",
    "olivia": "武进城投安置房",
}


def table(text: str) -> dict[str, dict[str, str]]:
    """Parse a matrix: one line per persona, one column per project (in ``PROJECTS`` order)."""
    return shared.table(text, PROJECTS)


# ---------------------------------------------------------------------------------------------
# The matrix.
# ---------------------------------------------------------------------------------------------

#                            draft      submitted  pilot      olivia
DETAIL = table("""
alice_owner                  200        200        200        404
olivia_other_owner           404        404        200        200
dan_district                 404        200        200        404
wu_district                  404        404        200        200
bureau                       200        200        200        200
dept_reviewer                404        404        200        404
carl_contractor              404        404        200        404
eve_expert                   404        404        200        404
ted_evaluator                404        404        200        404
dave_outsider                404        404        200        404
anonymous                    404        404        200        404
""")

# Who sees the internal sections (history, timeline, participants) of a project they can see.
#                            draft      submitted  pilot      olivia
INTERNAL = table("""
alice_owner                  yes        yes        yes        -
olivia_other_owner           -          -          no         yes
dan_district                 -          yes        yes        -
wu_district                  -          -          no         yes
bureau                       yes        yes        yes        yes
dept_reviewer                -          -          yes        -
carl_contractor              -          -          yes        -
eve_expert                   -          -          no         -
ted_evaluator                -          -          yes        -
dave_outsider                -          -          no         -
anonymous                    -          -          no         -
""")

# Changing the application: edit, buildings, participants. The form is open in draft only
# (and returned); ``ok`` means 200 for a GET and ``done`` for a POST.
#                            draft      submitted  pilot      olivia
CHANGE = table("""
alice_owner                  ok         403        403        404
olivia_other_owner           404        404        403        403
dan_district                 404        403        403        404
wu_district                  404        404        403        403
bureau                       ok         403        403        403
dept_reviewer                404        404        403        404
carl_contractor              404        404        403        404
eve_expert                   404        404        403        404
ted_evaluator                404        404        403        404
dave_outsider                404        404        403        404
anonymous                    login      login      login      login
""")

# The workflow moves. The gate checks the role (403); the service then checks the state (refused).
#                            draft      submitted  pilot      olivia
SUBMIT = table("""
alice_owner                  done       refused    refused    404
olivia_other_owner           404        404        403        refused
dan_district                 404        403        403        404
wu_district                  404        404        403        403
bureau                       403        403        403        403
dept_reviewer                404        404        403        404
carl_contractor              404        404        403        404
eve_expert                   404        404        403        404
ted_evaluator                404        404        403        404
dave_outsider                404        404        403        404
anonymous                    login      login      login      login
""")
#                            draft      submitted  pilot      olivia
RECOMMEND_OR_RETURN = table("""
alice_owner                  403        403        403        404
olivia_other_owner           404        404        403        403
dan_district                 404        done       refused    404
wu_district                  404        404        403        done
bureau                       403        403        403        403
dept_reviewer                404        404        403        404
carl_contractor              404        404        403        404
eve_expert                   404        404        403        404
ted_evaluator                404        404        403        404
dave_outsider                404        404        403        404
anonymous                    login      login      login      login
""")
# accept and reject need "recommended", confirm needs "candidate": none of the four is there.
#                            draft      submitted  pilot      olivia
BUREAU_DECISION = table("""
alice_owner                  403        403        403        404
olivia_other_owner           404        404        403        403
dan_district                 404        403        403        404
wu_district                  404        404        403        403
bureau                       refused    refused    refused    refused
dept_reviewer                404        404        403        404
carl_contractor              404        404        403        404
eve_expert                   404        404        403        404
ted_evaluator                404        404        403        404
dave_outsider                404        404        403        404
anonymous                    login      login      login      login
""")
#                            draft      submitted  pilot      olivia
WITHDRAW = table("""
alice_owner                  done       done       403        404
olivia_other_owner           404        404        403        done
dan_district                 404        403        403        404
wu_district                  404        404        403        403
bureau                       done       done       done       done
dept_reviewer                404        404        403        404
carl_contractor              404        404        403        404
eve_expert                   404        404        403        404
ted_evaluator                404        404        403        404
dave_outsider                404        404        403        404
anonymous                    login      login      login      login
""")
TRANSITIONS = {
    "submit": SUBMIT,
    "recommend": RECOMMEND_OR_RETURN,
    "return": RECOMMEND_OR_RETURN,
    "accept": BUREAU_DECISION,
    "reject": BUREAU_DECISION,
    "confirm": BUREAU_DECISION,
    "withdraw": WITHDRAW,
}

# Pages that belong to no project.
#                     list  create-get  create-post  overview  notifications
PAGES_HEADER = ("list", "create-get", "create-post", "overview", "notifications")
PAGES = {
    line.split()[0]: dict(zip(PAGES_HEADER, line.split()[1:], strict=True))
    for line in """
alice_owner           200   200         done         200       200
olivia_other_owner    200   200         done         200       200
dan_district          200   403         403          200       200
wu_district           200   403         403          200       200
bureau                200   403         403          200       200
dept_reviewer         200   403         403          200       200
carl_contractor       200   403         403          200       200
eve_expert            200   403         403          200       200
ted_evaluator         200   403         403          200       200
dave_outsider         200   403         403          200       200
anonymous             200   login       login        200       login
""".strip().splitlines()
}

# Which project names each persona's list shows (the others must be absent).
#                            draft      submitted  pilot      olivia
LISTED = table("""
alice_owner                  yes        yes        yes        no
olivia_other_owner           no         no         yes        yes
dan_district                 no         yes        yes        no
wu_district                  no         no         yes        yes
bureau                       yes        yes        yes        yes
dept_reviewer                no         no         yes        no
carl_contractor              no         no         yes        no
eve_expert                   no         no         yes        no
ted_evaluator                no         no         yes        no
dave_outsider                no         no         yes        no
anonymous                    no         no         yes        no
""")


def test_the_tables_agree_with_each_other():
    """A persona sees a project exactly when its detail page is 200; only those who see it get 403."""
    for persona in PERSONAS:
        for key in PROJECTS:
            sees = DETAIL[persona][key] == "200"
            assert (INTERNAL[persona][key] != "-") == sees, (persona, key)
            assert (LISTED[persona][key] == "yes") == sees, (persona, key)
            if persona == "anonymous":
                continue
            for matrix in (CHANGE, *TRANSITIONS.values()):
                assert (matrix[persona][key] == "404") == (not sees), (persona, key)


# ---------------------------------------------------------------------------------------------
# The world the tables describe, built through the real services.
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def world(personas, orgs):
    alice, olivia = personas["alice_owner"], personas["olivia_other_owner"]
    dan, wu, bureau = personas["dan_district"], personas["wu_district"], personas["bureau"]
    designer = OrganisationFactory(name="常州市建筑设计研究院", kind=OrganisationKind.DESIGNER)

    def filed(owner, key, **overrides):
        project = make_project(owner, NAMES[key], **overrides)
        services.add_participant(actor=owner, project_id=project.pk, organisation=designer, role="designer")
        return project

    projects = {
        "draft": filed(alice, "draft"),
        "submitted": filed(alice, "submitted"),
        "pilot": filed(alice, "pilot"),
        "olivia": filed(olivia, "olivia", district="wujin"),
    }
    services.add_participant(
        actor=alice, project_id=projects["pilot"].pk, organisation=orgs["contractor"], role="contractor"
    )
    services.assign_evaluator(actor=bureau, project_id=projects["pilot"].pk, organisation=orgs["evaluator"])
    move_to(projects["submitted"], "submitted", owner=alice, district_official=dan, bureau=bureau)
    move_to(projects["pilot"], "confirmed", owner=alice, district_official=dan, bureau=bureau)
    move_to(projects["olivia"], "submitted", owner=olivia, district_official=wu, bureau=bureau)
    return {"projects": projects, "designer": designer, "personas": personas}


def signed_in(client, world, persona):
    return shared.signed_in(client, world["personas"], persona)


def first_building(project: Project) -> Building:
    return project.buildings.order_by("pk").first()


def first_participant(project: Project) -> ProjectParticipant:
    return project.participants.order_by("pk").first()


# Each page or action: (method, url of a project, POST data, check that the change happened).
NEW_ADDRESS = "常州市天宁区矩阵路8号"


def _edit(project, world):
    return "post", reverse("projects:project-edit", args=[project.pk]), edit_form_data(project, address=NEW_ADDRESS)


ACTIONS: dict[str, Any] = {
    "edit-get": lambda p, w: ("get", reverse("projects:project-edit", args=[p.pk]), None),
    "edit-post": _edit,
    "building-create-get": lambda p, w: ("get", reverse("projects:building-create", args=[p.pk]), None),
    "building-create-post": lambda p, w: (
        "post",
        reverse("projects:building-create", args=[p.pk]),
        as_post(building_data("9#楼", "1000")),
    ),
    "building-edit-get": lambda p, w: (
        "get",
        reverse("projects:building-edit", args=[p.pk, first_building(p).pk]),
        None,
    ),
    "building-edit-post": lambda p, w: (
        "post",
        reverse("projects:building-edit", args=[p.pk, first_building(p).pk]),
        as_post(building_data("1#楼", "25000")),
    ),
    "building-delete": lambda p, w: (
        "post",
        reverse("projects:building-delete", args=[p.pk, first_building(p).pk]),
        {},
    ),
    "participant-add-get": lambda p, w: ("get", reverse("projects:participant-create", args=[p.pk]), None),
    "participant-add-post": lambda p, w: (
        "post",
        reverse("projects:participant-create", args=[p.pk]),
        {"organisation": str(w["designer"].pk), "role": "supervisor"},
    ),
    "participant-remove": lambda p, w: (
        "post",
        reverse("projects:participant-remove", args=[p.pk, first_participant(p).pk]),
        {},
    ),
}


def change_happened(action: str, project: Project, before: dict[str, Any]) -> bool:
    """The specific effect of a successful ``action`` on ``project``."""
    project.refresh_from_db()
    if action == "edit-post":
        return project.address == NEW_ADDRESS
    if action == "building-create-post":
        return project.buildings.filter(name="9#楼", floor_area_m2=Decimal("1000")).exists()
    if action == "building-edit-post":
        return project.buildings.filter(name="1#楼", floor_area_m2=Decimal("25000")).exists()
    if action == "building-delete":
        return project.buildings.count() == sum(1 for b in before["buildings"] if b["project_id"] == project.pk) - 1
    if action == "participant-add-post":
        return project.participants.filter(role="supervisor").exists()
    if action == "participant-remove":
        return (
            project.participants.count() == sum(1 for p in before["participants"] if p["project_id"] == project.pk) - 1
        )
    raise AssertionError(action)


def others_unchanged(before: dict[str, Any], after: dict[str, Any], project: Project) -> bool:
    """Rows of the other projects are exactly as they were."""
    for key in ("projects", "buildings", "participants", "transitions"):
        field = "id" if key == "projects" else "project_id"
        if [r for r in before[key] if r[field] != project.pk] != [r for r in after[key] if r[field] != project.pk]:
            return False
    return True


# ---------------------------------------------------------------------------------------------
# The tests.
# ---------------------------------------------------------------------------------------------


def each_persona(client, world):
    """Sign the client in as each persona in turn (and out, for ``anonymous``)."""
    return shared.each_persona(client, world["personas"])


def test_the_project_page_is_shown_exactly_to_those_who_may_see_it(client, world):
    got: dict[str, dict[str, str]] = {}
    for persona in each_persona(client, world):
        got[persona] = {}
        for key, project in world["projects"].items():
            response = client.get(reverse("projects:project-detail", args=[project.pk]))
            got[persona][key] = str(response.status_code)
            if response.status_code == 200:
                assert NAMES[key] in response.content.decode()
    assert got == DETAIL


def test_only_insiders_see_history_timeline_and_participants(client, world):
    got: dict[str, dict[str, str]] = {}
    for persona in each_persona(client, world):
        got[persona] = {}
        for key, project in world["projects"].items():
            response = client.get(reverse("projects:project-detail", args=[project.pk]))
            if response.status_code != 200:
                got[persona][key] = "-"
                continue
            html = response.content.decode()
            sections = {s for s in ("history", "timeline", "participants") if 'id="{}"'.format(s) in html}
            assert sections in (set(), {"history", "timeline", "participants"}), (persona, key, sections)
            got[persona][key] = "yes" if sections else "no"
            if not sections:
                # Nothing internal leaks elsewhere on the page either: no participant, no comment.
                assert "常州市建筑设计研究院" not in html, (persona, key)
                assert "测试意见" not in html, (persona, key)
    assert got == INTERNAL


def test_the_page_offers_exactly_the_actions_the_persona_may_take(client, world):
    """The buttons on the project page match the matrix: a button for every ``done``, none other."""
    mismatches = []
    for persona in each_persona(client, world):
        for key, project in world["projects"].items():
            if DETAIL[persona][key] != "200":
                continue
            html = client.get(reverse("projects:project-detail", args=[project.pk])).content.decode()
            offered = set(re.findall(r'data-action="([a-z]+)"', html))
            expected = {action for action, matrix in TRANSITIONS.items() if matrix[persona][key] == "done"}
            if offered != expected:
                mismatches.append((persona, key, "moves", expected, offered))
            if ('id="edit-project"' in html) != (CHANGE[persona][key] == "ok"):
                mismatches.append((persona, key, "edit button", CHANGE[persona][key]))
    assert mismatches == []


@pytest.mark.parametrize("action", list(ACTIONS))
def test_changing_the_application(client, world, action):
    """Edit, buildings and participants: open in draft to the owner and the bureau, to nobody else."""
    mismatches = []
    for persona in each_persona(client, world):
        for key, project in world["projects"].items():
            with undone():
                method, url, data = ACTIONS[action](project, world)
                detail_url = reverse("projects:project-detail", args=[project.pk])
                before = registry_snapshot()
                got, response = outcome(client, method, url, data, detail_url)
                after = registry_snapshot()
                expected = CHANGE[persona][key]
                if expected == "ok" and method == "post":
                    expected = "done"
                if got != expected:
                    mismatches.append((persona, key, expected, got))
                elif got == "done":
                    if not (change_happened(action, project, before) and others_unchanged(before, after, project)):
                        mismatches.append((persona, key, "done and changed", "done but not changed as expected"))
                elif after != before:
                    mismatches.append((persona, key, got + " and nothing changed", "something changed"))
    assert mismatches == []


@pytest.mark.parametrize("action", list(MOVES))
def test_workflow_moves(client, world, action):
    """Every move POSTed by every persona on every project: done, refused by state, 403, 404 or sign in."""
    matrix = TRANSITIONS[action]
    mismatches = []
    for persona in each_persona(client, world):
        for key, project in world["projects"].items():
            with undone():
                url = reverse("projects:project-transition", args=[project.pk, action])
                detail_url = reverse("projects:project-detail", args=[project.pk])
                before = registry_snapshot()
                got, response = outcome(client, "post", url, {"comment": "矩阵测试意见"}, detail_url)
                after = registry_snapshot()
                expected = matrix[persona][key]
                if got != expected:
                    mismatches.append((persona, key, expected, got))
                elif got == "done":
                    project.refresh_from_db()
                    last = project.transitions.order_by("-pk").first()
                    moved = (
                        project.status == MOVES[action].target
                        and last.actor == world["personas"][persona]
                        and last.comment == "矩阵测试意见"
                        and len(after["transitions"]) == len(before["transitions"]) + 1
                        and others_unchanged(before, after, project)
                    )
                    if not moved:
                        mismatches.append((persona, key, "done and moved", "done but not moved"))
                elif after != before:
                    mismatches.append((persona, key, got + " and nothing changed", "something changed"))
                elif got == "refused" and str(MOVES[action].label) not in error_messages(response)[0]:
                    mismatches.append((persona, key, "a message naming the move", error_messages(response)))
    assert mismatches == []


def test_pages_outside_any_project(client, world):
    """The list, the overview and notifications; creating an application is for owner applicants only."""
    got: dict[str, dict[str, str]] = {}
    for persona in each_persona(client, world):
        got[persona] = {}
        for page, name in (
            ("list", "projects:project-list"),
            ("overview", "dashboards:overview"),
            ("notifications", "notifications:list"),
            ("create-get", "projects:project-create"),
        ):
            response = client.get(reverse(name))
            got[persona][page] = "login" if login_redirect(response) else str(response.status_code)

        with undone():
            before = registry_snapshot()
            response = client.post(
                reverse("projects:project-create"), as_post(complete_project_data("新申请-" + persona))
            )
            after = registry_snapshot()
            if login_redirect(response):
                got[persona]["create-post"] = "login"
                assert after == before
            elif response.status_code == 302:
                project = Project.objects.get(name="新申请-" + persona)
                user = world["personas"][persona]
                assert response["Location"] == reverse("projects:project-detail", args=[project.pk])
                assert (project.status, project.created_by) == ("draft", user)
                assert project.owner.memberships.filter(user=user, role="owner_applicant").exists()
                assert len(after["projects"]) == len(before["projects"]) + 1
                got[persona]["create-post"] = "done"
            else:
                got[persona]["create-post"] = str(response.status_code)
                assert after == before
    assert got == PAGES


def test_the_list_never_shows_another_districts_or_organisations_projects(client, world):
    got: dict[str, dict[str, str]] = {}
    for persona in each_persona(client, world):
        html = client.get(reverse("projects:project-list")).content.decode()
        got[persona] = {key: ("yes" if NAMES[key] in html else "no") for key in PROJECTS}
        # The htmx partial (filtering) goes through the same gate.
        partial = client.get(reverse("projects:project-list"), {"q": "天宁"}, HTTP_HX_REQUEST="true").content.decode()
        partial += client.get(reverse("projects:project-list"), {"q": "武进"}, HTTP_HX_REQUEST="true").content.decode()
        for key in PROJECTS:
            assert (NAMES[key] in partial) == (LISTED[persona][key] == "yes"), (persona, key)
    assert got == LISTED


def test_anonymous_visitors_see_only_confirmed_pilots_and_no_internal_section(client, world):
    html = client.get(reverse("projects:project-list")).content.decode()
    assert NAMES["pilot"] in html
    assert not any(NAMES[key] in html for key in ("draft", "submitted", "olivia"))

    pilot = world["projects"]["pilot"]
    html = client.get(reverse("projects:project-detail", args=[pilot.pk])).content.decode()
    assert NAMES["pilot"] in html
    for section in ("history", "timeline", "participants", "actions", "self-check"):
        assert 'id="{}"'.format(section) not in html
    assert "中建八局三公司" not in html  # a participant
    assert "测试意见" not in html  # a workflow comment


def main_content(response) -> str:
    """The page body without the parts that differ per request (CSRF token, the current path)."""
    return re.search(r"<main.*</main>", response.content.decode(), re.S).group(0)


@pytest.mark.parametrize("persona", ["dan_district", "olivia_other_owner", "dave_outsider", "anonymous"])
def test_an_unknown_or_malformed_id_gives_the_same_404_as_a_forbidden_project(client, world, persona):
    signed_in(client, world, persona)
    forbidden = world["projects"]["draft"]  # a draft of alice's: nobody on this list may see it
    missing = Project.objects.order_by("-pk").first().pk + 1000

    def page(pk: Any, suffix: str = "", method: str = "get"):
        url = "{}{}/{}".format(reverse("projects:project-list"), pk, suffix)
        return client.get(url) if method == "get" else client.post(url, {"comment": "x"})

    cases = [("", "get")]
    if persona != "anonymous":  # the others send anonymous visitors to sign in first, whatever the id
        cases += [("edit/", "get"), ("buildings/new/", "get"), ("actions/withdraw/", "post")]
    for suffix, method in cases:
        refused = page(forbidden.pk, suffix, method)
        assert refused.status_code == 404, suffix
        for other in (page(missing, suffix, method), page("abc", suffix, method), page("-1", suffix, method)):
            assert other.status_code == 404, suffix
            assert main_content(other) == main_content(refused), suffix

    # A building or participant of another project, through a project the persona may change.
    if persona == "olivia_other_owner":
        own = make_project(world["personas"]["olivia_other_owner"], "武进新草稿", district="wujin")
        alien_building = first_building(world["projects"]["draft"])
        alien_participant = first_participant(world["projects"]["draft"])
        before = registry_snapshot()
        for response in (
            client.get(reverse("projects:building-edit", args=[own.pk, alien_building.pk])),
            client.post(reverse("projects:building-edit", args=[own.pk, alien_building.pk]), as_post(building_data())),
            client.post(reverse("projects:building-delete", args=[own.pk, alien_building.pk])),
            client.post(reverse("projects:participant-remove", args=[own.pk, alien_participant.pk])),
        ):
            assert response.status_code == 404
        assert registry_snapshot() == before


def test_an_unknown_workflow_action_is_404_and_changes_nothing(client, world):
    client.force_login(world["personas"]["bureau"])
    before = registry_snapshot()
    response = client.post(
        "{}{}/actions/{}/".format(reverse("projects:project-list"), world["projects"]["draft"].pk, "publish")
    )
    assert response.status_code == 404
    assert registry_snapshot() == before


def test_a_get_on_a_workflow_action_changes_nothing(client, world):
    client.force_login(world["personas"]["alice_owner"])
    before = registry_snapshot()
    response = client.get(reverse("projects:project-transition", args=[world["projects"]["draft"].pk, "submit"]))
    assert response.status_code == 405
    assert registry_snapshot() == before
