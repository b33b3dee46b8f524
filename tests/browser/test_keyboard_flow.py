"""In Chromium, with the keyboard alone (issue 19 item 1): the owner signs in, files an application
with a building and submits it, the district recommends it and the bureau accepts it — Tab,
Shift+Tab, Enter, Space, arrow keys and typing only, never a click — and every control reached
shows where the focus is.

The same flow as ``test_application_flow.py``, which drives it with the mouse."""

from typing import Any

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-test-123"

# What the focused element shows: an outline (the browser's focus ring counts) or a box shadow
# (Bootstrap's focus ring), and whether the browser applies :focus-visible.
_FOCUS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const s = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(), id: el.id, name: el.getAttribute("name"), text: (el.textContent || "").trim().slice(0, 40),
    focusVisible: el.matches(":focus-visible"),
    outline: s.outlineStyle !== "none" && parseFloat(s.outlineWidth) > 0,
    shadow: !!s.boxShadow && s.boxShadow !== "none",
  };
}"""


def focused(page: Page) -> dict[str, Any] | None:
    return page.evaluate(_FOCUS)


def assert_focus_visible(page: Page) -> None:
    state = focused(page)
    assert state is not None, "nothing has the focus"
    assert state["focusVisible"] and (state["outline"] or state["shadow"]), (
        "the focused element shows no focus ring (outline or box-shadow): {}".format(state)
    )


def tab_to(page: Page, selector: str, *, backwards: bool = False, limit: int = 200) -> None:
    """Press Tab (Shift+Tab) until the element matching ``selector`` has the focus; check that the
    focus is visible there."""
    key = "Shift+Tab" if backwards else "Tab"
    for _ in range(limit):
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)", selector):
            assert_focus_visible(page)
            return
        page.keyboard.press(key)
    raise AssertionError("{} presses of {} never reached {}".format(limit, key, selector))


def type_into(page: Page, selector: str, text: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def choose(page: Page, selector: str, label: str) -> None:
    """Pick an option of a closed select with the arrow keys (as a keyboard user does)."""
    tab_to(page, selector)
    labels = page.evaluate("(s) => [...document.querySelector(s).options].map(o => o.textContent.trim())", selector)
    assert label in labels, "{} has no option {}: {}".format(selector, label, labels)
    current = page.evaluate("(s) => document.querySelector(s).selectedIndex", selector)
    wanted = labels.index(label)
    for _ in range(abs(wanted - current)):
        page.keyboard.press("ArrowDown" if wanted > current else "ArrowUp")
    expect(page.locator(selector)).to_have_value(
        page.evaluate("([s, i]) => document.querySelector(s).options[i].value", [selector, wanted])
    )


def type_date(page: Page, selector: str, iso: str) -> None:
    """A date input takes its segments as typed digits, in the browser locale's order (en-US)."""
    year, month, day = iso.split("-")
    tab_to(page, selector)
    page.keyboard.type(month + day + year)
    expect(page.locator(selector)).to_have_value(iso)


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    type_into(page, "#id_username", username)
    type_into(page, "#id_password", PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator("nav")).to_contain_text("退出")


def sign_out(page: Page) -> None:
    # the sign-out button is the last control of the navbar: back to the top of the page, then
    # Tab forward to it
    page.keyboard.press("Control+Home")
    tab_to(page, "nav form[action$='/logout/'] button")
    page.keyboard.press("Enter")
    expect(page.locator("nav")).not_to_contain_text("退出")


def test_the_application_flow_by_keyboard_alone(browser, live_server, personas):
    base = live_server.url
    # en-US: the date inputs take their digits month, day, year
    context = browser.new_context(locale="en-US", viewport={"width": 1366, "height": 900})
    page = context.new_page()

    sign_in(page, base, "alice")
    page.goto(base + "/projects/")
    tab_to(page, "#new-application")
    page.keyboard.press("Enter")
    expect(page.locator("#id_name")).to_be_visible()
    type_into(page, "#id_name", "天宁区键盘示范住宅")
    choose(page, "#id_district", "天宁区")
    type_into(page, "#id_address", "常州市天宁区青洋北路88号")
    choose(page, "#id_category", "房地产开发项目")
    choose(page, "#id_investment_nature", "社会投资")
    choose(page, "#id_use", "住宅")
    choose(page, "#id_structure_material", "混凝土结构")
    choose(page, "#id_structure_system", "剪力墙结构")
    type_into(page, "#id_gfa_above_m2", "60000")
    type_into(page, "#id_gfa_below_m2", "15000")
    type_into(page, "#id_investment_wan_yuan", "52000")
    type_date(page, "#id_planned_start", "2021-07-01")
    type_date(page, "#id_planned_completion", "2023-12-31")
    type_into(page, "#id_approval_code", "2106-320402-47-01-100001")
    choose(page, "#id_organisation_mode", "工程总承包（EPC）")
    choose(page, "#id_target_star_level", "二星级")
    type_into(page, "#id_waste_target_t_per_10k_m2", "250")
    type_into(page, "#id_green_material_target_pct", "45")
    # Shift+Tab back to an earlier field and forward again: the order is the reading order
    tab_to(page, "#id_green_material_target_pct")
    tab_to(page, "#id_waste_target_t_per_10k_m2", backwards=True)
    tab_to(page, "#project-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#project-status")).to_have_text("草稿")
    expect(page.locator("#self-check")).to_contain_text("请至少添加一个单体建筑")

    tab_to(page, "a[href$='/buildings/new/']")
    page.keyboard.press("Enter")
    expect(page.locator("#id_floor_area_m2")).to_be_visible()
    type_into(page, "#id_name", "1#楼")
    type_into(page, "#id_floor_area_m2", "30000")
    type_into(page, "#id_storeys", "18")
    type_into(page, "#id_height_m", "54")
    choose(page, "#id_structure_material", "混凝土结构")
    choose(page, "#id_structure_system", "剪力墙结构")
    type_into(page, "#id_target_assembly_rate_pct", "55")
    tab_to(page, "#building-form button[type=submit]")
    page.keyboard.press("Space")  # a button answers Space as well as Enter
    expect(page.locator("#self-check")).to_contain_text("申报材料完整")
    tab_to(page, "form[data-action=submit] button")
    page.keyboard.press("Enter")
    expect(page.locator("#project-status")).to_have_text("已申报")
    project_url = page.url
    sign_out(page)

    # The district official recommends it, with a comment.
    sign_in(page, base, "dan")
    page.goto(project_url)
    type_into(page, "form[data-action=recommend] textarea", "项目具有代表性，同意推荐。")
    tab_to(page, "form[data-action=recommend] button")
    page.keyboard.press("Enter")
    expect(page.locator("#project-status")).to_have_text("辖市区已推荐")
    expect(page.locator("#timeline")).to_contain_text("项目具有代表性，同意推荐。")
    sign_out(page)

    # The bureau accepts it as a candidate pilot.
    sign_in(page, base, "bureau")
    page.goto(project_url)
    tab_to(page, "form[data-action=accept] button")
    page.keyboard.press("Enter")
    expect(page.locator("#project-status")).to_have_text("候选试点")
    context.close()
