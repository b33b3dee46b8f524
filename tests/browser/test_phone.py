"""A phone on site (issue 19 item 2): at 390 × 844 the key pages never scroll sideways, in Chinese
and English; what a thumb presses is at least 44 px high; an irreversible action asks first in a
dialog in the page's language (UI-24). The sweep over every page is engineer A's test."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-test-123"
PHONE = {"width": 390, "height": 844}

#: the culprits of a sideways scroll: the outermost elements past the right edge of the screen
#: that no scrolling box of their own holds
OVERFLOW = """() => {
  const w = window.innerWidth, out = [];
  const held = (el) => { for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
    if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) return true; } return false; };
  for (const el of document.querySelectorAll('body *')) {
    const r = el.getBoundingClientRect();
    if (r.width && r.right > w + 1 && el.parentElement.getBoundingClientRect().right <= w + 1 && !held(el))
      out.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + ' ' + Math.round(r.right) + 'px');
  }
  return {scrollWidth: document.documentElement.scrollWidth, innerWidth: w, culprits: out.slice(0, 5)};
}"""

#: controls of the page's content a thumb presses, with their size
SMALL_TARGETS = """() => {
  const out = [];
  const targets = document.querySelectorAll('main .btn, main .form-control, main .form-select, main td a, main td button');
  for (const el of targets) {
    const r = el.getBoundingClientRect();
    if (!r.width || getComputedStyle(el).visibility === 'hidden' || el.closest('.visually-hidden, [hidden]')) continue;
    if (r.height < 43.5 || (el.matches('.btn, td a, td button') && r.width < 43.5))
      out.push(el.tagName.toLowerCase() + ' "' + (el.textContent || el.name || '').trim().slice(0, 20) + '" ' + Math.round(r.width) + '×' + Math.round(r.height));
  }
  return out;
}"""


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("#nav, nav").first).to_be_attached()


def assert_fits(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status < 400, url
    page.wait_for_load_state("networkidle")
    measured = page.evaluate(OVERFLOW)
    assert measured["scrollWidth"] <= measured["innerWidth"], (url, measured)
    small = page.evaluate(SMALL_TARGETS)
    assert small == [], (url, small)


def test_key_pages_fit_a_phone_in_both_languages(page: Page, live_server, personas, filed_project):
    from greenbuild.api.services import create_token

    project = filed_project("submitted")
    create_token(actor=personas["alice_owner"], user=personas["alice_owner"], name="工地同步")
    base = live_server.url
    page.set_viewport_size(PHONE)
    for path in ["/", "/en/", "/projects/", "/en/projects/"]:
        assert_fits(page, base + path)
    sign_in(page, base, "alice")
    pages = [
        "/",
        "/projects/",
        "/projects/{}/".format(project.pk),
        "/projects/{}/scores/".format(project.pk),
        "/projects/{}/scores/records/".format(project.pk),
        "/notifications/",
        "/notifications/inbox/",
        "/accounts/tokens/",
    ]
    for path in pages:
        assert_fits(page, base + path)
        assert_fits(page, base + "/en" + path)
    # The menu opens under the bar and fits too.
    page.goto(base + "/en/projects/")
    page.click(".navbar-toggler")
    expect(page.locator("#nav")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    sign_in(page, base, "bureau")
    for path in ["/", "/en/projects/", "/imports/", "/en/imports/", "/notifications/"]:
        assert_fits(page, base + path)


def test_revoking_a_token_asks_first_in_the_pages_language(page: Page, live_server, personas):
    from greenbuild.api.models import ApiToken
    from greenbuild.api.services import create_token

    token, _secret = create_token(actor=personas["bureau"], user=personas["bureau"], name="工地同步")
    base = live_server.url
    page.set_viewport_size(PHONE)
    sign_in(page, base, "bureau")
    page.goto(base + "/en/accounts/tokens/")
    revoke = page.locator("form[data-confirm] button").first
    revoke.click()
    dialog = page.locator("#gb-confirm")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Revoke the token 工地同步?")
    dialog.get_by_role("button", name="Cancel").click()
    expect(dialog).to_be_hidden()
    token.refresh_from_db()
    assert token.is_active

    page.goto(base + "/accounts/tokens/")
    page.locator("form[data-confirm] button").first.click()
    expect(dialog).to_contain_text("吊销令牌 工地同步？")
    dialog.locator("[data-confirm-yes]").click()
    page.wait_for_load_state("networkidle")
    assert not ApiToken.objects.get(pk=token.pk).is_active


def test_a_reload_at_a_form_only_address_is_the_styled_405(page: Page, live_server, personas):
    base = live_server.url
    page.set_viewport_size(PHONE)
    sign_in(page, base, "bureau")
    response = page.goto(base + "/en/accounts/tokens/1/revoke/")
    assert response is not None and response.status == 405
    expect(page.locator("#error-405")).to_contain_text("Not available at this address")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
