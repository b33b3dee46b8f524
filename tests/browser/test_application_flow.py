"""In Chromium: an owner files an application, the district recommends it, the bureau accepts it,
and the programme overview shows the new candidate pilot (issue 2, R4)."""

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


def sign_out(page: Page) -> None:
    page.click("nav button:has-text('退出')")


def test_owner_files_district_recommends_bureau_accepts_and_overview_shows_it(page: Page, live_server, personas):
    base = live_server.url
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": 900})

    # The overview starts with no candidate pilot.
    sign_in(page, base, "bureau")
    page.goto(base + "/")
    expect(page.locator("#stat-candidates .value")).to_have_text("0")
    sign_out(page)

    # The owner files an application.
    sign_in(page, base, "alice")
    page.goto(base + "/projects/")
    page.click("#new-application")
    page.fill("#id_name", "天宁区龙城绿色示范住宅")
    page.select_option("#id_district", label="天宁区")
    page.fill("#id_address", "常州市天宁区青洋北路88号")
    page.select_option("#id_category", label="房地产开发项目")
    page.select_option("#id_investment_nature", label="社会投资")
    page.select_option("#id_use", label="住宅")
    page.select_option("#id_structure_material", label="混凝土结构")
    page.select_option("#id_structure_system", label="剪力墙结构")
    page.fill("#id_gfa_above_m2", "60000")
    page.fill("#id_gfa_below_m2", "15000")
    page.fill("#id_investment_wan_yuan", "52000")
    page.fill("#id_planned_start", "2021-07-01")
    page.fill("#id_planned_completion", "2023-12-31")
    page.fill("#id_approval_code", "2106-320402-47-01-100001")
    page.select_option("#id_organisation_mode", label="工程总承包（EPC）")
    page.select_option("#id_target_star_level", label="二星级")
    page.fill("#id_waste_target_t_per_10k_m2", "250")
    page.fill("#id_green_material_target_pct", "45")
    page.click("#project-form button[type=submit]")
    expect(page.locator("#project-status")).to_have_text("草稿")
    # The self-check asks for a building before the owner can submit.
    expect(page.locator("#self-check")).to_contain_text("请至少添加一个单体建筑")

    page.click("text=添加单体")
    page.fill("#id_name", "1#楼")
    page.fill("#id_floor_area_m2", "30000")
    page.fill("#id_storeys", "18")
    page.fill("#id_height_m", "54")
    page.select_option("#id_structure_material", label="混凝土结构")
    page.select_option("#id_structure_system", label="剪力墙结构")
    page.fill("#id_target_assembly_rate_pct", "55")
    page.click("#building-form button[type=submit]")
    expect(page.locator("#self-check")).to_contain_text("申报材料完整")
    page.click("form[data-action=submit] button")
    expect(page.locator("#project-status")).to_have_text("已申报")
    project_url = page.url
    sign_out(page)

    # The district official recommends it, with a comment.
    sign_in(page, base, "dan")
    page.goto(project_url)
    page.fill("form[data-action=recommend] textarea", "项目具有代表性，同意推荐。")
    page.click("form[data-action=recommend] button")
    expect(page.locator("#project-status")).to_have_text("辖市区已推荐")
    expect(page.locator("#timeline")).to_contain_text("项目具有代表性，同意推荐。")
    sign_out(page)

    # The bureau accepts it as a candidate pilot.
    sign_in(page, base, "bureau")
    page.goto(project_url)
    page.click("form[data-action=accept] button")
    expect(page.locator("#project-status")).to_have_text("候选试点")
    page.screenshot(path=str(ARTIFACTS / "project_accepted.png"), full_page=True)

    # The overview shows the change.
    page.goto(base + "/")
    expect(page.locator("#stat-candidates .value")).to_have_text("1")
    expect(page.locator("#quota-table tr[data-district=tianning]")).to_contain_text("(+1)")
    expect(page.locator("#pilots-chart svg")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "overview_after_accept.png"), full_page=True)


def test_english_switch_shows_the_overview_in_english(page: Page, live_server, personas):
    page.goto(live_server.url + "/")
    page.select_option("nav select[name=language]", "en")
    expect(page.locator("h1")).to_contain_text("Changzhou Green Construction Pilot Programme")
    expect(page.locator("nav")).to_contain_text("Programme overview")
    page.screenshot(path=str(ARTIFACTS / "overview_en.png"), full_page=True)


def test_the_project_list_filters_in_place_with_htmx(page: Page, live_server, personas):
    from greenbuild.testing.factories import make_project, move_to

    alice = personas["alice_owner"]
    for name, status in (("天宁草稿项目", "draft"), ("天宁已申报项目", "submitted"), ("天宁确定试点", "confirmed")):
        move_to(
            make_project(alice, name=name),
            status,
            owner=alice,
            district_official=personas["dan_district"],
            bureau=personas["bureau"],
        )
    sign_in(page, live_server.url, "bureau")
    page.goto(live_server.url + "/projects/")
    expect(page.locator("#projects tbody tr")).to_have_count(3)
    page.select_option("#project-filter select[name=status]", "confirmed")
    expect(page.locator("#projects tbody tr")).to_have_count(1)
    expect(page.locator("#projects")).to_contain_text("天宁确定试点")
    assert "status=confirmed" in page.url  # the filter is in the address, so it can be shared
    page.fill("#project-filter input[name=q]", "不存在")
    expect(page.locator("#projects")).to_contain_text("没有符合条件的项目")
