"""A form posted back as it was shown changes nothing (issue 16 item 8; DEVELOPERS.md rule 2).

The test seeds the demo, signs in as one user of every role, and walks the pages each of them
can reach by following links from their start pages (one page per URL pattern and user, so a new
page is found without anyone listing it). Every edit form on those pages — a ``method="post"`` form
that posts back to its own page — is submitted exactly as a browser would submit it untouched:
text and hidden inputs with their values, checked boxes and radios, the selected options, textarea
contents and the first submit button. Each post runs in a savepoint rolled back afterwards, and
the whole database is compared before and after: no stored value may change and no row may
appear or vanish, apart from logs (history, audit, sessions).

A stored value that a form cannot show (SCO-01's saved 是 shown as 未填写) is erased by such a
post, so this is also the test that every field of every edit form shows what is stored.
"""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.urls import Resolver404, resolve

from greenbuild.testing.demo import load_demo
from greenbuild.testing.matrix import undone

#: One demo user of every role (README: demo logins).
USERS = (
    "owner",
    "owner_wujin",
    "bureau",
    "district_tianning",
    "zjj",
    "expert_yao",
    "expert",
    "evaluator",
    "contractor",
)

#: Where each walk starts; everything else is found by following links.
START_PAGES = ("/", "/projects/", "/notifications/inbox/", "/accounts/tokens/")

#: Tables that record events rather than state: a post may add to them (it never should change them).
LOG_TABLES_PREFIXES = ("Historical",)
LOG_MODELS = {
    "audit.auditevent",
    "sessions.session",
    "axes.accessattempt",
    "axes.accesslog",
}

#: URL patterns never followed: they sign out, switch language, download files or stream.
SKIP_URL_NAMES = {"logout", "set_language"}
SKIP_SUFFIXES = (".xlsx", ".pdf", ".csv", ".json", ".yaml", ".zip")
MAX_PAGES_PER_USER = 600
#: Pages of one URL pattern visited per user: the same page differs with its object's state (a
#: draft offers its edit form, a confirmed pilot does not).
PAGES_PER_ROUTE = 6


