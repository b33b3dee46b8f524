"""In Chromium, issue 13's "What the tests must show": the owner submits a green construction
plan, the bureau draws a panel of three, each expert accepts and scores, the leader concludes
"pass", the bureau confirms the pilot, and the project's page shows its locked baseline and its
lifecycle step timeline. Every step goes through the real pages; screenshots land in
``artifacts/browser/``."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from playwright.sync_api import Page, expect

from tests.browser.test_i18n_csp import Watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"
PASSWORD = "pw-test-123"
SPECIALTIES = [["green_building", "hvac"], ["prefabrication"], ["bim", "construction"]]


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("nav")).to_contain_text("退出")


def sign_out(page: Page) -> None:
    page.click("nav button:has-text('退出')")


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / "plan_review_{}.png".format(name)), full_page=True)


@pytest.fixture
def management_data(transactional_db):
    """The data migrations' rows the flush after each live-server test removes: the guideline's
    first edition, the default criteria scheme and the eleven lifecycle step types."""
    for module, function in (
        ("greenbuild.guidelines.migrations.0002_first_edition", "load"),
        ("greenbuild.reviews.migrations.0002_default_scheme", "forwards"),
        ("greenbuild.lifecycle.migrations.0002_step_types", "load"),
    ):
        Guideline = apps.get_model("guidelines", "Guideline")
        if module.startswith("greenbuild.guidelines") and Guideline.objects.filter(code="changzhou-2021-v1").exists():
            continue
        getattr(importlib.import_module(module), function)(apps, None)


@pytest.fixture
def expert_pool(orgs):
    """Available experts, each of another employer (one expert per employer on a panel), with profiles."""
    from greenbuild.accounts.choices import OrganisationKind, Role
    from greenbuild.reviews.models import ExpertProfile
    from greenbuild.testing.factories import OrganisationFactory, person

    experts = []
    for index, specialties in enumerate(SPECIALTIES, start=1):
        employer = OrganisationFactory(name="专家单位{}".format(index), kind=OrganisationKind.CONSULTANT)
        user = person("expert{}".format(index), Role.EXPERT, orgs["experts"])
        ExpertProfile.objects.create(
            user=user, specialties=specialties, title="教授级高工", employer=employer, available=True
        )
        experts.append(user)
    return experts


def test_plan_review_panel_pass_confirmation_baseline_and_steps(
    page: Page, live_server, personas, filed_project, management_data, expert_pool
):
    from greenbuild.plans.models import GreenPlan
    from greenbuild.reviews.models import PanelSeat, ReviewRound

    base = live_server.url
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    watch = Watch(page, base)
    # Before the flow: a candidate pilot (filed, recommended by the district, accepted by the bureau).
    project = filed_project("candidate", name="天宁区绿色建造示范住宅")

    # 1. The owner writes the plan in the structured form and submits it.
    sign_in(page, base, "alice")
    page.goto("{}/projects/{}/".format(base, project.pk))
    expect(page.locator("#plan-panel")).to_be_visible()
    page.goto("{}/projects/{}/plan/".format(base, project.pk))
    page.click("#start-plan")
    expect(page.locator("#plan-form")).to_be_visible()
    page.select_option("#id_star_level", "two_star")
    for rate in page.locator("#plan-form input[name^=rate_]").all():
        rate.fill("60")
    page.fill("#id_waste_t_per_10k_m2", "180")
    page.fill("#id_green_material_pct", "60")
    for measure in page.locator("#plan-form textarea[name^=measure_]").all():
        measure.fill("按导则要求落实，责任单位：工程总承包单位。")
    page.locator("#plan-form input[name=technologies]").first.check()
    for stage in ("design", "production", "construction"):
        page.check("#plan-form input[name=bim_stages][value={}]".format(stage))
    page.fill("#id_bim_text", "设计阶段BIM正向设计，生产阶段构件深化，施工阶段进度与质量管理。")
    page.fill("#id_smart_site", "智慧工地平台：人员实名制、塔吊监测、扬尘噪声监测。")
    page.fill("#id_equipment", "测量机器人、地坪整平机器人。")
    page.select_option("#id_organisation_mode", "epc")
    page.click("#plan-form button[type=submit]")
    expect(page.locator("#self-check")).to_contain_text("可以提交")
    shot(page, "1_owner_self_check")
    page.click("form.move[data-action=submit] button[type=submit]")
    expect(page.locator("#plan-status")).to_contain_text("已提交")
    expect(page.locator("#plan-versions")).to_contain_text("1")
    shot(page, "2_owner_submitted")
    sign_out(page)
    plan = GreenPlan.objects.get(project=project)

    # 2. The bureau draws a panel of three from the pool.
    sign_in(page, base, "bureau")
    page.goto(base + "/reviews/")
    page.click("a[href$='/reviews/draw/{}/']".format(plan.pk))
    page.fill("#id_panel_size", "3")
    page.click("#draw-form button[type=submit]")
    expect(page.locator("#round-seed")).not_to_be_empty()
    expect(page.locator("#panel tbody tr")).to_have_count(3)
    shot(page, "3_bureau_panel_drawn")
    sign_out(page)
    review_round = ReviewRound.objects.get(plan=plan)
    seats = list(PanelSeat.objects.filter(round=review_round).select_related("expert").order_by("order"))
    assert len(seats) == 3
    round_url = "{}/reviews/{}/".format(base, review_round.pk)

    # 3. Each drawn expert accepts the seat (declaring no conflict); scoring opens once all have.
    for seat in seats:
        sign_in(page, base, seat.expert.username)
        page.goto(round_url)
        page.check("#respond-form input[name=decision][value=accept]")
        page.click("#respond-form button[type=submit]")
        expect(page.locator("#respond-form")).to_have_count(0)
        sign_out(page)

    # 3b. The bureau appoints the panel leader (the scheme's rule; never the first drawn by default).
    sign_in(page, base, "bureau")
    page.goto(round_url)
    page.select_option("#leader-form select[name=seat]", str(seats[0].pk))
    page.click("#leader-form button[type=submit]")
    expect(page.locator("#panel")).to_contain_text("组长")
    sign_out(page)

    # 4. Each expert scores every section independently and submits.
    for index, seat in enumerate(seats):
        sign_in(page, base, seat.expert.username)
        page.goto(round_url)
        page.click("#score-link")
        for score in page.locator("#score-form input[type=number]").all():
            score.fill(str(7 + index))
        for comment in page.locator("#score-form textarea[name^=comment_]").all():
            comment.fill("方案目标明确，措施可行。")
        # the opinion form (专家评审意见表), with the declaration of independence
        page.fill("#id_opinion", "策划方案目标明确，措施可行。")
        page.select_option("#id_recommendation", "passed")
        page.fill("#id_revision_requirements", "无")
        page.check("#id_declaration")
        if index == 0:
            shot(page, "4_expert_scoring")
        page.click("#score-form button[name=submit]")
        expect(page.locator("#confirm-form")).to_be_visible()  # the final submit is confirmed first
        page.click("#confirm-button")
        expect(page.locator("#my-seat")).to_contain_text("已提交")
        sign_out(page)

    # 5. The leader sees the consolidated score and concludes "pass".
    leader = PanelSeat.objects.select_related("expert").get(round=review_round, is_leader=True)
    sign_in(page, base, leader.expert.username)
    page.goto(round_url)
    # Every section scored 7, 8 and 9 of 10 (weights sum to 100): 70, 80, 90; with three experts
    # the trimmed mean drops nobody, so the consolidated score is their mean.
    expect(page.locator("#consolidated")).to_have_text("80.00")
    page.select_option("#conclude-form select[name=conclusion]", "passed")
    page.fill("#conclude-form textarea[name=reasons]", "专家组一致同意通过：目标明确，措施可行。")
    page.click("#conclude-form button[type=submit]")
    expect(page.locator("#gb-confirm")).to_contain_text("不能更改")  # the conclusion is final: asked first
    page.click("#gb-confirm [data-confirm-yes]")
    expect(page.locator("#round-conclusion")).to_contain_text("通过")
    shot(page, "5_leader_concluded")
    sign_out(page)

    # 6. The bureau confirms the pilot; the confirmation rests on the review.
    sign_in(page, base, "bureau")
    page.goto("{}/projects/{}/".format(base, project.pk))
    confirm = page.locator("form.move[data-action=confirm]")
    confirm.locator("textarea[name=comment]").fill("策划方案已通过专家评审，同意确认为试点项目。")
    confirm.locator("button[type=submit]").click()
    expect(page.locator("form.move[data-action=confirm]")).to_have_count(0)

    # 7. The project page shows the locked baseline (declared, baseline, achieved) and the steps.
    baseline = page.locator("#baseline-panel")
    expect(baseline).to_contain_text("第1版")
    expect(baseline).to_contain_text("来自经专家评审（评审编号")
    expect(baseline).to_contain_text("的策划方案第1版")  # its source: the plan version and the review round
    expect(baseline).to_contain_text("1#楼 60%")  # the plan's assembly-rate target, now the baseline
    timeline = page.locator("#step-timeline li[data-step]")
    expect(timeline).to_have_count(11)
    expect(page.locator("#step-timeline li[data-step=approval]")).to_contain_text("立项")
    shot(page, "6_project_baseline_and_steps")
    assert watch.problems == []
