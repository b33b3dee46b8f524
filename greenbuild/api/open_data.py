"""Open data for the public (R26; issue 12 §7, issue 18 item 7): the published, non-sensitive part
of the registry, catalogued in DCAT-US v1.1 ``data.json`` (docs/open-data.md).

* ``/data.json`` (site root, the DCAT-US convention): the catalogue, one entry per data set with
  its licence (``OPEN_DATA_LICENSE``), publisher, contact, update frequency, as-of date
  (``modified``), field dictionary (``describedBy``) and JSON and CSV distributions. It validates
  against ``dcat_us_1_1.schema.json``, our encoding of the DCAT-US v1.1 rules.
* ``/api/v1/open/``: the same data sets as an index; ``/api/v1/open/pilots/dictionary.json``:
  per column its stable code, type, Chinese and English labels, description and allowed codes.
* ``/api/v1/open/pilots/`` (paginated), ``pilots.json`` and ``pilots.csv``: confirmed pilots only —
  what the public pages already show — with their declared green targets and achieved levels: the
  GB/T 50378 result of record and its R7 verdict (``scoring.selectors.results_of_record``, the same
  rule as the standards page, the PDF summary and the API), claims not yet reviewed in columns of
  their own labelled provisional, and the latest GB/T 51129 grade of each single building.

Every coded value is a stable code (``star_level: "two_star"``) beside a ``…_label`` column in the
reader's language (``Accept-Language``); codes never change with the language. The CSV header row
is the JSON keys. Lists are JSON arrays (in CSV, the JSON text of the array). Dates are ISO 8601.
No investment, approval code, participant, history, internal timestamp or person is ever included:
the field policy (``projects/fields.py``) must call every source field public (``SOURCE_FIELDS``).

The public GETs carry ETag and Last-Modified (a conditional GET answers 304), CORS
``Access-Control-Allow-Origin: *`` (and answer the OPTIONS preflight), and a short public
Cache-Control that varies on the language (Accept-Language, the language cookie).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db.models import Max, Min, Q, QuerySet
from django.db.models.fields.json import KT
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.functional import Promise
from django.utils.http import http_date
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, routers, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from greenbuild.api.base import GatedViewSet
from greenbuild.api.conditional import PreconditionFailed
from greenbuild.api.filters import check_query_parameters
from greenbuild.core.fields import assert_public, redact
from greenbuild.projects.choices import ProjectStatus, StarLevel
from greenbuild.projects.models import Project
from greenbuild.projects.permissions import PUBLIC_STATUSES
from greenbuild.reports.excel import safe_cell
from greenbuild.scoring.choices import Stage

#: The DCAT-US version the catalogue follows, and the JSON-LD context and schema it names.
DCAT_US_CONFORMS_TO = "https://project-open-data.cio.gov/v1.1/schema"
DCAT_US_CONTEXT = "https://project-open-data.cio.gov/v1.1/schema/catalog.jsonld"
DCAT_US_SCHEMA = "https://project-open-data.cio.gov/v1.1/schema/catalog.json"
#: Our own JSON Schema encoding of the DCAT-US v1.1 rules (the tests validate the catalogue with it).
DCAT_US_SCHEMA_FILE = "dcat_us_1_1.schema.json"

#: How often the data changes: continuously (DCAT-US's "R/PT1S"); every file is built from the
#: live registry on request, so a change shows at once (caches keep a copy ``CACHE_SECONDS`` at most).
ACCRUAL_PERIODICITY = "R/PT1S"
CACHE_SECONDS = 300
#: The month the open pilot data was first published (API 1.0.0, docs/api-changelog.md); also the
#: as-of date of a data set that has never had a row.
ISSUED = "2026-11"
ISSUED_AT = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
#: The languages of the data and its dictionary (ISO 639-1 codes, as DCAT-US asks).
LANGUAGES = ("zh", "en")
CODE_LANGUAGES = {"zh": "zh-hans", "en": "en"}

#: The project fields the open data reads: the field policy (projects/fields.py) must call every
#: one of them public, or this module fails at import (and the test suite with it).
SOURCE_FIELDS = assert_public(
    "projects.Project",
    [
        "id",
        "name",
        "programme",
        "district",
        "category",
        "use",
        "structure_material",
        "gfa_above_m2",
        "gfa_below_m2",
        "organisation_mode",
        "owner",
        "planned_start",
        "planned_completion",
        "target_star_level",
        "waste_target_t_per_10k_m2",
        "green_material_target_pct",
        "bim_design",
        "bim_production",
        "bim_construction",
        "bim_operation",
        "status",
    ],
)


# --- the field dictionary ----------------------------------------------------------------------


Codes = Callable[[], list[tuple[str, Any, Any]]]  # () -> [(code, zh label, en label)]


@dataclass(frozen=True)
class Column:
    """One column of a data set: its stable code (the JSON key and the CSV header), its type, its
    label and description (translatable, English msgids) and, for a coded column, its codes."""

    code: str
    type: str  # integer | number | string | date | array
    label: Any
    description: Any
    codes: Codes | None = None
    label_of: str | None = None  # a ``…_label`` column: the code column it labels
    items: str | None = None  # an array's item type
    fixed: bool = True  # codes fixed in code (else a reference table's, which are data)


def _reference_codes(model_path: str) -> Codes:
    def reference_codes() -> list[tuple[str, Any, Any]]:
        from django.apps import apps

        model = apps.get_model(model_path)
        return [(row.code, row.name_zh, row.name_en) for row in model.objects.all()]

    return reference_codes


def _choice_codes(pairs: Iterable[tuple[str, Any]]) -> Codes:
    pairs = list(pairs)

    def codes() -> list[tuple[str, Any, Any]]:
        return [(code, label, label) for code, label in pairs]

    return codes


BIM_STAGES = [
    ("design", _("design")),
    ("production", _("production")),
    ("construction", _("construction")),
    ("operation", _("operation")),
]
CHECK_STATUSES = [("pass", _("Pass")), ("fail", _("Fail")), ("unknown", _("Not yet known"))]
GRADES = [("none", _("Not prefabricated")), ("A", "A"), ("AA", "AA"), ("AAA", "AAA")]


def _coded(code: str, label: Any, description: Any, codes: Codes) -> list[Column]:
    """A coded value: the code column and its ``…_label`` column in the reader's language."""
    fixed = codes.__name__ != "reference_codes"
    return [
        Column(code, "string", label, description, codes=codes, fixed=fixed),
        Column(
            code + "_label",
            "string",
            label,
            format_lazy(_("The label of {code} in the language of the request (Accept-Language)."), code=code),
            label_of=code,
        ),
    ]


