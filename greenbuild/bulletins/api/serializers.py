"""Serializers of the bulletins' API: what they answer is what the schema says."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from greenbuild.bulletins.models import Bulletin, BulletinRevision


class RevisionSerializer(serializers.ModelSerializer):
    number = serializers.IntegerField(read_only=True, help_text="版次 · revision number")
    status = serializers.CharField(
        read_only=True, help_text="状态：generating 生成中 / ready 已生成 / failed 生成失败 · status"
    )
    job = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True, help_text="后台任务 · background job id")
    requested_at = serializers.DateTimeField(read_only=True, help_text="发起时间 · requested at")
    generated_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="生成时间 · generated at")
    pdf_url = serializers.SerializerMethodField(help_text="PDF 下载地址 · where the PDF downloads")
    workbook_url = serializers.SerializerMethodField(help_text="Excel 下载地址 · where the workbook downloads")

    class Meta:
        model = BulletinRevision
        fields = ["number", "status", "job", "requested_at", "generated_at", "pdf_url", "workbook_url"]

    def _url(self, revision: BulletinRevision, fmt: str) -> str | None:
        if revision.status != "ready":
            return None
        if self.context.get("public"):  # a reader of published bulletins only: the public files
            return reverse("bulletins:public-file", args=[revision.bulletin_id, fmt])
        return reverse("bulletins:revision-file", args=[revision.bulletin_id, revision.number, fmt])

    def to_representation(self, instance: BulletinRevision) -> dict[str, Any]:
        data: dict[str, Any] = super().to_representation(instance)
        if self.context.get("public"):
            data["job"] = None  # the bureau's background job is not the public's to open
        return data

    @extend_schema_field(OpenApiTypes.STR)
    def get_pdf_url(self, revision: BulletinRevision) -> str | None:
        return self._url(revision, "pdf")

    @extend_schema_field(OpenApiTypes.STR)
    def get_workbook_url(self, revision: BulletinRevision) -> str | None:
        return self._url(revision, "xlsx")


class BulletinSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    title = serializers.CharField(read_only=True, help_text="标题 · title")
    kind = serializers.CharField(read_only=True, help_text="类型：monthly 月度 / quarterly 季度 · kind")
    kind_label = serializers.CharField(
        source="get_kind_display",
        read_only=True,
        help_text="类型名称（按请求语言） · the kind in the request's language",
    )
    year = serializers.IntegerField(read_only=True, help_text="年份 · year")
    period = serializers.IntegerField(read_only=True, help_text="月份或季度 · month (1–12) or quarter (1–4)")
    period_start = serializers.DateField(read_only=True, help_text="期间开始 · period starts")
    period_end = serializers.DateField(read_only=True, help_text="期间结束 · period ends")
    status = serializers.CharField(
        read_only=True, help_text="状态：draft 草稿 / approved 已审定 / published 已发布 · status"
    )
    status_label = serializers.CharField(
        source="get_status_display",
        read_only=True,
        help_text="状态名称（按请求语言） · the status in the request's language",
    )
    revision = serializers.SerializerMethodField(help_text="定稿版次（审定后） · the revision of record, once approved")
    approved_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="审定时间 · approved at")
    published_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="发布时间 · published at")
    revisions = serializers.SerializerMethodField(
        help_text="各版次（仅能阅读已发布通报者：只有定稿版次） · every revision (readers of published bulletins "
        "only: the revision of record)"
    )
    content = serializers.SerializerMethodField(
        help_text="通报数据（定稿版次，或最新已生成版次） · the figures of the revision of record, else the latest generated one"
    )

    class Meta:
        model = Bulletin
        fields = [
            "id",
            "title",
            "kind",
            "kind_label",
            "year",
            "period",
            "period_start",
            "period_end",
            "status",
            "status_label",
            "revision",
            "approved_at",
            "published_at",
            "revisions",
            "content",
        ]

    def _public_reader(self) -> bool:
        from greenbuild.bulletins.permissions import reads_drafts

        request = self.context.get("request")
        return not reads_drafts(getattr(request, "user", None))

    @extend_schema_field(RevisionSerializer(many=True))
    def get_revisions(self, bulletin: Bulletin) -> list[dict[str, Any]]:
        """Those who read drafts see every revision; everyone else only the published revision of
        record (no superseded draft figures, no links they cannot open)."""
        if self._public_reader():
            shown = [bulletin.revision] if bulletin.is_published and bulletin.revision_id else []
            return list(RevisionSerializer(shown, many=True, context={"public": True}).data)
        return list(RevisionSerializer(bulletin.revisions.all(), many=True).data)

    @extend_schema_field(OpenApiTypes.INT)
    def get_revision(self, bulletin: Bulletin) -> int | None:
        return bulletin.revision.number if bulletin.revision_id else None

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_content(self, bulletin: Bulletin) -> dict[str, Any] | None:
        shown = bulletin.shown_revision()
        return shown.content if shown else None


class BulletinWriteSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="类型：monthly 月度 / quarterly 季度 · monthly or quarterly")
    year = serializers.IntegerField(help_text="年份 · year")
    period = serializers.IntegerField(help_text="月份（1–12）或季度（1–4） · month or quarter")


class BulletinMoveSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="说明（退回草稿时必填） · comment"
    )
    revision = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=32767,
        help_text="所审阅的版次（可选；若已有新版次则拒绝审定或发布） · the revision you checked "
        "(optional; approving or publishing is refused when another revision is current by now)",
    )
