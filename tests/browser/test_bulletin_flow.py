"""A periodic bulletin in Chromium (issue 20, "What the tests must show"): the bureau generates a
bulletin, watches the background job's progress on the bulletin's page, and downloads its PDF,
whose text holds the Chinese headings."""

from __future__ import annotations

import shutil
import subprocess

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


def test_generate_a_bulletin_watch_its_progress_and_download_its_pdf(page: Page, live_server, personas):
    from greenbuild.bulletins.models import Bulletin
    from greenbuild.jobs.services import run_job

    base = live_server.url
    page.set_viewport_size({"width": 1280, "height": 900})
    sign_in(page, base, "bureau")
    page.goto(base + "/bulletins/")
    page.click("#new-bulletin")
    page.select_option("#id_kind", "monthly")
    page.fill("#id_year", "2021")
    page.fill("#id_period", "11")
    page.click("#generate-bulletin")

    # the bulletin's page shows the job waiting for the worker, with its progress bar
    progress = page.locator("#bulletin-progress")
    expect(progress).to_be_visible()
    expect(progress.locator("[data-job-status]")).to_have_attribute("data-job-status", "queued")
    expect(progress.locator("progress")).to_be_visible()

    # the worker runs it; the page follows by itself (htmx polling) until it has succeeded
    bulletin = Bulletin.objects.get()
    revision = bulletin.revisions.get()
    run_job(revision.job_id)
    expect(progress.locator("[data-job-status]")).to_have_attribute("data-job-status", "succeeded", timeout=15000)
    expect(progress.locator("progress")).to_have_attribute("value", "100")

    page.click("text=任务完成后查看通报")
    expect(page.locator("#bulletin-content")).to_contain_text("各辖市区试点进展")
    with page.expect_download() as download_info:
        page.click("#download-pdf")
    download = download_info.value
    data = open(download.path(), "rb").read()  # noqa: PTH123, SIM115
    assert data.startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(  # noqa: S603
            [shutil.which("pdftotext") or "pdftotext", "-", "-"], input=data, capture_output=True, check=True
        ).stdout.decode("utf-8")
        assert "通报概况" in text and "各辖市区排名" in text