STAR_CODES = _choice_codes(StarLevel.choices)
STAGE_CODES = _choice_codes(Stage.choices)
PUBLIC_STATUS_CODES = _choice_codes([(c, label) for c, label in ProjectStatus.choices if c in PUBLIC_STATUSES])

PILOT_COLUMNS: list[Column] = [
    Column("id", "integer", _("Project number"), _("The pilot's number in the registry; it never changes.")),
    Column("name", "string", _("Project name"), _("The project's name as filed.")),
    *_coded(
        "programme",
        _("Pilot programme"),
        _("The pilot programme the project belongs to."),
        _reference_codes("programmes.Programme"),
    ),
    *_coded(
        "status",
        _("Status"),
        _("Where the project stands; the open data lists confirmed pilots only."),
        PUBLIC_STATUS_CODES,
    ),
    *_coded("district", _("District"), _("The district of the site."), _reference_codes("reference.District")),
    Column(
        "district_division_code",
        "string",
        _("Administrative division code"),
        _("The district's code under GB/T 2260, empty where it has none."),
    ),
    *_coded(
        "category", _("Project category"), _("The kind of project."), _reference_codes("reference.ProjectCategory")
    ),
    *_coded(
        "use",
        _("Building use"),
        _("The main use of the buildings, empty if not stated."),
        _reference_codes("reference.BuildingUse"),
    ),
    *_coded(
        "structure_material",
        _("Structure material"),
        _("The main structure material, empty if not stated."),
        _reference_codes("reference.StructureMaterial"),
    ),
    *_coded(
        "organisation_mode",
        _("Organisation mode"),
        _("How the project is organised (e.g. EPC), empty if not stated."),
        _reference_codes("reference.OrganisationMode"),
    ),
    Column("owner", "string", _("Owner"), _("The owner organisation's name.")),
    Column("total_gfa_m2", "number", _("Total floor area (m²)"), _("Gross floor area above and below ground, m².")),
    Column("planned_start", "date", _("Planned start"), _("ISO 8601 date, empty if not stated.")),
    Column("planned_completion", "date", _("Planned completion"), _("ISO 8601 date, empty if not stated.")),
    *_coded(
        "target_star_level",
        _("Target green building level"),
        _("The GB/T 50378 level the owner declared as the target (R7)."),
        STAR_CODES,
    ),
    Column(
        "waste_target_t_per_10k_m2",
        "number",
        _("Construction-waste target (t/10,000 m²)"),
        _("The declared construction-waste target (R10)."),
    ),
    Column(
        "green_material_target_pct",
        "number",
        _("Green-material share target (%)"),
        _("The declared share of green building materials (R11)."),
    ),
    Column(
        "bim",
        "array",
        _("BIM in"),
        _("The stages that apply BIM (R13), as codes."),
        codes=_choice_codes(BIM_STAGES),
        items="string",
    ),
    Column(
        "bim_label",
        "array",
        _("BIM in"),
        _("The labels of bim in the language of the request (Accept-Language)."),
        label_of="bim",
        items="string",
    ),
    *_coded(
        "achieved_star_level",
        _("Achieved green building level"),
        _("The GB/T 50378 level of the reviewed result of record, empty if none yet."),
        STAR_CODES,
    ),
    *_coded(
        "achieved_star_stage", _("Stage of the rating"), _("The stage of the reviewed result of record."), STAGE_CODES
    ),
    *_coded(
        "r7",
        _("R7 green building level (reviewed)"),
        _("Whether the reviewed level meets R7."),
        _choice_codes(CHECK_STATUSES),
    ),
    *_coded(
        "pending_star_level",
        _("Claimed level (not reviewed, provisional)"),
        _("A level claimed but not yet reviewed; provisional, never the result of record."),
        STAR_CODES,
    ),
    *_coded(
        "pending_star_stage",
        _("Stage of the claims not reviewed"),
        _("The stage of the provisional claim."),
        STAGE_CODES,
    ),
    Column(
        "assembly_grades",
        "array",
        _("Prefabrication grades per building"),
        _(
            "The latest GB/T 51129 grade of each single building: objects with building (its name) and grade "
            "(a code: none, A, AA, AAA)."
        ),
        codes=_choice_codes(GRADES),
        items="object",
    ),
]


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: Any
    description: Any
    keywords: tuple[tuple[str, str], ...]  # (zh, en)
    columns: list[Column]
    records: Callable[[], list[dict[str, Any]]]  # every row, keyed by the column codes
    modified: Callable[[], dt.datetime]  # the as-of time of the data, from the data
    temporal: Callable[[], str | None]
    list_route: str  # the paginated list's URL name (the router's basename + "-list")


