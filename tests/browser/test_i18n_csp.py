"""In Chromium: the language switch works both ways (issue 10 item 11), and the main pages, the
admin included, run under the Content-Security-Policy with no violation and no request to
another host (item 9)."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"
PASSWORD = "pw-test-123"


class Watch:
    """Collects CSP violations, script errors and requests that leave the live server."""

    def __init__(self, page: Page, base: str) -> None:
        self.host = urlsplit(base).netloc
        self.problems: list[str] = []
        page.on("console", self._console)
        page.on("pageerror", lambda error: self.problems.append("page error: {}".format(error)))
        page.on("request", self._request)
        page.on("response", self._response)

    def _console(self, message) -> None:
        text = message.text
        if text.startswith("Failed to load resource"):  # reported with its URL by _response
            return
        if "Content Security Policy" in text or "Content-Security-Policy" in text or message.type == "error":
            self.problems.append("console {} on {}: {}".format(message.type, message.location.get("url"), text[:120]))

    def _response(self, response) -> None:
        # A page may answer 404 on purpose; what it loads (scripts, styles, fragments) may not.
        if response.status >= 400 and response.request.resource_type != "document":
            self.problems.append("{} {}".format(response.status, response.url))

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme in ("data", "blob", "about"):
            return
        if parts.netloc != self.host:
            self.problems.append("request to another host: {}".format(request.url))


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("nav")).to_contain_text("退出")


def test_the_language_switch_works_both_ways_from_a_project_page(page: Page, live_server, personas, filed_project):
    project = filed_project("submitted")
    base = live_server.url
    watch = Watch(page, base)
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, base, "bureau")

    page.goto("{}/en/projects/{}/".format(base, project.pk))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.select_option("#language-form select", "zh-hans")
    page.wait_for_url(lambda url: urlsplit(url).path == "/projects/{}/".format(project.pk))
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    expect(page.locator("nav")).to_contain_text("试点项目")

    page.select_option("#language-form select", "en")
    page.wait_for_url(lambda url: urlsplit(url).path == "/en/projects/{}/".format(project.pk))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("nav")).to_contain_text("Projects")

    # From the admin, with a query string, back to Chinese.
    personas["bureau"].is_staff = True
    personas["bureau"].save(update_fields=["is_staff"])
    page.goto(base + "/en/admin/projects/project/?o=1")
    page.goto(base + "/en/projects/?status=submitted")
    page.select_option("#language-form select", "zh-hans")
    page.wait_for_url(lambda url: url.endswith("/projects/?status=submitted") and "/en/" not in url)
    expect(page.locator("html")).to_have_attribute("lang", "zh-Hans")
    assert watch.problems == []


def test_main_pages_and_the_admin_run_under_the_csp_with_no_violation(page: Page, live_server, personas, filed_project):
    project = filed_project("submitted")
    personas["bureau"].is_staff = True
    personas["bureau"].save(update_fields=["is_staff"])
    base = live_server.url
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.set_viewport_size({"width": 1366, "height": 900})
    watch = Watch(page, base)

    for path in ["/", "/en/", "/projects/", "/accounts/login/", "/projects/987654321/"]:
        page.goto(base + path)
        page.wait_for_load_state("networkidle")
    sign_in(page, base, "bureau")
    pages = [
        "/",
        "/en/",
        "/projects/",
        "/en/projects/?status=submitted",
        "/projects/{}/".format(project.pk),
        "/en/projects/{}/".format(project.pk),
        "/projects/{}/scores/".format(project.pk),
        "/notifications/",
        "/admin/",
        "/en/admin/",
        "/admin/projects/project/",
        "/admin/projects/project/{}/change/".format(project.pk),
        "/admin/projects/project/{}/history/".format(project.pk),
    ]
    for path in pages:
        response = page.goto(base + path)
        assert response is not None and response.status < 400, path
        page.wait_for_load_state("networkidle")
    page.goto(base + "/")
    page.wait_for_load_state("networkidle")
    # ECharts drew the chart under style-src 'self' (it styles through the CSSOM).
    if page.locator("#pilots-chart").count():
        expect(page.locator("#pilots-chart canvas, #pilots-chart svg").first).to_be_visible()
    # htmx still works with allowEval off: the list filters in place.
    page.goto(base + "/projects/")
    page.select_option("#project-filter select[name=status]", "submitted")
    page.wait_for_url(re.compile(r"status=submitted"))
    page.wait_for_load_state("networkidle")
    page.screenshot(path=str(ARTIFACTS / "csp-project-list.png"), full_page=True)
    assert watch.problems == []


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_the_navbar_stays_on_one_line_at_1366_px_in_both_languages(page: Page, live_server, personas, prefix):
    """Issue 10 item 16: the English menu wrapped (and pushed "Sign out" off the bar) at 1366 px."""
    personas["bureau"].is_staff = True  # the widest menu: the bureau administrator sees every item
    personas["bureau"].save(update_fields=["is_staff"])
    base = live_server.url
    page.set_viewport_size({"width": 1366, "height": 900})
    sign_in(page, base, "bureau")
    page.goto(base + prefix + "/")
    brand = page.locator("nav .navbar-brand").bounding_box()
    container = page.locator("nav > div").first.bounding_box()
    for selector in ["nav .navbar-nav .nav-link", "#language-form select", "#user-menu > button", "nav form button"]:
        for box in [item.bounding_box() for item in page.locator(selector).all()]:
            assert box is not None, selector
            assert abs((box["y"] + box["height"] / 2) - (brand["y"] + brand["height"] / 2)) < 12, selector  # one row
            assert box["x"] + box["width"] <= container["x"] + container["width"] + 1, selector  # inside the bar
    assert page.locator("nav").bounding_box()["height"] < 70
