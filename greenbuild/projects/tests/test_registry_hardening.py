# ruff: noqa: F811  (``world`` is a fixture imported from the permission matrix)
"""Issue 10, registry items: evaluators (3), names (5), list filters (10), small things (16), admin names (16).

Each test fails on the code before the fix.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from greenbuild.core.errors import DomainError
from greenbuild.programmes.models import Programme
from greenbuild.projects import services
from greenbuild.projects.filters import ProjectFilterSet
from greenbuild.projects.models import Project, ProjectParticipant
from greenbuild.projects.tests.test_permission_matrix import (  # noqa: F401 (world is a fixture)
    DETAIL,
    PERSONAS,
    PROJECTS,
    outcome,
    undone,
    world,
)
from greenbuild.testing.factories import building_data, complete_project_data, make_project
from greenbuild.testing.forms import as_post
from greenbuild.testing.snapshots import registry_snapshot

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")


def zh(client, method: str, url: str, data: Any = None, **extra: Any):
    with translation.override("zh-hans"):
        return client.get(url, data, **extra) if method == "get" else client.post(url, data, **extra)


def field_errors(response, field: str) -> list[str]:
    form = response.context["form"]
    return [str(m) for m in form.errors.get(field, [])]


# --- item 3: the bureau assigns the third-party evaluator --------------------------------------


def evaluator_actions(project: Project, w: dict[str, Any]) -> dict[str, tuple[str, str, dict[str, str] | None]]:
    evaluator = project.participants.filter(role="evaluator").first()
    return {
        "evaluator-assign-get": ("get", reverse("projects:evaluator-assign", args=[project.pk]), None),
        "evaluator-assign-post": (
            "post",
            reverse("projects:evaluator-assign", args=[project.pk]),
            {"organisation": str(w["evaluator_org"].pk)},
        ),
        "evaluator-remove": (
            "post",
            reverse("projects:evaluator-remove", args=[project.pk, evaluator.pk if evaluator else 0]),
            {},
        ),
    }


def expected_evaluator_cell(persona: str, key: str, action: str) -> str:
    """Only the bureau assigns or removes evaluators, on every project it sees."""
    if persona == "anonymous":
        return "login"
    if DETAIL[persona][key] != "200":
        return "404"
    if persona != "bureau":
        return "403"
    return "ok" if action.endswith("-get") else "done"


@pytest.mark.parametrize("action", ["evaluator-assign-get", "evaluator-assign-post", "evaluator-remove"])
def test_only_the_bureau_assigns_and_removes_evaluators(client, world, orgs, action):  # noqa: F811
    from greenbuild.accounts.choices import OrganisationKind
    from greenbuild.testing.factories import OrganisationFactory

    w = {**world, "evaluator_org": OrganisationFactory(name="第二家评价机构", kind=OrganisationKind.EVALUATOR)}
    spare = OrganisationFactory(name="备用评价机构", kind=OrganisationKind.EVALUATOR)  # nobody's persona
    for key in PROJECTS:  # every project has an evaluator to remove (ted's organisation only on the pilot)
        project = w["projects"][key]
        if not project.participants.filter(role="evaluator").exists():
            services.assign_evaluator(actor=w["personas"]["bureau"], project_id=project.pk, organisation=spare)
    mismatches = []
    for persona in PERSONAS:
        client.logout()
        if persona != "anonymous":
            client.force_login(w["personas"][persona])
        for key, project in w["projects"].items():
            with undone():
                method, url, data = evaluator_actions(project, w)[action]
                detail_url = reverse("projects:project-detail", args=[project.pk])
                before = registry_snapshot()
                got, _response = outcome(client, method, url, data, detail_url)
                after = registry_snapshot()
                expected = expected_evaluator_cell(persona, key, action)
                if got != expected:
                    mismatches.append((persona, key, expected, got))
                elif got == "done":
                    evaluators = set(
                        project.participants.filter(role="evaluator").values_list("organisation", flat=True)
                    )
                    changed = (
                        (w["evaluator_org"].pk in evaluators) if action == "evaluator-assign-post" else not evaluators
                    )
                    if not changed:
                        mismatches.append((persona, key, "done and changed", "not changed"))
                elif after != before:
                    mismatches.append((persona, key, got + " and nothing changed", "something changed"))
    assert mismatches == []


def test_the_owner_cannot_name_or_remove_an_evaluator(client, world, orgs):  # noqa: F811
    alice, draft = world["personas"]["alice_owner"], world["projects"]["draft"]
    client.force_login(alice)
    form_html = zh(client, "get", reverse("projects:participant-create", args=[draft.pk])).content.decode()
    assert 'value="evaluator"' not in form_html and "第三方评价机构" not in form_html
    assert orgs["evaluator"].name not in form_html

    before = registry_snapshot()
    response = zh(
        client,
        "post",
        reverse("projects:participant-create", args=[draft.pk]),
        {"organisation": str(orgs["evaluator"].pk), "role": "evaluator"},
    )
    assert response.status_code == 200 and field_errors(response, "role")
    assert registry_snapshot() == before
    with pytest.raises(DomainError):
        services.add_participant(actor=alice, project_id=draft.pk, organisation=orgs["evaluator"], role="evaluator")

    # The bureau's evaluator stays: the owner's remove is refused with a message.
    evaluator = services.assign_evaluator(
        actor=world["personas"]["bureau"], project_id=draft.pk, organisation=orgs["evaluator"]
    )
    before = registry_snapshot()
    response = zh(client, "post", reverse("projects:participant-remove", args=[draft.pk, evaluator.pk]), follow=True)
    assert [m for m in response.context["messages"] if CJK.search(str(m))]
    assert registry_snapshot() == before
    page = zh(client, "get", reverse("projects:project-detail", args=[draft.pk])).content.decode()
    assert reverse("projects:participant-remove", args=[draft.pk, evaluator.pk]) not in page
    assert 'id="assign-evaluator"' not in page


def test_assigning_and_removing_an_evaluator_is_in_the_history(client, world, orgs):  # noqa: F811
    bureau, submitted = world["personas"]["bureau"], world["projects"]["submitted"]
    client.force_login(bureau)
    page = zh(client, "get", reverse("projects:project-detail", args=[submitted.pk])).content.decode()
    assert 'id="assign-evaluator"' in page
    response = zh(
        client,
        "post",
        reverse("projects:evaluator-assign", args=[submitted.pk]),
        {"organisation": orgs["evaluator"].pk},
    )
    assert response.status_code == 302
    evaluator = submitted.participants.get(role="evaluator")
    assert evaluator.history.get().history_user == bureau
    # The evaluator now sees the application.
    client.force_login(world["personas"]["ted_evaluator"])
    assert client.get(reverse("projects:project-detail", args=[submitted.pk])).status_code == 200
    client.force_login(bureau)
    zh(client, "post", reverse("projects:evaluator-remove", args=[submitted.pk, evaluator.pk]))
    assert not submitted.participants.filter(role="evaluator").exists()
    records = ProjectParticipant.history.filter(id=evaluator.pk).order_by("history_id")
    assert [(r.history_type, r.history_user) for r in records] == [("+", bureau), ("-", bureau)]
    # Refused: an organisation that is not an evaluator, a second time, a withdrawn application.
    with pytest.raises(DomainError):
        services.assign_evaluator(actor=bureau, project_id=submitted.pk, organisation=world["designer"])
    services.assign_evaluator(actor=bureau, project_id=submitted.pk, organisation=orgs["evaluator"])
    with pytest.raises(DomainError):
        services.assign_evaluator(actor=bureau, project_id=submitted.pk, organisation=orgs["evaluator"])


# --- item 5: unique names without disclosing other organisations' drafts -----------------------


def test_a_name_taken_by_another_organisations_private_draft_is_not_disclosed(client, alice_owner, olivia_other_owner):
    make_project(alice_owner, "天宁保密草稿")
    client.force_login(olivia_other_owner)
    response = zh(client, "post", reverse("projects:project-create"), as_post(complete_project_data("天宁保密草稿")))
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    assert Project.objects.filter(name="天宁保密草稿").count() == 2


def test_the_database_keeps_names_unique_per_owner_in_a_programme(alice_owner, olivia_other_owner):
    mine = make_project(alice_owner, "同名项目")
    make_project(olivia_other_owner, "同名项目")  # another owner: allowed
    fields = {f.attname: getattr(mine, f.attname) for f in Project._meta.concrete_fields if f.attname != "id"}
    with pytest.raises(IntegrityError), transaction.atomic():
        Project.objects.create(**fields)
    # The service's race path (IntegrityError after the check) still answers with a field message.
    with pytest.raises(ValidationError) as error:
        _save_skipping_clean(Project(**fields), alice_owner)
    assert "name" in error.value.message_dict


def _save_skipping_clean(obj: Project, actor: Any) -> None:
    """``services._save`` as it runs when a concurrent insert wins after ``clean()`` passed."""
    obj.clean = lambda: None  # the check ran before the other insert (a race, not a mock of ours)
    services._save(obj, actor)


# --- item 10: every list filter with absurd values ---------------------------------------------

ABSURD = [
    "99999999999999999999",
    str(2**63),
    "-1",
    "0",
    "abc",
    "１２",  # full-width digits
    "天宁区",
    "' OR 1=1 --",
    "",
    " ",
    "1e309",
    "x" * 5000,
]


def list_urls() -> list[str]:
    return [reverse("projects:project-list"), reverse("dashboards:overview"), reverse("notifications:list")]


def filter_names() -> list[str]:
    return [*ProjectFilterSet.base_filters, "page", "programme"]


@pytest.mark.parametrize("persona", ["bureau", None])
def test_every_list_filter_with_absurd_values_gives_a_page_never_a_server_error(
    client, personas, filed_project, persona
):
    """Each filter of each list page repeated, alone, and all of them at once (the htmx partial too)."""
    filed_project("submitted", "天宁筛选项目")
    if persona:
        client.force_login(personas[persona])
    failures = []
    for url in list_urls():
        if persona is None and url == reverse("notifications:list"):
            continue  # signs anonymous visitors in first
        queries = [{name: [value, value, "1"]} for name in filter_names() for value in ABSURD]
        queries += [{name: value} for name in filter_names() for value in ABSURD[:5]]
        queries += [{name: value for name in filter_names()} for value in ABSURD]
        for query in queries:
            headers = {"HTTP_HX_REQUEST": "true"} if len(query) > 1 else {}
            response = client.get(url, query, **headers)
            if response.status_code != 200:
                failures.append((url, str(query)[:60], response.status_code))
    assert failures == []


def test_an_absurd_id_filter_is_reported_and_the_other_filters_still_apply(client, bureau, filed_project):
    filed_project("submitted", "天宁筛选项目")
    client.force_login(bureau)
    response = zh(client, "get", reverse("projects:project-list"), {"district_id": "99999999999999999999", "q": "天宁"})
    html = response.content.decode()
    assert response.status_code == 200 and 'id="filter-errors"' in html
    assert "天宁筛选项目" in html
    response = zh(client, "get", reverse("projects:project-list"), {"status": "in_review", "district_id": ["", "1"]})
    assert response.status_code == 200


# --- item 16: labelled comment boxes, plausible heights, clear limits ---------------------------


def test_each_moves_comment_box_is_labelled_and_tied_to_its_button(client, dan_district, filed_project):
    project = filed_project("submitted", "天宁待推荐")
    client.force_login(dan_district)
    html = zh(client, "get", reverse("projects:project-detail", args=[project.pk])).content.decode()
    forms = re.findall(r'<form[^>]*data-action="(\w+)"[^>]*>(.*?)</form>', html, re.S)
    assert {action for action, _ in forms} == {"recommend", "return"}
    for action, body in forms:
        textarea_id = re.search(r'<textarea[^>]*id="([^"]+)"', body).group(1)
        label = re.search(r'<label[^>]*for="{}"[^>]*>(.*?)</label>'.format(textarea_id), body, re.S)
        assert label, action
        button = re.search(r"<button[^>]*>(.*?)</button>", body, re.S).group(1).strip()
        assert button in label.group(1) and CJK.search(label.group(1)), (action, label.group(1))


def test_a_100_storey_building_3_m_tall_is_refused_with_a_chinese_message(client, alice_owner):
    draft = make_project(alice_owner, "高度校验项目", with_building=False)
    client.force_login(alice_owner)
    before = registry_snapshot()
    data = as_post(building_data("1#楼", "20000", storeys=100, height_m="3"))
    response = zh(client, "post", reverse("projects:building-create", args=[draft.pk]), data)
    assert response.status_code == 200
    [message] = field_errors(response, "height_m")
    assert "220" in message and CJK.search(message)
    assert registry_snapshot() == before
    ok = as_post(building_data("1#楼", "20000", storeys=10, height_m="30"))
    assert zh(client, "post", reverse("projects:building-create", args=[draft.pk]), ok).status_code == 302


@pytest.mark.parametrize(
    ("form", "field", "value"),
    [
        ("project", "gfa_above_m2", "99999999999999"),
        ("project", "gfa_below_m2", "1000000000000"),
        ("project", "investment_wan_yuan", "99999999999999999"),
        ("building", "floor_area_m2", "99999999999999"),
        ("building", "height_m", "123456789"),
        ("building", "storeys", "99999999"),
    ],
)
def test_a_huge_number_gets_its_fields_upper_bound_not_a_digit_count(client, alice_owner, form, field, value):
    draft = make_project(alice_owner, "上限校验项目", with_building=False)
    client.force_login(alice_owner)
    if form == "project":
        url, data = reverse("projects:project-create"), as_post(complete_project_data("上限校验新项目"))
    else:
        url, data = reverse("projects:building-create", args=[draft.pk]), as_post(building_data("1#楼", "20000"))
    before = registry_snapshot()
    response = zh(client, "post", url, {**data, field: value})
    assert response.status_code == 200
    messages = field_errors(response, field)
    assert len(messages) == 1 and CJK.search(messages[0]), messages
    assert "个数字" not in messages[0] and "32767" not in messages[0], messages
    assert re.search(r"\d", messages[0]), messages  # names the bound
    assert registry_snapshot() == before


# --- item 16: the admin's names and help in the user's language --------------------------------


def test_the_admin_names_the_platform_in_the_users_language(client, bureau):
    bureau.is_staff = bureau.is_superuser = True
    bureau.save()
    client.force_login(bureau)
    html = zh(client, "get", reverse("admin:index")).content.decode()
    assert "绿色建造试点管理平台 · 管理后台" in html and "Django" not in html
    with translation.override("en"):
        html = client.get(reverse("admin:index")).content.decode()
    assert "GreenBuild pilot management platform · Administration" in html
    assert not CJK.search(re.search(r"<title>(.*?)</title>", html, re.S).group(1))


def test_the_admin_widgets_speak_chinese(client, bureau):
    """The selector widget's help ("Choose all …", "Remove …") comes from the JavaScript catalogue."""
    bureau.is_staff = bureau.is_superuser = True
    bureau.save()
    client.force_login(bureau)
    script = zh(client, "get", reverse("admin:jsi18n")).content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});", script, re.S).group(1))
    for msgid in (
        "Choose all %s",
        "Remove all %s",
        "Choose selected %s",
        "Remove selected %s",
        'Choose %s by selecting them and then select the "Choose" arrow button.',
        'Remove %s by selecting them and then select the "Remove" arrow button.',
    ):
        assert CJK.search(catalogue.get(msgid, "")), msgid
    programme = Programme.objects.get(code="changzhou-2021")
    html = zh(client, "get", reverse("admin:programmes_programme_change", args=[programme.pk])).content.decode()
    assert "R1：" in html or "全市" in html  # the help text of min_pilots, translated