def _in_language(text: Any, language: str) -> str:
    with translation.override(CODE_LANGUAGES[language]):
        return str(text)


def dictionary(dataset: Dataset) -> dict[str, Any]:
    """The data set's field dictionary, in both languages whatever the request's."""
    columns = []
    for column in dataset.columns:
        entry: dict[str, Any] = {
            "code": column.code,
            "type": column.type,
            "label": {lang: _in_language(column.label, lang) for lang in LANGUAGES},
            "description": {lang: _in_language(column.description, lang) for lang in LANGUAGES},
        }
        if column.items:
            entry["items"] = column.items
        if column.label_of:
            entry["label_of"] = column.label_of
        if column.codes is not None:
            entry["codes"] = [
                {"code": code, "label": {"zh": _in_language(zh, "zh"), "en": _in_language(en, "en")}}
                for code, zh, en in column.codes()
            ]
        columns.append(entry)
    return {
        "dataset": dataset.slug,
        "title": {lang: _in_language(dataset.title, lang) for lang in LANGUAGES},
        "license": settings.OPEN_DATA_LICENSE,
        "notes": {
            lang: _in_language(
                _(
                    "Codes never change; every …_label column gives the label of its code in the language of "
                    "the request (Accept-Language), and this dictionary gives both. The CSV header row is the "
                    "JSON keys; an array's CSV cell holds its JSON text; dates are ISO 8601; numbers use a "
                    "decimal point."
                ),
                lang,
            )
            for lang in LANGUAGES
        },
        "columns": columns,
    }


# --- the pilots' records -----------------------------------------------------------------------


