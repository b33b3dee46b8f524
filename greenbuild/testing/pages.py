"""Every page of the platform, derived from the URL patterns and the demo data (issue 19 items 1-2).

The sweeps over "every page" (axe-core, 390 px width; ``tests/browser/test_every_page.py``) do not
keep a list of pages: they walk Django's URL resolver. A pattern is either

- a **page**: a GET page answering HTML. Patterns without arguments are visited directly; the
  arguments of the others come from the demo data, by following the links the visited pages show
  to each role (so a role visits the projects, rounds, steps... it can actually open), and, for the
  few pages no page links to, from :data:`SEEDS`; or
- **excluded**: named in :data:`EXCLUDED` (or matched by :data:`EXCLUDED_RULES`) with the reason:
  downloads, POST-only moves, the JSON API, the admin...

:func:`unaccounted` lists the patterns that are neither, and :func:`unreached` the pages no role
opened in a sweep: both fail the sweep, so a new page is checked without anyone adding it to a list
(give it a link from another page, a seed, or an exclusion with a reason).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import urlsplit

from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.exceptions import Resolver404

#: The demo's users the sweeps sign in as (README; ``greenbuild/projects/demo.py``); None is the
#: public, not signed in.
DEMO_ROLES: tuple[str | None, ...] = (
    None,
    "bureau",
    "district_tianning",
    "owner",
    "contractor",
    "expert",
    "expert_yao",
    "evaluator",
    "zjj",
    "sysadmin",
)

POST_ONLY = "POST-only move: a form's target, no page of its own (the page that holds the form is swept)"
DOWNLOAD = "a file download (xlsx, PDF, attachment), not an HTML page"
FRAGMENT = "an htmx fragment or JSON status polled by the pages that include it (swept with them)"

#: Patterns that are not pages, with the reason. Keyed by the namespaced URL name (or the route of
#: an unnamed pattern).
EXCLUDED: dict[str, str] = {
    # outside the language prefix
    "set_language": POST_ONLY,
    "healthz": "the operators' plain-text health probe",
    "favicon": "the site's icon (an image)",
    "open-data-catalogue": "the open data catalogue, JSON (DCAT-US)",
    "^api(?:/|$)": "the API's JSON 404 for unknown API paths",
    # projects
    # scoring
    # plans
    # downloads and reports
    "attachments:download": DOWNLOAD,
    "reports:project-list-xlsx": DOWNLOAD,
    "reports:score-runs-xlsx": DOWNLOAD,
    "reports:records-xlsx": DOWNLOAD,
    "imports:batch-errors": DOWNLOAD,
    "imports:template": DOWNLOAD,
    "audit:export": DOWNLOAD,
    "documents:document-download": DOWNLOAD,
    "conference:meeting-attachment": DOWNLOAD,
    "conference:action-item-evidence-file": DOWNLOAD,
    "inspections:stats-xlsx": DOWNLOAD,
    "incentives:attendance-template": DOWNLOAD,
    "inspections:finding-photo-file": DOWNLOAD,
    "inspections:order-evidence-file": DOWNLOAD,
    "bulletins:revision-file": DOWNLOAD,
    "summaries:revision-file": DOWNLOAD,
    "bulletins:public-file": DOWNLOAD,
    "publicity:message-photo": DOWNLOAD + " (a public message's photo, for those it is routed to)",
    "scoring:evidence": DOWNLOAD + " (the old evidence address, served as the attachment)",
    # notifications
    "notifications:inbox-badge": FRAGMENT,
    # accounts
    "accounts:session-status": FRAGMENT,
    "otp:verify": "the second factor's sign-in step: only between password and session (tests/browser/test_accounts_flow.py)",
    # reviews
    # conference
    # lifecycle
    # documents
    # webhooks
}

#: Whole groups of patterns that are not pages: (test on the pattern, reason).
EXCLUDED_RULES: tuple[tuple[Callable[[Pattern], bool], str], ...] = (
    (
        lambda p: p.methods is not None and "GET" not in p.methods,
        POST_ONLY + "; its view refuses GET (require_POST)",
    ),
    (
        lambda p: p.route.startswith("api/") or p.key.startswith("api:"),
        "the open API (JSON): every GET operation is read as several roles by api/tests/test_generated_client.py",
    ),
    (
        lambda p: p.key.startswith("admin:") or p.route.startswith("admin/"),
        "Django's admin: the operators' tool with Django's own markup, not one of the platform's pages",
    ),
)


def _user(username: str) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)


def _changeable_projects(username: str) -> list[Any]:
    from greenbuild.projects.models import Project
    from greenbuild.projects.permissions import can

    user = _user(username)
    return [p for p in Project.objects.order_by("-pk") if can(user, "change", p)]


def _seed_project_page(name: str) -> Callable[[str], list[str]]:
    def seed(username: str) -> list[str]:
        return [reverse(name, kwargs={"pk": p.pk}) for p in _changeable_projects(username)[:1]]

    return seed


def _seed_building_edit(username: str) -> list[str]:
    return [
        reverse("projects:building-edit", kwargs={"pk": p.pk, "building_pk": b.pk})
        for p in _changeable_projects(username)
        for b in p.buildings.order_by("pk")[:1]
    ][:1]


def _seed_record_edit(username: str) -> list[str]:
    from greenbuild.scoring.models import EnergyRecord, MaterialLine, WasteRecord

    urls = []
    for kind, model in (("waste", WasteRecord), ("material", MaterialLine), ("energy", EnergyRecord)):
        for record in model.objects.filter(project__owner__memberships__user__username=username).order_by("-pk")[:2]:
            urls.append(
                reverse("scoring:record-edit", kwargs={"pk": record.project_id, "kind": kind, "record_pk": record.pk})
            )
    return urls


def _seed_version_diff(username: str) -> list[str]:
    from django.db.models import Count

    from greenbuild.plans.models import GreenPlan

    plans = GreenPlan.objects.annotate(n=Count("versions")).filter(n__gte=2).order_by("pk")[:2]
    return [reverse("plans:version-diff", kwargs={"pk": plan.project_id}) for plan in plans]


def _seed_draw(username: str) -> list[str]:
    from greenbuild.plans.models import GreenPlan

    plans = GreenPlan.objects.filter(status__in=["submitted", "revision_submitted"]).order_by("pk")[:2]
    return [reverse("reviews:draw", kwargs={"plan_pk": plan.pk}) for plan in plans]


def _seed_meeting_edit(username: str) -> list[str]:
    from greenbuild.conference.models import Meeting

    return [reverse("conference:meeting-edit", kwargs={"pk": m.pk}) for m in Meeting.objects.order_by("-pk")[:2]]


def _seed_request_create(username: str) -> list[str]:
    from greenbuild.lifecycle.permissions import can_request_change
    from greenbuild.projects.models import Project

    user = _user(username)
    projects = [p for p in Project.objects.filter(status="confirmed").order_by("pk") if can_request_change(user, p)]
    return [reverse("lifecycle:request-create", kwargs={"pk": p.pk}) for p in projects[:1]]


def _seed_documents_verify(username: str | None) -> list[str]:
    from greenbuild.documents.models import IssuedDocument

    token = IssuedDocument.objects.order_by("pk").values_list("token", flat=True).first()
    return [reverse("documents:verify", kwargs={"token": token})] if token else []


def _seed_notice_create(username: str) -> list[str]:
    from greenbuild.projects.models import Project

    projects = Project.objects.filter(status__in=["candidate", "confirmed"]).order_by("pk")[:1]
    return [reverse("publicity:notice-create", kwargs={"project_pk": p.pk}) for p in projects]


#: Pages that no page links to for the role that may open them (a form page behind a state the
#: first sample does not show): the role to try them as and where their arguments come from in the
#: demo data. Tried after the links, only while the role has not reached the pattern.
SEEDS: dict[str, tuple[tuple[str | None, ...], Callable[[Any], list[str]]]] = {
    "documents:verify": ((None,), _seed_documents_verify),
    "projects:project-edit": (("owner",), _seed_project_page("projects:project-edit")),
    "projects:building-create": (("owner",), _seed_project_page("projects:building-create")),
    "projects:participant-create": (("owner",), _seed_project_page("projects:participant-create")),
    "projects:building-edit": (("owner",), _seed_building_edit),
    "scoring:record-edit": (("owner",), _seed_record_edit),
    "plans:version-diff": (("bureau",), _seed_version_diff),
    "reviews:draw": (("bureau",), _seed_draw),
    "conference:meeting-edit": (("bureau",), _seed_meeting_edit),
    "lifecycle:request-create": (("owner",), _seed_request_create),
    "publicity:notice-create": (("bureau",), _seed_notice_create),
}

#: Pages whose objects the demo does not seed (no background job has run, no file was imported, no
#: filter saved): no role can open them in the sweep. Each is checked to be absent from the demo,
#: so the entry goes when the demo grows one.
ABSENT_FROM_DEMO: dict[str, tuple[str, str]] = {
    "imports:batch-detail": ("imports.ImportBatch", "the demo imports no file"),
    "lists:filter-delete": ("lists.SavedFilter", "the demo saves no list filter"),
}


def seed_urls(username: str | None) -> list[tuple[str, list[str]]]:
    """(pattern key, candidate URLs) of the seeds for this role."""
    return [(key, seed(username)) for key, (roles, seed) in SEEDS.items() if username in roles]


def absent_but_present() -> list[str]:
    """ABSENT_FROM_DEMO entries whose objects the demo now has (needs the demo data)."""
    from django.apps import apps

    return [
        "{}: the demo now has {} rows: drop it from ABSENT_FROM_DEMO".format(key, label)
        for key, (label, _reason) in ABSENT_FROM_DEMO.items()
        if apps.get_model(label).objects.exists()
    ]


@dataclasses.dataclass(frozen=True)
class Pattern:
    key: str  # the namespaced URL name, or the route of an unnamed pattern
    route: str  # the full route, e.g. "projects/<int:pk>/"
    arguments: tuple[str, ...]  # the names of its arguments
    i18n: bool  # under the language prefix
    methods: frozenset[str] | None  # the methods its view allows (require_http_methods), None: any

    @property
    def excluded_because(self) -> str | None:
        if self.key in EXCLUDED:
            return EXCLUDED[self.key]
        for test, reason in EXCLUDED_RULES:
            if test(self):
                return reason
        return None


def _walk(resolver: URLResolver, route: str, namespaces: tuple[str, ...], i18n: bool) -> Iterator[Pattern]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            child_ns = (*namespaces, entry.namespace) if entry.namespace else namespaces
            prefix_i18n = i18n or type(entry.pattern).__name__ == "LocalePrefixPattern"
            yield from _walk(entry, route + str(entry.pattern), child_ns, prefix_i18n)
        elif isinstance(entry, URLPattern):
            full = route + str(entry.pattern)
            key = ":".join((*namespaces, entry.name)) if entry.name else full
            arguments = tuple(entry.pattern.regex.groupindex) + tuple(
                getattr(entry.pattern, "converters", {}).keys() - entry.pattern.regex.groupindex.keys()
            )
            yield Pattern(
                key=key,
                route=full,
                arguments=tuple(dict.fromkeys(arguments)),
                i18n=i18n,
                methods=allowed_methods(getattr(entry.callback, "view_class", None) or entry.callback),
            )


_ALL_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS", "TRACE")


def allowed_methods(view: Callable[..., object]) -> frozenset[str] | None:
    """The HTTP methods a view function allows when Django's ``require_http_methods`` (or
    ``require_POST``/``require_GET``) wraps it, read from the decorator's closure; None if no such
    decorator is found. For a class-based view, its ``http_method_names``."""
    names = getattr(view, "http_method_names", None)
    if isinstance(names, list | tuple) and set(names) != {m.lower() for m in _ALL_METHODS}:
        return frozenset(m.upper() for m in names if m != "options")
    seen = 0
    function: object = view
    while function is not None and seen < 20:
        seen += 1
        for cell in getattr(function, "__closure__", None) or ():
            try:
                value = cell.cell_contents
            except ValueError:
                continue
            if (
                isinstance(value, list | tuple)
                and value
                and all(isinstance(m, str) and m.isupper() and m.isalpha() for m in value)
            ):
                return frozenset(value)
        function = getattr(function, "__wrapped__", None)
    return None


def url_patterns() -> list[Pattern]:
    """Every URL pattern of the site, in the resolver's order."""
    return list(_walk(get_resolver(), "", (), False))


def pages() -> list[Pattern]:
    """The patterns that are pages (not excluded)."""
    return [p for p in url_patterns() if p.excluded_because is None]


def key_of(path: str) -> str | None:
    """The pattern key a path resolves to (in the active language), or None."""
    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    if match.url_name:
        return ":".join((*match.namespaces, match.url_name))
    return match.route


def start_urls() -> list[str]:
    """Where a sweep starts: every page without arguments."""
    return [reverse(p.key) for p in pages() if not p.arguments]


def unaccounted() -> list[str]:
    """Patterns that are neither pages the sweep can reach nor excluded: none, or the sweep fails.

    A page with arguments is accounted for if a seed gives it, or another page may link to it
    (checked by :func:`unreached` after the sweep)."""
    known = {p.key for p in url_patterns()}
    stale = [key for key in [*EXCLUDED, *SEEDS, *ABSENT_FROM_DEMO] if key not in known]
    return ["{}: listed but no such pattern".format(key) for key in stale]


def unreached(reached: Iterable[str]) -> list[Pattern]:
    """The pages no role opened with a 200 in a sweep (but those absent from the demo)."""
    seen = set(reached)
    return [p for p in pages() if p.key not in seen and p.key not in ABSENT_FROM_DEMO]
