"""An inspection in Chromium (issue 20, "What the tests must show"): the bureau plans an
inspection; the district's inspector works it on a phone (390 px), keeps a draft, records a
finding with a photo and a rectification deadline (the 整改通知书 is issued); the owner rectifies
with evidence; the inspector verifies and the order closes."""

from __future__ import annotations

import datetime as dt
from io import BytesIO

import pytest
from playwright.sync_api import Page, expect

from tests.browser.test_i18n_csp import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def _attachments_in_memory(settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "attachments": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    }


def _jpeg(path) -> str:
    from PIL import Image

    out = BytesIO()
    Image.new("RGB", (200, 150), (120, 100, 80)).save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return str(path)


def sign_out(page: Page) -> None:
    page.click("nav button:has-text('退出')")


def test_plan_inspect_record_a_finding_with_a_photo_rectify_and_verify(
    page: Page, live_server, personas, filed_project, tmp_path
):
    from django.utils import timezone

    from greenbuild.inspections.models import RectificationOrder

    project = filed_project("confirmed", name="天宁区绿色建造检查项目")
    base = live_server.url
    today = timezone.localdate()

    # the bureau plans the inspection, with the district's official as inspector
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, "bureau")
    page.goto("{}/inspections/new/?project={}".format(base, project.pk))
    page.select_option("#id_project", str(project.pk))
    page.select_option("#id_inspector", str(personas["dan_district"].pk))
    page.fill("#id_due_on", today.isoformat())
    page.fill("#id_reason", "定期监督检查")
    page.click("#schedule-form button[type=submit]")
    expect(page.locator("#inspection-status")).to_have_text("已排期")
    inspection_url = page.url
    sign_out(page)

    # the inspector on a phone: starts it, the draft survives leaving the page, records a finding
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, base, "dan")
    page.goto(inspection_url)
    page.click("form.move[data-action=start] button")
    expect(page.locator("#inspection-status")).to_have_text("检查中")
    page.fill("#inspection-conclusion", "现场检查未完成")
    page.goto(base + "/inspections/")
    page.goto(inspection_url)
    expect(page.locator("#draft-notice")).to_be_visible()
    expect(page.locator("#inspection-conclusion")).to_have_value("现场检查未完成")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390 + 1

    page.select_option("#id_severity", "major")
    page.fill("#id_clause", "GB/T 50905-2014 4.2.1")
    page.fill("#id_location", "1号楼北侧")
    page.fill("#id_summary", "施工现场裸土未覆盖")
    expect(page.locator("#id_photo")).to_have_attribute("capture", "environment")
    page.set_input_files("#id_photo", _jpeg(tmp_path / "site.jpg"))
    page.fill("#id_deadline", (today + dt.timedelta(days=7)).isoformat())
    page.fill("#id_instructions", "覆盖裸土")
    page.click("#finding-form button[type=submit]")
    expect(page.locator("#findings")).to_contain_text("施工现场裸土未覆盖")
    order = RectificationOrder.objects.get()
    assert order.finding.photos.count() == 1
    assert order.number.startswith("常住建绿整改")
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_out(page)

    # the owner rectifies with evidence
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, "alice")
    page.goto("{}/inspections/orders/{}/".format(base, order.pk))
    expect(page.locator("#order-number")).to_have_text(order.number)
    page.set_input_files("#evidence-file", _jpeg(tmp_path / "fixed.jpg"))
    page.click("#order-evidence button[type=submit]")
    expect(page.locator("#order-evidence")).to_contain_text("fixed.jpg")
    page.fill("#move-answer-comment", "已全部覆盖防尘网")
    page.click("form.move[data-action=answer] button")
    expect(page.locator("#order-status")).to_have_text("已整改，待复核")
    sign_out(page)

    # the inspector verifies: the order closes
    sign_in(page, base, "dan")
    page.goto("{}/inspections/orders/{}/".format(base, order.pk))
    page.click("form.move[data-action=verify] button")
    expect(page.locator("#order-status")).to_have_text("已复核销号")
    order.refresh_from_db()
    assert order.status == "closed"
