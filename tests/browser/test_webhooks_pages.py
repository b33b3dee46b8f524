"""The webhooks pages (issue 18 item 6) in Chromium at 390 px: nothing wider than the screen, and
each language on its own (no English words in the Chinese pages, no Chinese in the English ones,
beside the data and the codes)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page

from greenbuild.webhooks import services
from greenbuild.webhooks.models import AllowedHost
from tests.browser.test_i18n_csp import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CJK = re.compile(r"[\u3400-\u9fff]")
#: Codes, addresses and names that are the same in both languages.
KEEP = re.compile(r"https?://\S+|[a-z_]+\.[a-z_]+|whsec_\S+|Webhook|URL|API|JSON|https|ERP Hook|alice|HMAC-SHA256")


def _main_text(page: Page) -> str:
    return page.locator("main").inner_text()


def test_the_webhooks_pages_fit_390px_and_keep_to_one_language(page: Page, live_server, personas, orgs):
    AllowedHost.objects.create(host="hooks.example.com")
    subscription, _secret = services.create_subscription(
        actor=personas["alice_owner"],
        organisation=orgs["owner"],
        data={"name": "ERP Hook", "url": "https://hooks.example.com/in", "events": ["project.submitted"]},
    )
    services.send_test(actor=personas["alice_owner"], subscription_id=subscription.pk)
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server.url, "alice")
    paths = ["/webhooks/", "/webhooks/new/", "/webhooks/{}/".format(subscription.pk)]
    paths.append("/webhooks/{}/edit/".format(subscription.pk))
    organisation = orgs["owner"].name
    problems = []
    for prefix in ("", "/en"):
        for path in paths:
            page.goto(live_server.url + prefix + path)
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > 390:
                problems.append("{}{} is {} px wide".format(prefix, path, width))
            text = KEEP.sub(" ", _main_text(page).replace(organisation, " "))
            found = CJK.findall(text) if prefix else re.findall(r"[A-Za-z]{3,}", text)
            if found:
                problems.append("{}{}: {}".format(prefix, path, sorted(set(found))[:12]))
    assert problems == []
