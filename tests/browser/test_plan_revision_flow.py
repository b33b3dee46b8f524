"""In Chromium, issue 16 item 2: 修改后通过 leads somewhere. The panel has scored; the leader
concludes "pass with revisions" with the requirements and a deadline on the round's page (a
refused attempt keeps its input); the owner sees the requirements, revises the plan and submits the
revision; the leader verifies it against each requirement (复核) on the plan page; the bureau
confirms the pilot, and the baseline is the revised version's. Screenshots land in
``artifacts/browser/``."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from tests.browser.test_i18n_csp import Watch
from tests.browser.test_plan_review_flow import ARTIFACTS, PASSWORD, management_data  # noqa: F401 (fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page: Page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    expect(page.locator("nav")).to_contain_text("退出")


def sign_out(page: Page) -> None:
    page.click("nav button:has-text('退出')")


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / "plan_revision_{}.png".format(name)), full_page=True)


def test_pass_with_revisions_revision_verification_and_baseline_from_the_revised_version(
    page: Page,
    live_server,
    personas,
    filed_project,
    management_data,  # noqa: F811 (the fixture imported above)
):
    from greenbuild.lifecycle.models import Baseline
    from greenbuild.plans import services as plan_services
    from greenbuild.plans.choices import PlanStatus
    from greenbuild.plans.demo import complete_data, open_round, round_leader, score_data
    from greenbuild.plans.models import GreenPlan
    from greenbuild.projects.demo import DEMO_PASSWORD
    from greenbuild.reviews import services as review_services

    base = live_server.url
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    watch = Watch(page, base)
    owner, bureau = personas["alice_owner"], personas["bureau"]
    # Before the flow: a candidate whose plan (version 1) a panel of three has scored.
    project = filed_project("candidate", name="武进区绿色建造修改后通过示范")
    plan = plan_services.start_plan(actor=owner, project=project)
    plan_services.save_plan_draft(actor=owner, plan_id=plan.pk, data=complete_data(project, plan.guideline))
    plan_services.submit_plan(actor=owner, plan_id=plan.pk, comment="请专家评审。")
    review_round = open_round(GreenPlan.objects.get(pk=plan.pk), bureau)
    for seat in review_round.seats.filter(response="accepted").select_related("expert"):
        review_services.save_scores(
            actor=seat.expert,
            seat_id=seat.pk,
            data=score_data(review_round, "7.5", PlanStatus.PASSED_WITH_REVISIONS),
            submit=True,
        )
    leader = round_leader(review_round)
    round_url = "{}/reviews/{}/".format(base, review_round.pk)
    plan_url = "{}/projects/{}/plan/".format(base, project.pk)
    deadline = (timezone.localdate() + dt.timedelta(days=20)).isoformat()

    # 1. The leader concludes 修改后通过; without a deadline it is refused and the input stays.
    sign_in(page, base, leader.username, DEMO_PASSWORD)
    page.goto(round_url)
    form = page.locator("#conclude-form")
    expect(form.locator("select[name=conclusion]")).to_have_value("")  # nothing preselected
    form.locator("select[name=conclusion]").select_option("passed_with_revisions")
    form.locator("textarea[name=reasons]").fill("目标基本可行，须按要求修改完善后复核。")
    form.locator("textarea[name=requirements]").fill("补充各单体建筑装配率计算书\n建筑垃圾减量目标降至130吨/万平方米")
    form.locator("button[type=submit]").click()
    page.click("#gb-confirm [data-confirm-yes]")  # the conclusion is final: the page asks first
    expect(page.locator("#conclude-form select[name=conclusion]")).to_have_value("passed_with_revisions")
    expect(page.locator("#conclude-form textarea[name=reasons]")).to_have_value(
        "目标基本可行，须按要求修改完善后复核。"
    )
    page.fill("#conclude-form input[name=revision_deadline]", deadline)
    page.click("#conclude-form button[type=submit]")
    page.click("#gb-confirm [data-confirm-yes]")
    expect(page.locator("#round-conclusion")).to_contain_text("修改后通过")
    shot(page, "1_leader_concluded")
    sign_out(page)
    assert not Baseline.objects.filter(project=project).exists()  # nothing locked yet

    # 2. The owner sees the requirements and the deadline, revises the plan and submits it.
    sign_in(page, base, "alice")
    page.goto(base + "/notifications/inbox/")
    expect(page.locator("body")).to_contain_text("按评审要求修改绿色建造策划方案并提交复核")
    page.goto(plan_url)
    expect(page.locator("#plan-status")).to_contain_text("修改后通过")
    expect(page.locator("#revision-requirements li")).to_have_count(2)
    expect(page.locator("#revision")).to_contain_text(deadline)
    page.click("#edit-plan")
    page.fill("#id_waste_t_per_10k_m2", "130")
    page.click("#plan-form button[type=submit]")
    page.locator("form.move[data-action=submit_revision] textarea[name=comment]").fill("已按两条修改要求逐条修改。")
    page.click("form.move[data-action=submit_revision] button[type=submit]")
    expect(page.locator("#plan-status")).to_contain_text("修改稿已提交复核")
    expect(page.locator("#plan-status-text")).to_contain_text("待复核")
    shot(page, "2_owner_submitted_the_revision")
    sign_out(page)

    # 3. The leader verifies (复核): accepting with a requirement unchecked is refused, input kept.
    sign_in(page, base, leader.username, DEMO_PASSWORD)
    page.goto(base + "/notifications/inbox/")
    expect(page.locator("body")).to_contain_text("复核修改后的绿色建造策划方案")
    page.goto(plan_url)
    verify = page.locator("#verify")
    verify.locator("input[name=met_0]").check()
    verify.locator("input[name=verdict][value=accept]").check()
    verify.locator("button[type=submit]").click()
    expect(page.locator("#verify input[name=met_0]")).to_be_checked()
    expect(page.locator("#verify")).to_contain_text("修改要求均已落实")
    page.locator("#verify input[name=met_1]").check()
    page.locator("#verify input[name=verdict][value=accept]").check()
    page.fill("#verify textarea[name=comment]", "两条修改要求均已落实。")
    page.click("#verify button[type=submit]")
    expect(page.locator("#plan-status")).to_contain_text("通过")
    expect(page.locator("#plan-status-text")).to_contain_text("第2版")
    shot(page, "3_leader_verified")
    sign_out(page)

    # 4. The bureau confirms the pilot: the baseline is the revised (verified) version's.
    sign_in(page, base, "bureau")
    page.goto("{}/projects/{}/".format(base, project.pk))
    confirm = page.locator("form.move[data-action=confirm]")
    confirm.locator("textarea[name=comment]").fill("策划方案修改后经复核通过，同意确认为试点项目。")
    confirm.locator("button[type=submit]").click()
    expect(page.locator("form.move[data-action=confirm]")).to_have_count(0)
    expect(page.locator("#baseline-panel")).to_contain_text("第2版")
    shot(page, "4_baseline_from_the_revised_version")
    plan = GreenPlan.objects.select_related("current_version").get(pk=plan.pk)
    baseline = Baseline.objects.get(project=project)
    assert plan.current_version.number == 2
    assert baseline.source_plan_version_id == plan.current_version_id
    assert baseline.targets["waste_t_per_10k_m2"] == "130"
    assert watch.problems == []
