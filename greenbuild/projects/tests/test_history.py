"""Field-level history on the project page (issue 2 §8): who changed which field, old → new, when.

Changes are made through the HTTP forms at frozen times (time-machine), then read back from the
project page's "Change history" table as each persona sees it.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db.models import Model
from django.urls import reverse
from django.utils import translation

from greenbuild.projects import services
from greenbuild.projects.forms import ProjectForm
from greenbuild.projects.models import Building, Project
from greenbuild.testing.factories import building_data, make_project, move_to
from greenbuild.testing.forms import as_post

pytestmark = pytest.mark.django_db

SHANGHAI = ZoneInfo("Asia/Shanghai")
OLD_ADDRESS = "常州市天宁区测试路1号"  # complete_project_data's address
NEW_ADDRESS = "常州市天宁区青洋北路88号"


def at(day: int, hour: int, minute: int) -> dt.datetime:
    return dt.datetime(2024, 3, day, hour, minute, tzinfo=SHANGHAI)


def label(model: type[Model], field: str) -> str:
    """A field's label as the default-language page shows it."""
    with translation.override("zh-hans"):
        return str(model._meta.get_field(field).verbose_name)


def word(text: str) -> str:
    with translation.override("zh-hans"):
        return translation.gettext(text)


def history_rows(response) -> list[tuple[str, ...]]:
    """The rows of the history table: (when, who, what, field, old, new), newest first."""
    page = response.content.decode()
    section = re.search(r'<div class="card p-3 mb-3" id="history">.*?</tbody>', page, re.S)
    assert section, "no history section"
    rows = []
    for row in re.findall(r"<tr>(.*?)</tr>", section.group(0).split("<tbody>")[1], re.S):
        cells = tuple(
            re.sub(r"\.00$", "", html.unescape(c).strip()) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        )
        rows.append(cells)
    return rows


@pytest.fixture
def edited(client, alice_owner):
    """alice files a draft, edits two fields, then adds, changes and deletes a building, all through HTTP."""
    with time_machine.travel(at(5, 9, 0), tick=False):
        project = make_project(alice_owner, "天宁历史项目")
    client.force_login(alice_owner)

    with time_machine.travel(at(6, 10, 30), tick=False):
        form = ProjectForm(instance=project)
        data = as_post({name: form[name].value() for name in form.fields})
        data.update(address=NEW_ADDRESS, investment_wan_yuan="65000")
        response = client.post(reverse("projects:project-edit", args=[project.pk]), data)
        assert response.status_code == 302
    with time_machine.travel(at(6, 11, 0), tick=False):
        response = client.post(
            reverse("projects:building-create", args=[project.pk]), as_post(building_data("2#楼", "5000"))
        )
        assert response.status_code == 302
    building = project.buildings.get(name="2#楼")
    with time_machine.travel(at(6, 11, 5), tick=False):
        response = client.post(
            reverse("projects:building-edit", args=[project.pk, building.pk]), as_post(building_data("2#楼", "6000"))
        )
        assert response.status_code == 302
    with time_machine.travel(at(6, 11, 10), tick=False):
        response = client.post(reverse("projects:building-delete", args=[project.pk, building.pk]))
        assert response.status_code == 302
    client.logout()
    return project


def expected_rows() -> list[tuple[str, ...]]:
    """What alice's changes must look like, newest first."""
    building = "{} 2#楼".format(word("Building"))
    project = word("Project")
    return [
        ("2024-03-06 11:10", "alice", building, word("deleted"), "✓", "—"),
        ("2024-03-06 11:05", "alice", building, label(Building, "floor_area_m2"), "5000", "6000"),
        ("2024-03-06 11:00", "alice", building, word("created"), "—", "✓"),
        ("2024-03-06 10:30", "alice", project, label(Project, "address"), OLD_ADDRESS, NEW_ADDRESS),
        ("2024-03-06 10:30", "alice", project, label(Project, "investment_wan_yuan"), "60000", "65000"),
    ]


