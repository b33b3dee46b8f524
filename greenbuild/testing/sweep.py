"""The accessibility and phone-width sweep over every page, for every role (issue 19 items 1-2).

One load per page and role: axe-core at 1366 px wide (critical and serious violations of WCAG 2.1
A/AA), then the same page narrowed to 390 px (the page itself must not scroll sideways; a wide
table may scroll inside its own container). The pages come from :mod:`greenbuild.testing.pages`:
each role starts from the pages without arguments and follows the links its pages show.

axe-core comes from its npm package (``package.json``, installed by ``scripts/bootstrap
--browser`` into ``node_modules/``); it is used by the tests only and never served. It is put into
the page with Playwright's ``page.evaluate`` of its source: that runs through the DevTools protocol,
which the site's Content-Security-Policy does not govern, so the page is checked exactly as users
get it, with its CSP in force. (A context with ``bypass_csp=True`` would also let a
``<script>`` tag in, but it switches the CSP off for the page under test: styles or scripts the
policy blocks for users would then apply, and the check would no longer see the users' page.)
"""

from __future__ import annotations

import dataclasses
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from greenbuild.testing import pages as page_list

ROOT = Path(__file__).resolve().parents[2]
AXE_JS = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WIDE = {"width": 1366, "height": 900}
PHONE = {"width": 390, "height": 844}
#: WCAG 2.1 A and AA (GB/T 37668 asks the same essentials); axe's best-practice rules are not enforced.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = ("critical", "serious")
MISSING_AXE = (
    "axe-core is not installed at {}: run scripts/bootstrap --browser (it runs "
    "`npm ci --ignore-scripts` from package-lock.json; needs npm)".format(AXE_JS)
)


def axe_source() -> str:
    if not AXE_JS.exists():
        raise FileNotFoundError(MISSING_AXE)
    return AXE_JS.read_text(encoding="utf-8")


@dataclasses.dataclass
class Violation:
    rule: str
    impact: str
    help: str
    targets: list[str]


@dataclasses.dataclass
class Visit:
    role: str
    url: str
    key: str
    status: int
    violations: list[Violation] = dataclasses.field(default_factory=list)
    phone_width: int | None = None  # the page's scroll width at 390 px, when wider than the window
    phone_culprits: list[str] = dataclasses.field(default_factory=list)
    seconds: float = 0.0  # the load and the checks


def role_label(username: str | None) -> str:
    return username or "public"


_RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]});
  return result.violations.map(v => ({
    rule: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(" ")),
  }));
}"""

# The page's width beyond the window at phone size, and the widest elements that cause it (deepest
# first), to tell the engineer where to look.
_PHONE_CHECK = """() => {
  const width = document.documentElement.scrollWidth, inner = window.innerWidth;
  if (width <= inner) return {width, inner, culprits: []};
  const culprits = [];
  for (const el of document.body.querySelectorAll("*")) {
    const r = el.getBoundingClientRect();
    if (r.right > inner + 1 && r.width > 0) {
      let inScroller = false;
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        const o = getComputedStyle(p).overflowX;
        if (o === "auto" || o === "scroll" || o === "hidden") { inScroller = true; break; }
      }
      if (inScroller) continue;
      if ([...el.children].some(c => c.getBoundingClientRect().right > inner + 1)) continue;
      const id = el.id ? "#" + el.id : "";
      const cls = el.classList.length ? "." + [...el.classList].slice(0, 3).join(".") : "";
      culprits.push(el.tagName.toLowerCase() + id + cls + " (right " + Math.round(r.right) + ")");
      if (culprits.length >= 5) break;
    }
  }
  return {width, inner, culprits};
}"""

_LINKS = "() => [...document.querySelectorAll('a[href]')].map(a => a.href)"


def check_page(page: Any, source: str) -> tuple[list[Violation], int | None, list[str]]:
    """axe at the current (wide) size, then the width at phone size; leaves the page wide again."""
    page.evaluate("() => { " + source + "\n}") if not page.evaluate("() => !!window.axe") else None
    found = page.evaluate(_RUN_AXE, AXE_TAGS)
    violations = [Violation(**v) for v in found if v["impact"] in FAILING_IMPACTS]
    page.set_viewport_size(PHONE)
    measured = page.evaluate(_PHONE_CHECK)
    page.set_viewport_size(WIDE)
    wide = measured["width"] if measured["width"] > measured["inner"] else None
    return violations, wide, measured["culprits"]


def sweep_role(
    page: Any,
    base_url: str,
    username: str | None,
    start: Iterable[str],
    *,
    prefix: str = "",
    follow_links: bool = True,
    on_visit: Callable[[Visit], None] | None = None,
) -> list[Visit]:
    """Visit, as the signed-in role of ``page``'s context, one URL of each page pattern that role
    reaches: the start URLs, then the links found on the pages that answered 200. ``prefix`` is
    put before every path (``/en`` for the English UI)."""
    source = axe_source()
    page.set_viewport_size(WIDE)
    queue = list(start)
    seeds = page_list.seed_urls(username) if follow_links else []
    done: set[str] = set()
    tries: dict[str, int] = defaultdict(int)
    visits: list[Visit] = []
    label = role_label(username)
    while queue or seeds:
        if not queue:  # the links are followed: the seeds of the pages still unreached
            key, urls = seeds.pop(0)
            if key not in done:
                tries[key] = -len(urls)
                queue.extend(urls)
            continue
        path = queue.pop(0)
        key = page_list.key_of(path)
        if key is None or key in done or tries[key] >= 2 or key not in _page_keys():
            continue
        tries[key] += 1
        began = time.monotonic()
        response = page.goto(base_url + prefix + path)
        status = response.status if response is not None else 0
        if status == 200 and urlsplit(page.url).path != prefix + urlsplit(path).path:
            status = 302  # redirected elsewhere (to the sign-in page, the dashboard...)
        visit = Visit(role=label, url=prefix + path, key=key, status=status)
        if status == 200:
            done.add(key)
            visit.violations, visit.phone_width, visit.phone_culprits = check_page(page, source)
            if follow_links:
                for href in page.evaluate(_LINKS):
                    parts = urlsplit(href)
                    if parts.netloc != urlsplit(base_url).netloc:
                        continue
                    link = parts.path
                    if prefix and link.startswith(prefix + "/"):
                        link = link[len(prefix) :]
                    queue.append(link)
        visit.seconds = time.monotonic() - began
        visits.append(visit)
        if on_visit is not None:
            on_visit(visit)
    return visits


_KEYS: set[str] = set()


def _page_keys() -> set[str]:
    if not _KEYS:
        _KEYS.update(p.key for p in page_list.pages())
    return _KEYS


def failures(visits: list[Visit]) -> tuple[list[str], list[str]]:
    """(axe lines, phone lines): one line per page and role."""
    axe_lines, phone_lines = [], []
    for v in visits:
        for violation in v.violations:
            axe_lines.append(
                "{} as {}: {} ({}) at {}".format(
                    v.url, v.role, violation.rule, violation.impact, ", ".join(violation.targets[:5])
                )
            )
        if v.phone_width is not None:
            phone_lines.append(
                "{} as {}: {} px wide at 390 px; {}".format(v.url, v.role, v.phone_width, "; ".join(v.phone_culprits))
            )
    return axe_lines, phone_lines


def axe_report(visits: list[Visit], seconds: float | None = None) -> str:
    """Markdown: the violations grouped by rule, then by page with the roles and selectors."""
    by_rule: dict[str, dict[str, Any]] = {}
    for v in visits:
        for violation in v.violations:
            entry = by_rule.setdefault(
                violation.rule, {"impact": violation.impact, "help": violation.help, "pages": defaultdict(dict)}
            )
            entry["pages"][v.url][v.role] = violation.targets
    checked = [v for v in visits if v.status == 200]
    lines = [
        "# axe-core over every page (critical and serious, WCAG 2.1 A/AA)",
        "",
        "{} page loads checked ({} distinct URLs), {} rules violated{}.".format(
            len(checked),
            len({v.url for v in checked}),
            len(by_rule),
            ", sweep {:.0f} s".format(seconds) if seconds is not None else "",
        ),
        "",
    ]
    for rule, entry in sorted(by_rule.items(), key=lambda item: (item[1]["impact"] != "critical", item[0])):
        lines.append("## {} ({}) — {} pages".format(rule, entry["impact"], len(entry["pages"])))
        lines.append("")
        lines.append(entry["help"])
        lines.append("")
        for url, roles in sorted(entry["pages"].items()):
            targets = sorted({t for ts in roles.values() for t in ts})
            shown = ", ".join("`{}`".format(t) for t in targets[:6])
            more = " (+{} more)".format(len(targets) - 6) if len(targets) > 6 else ""
            lines.append("- `{}` as {}: {}{}".format(url, ", ".join(sorted(roles)), shown, more))
        lines.append("")
    return "\n".join(lines)


def phone_report(visits: list[Visit]) -> str:
    wide = [v for v in visits if v.phone_width is not None]
    lines = [
        "# Pages wider than a 390 px phone (document scrollWidth > innerWidth)",
        "",
        "{} of {} page loads overflow.".format(len(wide), len([v for v in visits if v.status == 200])),
        "",
    ]
    by_url: dict[str, list[Visit]] = defaultdict(list)
    for v in wide:
        by_url[v.url].append(v)
    for url, rows in sorted(by_url.items()):
        lines.append(
            "- `{}` as {}: {} px; {}".format(
                url,
                ", ".join("{} ({})".format(r.role, r.phone_width) for r in rows),
                max(r.phone_width or 0 for r in rows),
                "; ".join(rows[0].phone_culprits),
            )
        )
    return "\n".join(lines) + "\n"


class Clock:
    def __init__(self) -> None:
        self.started = time.monotonic()

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started