def test_every_help_text_of_our_models_is_translated():
    untranslated = []
    for model in apps.get_models():
        if not model.__module__.startswith("greenbuild.") or model.__name__.startswith("Historical"):
            continue
        for field in model._meta.get_fields():
            help_text = getattr(field, "help_text", "")
            if not help_text:
                continue
            with translation.override("zh-hans"):
                text = str(help_text)
            if not CJK.search(text):
                untranslated.append("{}.{}: {}".format(model.__name__, field.name, text))
    assert untranslated == []


def test_no_label_of_our_models_shows_chinese_in_the_english_ui():
    """UI-21: the English UI labelled the project's owner "owner (建设单位)"; a label, a help text
    or a choice of our models reads English in English (the Chinese is its translation)."""
    leaks = []
    with translation.override("en"):
        for model in apps.get_models():
            if not model.__module__.startswith("greenbuild.") or model.__name__.startswith("Historical"):
                continue
            texts = [("", model._meta.verbose_name), ("", model._meta.verbose_name_plural)]
            for field in model._meta.get_fields():
                texts += [
                    (field.name, getattr(field, "verbose_name", "")),
                    (field.name, getattr(field, "help_text", "")),
                ]
                texts += [(field.name, label) for _value, label in (getattr(field, "choices", None) or [])]
            leaks += ["{}.{}: {}".format(model.__name__, name, text) for name, text in texts if CJK.search(str(text))]
    assert leaks == []