def published_pilots() -> QuerySet[Project]:
    return (
        Project.objects.filter(status__in=PUBLIC_STATUSES)
        .select_related("programme", "district", "category", "use", "structure_material", "organisation_mode", "owner")
        .order_by("pk")
    )


def achieved(projects: list[Project]) -> tuple[dict[int, Any], dict[int, list[dict[str, Any]]]]:
    """The GB/T 50378 result of record per project (``scoring.selectors.results_of_record``, the
    rule the standards page, the PDF summary and the API follow too) and the latest grade per
    building (two queries)."""
    from greenbuild.scoring.choices import Engine
    from greenbuild.scoring.models import ScoreRun
    from greenbuild.scoring.selectors import results_of_record

    ids = [p.pk for p in projects]
    stars = results_of_record(projects)
    grades: dict[int, dict[int, Any]] = defaultdict(dict)
    for row in (
        ScoreRun.objects.filter(project_id__in=ids, engine=Engine.GBT51129, building__isnull=False)
        .order_by("project_id", "building_id", "-at", "-pk")
        .values("project_id", "building_id", "building__name", grade=KT("result__grade"))
    ):
        grades[row["project_id"]].setdefault(row["building_id"], row)
    return stars, {pid: list(by_building.values()) for pid, by_building in grades.items()}


def _label(choices: Any, code: str | None) -> str | None:
    """A stored code in the reader's language (an unknown code as it is)."""
    if not code:
        return None
    try:
        return str(choices(code).label)
    except ValueError:
        return code


def _ref(item: Any) -> tuple[str | None, str | None]:
    return (item.code, str(item)) if item is not None else (None, None)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _date(value: dt.date | None) -> str | None:
    return None if value is None else value.isoformat()


def records(projects: Iterable[Project]) -> list[dict[str, Any]]:
    """The rows, keyed by the column codes: codes beside labels in the active language."""
    projects = list(projects)
    stars, grades = achieved(projects)
    bim_labels = dict(BIM_STAGES)
    check_labels = dict(CHECK_STATUSES)
    out = []
    for p in projects:
        redact(None, p)  # the public's view of the project (the field policy), whatever is read below
        star = stars[p.pk]
        bim = [
            code
            for code, flag in (
                ("design", p.bim_design),
                ("production", p.bim_production),
                ("construction", p.bim_construction),
                ("operation", p.bim_operation),
            )
            if flag
        ]
        row: dict[str, Any] = {"id": p.pk, "name": p.name}
        row["programme"], row["programme_label"] = _ref(p.programme)
        row["status"], row["status_label"] = p.status, _label(ProjectStatus, p.status)
        row["district"], row["district_label"] = _ref(p.district)
        row["district_division_code"] = p.district.division_code or None
        row["category"], row["category_label"] = _ref(p.category)
        row["use"], row["use_label"] = _ref(p.use)
        row["structure_material"], row["structure_material_label"] = _ref(p.structure_material)
        row["organisation_mode"], row["organisation_mode_label"] = _ref(p.organisation_mode)
        row["owner"] = str(p.owner)
        row["total_gfa_m2"] = _number(p.total_gfa_m2)
        row["planned_start"] = _date(p.planned_start)
        row["planned_completion"] = _date(p.planned_completion)
        target = p.target_star_level or None
        row["target_star_level"], row["target_star_level_label"] = target, _label(StarLevel, target)
        row["waste_target_t_per_10k_m2"] = _number(p.waste_target_t_per_10k_m2)
        row["green_material_target_pct"] = _number(p.green_material_target_pct)
        row["bim"] = bim
        row["bim_label"] = [str(bim_labels[code]) for code in bim]
        row["achieved_star_level"], row["achieved_star_level_label"] = star.level, _label(StarLevel, star.level)
        row["achieved_star_stage"], row["achieved_star_stage_label"] = star.stage, _label(Stage, star.stage)
        r7 = str(star.r7.status)
        row["r7"], row["r7_label"] = r7, str(check_labels.get(r7, r7))
        row["pending_star_level"] = star.pending_level
        row["pending_star_level_label"] = _label(StarLevel, star.pending_level)
        row["pending_star_stage"] = star.pending_stage
        row["pending_star_stage_label"] = _label(Stage, star.pending_stage)
        row["assembly_grades"] = [
            {"building": g["building__name"], "grade": g["grade"] or "none"} for g in grades.get(p.pk, [])
        ]
        out.append({column.code: row[column.code] for column in PILOT_COLUMNS})
    return out


