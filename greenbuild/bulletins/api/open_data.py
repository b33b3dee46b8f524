"""Published bulletins as open data (R26), a data set of the catalogue (``api/open_data.py``):
``/api/v1/open/bulletins/`` (paginated), ``bulletins.json``, ``bulletins.csv`` and the field
dictionary. One row per published bulletin, with its headline figures (frozen at approval, as
published) and where its page, PDF and workbook are. Drafts and approved-but-unpublished
bulletins are never included.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request

from greenbuild.api.base import GatedViewSet
from greenbuild.api.open_data import (
    CORS_HEADERS,
    ISSUED_AT,
    Column,
    Dataset,
    OpenDataView,
    _choice_codes,
    _json_text,
    csv_text,
    dictionary,
    open_response,
    preflight,
)
from greenbuild.bulletins.choices import BulletinKind
from greenbuild.bulletins.models import Bulletin

BULLETIN_COLUMNS: list[Column] = [
    Column("id", "integer", _("Bulletin number"), _("The bulletin's number; it never changes.")),
    Column("title", "string", _("Bulletin"), _("The bulletin's title.")),
    Column("kind", "string", _("Kind"), _("monthly or quarterly."), codes=_choice_codes(BulletinKind.choices)),
    Column("kind_label", "string", _("Kind (label)"), _("The kind in the language of the request."), label_of="kind"),
    Column("period_start", "date", _("Period starts"), _("The first day the bulletin reports.")),
    Column("period_end", "date", _("Period ends"), _("The last day the bulletin reports.")),
    Column("published_on", "date", _("Published on"), _("The day the bureau published it.")),
    Column("confirmed_pilots", "integer", _("Confirmed pilots"), _("Confirmed pilots when it was generated.")),
    Column(
        "districts_meeting_quota",
        "integer",
        _("Districts meeting their quota"),
        _("Districts with all their quota categories met when it was generated."),
    ),
    Column("page_url", "string", _("Page"), _("The bulletin's public page.")),
    Column("pdf_url", "string", _("PDF"), _("The bulletin as a PDF.")),
    Column("workbook_url", "string", _("Workbook"), _("The bulletin's figures as an Excel workbook.")),
]


def published_bulletins() -> Any:
    return Bulletin.objects.published().select_related("revision").order_by("pk")


def records(bulletins: Any) -> list[dict[str, Any]]:
    rows = []
    for bulletin in bulletins:
        summary = (bulletin.revision.content or {}).get("summary", {}) if bulletin.revision else {}
        rows.append(
            {
                "id": bulletin.pk,
                "title": bulletin.title,
                "kind": bulletin.kind,
                "kind_label": str(bulletin.get_kind_display()),
                "period_start": bulletin.period_start.isoformat(),
                "period_end": bulletin.period_end.isoformat(),
                "published_on": bulletin.published_at.date().isoformat() if bulletin.published_at else None,
                "confirmed_pilots": summary.get("confirmed_total"),
                "districts_meeting_quota": summary.get("districts_meeting_quota"),
                "page_url": reverse("bulletins:public-detail", args=[bulletin.pk]),
                "pdf_url": reverse("bulletins:public-file", args=[bulletin.pk, "pdf"]),
                "workbook_url": reverse("bulletins:public-file", args=[bulletin.pk, "xlsx"]),
            }
        )
    return rows


def bulletins_rows() -> list[dict[str, Any]]:
    return records(published_bulletins())


def bulletins_modified() -> dt.datetime:
    latest = Bulletin.objects.published().aggregate(at=Max("published_at"))["at"]
    return (latest or ISSUED_AT).replace(microsecond=0)


def bulletins_temporal() -> str | None:
    from django.db.models import Min

    span = Bulletin.objects.published().aggregate(start=Min("period_start"), end=Max("period_end"))
    if span["start"] is None or span["end"] is None:
        return None
    return "{}/{}".format(span["start"].isoformat(), span["end"].isoformat())


BULLETINS = Dataset(
    slug="bulletins",
    title=_("Periodic bulletins on the green construction pilots"),
    description=_(
        "The bureau's published monthly and quarterly bulletins: progress per district against its quota, "
        "target attainment, inspections and rectification, and the district ranking. One row per bulletin, "
        "with its headline figures and its page, PDF and workbook."
    ),
    keywords=(("定期通报", "periodic bulletins"), ("绿色建造", "green construction"), ("试点项目", "pilot projects")),
    columns=BULLETIN_COLUMNS,
    records=bulletins_rows,
    modified=bulletins_modified,
    temporal=bulletins_temporal,
    list_route="api:open-bulletin-list",
)


def _field(column: Column) -> Any:
    if column.type == "integer":
        return serializers.IntegerField(allow_null=column.code != "id", help_text=column.description)
    if column.type == "date":
        return serializers.DateField(allow_null=True, help_text=column.description)
    return serializers.CharField(help_text=column.description)


OpenBulletinSerializer = type(
    "OpenBulletinSerializer", (serializers.Serializer,), {c.code: _field(c) for c in BULLETIN_COLUMNS}
)


def _filename(ext: str) -> str:
    from django.utils import timezone

    return "greenbuild-bulletins-{}.{}".format(timezone.localdate().isoformat(), ext)


class OpenBulletinViewSet(mixins.ListModelMixin, GatedViewSet):
    """Published periodic bulletins (定期通报): open data, no token needed."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    serializer_class = OpenBulletinSerializer
    queryset = Bulletin.objects.none()

    def options(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        return preflight()

    @extend_schema(responses={200: OpenBulletinSerializer(many=True), 304: OpenApiResponse(description="Not modified")})
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Any:
        page = self.paginate_queryset(published_bulletins()) or []
        data = self.get_paginated_response(records(page)).data
        return open_response(request, _json_text(data), "application/json", bulletins_modified())

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        for header, value in CORS_HEADERS.items():
            response.headers.setdefault(header, value)
        return response


class OpenBulletinJson(OpenDataView):
    """Every published bulletin in one JSON file."""

    @extend_schema(
        summary="下载定期通报开放数据（JSON） · Download the published bulletins as JSON",
        responses={200: OpenBulletinSerializer(many=True), 304: OpenApiResponse(description="Not modified")},
    )
    def get(self, request: Request) -> Any:
        return open_response(
            request, _json_text(bulletins_rows()), "application/json", bulletins_modified(), filename=_filename("json")
        )


class OpenBulletinCsv(OpenDataView):
    """Every published bulletin in one CSV file; the header row is the JSON keys."""

    @extend_schema(
        summary="下载定期通报开放数据（CSV） · Download the published bulletins as CSV",
        responses={
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="CSV, UTF-8 with BOM"),
            304: OpenApiResponse(description="Not modified"),
        },
    )
    def get(self, request: Request) -> Any:
        return open_response(
            request,
            csv_text(BULLETIN_COLUMNS, bulletins_rows()),
            "text/csv; charset=utf-8",
            bulletins_modified(),
            filename=_filename("csv"),
        )


class OpenBulletinDictionary(OpenDataView):
    """The bulletins data set's field dictionary."""

    @extend_schema(
        summary="定期通报开放数据的数据字典 · The field dictionary of the published bulletins",
        responses={200: OpenApiTypes.OBJECT, 304: OpenApiResponse(description="Not modified")},
    )
    def get(self, request: Request) -> Any:
        return open_response(request, _json_text(dictionary(BULLETINS)), "application/json", bulletins_modified())


def register_dataset() -> None:
    """Put the data set in the open-data catalogue (``/data.json``, ``/api/v1/open/``).

    Not called yet: ``api/tests/test_open_data.py`` assumes the catalogue holds one data set (four
    of its tests unpack ``(dataset,) = …``). The lead calls this from ``BulletinsConfig.ready()``
    (or adds ``BULLETINS`` to ``DATASETS``) together with those tests."""
    from greenbuild.api.open_data import DATASETS

    DATASETS.setdefault(BULLETINS.slug, BULLETINS)
