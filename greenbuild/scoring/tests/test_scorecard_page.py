"""The scorecard page (issue 10 item 15): error summary, category subtotals, "all control items
met", operation-only rows disabled at pre-evaluation, "未填写" star figures, building type from
the project's use."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from greenbuild.reference.models import BuildingUse
from greenbuild.scoring.models import Scorecard, ScoreRun
from greenbuild.scoring.tests.conftest import WORKED

pytestmark = pytest.mark.django_db


def edit_url(project, stage="evaluation"):
    return reverse("scoring:scorecard-edit", args=[project.pk, stage])


def controls_met():
    return {"c_" + c.replace(".", "_"): "true" for c in WORKED["control_items"]}


def get(client, url, lang="zh-hans"):
    with translation.override(lang):
        return client.get(url).content.decode()


def test_a_refused_save_lists_every_error_at_the_top_linking_to_its_field(client, pilot, alice_owner):
    client.force_login(alice_owner)
    data = {"building_type": "residential", **controls_met(), "c_4_2_1": "abc", "envelope_improvement_pct": "101"}
    with translation.override("zh-hans"):
        page = client.post(edit_url(pilot), data).content.decode()
    summary = page[page.index('id="error-summary"') : page.index('id="scorecard-header"')]
    assert 'href="#id_c_4_2_1"' in summary and 'href="#id_envelope_improvement_pct"' in summary
    assert "有 2 处需要修改" in summary
    assert 'id="id_c_4_2_1"' in page  # the anchor exists
    assert not ScoreRun.objects.exists()


def test_each_category_shows_its_subtotal_and_the_page_script_keeps_it_running(client, pilot, alice_owner):
    client.force_login(alice_owner)
    data = {"building_type": "residential", **controls_met(), "c_4_2_1": "10", "c_4_2_2": "5.5", "c_5_2_1": "abc"}
    page = client.post(edit_url(pilot), data).content.decode()
    assert re.search(r'data-subtotal="safety_durability">15\.5<', page)
    assert re.search(r'data-subtotal="health_comfort">0<', page)
    assert 'data-category="safety_durability"' in page
    assert '<script src="/static/scoring/scorecard.js">' in page
    assert not re.search(r"<script>(?!</script>)|\son[a-z]+=\"", page)  # no inline script or handlers


def test_all_control_items_met_marks_every_control_item_and_saves_nothing(client, pilot, alice_owner):
    client.force_login(alice_owner)
    data = {"building_type": "residential", "c_4_2_1": "7", "all_control_met": "1"}
    page = client.post(edit_url(pilot), data).content.decode()
    for clause in WORKED["control_items"]:
        name = "c_" + clause.replace(".", "_")
        select = re.search(r'<select name="{}"[^>]*>(.*?)</select>'.format(name), page, re.S).group(1)
        assert '<option value="true" selected>' in select, clause
    assert 'name="c_4_2_1" value="7"' in page  # what was typed stays
    assert not Scorecard.objects.exists() and not ScoreRun.objects.exists()
    assert 'id="all-control-met"' in page  # the one-click button the script enables


def test_the_reviewer_gets_no_all_control_items_met_button(client, pilot, alice_owner, bureau):
    from greenbuild.scoring import services
    from greenbuild.scoring.choices import Stage
    from greenbuild.scoring.tests.conftest import HEADER, claims_from

    services.save_scorecard(
        actor=alice_owner, project=pilot, stage=Stage.EVALUATION, header=HEADER, claims=claims_from(WORKED)
    )
    client.force_login(bureau)
    page = get(client, reverse("scoring:scorecard-review", args=[pilot.pk, "evaluation"]))
    assert "all-control-met" not in page and "all_control_met" not in page
    assert 'id="filed-header"' in page


def test_operation_only_rows_are_disabled_at_pre_evaluation_and_a_posted_value_is_ignored(client, pilot, alice_owner):
    client.force_login(alice_owner)
    page = get(client, edit_url(pilot, "pre_evaluation"))
    row = re.search(r'<tr data-clause="6.2.10"[^>]*>.*?</tr>', page, re.S).group(0)
    assert "row-disabled" in row and re.search(r'name="c_6_2_10"[^>]*disabled', row)
    data = {"building_type": "residential", "full_decoration": "on", **controls_met(), "c_6_2_10": "5"}
    assert client.post(edit_url(pilot, "pre_evaluation"), data).status_code == 302
    assert not Scorecard.objects.get().claims.filter(clause="6.2.10").exists()


def test_unknown_star_figures_are_shown_as_not_given_in_the_form(client, pilot, alice_owner):
    client.force_login(alice_owner)
    page = get(client, edit_url(pilot))
    assert 'id="unknown-star-figures"' in page
    warning = page[page.index('id="unknown-star-figures"') :][:600]
    assert "尚未填写" in warning and "节水器具" in page
    assert '<option value="" selected>未填写</option>' in page
    assert "未填写：一星级及以上需要表3.2.8的这一项。" in page
    with translation.override("en"):
        english = client.get(edit_url(pilot)).content.decode()
    assert "Not given: One star and above need this figure of table 3.2.8." in english
    data = {
        "building_type": "residential",
        "envelope_improvement_pct": "20",
        "water_fixture_grade": "1",
        "sound_insulation": "high",
        "pollutant_reduction_pct": "20",
        "window_airtightness": "true",
    }
    with translation.override("zh-hans"):
        page = client.post(edit_url(pilot), {**data, **controls_met(), "c_4_2_1": "x"}).content.decode()
    assert 'id="unknown-star-figures"' not in page  # every row has a figure now


@pytest.mark.parametrize("use,expected", [("residential", "residential"), ("office", "public")])
def test_the_building_type_defaults_from_the_projects_use(client, filed_project, alice_owner, use, expected):
    project = filed_project("draft", use=BuildingUse.objects.get(code=use))
    client.force_login(alice_owner)
    page = get(client, edit_url(project))
    select = re.search(r'<select name="building_type"[^>]*>(.*?)</select>', page, re.S).group(1)
    assert '<option value="{}" selected>'.format(expected) in select