def pilots_modified() -> dt.datetime:
    """When the published pilots last changed, from the data itself: the latest move of a project
    into or out of the published statuses (the set changes) and the latest GB/T 50378 or GB/T 51129
    run of a published pilot (its achieved levels and grades change; the waste, green-material and
    carbon runs are not published, so they move nothing). Never a project's internal timestamps."""
    from greenbuild.projects.models import ProjectTransition
    from greenbuild.scoring.choices import Engine
    from greenbuild.scoring.models import ScoreRun

    public = list(PUBLIC_STATUSES)
    moved = ProjectTransition.objects.filter(Q(to_status__in=public) | Q(from_status__in=public)).aggregate(
        at=Max("at")
    )["at"]
    published_engines = (Engine.GBT50378, Engine.GBT51129)  # what ``achieved`` reads
    runs = ScoreRun.objects.filter(project__status__in=public, engine__in=published_engines)
    scored = runs.aggregate(at=Max("at"))["at"]
    latest = max((t for t in (moved, scored) if t is not None), default=ISSUED_AT)
    return latest.replace(microsecond=0)


def pilots_rows() -> list[dict[str, Any]]:
    return records(published_pilots())


def pilots_temporal() -> str | None:
    """The period the pilots' schedules span (planned start to planned completion), if stated."""
    span = Project.objects.filter(status__in=PUBLIC_STATUSES).aggregate(
        start=Min("planned_start"), end=Max("planned_completion")
    )
    if span["start"] is None or span["end"] is None:
        return None
    return "{}/{}".format(span["start"].isoformat(), span["end"].isoformat())


PILOTS = Dataset(
    slug="pilots",
    title=_("Green construction pilot projects"),
    description=_(
        "The confirmed green construction pilot projects: where they are, what kind, their "
        "declared green targets (green building level, construction waste, green materials, BIM) and the "
        "levels achieved so far (the reviewed GB/T 50378 result and R7 verdict, claims not yet reviewed as "
        "provisional, the GB/T 51129 grade of each building). One row per pilot."
    ),
    keywords=(
        ("绿色建造", "green construction"),
        ("试点项目", "pilot projects"),
        ("绿色建筑星级", "green building rating"),
        ("装配式建筑", "prefabricated buildings"),
        ("建筑垃圾", "construction waste"),
        ("BIM", "BIM"),
    ),
    columns=PILOT_COLUMNS,
    records=pilots_rows,
    modified=pilots_modified,
    temporal=pilots_temporal,
    list_route="api:open-pilot-list",
)
DATASETS = {PILOTS.slug: PILOTS}


# --- the catalogue -----------------------------------------------------------------------------


def _urls(request: HttpRequest, dataset: Dataset) -> dict[str, str]:
    absolute = request.build_absolute_uri
    return {
        "api": absolute(reverse(dataset.list_route)),
        "json": absolute(reverse("api:open-{}-json".format(dataset.slug))),
        "csv": absolute(reverse("api:open-{}-csv".format(dataset.slug))),
        "dictionary": absolute(reverse("api:open-{}-dictionary".format(dataset.slug))),
        "docs": absolute(reverse("api:docs")),
    }


def _iso(moment: dt.datetime) -> str:
    return timezone.localtime(moment).isoformat()


