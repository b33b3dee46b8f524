"""In Chromium (issue 17 item 8): an imported user changes the forced password and reaches the
overview, each page loading once (ACC-01); the idle warning keeps the session (ACC-02); a form
submitted after the idle timeout comes back filled in after signing in again (ACC-02)."""

from __future__ import annotations

import time

import pytest
from django.contrib.auth.hashers import make_password
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pw-test-123"


def sign_in(page: Page, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")


def test_an_imported_user_changes_the_forced_password_and_reaches_the_overview(page: Page, live_server, orgs):
    from greenbuild.accounts.models import User

    # As the user import writes them: an administrator-set password, a change due at first sign-in.
    User.objects.create(
        username="imported", display_name="导入用户", password=make_password("Chushi-Mima-1"), must_change_password=True
    )
    base = live_server.url
    loads: list[str] = []
    badge_calls: list[str] = []
    page.on("load", lambda: loads.append(page.url))
    page.on("request", lambda request: badge_calls.append(request.url) if "/inbox/badge/" in request.url else None)

    sign_in(page, base, "imported", "Chushi-Mima-1")
    expect(page).to_have_url(base + "/accounts/password/")
    expect(page.locator("#id_new_password1")).to_be_visible()
    page.wait_for_timeout(1500)  # the badge has loaded; a loop would have reloaded the page by now
    on_change_page = [url for url in loads if url.endswith("/accounts/password/")]
    assert len(on_change_page) == 1, loads
    assert len(badge_calls) <= 2, badge_calls  # one per page load, never a stream

    page.fill("#id_old_password", "Chushi-Mima-1")
    page.fill("#id_new_password1", "Chushi-Mima-1")
    page.fill("#id_new_password2", "Chushi-Mima-1")
    page.click("form button[type=submit]")
    expect(page.locator(".invalid-feedback")).to_contain_text("未使用过的密码")  # the admin's is not "new"

    page.fill("#id_old_password", "Chushi-Mima-1")
    page.fill("#id_new_password1", "Ziji-De-Mima-7")
    page.fill("#id_new_password2", "Ziji-De-Mima-7")
    loads.clear()
    page.click("form button[type=submit]")
    expect(page).to_have_url(base + "/")
    expect(page.locator("nav")).to_contain_text("退出")  # still signed in
    expect(page.locator("main")).to_contain_text("密码已修改")
    page.wait_for_timeout(1000)
    assert loads == [base + "/"], loads
    assert not User.objects.get(username="imported").must_change_password


def test_the_idle_warning_keeps_the_session(page: Page, live_server, alice_owner, settings):
    from django.contrib.sessions.backends.db import SessionStore

    from greenbuild.accounts.middleware import LAST_SEEN_KEY

    settings.SESSION_IDLE_TIMEOUT_MINUTES = 1
    settings.SESSION_IDLE_WARNING_SECONDS = 57  # shown about 3 s after the page loads
    base = live_server.url
    sign_in(page, base, "alice")
    page.goto(base + "/projects/new/")
    dialog = page.locator("#idle-warning")
    expect(dialog).to_be_visible(timeout=10_000)
    expect(dialog).to_contain_text("您还在吗")
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    before = SessionStore(session_key=key)[LAST_SEEN_KEY]
    time.sleep(1.1)
    page.click("#idle-warning [data-idle-stay]")
    expect(dialog).to_be_hidden()
    assert SessionStore(session_key=key)[LAST_SEEN_KEY] > before


def test_a_form_submitted_after_the_timeout_comes_back_after_signing_in(page: Page, live_server, alice_owner):
    from django.contrib.sessions.backends.db import SessionStore

    from greenbuild.accounts.middleware import LAST_SEEN_KEY

    base = live_server.url
    sign_in(page, base, "alice")
    expect(page.locator("nav")).to_contain_text("退出")
    page.goto(base + "/projects/new/")
    page.fill("#id_name", "超时前填写的项目名称")
    page.fill("#id_address", "天宁区青洋路 8 号")
    # The session went idle meanwhile (as if 31 minutes had passed).
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    session = SessionStore(session_key=key)
    session[LAST_SEEN_KEY] = int(time.time()) - 31 * 60
    session.save()
    page.click("#project-form button[type=submit]")
    expect(page).to_have_url(base + "/accounts/login/?next=%2Fprojects%2Fnew%2F")
    expect(page.locator("main")).to_contain_text("您填写的内容已保留")
    page.fill("#id_username", "alice")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    expect(page).to_have_url(base + "/projects/new/")
    expect(page.locator("#kept-input-notice")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("超时前填写的项目名称")
    expect(page.locator("#id_address")).to_have_value("天宁区青洋路 8 号")
