"""Issue 16, the registry's findings: the list and its filters (REG-03, REG-04, REG-08, REG-09), the
project page (REG-06, REG-07, REG-10, UI-09) and the bureau's 确定为试点 to-do (UI-09, item 11).

Each test fails on the code before the fix.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from greenbuild.lifecycle.services import confirmable_projects, confirmation_basis
from greenbuild.projects import services
from greenbuild.projects.choices import ProjectStatus as S
from greenbuild.projects.events import applications_to_select
from greenbuild.projects.forms import ProjectForm
from greenbuild.projects.models import Project
from greenbuild.reference.models import ProjectCategory
from greenbuild.testing.factories import complete_project_data, make_project, pass_plan_review

pytestmark = pytest.mark.django_db


def zh_get(client, url: str, data=None):
    with translation.override("zh-hans"):
        return client.get(url, data)


def listed(client, data=None) -> list[str]:
    page = zh_get(client, reverse("projects:project-list"), data).content.decode()
    return re.findall(r'<a href="/projects/\d+/">([^<]+)</a>', page)


# --- the list ----------------------------------------------------------------------------------


def test_a_category_group_lists_the_projects_of_its_sub_categories(client, personas):
    """REG-03: 房屋建筑 (a group) used to match its own id only and list nothing."""
    make_project(personas["alice_owner"], "房地产项目", category="real-estate")
    make_project(personas["alice_owner"], "市政项目", category="municipal", with_building=False)
    group = ProjectCategory.objects.get(code="real-estate").parent
    assert group is not None
    client.force_login(personas["bureau"])
    assert listed(client, {"category_id": group.pk}) == ["房地产项目"]
    assert listed(client, {"category_id": ProjectCategory.objects.get(code="real-estate").pk}) == ["房地产项目"]


def test_the_search_matches_the_owner(client, personas):
    """REG-09: 建设单位 is searched too."""
    make_project(personas["alice_owner"], "天宁项目")
    make_project(personas["olivia_other_owner"], "武进项目", district="wujin")
    client.force_login(personas["bureau"])
    owner = personas["olivia_other_owner"].memberships.first().organisation.name
    assert listed(client, {"q": owner[:4]}) == ["武进项目"]


def test_the_list_defaults_to_the_current_programme_and_shows_a_programme_column(client, personas):
    """REG-04: two programmes are told apart; ``?programme=`` (all programmes) lists both."""
    from django.apps import apps as django_apps
    from django.utils import timezone

    from greenbuild.programmes.data_changzhou_2021 import load_programme
    from greenbuild.projects.demo import live_programme_spec

    make_project(personas["alice_owner"], "二〇二一项目")
    live = load_programme(django_apps, live_programme_spec(timezone.localdate()))
    services.create_project(
        actor=personas["alice_owner"],
        programme=live,
        data=complete_project_data("本期项目"),
    )
    client.force_login(personas["bureau"])
    assert listed(client) == ["本期项目"]
    assert sorted(listed(client, {"programme": ""})) == sorted(["二〇二一项目", "本期项目"])
    page = zh_get(client, reverse("projects:project-list")).content.decode()
    assert re.search(r'<th scope="col">(<a [^>]*>)?试点计划', page) and live.name_zh in page
    # The export link carries the programme the page shows.
    assert re.search(r'id="project-list-xlsx"', page) and re.search(
        r'href="/projects/export.xlsx\?[^"]*programme={}"'.format(live.pk), page
    )


@pytest.mark.parametrize("who", [None, "alice_owner", "olivia_other_owner"])
def test_the_public_and_owners_are_not_offered_the_withdrawal_filter_and_it_tells_them_nothing(
    client, personas, filed_project, who
):
    """REG-02/REG-08: the withdrawal filter reads the requests' gate; the public sees no status filter."""
    pilot = filed_project("confirmed", name="撤回中的试点")
    filed_project("confirmed", name="另一个试点")
    services.request_withdrawal(actor=personas["alice_owner"], project_id=pilot.pk, reason="计划调整")
    if who:
        client.force_login(personas[who])
    page = zh_get(client, reverse("projects:project-list")).content.decode()
    assert 'name="withdrawal"' not in page
    if who is None:
        assert 'name="status"' not in page
        assert sorted(listed(client, {"withdrawal": "pending"})) == []
    elif who == "olivia_other_owner":
        assert listed(client, {"withdrawal": "pending"}) == []


