"""In Chromium: the third-party evaluator reviews a filed scorecard, accepting most claims and
adjusting two, saves, and sees the star level computed on the accepted basis (issue 10 item 13)."""

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"
PASSWORD = "pw-test-123"


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("nav")).to_contain_text("退出")


def test_the_evaluator_accepts_and_adjusts_claims_and_the_accepted_basis_is_scored(page: Page, live_server, personas):
    from greenbuild.scoring import services
    from greenbuild.scoring.choices import Stage
    from greenbuild.scoring.tests.conftest import HEADER, WORKED, claims_from, make_pilot

    pilot = make_pilot(personas)
    services.save_scorecard(
        actor=personas["alice_owner"], project=pilot, stage=Stage.EVALUATION, header=HEADER, claims=claims_from(WORKED)
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, live_server.url, "ted")
    page.goto("{}/projects/{}/scores/".format(live_server.url, pilot.pk))
    page.click("a[href$='/scorecards/evaluation/review/']")
    expect(page.locator("#filed-header")).to_contain_text("住宅")
    # Nothing is accepted yet: the review starts blank, and the reviewer explicitly fills in the claims
    # (issue 16, SCO-03), then adjusts: 9.2.1 (30 bonus points) lacks its report, 4.2.6 gets 10 of 18.
    expect(page.locator("#id_a_9_2_1")).to_have_value("")
    page.click("#fill-claimed")
    expect(page.locator("#id_a_9_2_1")).to_have_value("30.00")
    page.fill("#id_a_9_2_1", "0")
    page.fill("#id_rn_9_2_1", "无能耗模拟报告")
    page.fill("#id_a_4_2_6", "10")
    expect(page.locator("[data-subtotal=bonus]")).to_have_text("32")  # the running subtotal follows
    page.screenshot(path=str(ARTIFACTS / "scorecard_review_filled.png"), full_page=False)
    page.click("#scorecard-form button[type=submit]:has-text('保存')")
    expect(page.locator(".alert-success, .alert-info").first).to_contain_text("已")
    # 80.5 - 3.0 (9.2.1) - 0.8 (4.2.6) = 76.7, on the accepted figures.
    expect(page.locator("#official-result")).to_contain_text("76.7")
    expect(page.locator("#official-result")).to_contain_text("评审认定结果（正式）")
    expect(page.locator("#score-runs")).to_contain_text("ted")
    page.screenshot(path=str(ARTIFACTS / "scores_after_review.png"), full_page=True)

    # A refused review names the row at the top and links to it.
    page.click("a[href$='/scorecards/evaluation/review/']")
    page.fill("#id_a_4_2_1", "99")
    page.click("#scorecard-form button[type=submit]:has-text('保存')")
    expect(page.locator("#error-summary")).to_contain_text("4.2.1")
    page.click("#error-summary a[href='#id_a_4_2_1']")
    expect(page.locator("#id_a_4_2_1")).to_be_in_viewport()
    page.screenshot(path=str(ARTIFACTS / "scorecard_review_refused.png"), full_page=False)


def test_the_owner_marks_every_control_item_met_in_one_click_and_sees_the_subtotals(page: Page, live_server, personas):
    from greenbuild.scoring.models import ScoreRun
    from greenbuild.scoring.tests.conftest import make_pilot

    pilot = make_pilot(personas)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, live_server.url, "alice")
    page.goto("{}/projects/{}/scores/scorecards/evaluation/".format(live_server.url, pilot.pk))
    expect(page.locator("#id_building_type")).to_have_value("residential")  # from the project's use
    expect(page.locator("#unknown-star-figures")).to_contain_text("尚未填写")
    page.click("#all-control-met")
    expect(page.locator("#id_c_4_1_1")).to_have_value("true")
    expect(page.locator("#id_c_8_1_7")).to_have_value("true")
    page.select_option("#id_c_4_1_1", "false")  # still editable afterwards
    page.select_option("#id_c_4_1_1", "true")
    page.fill("#id_c_4_2_1", "10")
    page.fill("#id_c_4_2_2", "5.5")
    expect(page.locator("[data-subtotal=safety_durability]")).to_have_text("15.5")
    page.screenshot(path=str(ARTIFACTS / "scorecard_owner_control_items_met.png"), full_page=False)
    page.fill("#id_c_4_2_3", "99")  # above the clause maximum: refused, nothing stored
    page.click("#scorecard-form button[type=submit]:has-text('保存')")
    expect(page.locator("#error-summary")).to_contain_text("4.2.3")
    expect(page.locator("[data-subtotal=safety_durability]")).to_have_text("114.5")
    assert not ScoreRun.objects.exists()
    page.screenshot(path=str(ARTIFACTS / "scorecard_owner_refused.png"), full_page=False)
    page.fill("#id_c_4_2_3", "10")
    page.click("#scorecard-form button[type=submit]:has-text('保存')")
    expect(page.locator("#star-level")).to_contain_text("竣工评价")
    assert ScoreRun.objects.count() == 1
