"""In Chromium: the API documentation (Swagger UI and ReDoc) loads from the platform alone — no
request to another host, no script error, no CSP violation (issue 12 §6) — and shows the
bilingual schema."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_i18n_csp import Watch

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"


@pytest.mark.parametrize("path,ready", [("/api/v1/docs/", ".swagger-ui .info .title"), ("/api/v1/redoc/", "h1")])
def test_the_api_documentation_loads_with_no_request_to_another_host(page: Page, live_server, path, ready):
    watch = Watch(page, live_server.url)
    page.goto(live_server.url + path)
    # ReDoc parses the whole schema (some 180 operations since issue 20) before it draws anything:
    # on a loaded 2-core machine that took over 20 s
    expect(page.locator(ready).first).to_contain_text("GreenBuild API", timeout=60_000)
    # The operations are listed (Swagger UI renders them as it scrolls; ReDoc has a menu entry per tag).
    expect(page.locator('.opblock-summary-path, a[href*="tag/projects"]').first).to_be_attached(timeout=60_000)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "api-docs-{}.png".format(path.strip("/").replace("/", "-"))))
    assert not watch.problems, watch.problems