def dataset_entry(request: HttpRequest, dataset: Dataset, modified: dt.datetime) -> dict[str, Any]:
    """One DCAT-US v1.1 dataset object."""
    urls = _urls(request, dataset)
    title = str(dataset.title)
    entry: dict[str, Any] = {
        "@type": "dcat:Dataset",
        "title": title,
        "description": str(dataset.description),
        "keyword": [word for pair in dataset.keywords for word in dict.fromkeys(pair)],
        "modified": _iso(modified),
        "publisher": {"@type": "org:Organization", "name": settings.OPEN_DATA_PUBLISHER},
        "contactPoint": {
            "@type": "vcard:Contact",
            "fn": settings.OPEN_DATA_CONTACT_NAME,
            "hasEmail": "mailto:{}".format(settings.OPEN_DATA_CONTACT_EMAIL),
        },
        "identifier": urls["api"],
        "accessLevel": "public",
        "license": settings.OPEN_DATA_LICENSE,
        "accrualPeriodicity": ACCRUAL_PERIODICITY,
        "describedBy": urls["dictionary"],
        "describedByType": "application/json",
        "issued": ISSUED,
        "language": list(LANGUAGES),
        "landingPage": urls["api"],
        "references": [urls["docs"]],
        "distribution": [
            {
                "@type": "dcat:Distribution",
                "title": "{} (JSON)".format(title),
                "downloadURL": urls["json"],
                "mediaType": "application/json",
                "format": "JSON",
                "describedBy": urls["dictionary"],
                "describedByType": "application/json",
            },
            {
                "@type": "dcat:Distribution",
                "title": "{} (CSV)".format(title),
                "downloadURL": urls["csv"],
                "mediaType": "text/csv",
                "format": "CSV",
                "describedBy": urls["dictionary"],
                "describedByType": "application/json",
            },
            {
                "@type": "dcat:Distribution",
                "title": "{} (API)".format(title),
                "accessURL": urls["api"],
                "format": "API",
                "description": str(_("Paginated JSON, the API's list shape (docs/api.md).")),
            },
        ],
    }
    temporal = dataset.temporal()
    if temporal:
        entry["temporal"] = temporal
    return entry


def catalogue(request: HttpRequest) -> tuple[dict[str, Any], dt.datetime]:
    entries = []
    latest = ISSUED_AT
    for dataset in DATASETS.values():
        modified = dataset.modified()
        latest = max(latest, modified)
        entries.append(dataset_entry(request, dataset, modified))
    return {
        "@context": DCAT_US_CONTEXT,
        "@id": request.build_absolute_uri("/data.json"),
        "@type": "dcat:Catalog",
        "conformsTo": DCAT_US_CONFORMS_TO,
        "describedBy": DCAT_US_SCHEMA,
        "dataset": entries,
    }, latest


# --- HTTP: validators, CORS, caching -----------------------------------------------------------

CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Expose-Headers": "ETag, Last-Modified, Content-Disposition, Content-Language",
}
PREFLIGHT_HEADERS = {
    **CORS_HEADERS,
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "Accept, Accept-Language, If-None-Match, If-Modified-Since",
    "Access-Control-Max-Age": "86400",
}


def _json_text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=None, separators=(",", ":"))


def _body_changed_at(request: HttpRequest, etag: str) -> int:
    """When this answer's body last changed (POSIX seconds), so that Last-Modified moves whenever
    the body does: the data's as-of time misses changes made outside the workflow (an
    administrator renaming a pilot, an owner or a district in the Django admin), and a client that
    revalidates with If-Modified-Since alone (curl -z, wget -N, harvesters) would keep its stale
    copy. Kept in the shared cache per answer: path, language and host (the bodies name absolute
    URLs) when the host is one ALLOWED_HOSTS lists by name, so the keys stay few whatever Host
    header is sent (the throttle's counters share the cache). A new body gets a time later than
    its predecessor's. An answer not kept (a page other than the first, whose keys would be
    unbounded; a cache emptied) counts as changed now: a client re-reads it at worst."""
    now = int(timezone.now().timestamp())
    if request.META.get("QUERY_STRING"):
        return now
    from django.core.cache import cache

    host = request.get_host()
    named = host in settings.ALLOWED_HOSTS or host.partition(":")[0] in settings.ALLOWED_HOSTS
    variant = "{} {} {}".format(host if named else "*", request.path, translation.get_language())
    key = "open-data:changed:" + hashlib.sha256(variant.encode("utf-8")).hexdigest()[:32]
    kept = cache.get(key)
    if isinstance(kept, tuple) and len(kept) == 2 and kept[0] == etag:
        return int(kept[1])
    since = max(now, int(kept[1]) + 1) if isinstance(kept, tuple) and len(kept) == 2 else now
    cache.set(key, (etag, since), None)
    return since


