"""Take screenshots of pages of a running GreenBuild, signed in as a demo user.

Usage: python scripts/screenshot.py BASE_URL USERNAME OUT_DIR PATH [PATH ...]
(USERNAME "-" stays anonymous.) Used by developers to look at pages; not part of the tests.
"""

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def main() -> None:
    base, username, out, *paths = sys.argv[1:]
    Path(out).mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1366, "height": 900})
        if username != "-":
            page.goto(base + "/accounts/login/")
            page.fill("#id_username", username)
            page.fill("#id_password", "greenbuild-demo")
            page.click("button[type=submit]")
        for i, path in enumerate(paths):
            page.goto(base + path)
            page.wait_for_timeout(300)
            name = "{:02d}-{}.png".format(i, path.strip("/").replace("/", "_").replace("?", "_") or "home")
            page.screenshot(path=str(Path(out) / name), full_page=True)
            print(Path(out) / name)
        browser.close()


if __name__ == "__main__":
    main()
