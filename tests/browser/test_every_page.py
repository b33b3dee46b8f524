"""Every page, for every role that can open it: axe-core clean and no sideways scroll at 390 px
(issue 19 items 1-2).

The pages are not listed here: ``greenbuild/testing/pages.py`` derives them from the URL patterns
and the demo data (each role follows the links of the pages it can open), and every pattern is
either a page or excluded there with its reason. ``greenbuild/testing/sweep.py`` does one load per
page and role: axe-core at 1366 px (critical and serious violations of WCAG 2.1 A/AA fail), then
390 px (the page may not scroll sideways). The English UI is swept too, for the public and the
bureau. The findings go to ``artifacts/browser/a11y-report.md`` and ``phone-width.md``, grouped by
rule and page.

Runs on SQLite only: the markup does not depend on the database, and the sweep (the demo seeded,
~10 roles' pages) costs minutes that CI's PostgreSQL run does not need to spend twice.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client

from greenbuild.testing import pages as page_list
from greenbuild.testing import sweep
from greenbuild.testing.demo import load_demo

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "browser"
#: The roles whose English UI is swept too: the pages without arguments they open, and these (the
#: findings saw the English pages overflow where the Chinese ones did not).
ENGLISH_ROLES = (None, "bureau")
ENGLISH_PAGES = {"projects:project-detail", "scoring:scores", "scoring:records", "imports:import-form"}


def test_every_url_pattern_is_a_page_or_excluded_with_a_reason():
    """Fast and without a browser: the exclusion table names only real patterns, each with a
    reason; a page with arguments gets them from the links the sweep follows (or a seed)."""
    assert page_list.unaccounted() == []
    patterns = page_list.url_patterns()
    assert all(p.excluded_because for p in patterns if p not in page_list.pages())
    assert {"dashboards:overview", "projects:project-detail", "scoring:scorecard-edit"} <= {
        p.key for p in page_list.pages()
    }
    assert "projects:project-transition" not in {p.key for p in page_list.pages()}  # POST only


def _signed_in(browser, base_url: str, username: str | None):
    context = browser.new_context(viewport=sweep.WIDE)
    if username is not None:
        client = Client()
        client.force_login(get_user_model().objects.get(username=username))
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])
    return context


def test_every_page_is_accessible_and_fits_a_phone_for_every_role(browser, live_server):
    if connection.vendor != "sqlite":
        pytest.skip("the page sweep runs on SQLite only: the markup does not depend on the database")
    sweep.axe_source()  # fails early, with what to run, when axe-core is not installed
    load_demo()  # seeded as the command seeds it, its notifications sent
    assert page_list.absent_but_present() == []
    clock = sweep.Clock()
    start = page_list.start_urls()
    visits: list[sweep.Visit] = []
    timings = []
    for username in page_list.DEMO_ROLES:
        began = clock.seconds
        context = _signed_in(browser, live_server.url, username)
        page = context.new_page()
        mine = sweep.sweep_role(page, live_server.url, username, start)
        visits += mine
        if username in ENGLISH_ROLES:
            opened = [v.url for v in mine if v.status == 200 and (v.key in ENGLISH_PAGES or v.url in start)]
            visits += sweep.sweep_role(page, live_server.url, username, opened, prefix="/en", follow_links=False)
        context.close()
        timings.append("{} {:.0f} s".format(sweep.role_label(username), clock.seconds - began))

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "a11y-report.md").write_text(sweep.axe_report(visits, clock.seconds), encoding="utf-8")
    (ARTIFACTS / "phone-width.md").write_text(sweep.phone_report(visits), encoding="utf-8")
    checked = [v for v in visits if v.status == 200]
    print("page sweep: {} page loads checked in {:.0f} s ({})".format(len(checked), clock.seconds, ", ".join(timings)))

    axe_lines, phone_lines = sweep.failures(visits)
    unreached = [
        "{} ({}): no role opened it with a 200; link it from a page, give it a seed or exclude it with a "
        "reason in greenbuild/testing/pages.py".format(p.key, p.route)
        for p in page_list.unreached(v.key for v in checked)
    ]
    problems = []
    for title, lines in (
        ("pages no role reached", unreached),
        ("axe-core critical/serious violations (artifacts/browser/a11y-report.md)", axe_lines),
        ("pages wider than 390 px (artifacts/browser/phone-width.md)", phone_lines),
    ):
        if lines:
            problems.append("{} — {}:\n  {}".format(title, len(lines), "\n  ".join(lines)))
    assert not problems, "\n\n".join(problems)