def open_response(
    request: HttpRequest,
    body: str | bytes,
    content_type: str,
    last_modified: dt.datetime,
    *,
    filename: str | None = None,
) -> HttpResponse:
    """The answer of a public GET: a strong ETag over the body, Last-Modified from the data, 304 on
    a matching conditional GET, CORS and a short public cache that varies with the language."""
    content = body.encode("utf-8") if isinstance(body, str) else body
    etag = '"{}"'.format(hashlib.sha256(content).hexdigest()[:32])
    stamp = max(int(last_modified.timestamp()), _body_changed_at(request, etag))
    response = get_conditional_response(request, etag=etag, last_modified=stamp)
    if response is not None and response.status_code == PreconditionFailed.status_code:
        # If-Match or If-Unmodified-Since failed: the API's error, not a publicly cacheable 412.
        raise PreconditionFailed()
    if response is None:
        response = HttpResponse(content, content_type=content_type)
        if filename:
            response["Content-Disposition"] = 'attachment; filename="{}"'.format(filename)
    response["ETag"] = etag
    response["Last-Modified"] = http_date(stamp)
    response["Cache-Control"] = "public, max-age={}".format(CACHE_SECONDS)
    for header, value in CORS_HEADERS.items():
        response[header] = value
    # Labels follow the language: Accept-Language, or the language cookie a signed-in browser sends.
    patch_vary_headers(response, ("Accept-Language", "Cookie"))
    return response


def preflight() -> HttpResponse:
    response = HttpResponse(status=204)
    for header, value in PREFLIGHT_HEADERS.items():
        response[header] = value
    return response