def test_the_owner_sees_who_changed_which_field_old_and_new_and_when(client, alice_owner, edited):
    client.force_login(alice_owner)
    rows = history_rows(client.get(reverse("projects:project-detail", args=[edited.pk])))
    changes = [r for r in rows if r[0].startswith("2024-03-06")]
    # The edit form posts every field; only the two that changed are recorded (in either order).
    assert changes[:3] == expected_rows()[:3]
    assert sorted(changes[3:]) == sorted(expected_rows()[3:])
    # The creation on the 5th is there too, and nothing else.
    assert {r[0] for r in rows} == {
        "2024-03-05 09:00",
        "2024-03-06 10:30",
        "2024-03-06 11:00",
        "2024-03-06 11:05",
        "2024-03-06 11:10",
    }


def test_once_submitted_the_bureau_and_the_district_see_the_same_history(
    client, edited, alice_owner, dan_district, bureau
):
    client.force_login(dan_district)
    assert client.get(reverse("projects:project-detail", args=[edited.pk])).status_code == 404  # a draft: not yet

    with time_machine.travel(at(7, 8, 0), tick=False):
        services.transition_project(actor=alice_owner, project_id=edited.pk, action="submit")
    submitted = (
        "2024-03-07 08:00",
        "alice",
        word("Project"),
        label(Project, "status"),
        word("Draft"),
        word("Submitted"),
    )

    for viewer in (alice_owner, bureau, dan_district):
        client.force_login(viewer)
        rows = history_rows(client.get(reverse("projects:project-detail", args=[edited.pk])))
        assert rows[0] == submitted, viewer
        changes = [r for r in rows if r[0].startswith("2024-03-06")]
        assert changes[:3] == expected_rows()[:3], viewer
        assert sorted(changes[3:]) == sorted(expected_rows()[3:]), viewer


def test_a_refused_edit_adds_no_history(client, alice_owner, edited):
    client.force_login(alice_owner)
    before = (edited.history.count(), Building.history.count())
    form = ProjectForm(instance=Project.objects.get(pk=edited.pk))
    data = as_post({name: form[name].value() for name in form.fields})
    data.update(address="不会保存的地址", gfa_above_m2="0")
    response = client.post(reverse("projects:project-edit", args=[edited.pk]), data)
    assert response.status_code == 200
    assert (edited.history.count(), Building.history.count()) == before
    rows = history_rows(client.get(reverse("projects:project-detail", args=[edited.pk])))
    assert not any("不会保存的地址" in cell for row in rows for cell in row)


@pytest.mark.parametrize("viewer", ["anonymous", "dave_outsider", "eve_expert", "olivia_other_owner"])
def test_the_public_page_of_a_confirmed_pilot_shows_no_history(client, personas, edited, viewer):
    move_to(
        edited,
        "confirmed",
        owner=personas["alice_owner"],
        district_official=personas["dan_district"],
        bureau=personas["bureau"],
    )
    if viewer != "anonymous":
        client.force_login(personas[viewer])
    response = client.get(reverse("projects:project-detail", args=[edited.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "天宁历史项目" in page
    assert 'id="history"' not in page
    assert OLD_ADDRESS not in page  # the old value appears only in the history
    assert "2#楼" not in page  # the deleted building, likewise
    assert word("Change history") not in page


def test_an_insider_of_the_confirmed_pilot_still_sees_its_history(client, personas, edited):
    move_to(
        edited,
        "confirmed",
        owner=personas["alice_owner"],
        district_official=personas["dan_district"],
        bureau=personas["bureau"],
    )
    client.force_login(personas["dept_reviewer"])
    rows = history_rows(client.get(reverse("projects:project-detail", args=[edited.pk])))
    assert ("2024-03-06 11:10", "alice", "{} 2#楼".format(word("Building")), word("deleted"), "✓", "—") in rows