def test_the_bureau_and_districts_filter_pending_withdrawals(client, personas, filed_project):
    pilot = filed_project("confirmed", name="撤回中的试点")
    filed_project("confirmed", name="另一个试点")
    services.request_withdrawal(actor=personas["alice_owner"], project_id=pilot.pk, reason="计划调整")
    for who in ("bureau", "dan_district"):
        client.force_login(personas[who])
        assert 'name="withdrawal"' in zh_get(client, reverse("projects:project-list")).content.decode()
        assert listed(client, {"withdrawal": "pending"}) == ["撤回中的试点"]
    client.force_login(personas["wu_district"])  # another district's official learns nothing
    assert listed(client, {"withdrawal": "pending"}) == []


# --- the project page --------------------------------------------------------------------------


def test_only_the_owner_reads_the_self_check(client, personas, filed_project):
    """REG-06: the district official of a returned application does not read "可以提交"."""
    project = filed_project("returned", name="退回项目")
    client.force_login(personas["dan_district"])
    assert (
        'id="self-check"' not in zh_get(client, reverse("projects:project-detail", args=[project.pk])).content.decode()
    )
    client.force_login(personas["alice_owner"])
    assert 'id="self-check"' in zh_get(client, reverse("projects:project-detail", args=[project.pk])).content.decode()


def test_the_floor_area_says_above_and_below_ground(client, personas):
    """REG-07."""
    project = make_project(personas["alice_owner"], "面积项目")
    client.force_login(personas["alice_owner"])
    page = zh_get(client, reverse("projects:project-detail", args=[project.pk])).content.decode()
    area = re.search(r'id="gross-floor-area">([^<]*)<', page).group(1)
    assert "地上" in area and "地下" in area


def test_the_application_form_groups_its_targets_by_kind_of_control():
    """REG-10: figures, yes/no measures and texts each in their own group (an aligned grid)."""
    form = ProjectForm()
    groups = form.grouped_fields()
    assert sorted(f.name for _t, fields in groups for f in fields) == sorted(ProjectForm.Meta.fields)
    for _title, fields in groups[1:]:
        kinds = {
            "checkbox"
            if getattr(f.field.widget, "input_type", "") == "checkbox"
            else "text"
            if f.field.widget.attrs.get("rows")
            else "input"
            for f in fields
        }
        assert len(kinds) == 1, _title


def test_confirm_is_disabled_with_the_reason_while_the_plan_has_not_passed(client, personas, filed_project):
    """UI-09: the page offers 确定为试点 only as a disabled button with the reason."""
    project = filed_project("candidate", name="待评审候选")
    client.force_login(personas["bureau"])
    page = zh_get(client, reverse("projects:project-detail", args=[project.pk])).content.decode()
    form = re.search(r'data-action="confirm">(.*?)</form>', page, re.S).group(1)
    assert "disabled" in form and 'id="move-confirm-blocked"' in form
    reason = re.search(r'id="move-confirm-blocked">([^<]+)<', form).group(1)
    assert re.search(r"[\u4e00-\u9fff]", reason)