class OpenDataView(APIView):
    """A public GET of the open data: no token, no session, CORS for any origin."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        if request.method != "OPTIONS":  # a file takes no parameter: a misspelt filter is a 400 (API-13)
            check_query_parameters(request, self)

    def perform_content_negotiation(self, request: Request, force: bool = False) -> Any:
        # Each file has one representation: ``Accept: text/csv`` on the CSV, or JSON-LD on the
        # catalogue, gets the file (never a 406).
        return super().perform_content_negotiation(request, force=True)

    def options(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return preflight()

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        for header, value in CORS_HEADERS.items():  # errors too (a 405, a 429): readable cross-origin
            response.headers.setdefault(header, value)
        return response


# --- the views ---------------------------------------------------------------------------------


def _pilot_field(column: Column) -> Any:
    help_text = column.description  # lazy: the schema writes it in both languages
    if column.type == "integer":
        return serializers.IntegerField(help_text=help_text)
    if column.type == "number":
        return serializers.FloatField(allow_null=True, help_text=help_text)
    if column.type == "date":
        return serializers.DateField(allow_null=True, help_text=help_text)
    if column.type == "array":
        child = serializers.DictField() if column.items == "object" else serializers.CharField()
        return serializers.ListField(child=child, help_text=help_text)
    if column.codes is not None and column.fixed:
        choices = [code for code, _zh, _en in column.codes()]
        return serializers.ChoiceField(choices=choices, allow_null=True, help_text=help_text)
    required = column.code in ("name", "owner", "programme", "programme_label", "status", "status_label")
    return serializers.CharField(allow_null=not required, help_text=help_text)


OpenPilotSerializer = type(
    "OpenPilotSerializer",
    (serializers.Serializer,),
    {column.code: _pilot_field(column) for column in PILOT_COLUMNS},
)


class OpenPilotViewSet(mixins.ListModelMixin, GatedViewSet):
    """Confirmed pilots (已确定的试点项目), their declared targets and achieved levels: open data,
    no token needed. Coded values are stable codes beside ``…_label`` columns in the language of
    the request; the field dictionary: ``/api/v1/open/pilots/dictionary.json``."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    serializer_class = OpenPilotSerializer
    queryset = Project.objects.none()

    def options(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return preflight()

    @extend_schema(responses={200: OpenPilotSerializer(many=True), 304: OpenApiResponse(description="Not modified")})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        page = self.paginate_queryset(published_pilots()) or []
        data = self.get_paginated_response(records(page)).data
        return open_response(request, _json_text(data), "application/json", pilots_modified())

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        for header, value in CORS_HEADERS.items():
            response.headers.setdefault(header, value)
        return response


def _filename(ext: str) -> str:
    return "greenbuild-pilots-{}.{}".format(timezone.localdate().isoformat(), ext)


def _csv_cell(column: Column, value: Any) -> Any:
    if value is None:
        return ""
    if column.type == "array":
        return _json_text(value)
    if isinstance(value, Promise):
        value = str(value)
    return safe_cell(value)


def csv_text(columns: list[Column], rows: list[dict[str, Any]]) -> str:
    """UTF-8 with a BOM (opens in Excel); the header row is the column codes, the JSON keys."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer)
    writer.writerow([column.code for column in columns])
    for row in rows:
        writer.writerow([_csv_cell(column, row[column.code]) for column in columns])
    return buffer.getvalue()


class OpenPilotJson(OpenDataView):
    """The whole pilots data set in one JSON file (an array of rows keyed by the column codes)."""

    @extend_schema(
        summary="下载试点项目开放数据（JSON） · Download the open pilot data as JSON",
        responses={200: OpenPilotSerializer(many=True), 304: OpenApiResponse(description="Not modified")},
    )
    def get(self, request: Request) -> HttpResponse:
        rows, modified = PILOTS.records(), PILOTS.modified()
        return open_response(request, _json_text(rows), "application/json", modified, filename=_filename("json"))


class OpenPilotCsv(OpenDataView):
    """The whole pilots data set in one CSV file; the header row is the JSON keys."""

    @extend_schema(
        summary="下载试点项目开放数据（CSV） · Download the open pilot data as CSV",
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV, UTF-8 with BOM"),
            304: OpenApiResponse(description="Not modified"),
        },
    )
    def get(self, request: Request) -> HttpResponse:
        rows, modified = PILOTS.records(), PILOTS.modified()
        return open_response(
            request, csv_text(PILOTS.columns, rows), "text/csv; charset=utf-8", modified, filename=_filename("csv")
        )


class OpenPilotDictionary(OpenDataView):
    """The pilots data set's field dictionary: per column its stable code, type, Chinese and
    English labels, description and allowed codes with their labels."""

    @extend_schema(
        summary="试点项目开放数据的数据字典 · The field dictionary of the open pilot data",
        responses={200: OpenApiTypes.OBJECT, 304: OpenApiResponse(description="Not modified")},
    )
    def get(self, request: Request) -> HttpResponse:
        return open_response(request, _json_text(dictionary(PILOTS)), "application/json", pilots_modified())


class OpenDataIndex(OpenDataView):
    """The open data sets: their catalogue (DCAT-US v1.1 ``/data.json``), licence, dictionaries and
    downloads."""

    @extend_schema(
        summary="开放数据集与数据目录 · The open data sets and their catalogue",
        responses={200: OpenApiTypes.OBJECT, 304: OpenApiResponse(description="Not modified")},
    )
    def get(self, request: Request) -> HttpResponse:
        entries = []
        latest = ISSUED_AT
        for dataset in DATASETS.values():
            modified = dataset.modified()
            latest = max(latest, modified)
            urls = _urls(request, dataset)
            entries.append(
                {
                    "identifier": dataset.slug,
                    "title": str(dataset.title),
                    "description": str(dataset.description),
                    "modified": _iso(modified),
                    "update_frequency": ACCRUAL_PERIODICITY,
                    "license": settings.OPEN_DATA_LICENSE,
                    "dictionary": urls["dictionary"],
                    "list": urls["api"],
                    "downloads": {"json": urls["json"], "csv": urls["csv"]},
                }
            )
        body = {
            "catalogue": request.build_absolute_uri("/data.json"),
            "catalogue_format": DCAT_US_CONFORMS_TO,
            "license": settings.OPEN_DATA_LICENSE,
            "publisher": settings.OPEN_DATA_PUBLISHER,
            "datasets": entries,
        }
        return open_response(request, _json_text(body), "application/json", latest)


class DataCatalogue(OpenDataView):
    """``/data.json``: the DCAT-US v1.1 catalogue of the open data (at the site root, as the
    convention asks)."""

    @extend_schema(exclude=True)
    def get(self, request: Request) -> HttpResponse:
        # Outside /api/, yet language-free like the API: titles follow Accept-Language.
        language = translation.get_language_from_request(request, check_path=False)
        with translation.override(language):
            body, modified = catalogue(request)
            response = open_response(request, _json_text(body), "application/json", modified)
            response.headers.setdefault("Content-Language", translation.get_language())
        return response


class ApiRoot(routers.APIRootView):
    """``/api/v1/``: the router's list of collections, with the open data and its catalogue first."""

    def get(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().get(request, *args, **kwargs)
        response.data = {
            "open-data": request.build_absolute_uri(reverse("api:open-data")),
            "open-data-catalogue": request.build_absolute_uri(reverse("open-data-catalogue")),
            "open-data-license": settings.OPEN_DATA_LICENSE,
            **response.data,
        }
        return response