class _FormParser(HTMLParser):
    """The links and post forms of one page, with what a browser would send for each form."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: dict[str, Any] | None = None
        self._option: dict[str, Any] | None = None
        self._textarea: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self._form = {
                "method": a.get("method", "get").lower(),
                "action": a.get("action", ""),
                "fields": [],
                "submits": [],
                "files": False,
                "id": a.get("id", ""),
            }
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag in ("input", "button"):
            kind = a.get("type", "submit" if tag == "button" else "text").lower()
            if "disabled" in a:
                return
            name = a.get("name", "")
            if kind in ("submit", "image"):
                self._form["submits"].append((name, a.get("value", "")))
            elif kind == "file":
                self._form["files"] = True
            elif kind in ("button", "reset") or not name:
                return
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["fields"].append((name, a.get("value", "on")))
            else:
                self._form["fields"].append((name, a.get("value", "")))
        elif tag == "select" and "disabled" not in a and a.get("name"):
            self._select = {"name": a["name"], "multiple": "multiple" in a, "options": []}
        elif tag == "option" and self._select is not None:
            self._option = {"value": a.get("value"), "selected": "selected" in a, "text": ""}
            self._select["options"].append(self._option)
        elif tag == "textarea" and "disabled" not in a and a.get("name"):
            self._textarea = {"name": a["name"], "text": ""}

    def handle_data(self, data: str) -> None:
        if self._option is not None:
            self._option["text"] += data
        if self._textarea is not None:
            self._textarea["text"] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option":
            self._option = None
        elif tag == "select" and self._select is not None and self._form is not None:
            options = self._select["options"]
            chosen = [o for o in options if o["selected"]]
            if not chosen and options and not self._select["multiple"]:
                chosen = options[:1]  # a browser submits the first option of a single select
            for option in chosen:
                value = option["value"] if option["value"] is not None else option["text"].strip()
                self._form["fields"].append((self._select["name"], value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None and self._form is not None:
            text = self._textarea["text"]
            self._form["fields"].append((self._textarea["name"], text[1:] if text.startswith("\n") else text))
            self._textarea = None
        elif tag == "form":
            self._form = None


def _snapshot() -> dict[str, dict[Any, dict[str, Any]]]:
    """Every stored row of every model, by table, keyed by primary key."""
    state: dict[str, dict[Any, dict[str, Any]]] = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.proxy or not model._meta.managed:
            continue
        label = model._meta.label_lower
        if _is_log(label):
            continue
        columns = [f.attname for f in model._meta.concrete_fields]
        pk = model._meta.pk.attname
        state[label] = {row[pk]: row for row in model._base_manager.values(*columns)}
    return state


def _is_log(label: str) -> bool:
    return label in LOG_MODELS or label.split(".", 1)[1].startswith(tuple(p.lower() for p in LOG_TABLES_PREFIXES))


def _differences(
    before: dict[str, dict[Any, dict[str, Any]]], after: dict[str, dict[Any, dict[str, Any]]]
) -> list[str]:
    out = []
    for label, rows in after.items():
        old = before.get(label, {})
        changed = sorted(
            "{} ({})".format(
                pk,
                ", ".join("{}: {!r} → {!r}".format(k, old[pk][k], v) for k, v in rows[pk].items() if old[pk][k] != v),
            )
            for pk in rows.keys() & old.keys()
            if rows[pk] != old[pk]
        )
        gone = sorted(str(pk) for pk in old.keys() - rows.keys())
        new = sorted(str(pk) for pk in rows.keys() - old.keys())
        if label in LOG_MODELS:
            continue
        if changed:
            out.append("{} changed: {}".format(label, ", ".join(changed[:5])))
        if gone:
            out.append("{} deleted: {}".format(label, ", ".join(gone[:5])))
        if new and not _is_log(label):
            out.append("{} added: {}".format(label, ", ".join(new[:5])))
    return out


def _route(path: str) -> str | None:
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name


def _walk(client: Any) -> list[tuple[str, str, _FormParser]]:
    """The pages one signed-in user reaches by links (a few per URL pattern), parsed."""
    pages: list[tuple[str, str, _FormParser]] = []
    per_route: dict[str, int] = {}
    queue = deque(START_PAGES)
    visited: set[str] = set()
    while queue and len(pages) < MAX_PAGES_PER_USER:
        path = queue.popleft()
        if path in visited:
            continue
        visited.add(path)
        route = _route(path)
        if route is None or per_route.get(route, 0) >= PAGES_PER_ROUTE or route.split(":")[-1] in SKIP_URL_NAMES:
            continue
        if path.endswith(SKIP_SUFFIXES) or path.startswith(("/en/", "/admin/", "/static/", "/media/", "/api/")):
            continue
        response = client.get(path)
        if response.status_code != 200 or not response["Content-Type"].startswith("text/html"):
            continue
        parser = _FormParser()
        parser.feed(response.content.decode())
        per_route[route] = per_route.get(route, 0) + 1
        pages.append((route, path, parser))
        for href in parser.links:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            queue.append(parts.path + ("?" + parts.query if parts.query else ""))
    return pages


def _edit_forms(path: str, parser: _FormParser) -> list[dict[str, Any]]:
    """The page's forms that post back to the page itself (edit forms), not moves or uploads."""
    page = urlsplit(path).path
    forms = []
    for form in parser.forms:
        if form["method"] != "post" or form["files"] and not form["fields"]:
            continue
        target = urlsplit(form["action"]).path if form["action"] else page
        if target != page:
            continue
        visible = [name for name, _ in form["fields"] if name != "csrfmiddlewaretoken"]
        if not visible:
            continue
        forms.append(form)
    return forms


@pytest.mark.django_db
def test_every_edit_form_posted_back_unchanged_changes_nothing(client):
    load_demo()
    # The demo breaks none of the rules the database checks watch (a plan concluded outside its
    # round, a confirmed pilot without a passed plan, a material category outside the rule table).
    from django.core import checks

    problems = [
        m for m in checks.run_checks(databases=["default"], tags=[checks.Tags.database]) if m.is_serious(checks.WARNING)
    ]
    assert problems == []
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    failures: list[str] = []
    checked: set[str] = set()
    for username in USERS:
        client.logout()
        client.force_login(user_model.objects.get(username=username))
        done: set[str] = set()
        for route, path, parser in _walk(client):
            for index, form in enumerate(_edit_forms(path, parser)):
                if (route, index, tuple(sorted({n for n, _ in form["fields"]}))) in done:
                    continue  # the same form of the same pattern, already posted back by this user
                done.add((route, index, tuple(sorted({n for n, _ in form["fields"]}))))
                data: dict[str, list[str]] = {}
                for name, value in form["fields"]:
                    data.setdefault(name, []).append(value)
                if form["submits"] and form["submits"][0][0]:
                    name, value = form["submits"][0]
                    data.setdefault(name, []).append(value)
                before = _snapshot()
                with undone():
                    response = client.post(path, data)
                    differences = _differences(before, _snapshot())
                checked.add(route)
                if response.status_code >= 500:
                    failures.append("{} as {}: server error {}".format(path, username, response.status_code))
                for difference in differences:
                    failures.append("{} as {}: {}".format(path, username, difference))
    assert failures == [], "\n".join(failures)
    # The walk must reach the platform's edit forms, or it proves nothing.
    expected = {
        "projects:project-edit",
        "projects:building-edit",
        "scoring:scorecard-edit",
        "scoring:record-edit",
        "plans:plan-edit",
    }
    assert expected <= checked, sorted(checked)