def test_a_refused_confirmation_keeps_its_comment_on_the_project_page(client, personas, filed_project):
    """UI-09: post/redirect/get, the typed comment shown again in its own textarea."""
    project = filed_project("candidate", name="待评审候选")
    client.force_login(personas["bureau"])
    with translation.override("zh-hans"):
        response = client.post(
            reverse("projects:project-transition", args=[project.pk, "confirm"]),
            {"comment": "专家组意见已收到，拟确定"},
            follow=True,
        )
    assert response.redirect_chain[-1][0] == reverse("projects:project-detail", args=[project.pk])
    page = response.content.decode()
    assert re.search(r'id="move-confirm-comment"[^>]*>专家组意见已收到，拟确定</textarea>', page)
    project.refresh_from_db()
    assert project.status == S.CANDIDATE
    # Shown once: a reload starts empty.
    again = zh_get(client, reverse("projects:project-detail", args=[project.pk])).content.decode()
    assert "专家组意见已收到，拟确定" not in again


# --- the bureau's 确定为试点 to-do --------------------------------------------------------------


def test_the_bureau_is_asked_to_confirm_only_candidates_whose_plan_passed(personas, filed_project):
    """UI-09 / item 11: a candidate in review, sent back or failed is no 确定为试点 to-do."""
    waiting = filed_project("candidate", name="评审中候选")
    passed = filed_project("candidate", name="已通过候选")
    pass_plan_review(passed, owner=personas["alice_owner"], bureau=personas["bureau"])
    items = [i for i in applications_to_select(personas["bureau"]) if i.kind == "projects.to_confirm"]
    assert [i.title for i in items] == ["已通过候选"]
    # The queryset twin answers as confirmation_basis does, project by project.
    candidates = Project.objects.filter(status=S.CANDIDATE)
    twin = set(confirmable_projects(candidates).values_list("pk", flat=True))
    assert twin == {p.pk for p in candidates if not confirmation_basis(p)[0]} == {passed.pk}
    assert waiting.pk not in twin


def test_the_confirm_to_do_costs_the_same_queries_for_one_and_three_candidates(personas, filed_project):
    filed_project("candidate", name="候选0")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            list(applications_to_select(personas["bureau"]))
        return len(ctx.captured_queries)

    one = count()
    filed_project("candidate", name="候选1")
    filed_project("candidate", name="候选2")
    assert count() == one


def test_the_export_names_the_programme_the_first_submission_and_the_star_level_of_record(client, personas):
    """REG-04: the export has 试点计划, 首次申报时间, the reviewed star level and R7, and lists what
    the page lists (the current programme by default)."""
    import io

    from openpyxl import load_workbook

    project = make_project(personas["alice_owner"], "导出项目")
    services.transition_project(actor=personas["alice_owner"], project_id=project.pk, action="submit")
    client.force_login(personas["bureau"])
    with translation.override("zh-hans"):
        response = client.get(reverse("reports:project-list-xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    headers = [str(h) for h in rows[0]]
    for header in ("试点计划", "首次申报时间", "星级（评审认定）", "R7：绿色建筑星级"):
        assert header in headers, headers
    row = dict(zip(headers, rows[1], strict=False))
    assert "导出项目" in rows[1]
    assert row["试点计划"] == project.programme.name_zh
    assert row["首次申报时间"] is not None
    assert row["R7：绿色建筑星级"] == "尚无数据"


def test_a_past_programmes_demo_application_waits_from_its_real_start(personas, filed_project):
    """UI-10: the 2021 demo applications are dated in 2021, so their to-dos do not wait "0 days"."""
    import datetime as dt

    from greenbuild.projects.demo import _date_the_application
    from greenbuild.projects.events import applications_to_recommend

    project = filed_project("submitted", name="二〇二一申报")
    _date_the_application(project, dt.date(2021, 2, 4))
    project.refresh_from_db()
    assert project.created_at.date() == dt.date(2021, 2, 4)
    assert project.submitted_at.date() == dt.date(2021, 2, 18)
    [item] = list(applications_to_recommend(personas["dan_district"]))
    assert item.since.date() == dt.date(2021, 2, 18) and item.waiting_days > 365
