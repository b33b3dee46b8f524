"""Serializers of the summaries' API: what they answer is what the schema says."""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from greenbuild.summaries.models import EditionChange, ProgrammeSummary, SummaryRevision


class SummaryRevisionSerializer(serializers.ModelSerializer):
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
        model = SummaryRevision
        fields = ["number", "status", "job", "requested_at", "generated_at", "pdf_url", "workbook_url"]

    def _url(self, revision: SummaryRevision, fmt: str) -> str | None:
        if revision.status != "ready":
            return None
        return reverse("summaries:revision-file", args=[revision.summary_id, revision.number, fmt])

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_pdf_url(self, revision: SummaryRevision) -> str | None:
        return self._url(revision, "pdf")

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_workbook_url(self, revision: SummaryRevision) -> str | None:
        return self._url(revision, "xlsx")


class SummaryEditionChangeSerializer(serializers.ModelSerializer):
    item = serializers.IntegerField(source="item_id", read_only=True, help_text="导则条目编号 · guideline item id")
    code = serializers.CharField(source="item.code", read_only=True, help_text="条目代码 · item code")
    text_zh = serializers.CharField(source="item.text_zh", read_only=True, help_text="修改后条文 · the new text")
    previous_text_zh = serializers.CharField(read_only=True, help_text="修改前条文 · the text before")
    reason = serializers.CharField(read_only=True, help_text="修改理由 · reason")
    lessons = serializers.PrimaryKeyRelatedField(
        many=True, read_only=True, help_text="所依据的经验总结编号 · ids of the lessons behind the change"
    )
    changed_at = serializers.DateTimeField(read_only=True, help_text="修改时间 · changed at")

    class Meta:
        model = EditionChange
        fields = ["item", "code", "text_zh", "previous_text_zh", "reason", "lessons", "changed_at"]


class SummarySerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    url = serializers.SerializerMethodField(help_text="页面地址 · the summary's page")
    display = serializers.CharField(source="title", read_only=True, help_text="标题 · title")
    programme = serializers.CharField(
        source="programme.code", read_only=True, help_text="试点工作方案代码 · programme code"
    )
    status = serializers.CharField(
        read_only=True, help_text="状态：draft 草稿 / approved 已审定 / issued 已印发 · status"
    )
    status_label = serializers.CharField(
        source="get_status_display",
        read_only=True,
        help_text="状态名称（按请求语言） · the status in the request's language",
    )
    recommendations = serializers.CharField(read_only=True, help_text="工作建议 · the bureau's recommendations")
    revision = serializers.SerializerMethodField(help_text="定稿版次（审定后） · the revision of record, once approved")
    approved_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="审定时间 · approved at")
    issued_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="印发时间 · issued at")
    document_number = serializers.SerializerMethodField(help_text="文号（印发后） · the issued document's number")
    next_edition = serializers.SerializerMethodField(help_text="下一版技术导则代码 · the next guideline edition's code")
    revisions = serializers.SerializerMethodField(
        help_text="各版次 · every revision (the bureau) or the revision of record"
    )
    edition_changes = SummaryEditionChangeSerializer(
        many=True, read_only=True, help_text="下一版导则中已修改的条目 · the items changed in the next edition"
    )
    content = serializers.SerializerMethodField(
        help_text="总结数据（定稿版次，或最新已生成版次） · the figures of the revision of record, else the latest generated one"
    )

    class Meta:
        model = ProgrammeSummary
        fields = [
            "id",
            "url",
            "display",
            "programme",
            "status",
            "status_label",
            "recommendations",
            "revision",
            "approved_at",
            "issued_at",
            "document_number",
            "next_edition",
            "revisions",
            "edition_changes",
            "content",
        ]

    def _bureau(self) -> bool:
        from greenbuild.summaries.permissions import bureau_user

        request = self.context.get("request")
        return bureau_user(getattr(request, "user", None))

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, summary: ProgrammeSummary) -> str:
        return reverse("summaries:summary-detail", args=[summary.pk])

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_revision(self, summary: ProgrammeSummary) -> int | None:
        return summary.revision.number if summary.revision_id else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_document_number(self, summary: ProgrammeSummary) -> str | None:
        if not summary.is_issued:
            return None
        from greenbuild.documents.services import current_document
        from greenbuild.summaries.documents import SUMMARY_DOCUMENT

        document = current_document(SUMMARY_DOCUMENT, summary)
        return document.number if document else None

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_next_edition(self, summary: ProgrammeSummary) -> str | None:
        return summary.next_edition.code if summary.next_edition_id else None

    @extend_schema_field(SummaryRevisionSerializer(many=True))
    def get_revisions(self, summary: ProgrammeSummary) -> list[dict[str, Any]]:
        shown = list(summary.revisions.all()) if self._bureau() else [r for r in [summary.revision] if r is not None]
        return list(SummaryRevisionSerializer(shown, many=True).data)

    @extend_schema_field(serializers.JSONField(allow_null=True))
    def get_content(self, summary: ProgrammeSummary) -> dict[str, Any] | None:
        shown = summary.shown_revision()
        return shown.content if shown else None


class SummaryWriteSerializer(serializers.Serializer):
    programme = serializers.IntegerField(help_text="试点工作方案编号 · programme id")
    recommendations = serializers.CharField(required=False, allow_blank=True, help_text="工作建议 · recommendations")


class SummaryRecommendationsSerializer(serializers.Serializer):
    recommendations = serializers.CharField(allow_blank=True, max_length=20000, help_text="工作建议 · recommendations")


class SummaryMoveSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="说明（退回草稿时必填） · comment"
    )
    revision = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=32767,
        help_text="所审阅的版次（可选；若已有新版次则拒绝） · the revision you checked (optional; refused when "
        "another revision is current by now)",
    )


class SummaryEditionSerializer(serializers.Serializer):
    code = serializers.SlugField(required=False, allow_blank=True, max_length=40, help_text="新版代码 · edition code")
    effective_date = serializers.DateField(required=False, allow_null=True, help_text="施行日期 · effective date")


class SummaryItemChangeSerializer(serializers.Serializer):
    item = serializers.IntegerField(help_text="下一版导则中的条目编号 · the item's id in the next edition")
    text_zh = serializers.CharField(max_length=5000, help_text="修改后条文（中文） · new text (Chinese)")
    text_en = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="修改后条文（英文） · new text (English)"
    )
    reason = serializers.CharField(max_length=2000, help_text="修改理由 · reason")
    lessons = serializers.ListField(
        child=serializers.IntegerField(), min_length=1, help_text="所依据的经验总结编号 · ids of the lessons behind it"
    )
