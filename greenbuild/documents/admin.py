"""The register in the admin: documents and counters read-only (filed once, never changed, no
history to revert); the numbering series (prefix, issuer, place) are data the bureau may edit."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from greenbuild.core.admin import NoRevertHistoryMixin, ReadOnlyAdminMixin
from greenbuild.documents.models import DocumentCounter, DocumentSeries, IssuedDocument


@admin.register(IssuedDocument)
class IssuedDocumentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[IssuedDocument]):
    list_display = ["number", "kind", "subject", "issuer_name", "issued_by", "issued_at", "supersedes"]
    list_filter = ["kind", "year"]
    search_fields = ["number", "subject", "sha256"]
    list_select_related = ["issued_by", "supersedes"]
    readonly_fields = [
        "number",
        "kind",
        "year",
        "serial",
        "subject",
        "issuer_name",
        "place",
        "content_type",
        "object_id",
        "project",
        "file",
        "sha256",
        "size",
        "issued_by",
        "issued_at",
        "supersedes",
        "reason",
    ]
    fields = readonly_fields


@admin.register(DocumentCounter)
class DocumentCounterAdmin(ReadOnlyAdminMixin, admin.ModelAdmin[DocumentCounter]):
    list_display = ["kind", "year", "last_serial"]


class DocumentSeriesForm(forms.ModelForm[DocumentSeries]):
    class Meta:
        model = DocumentSeries
        fields = ["prefix", "issuer_name", "place"]

    def clean_prefix(self) -> str:
        """No two kinds share a prefix: their numbers (常住建绿审〔2026〕3号) would collide."""
        prefix = str(self.cleaned_data["prefix"]).strip()
        if not prefix:
            raise forms.ValidationError(_("Give the number prefix."), code="required")
        if DocumentSeries.objects.exclude(pk=self.instance.pk).filter(prefix=prefix).exists():
            raise forms.ValidationError(
                _("Another kind of document already uses this prefix: numbers would collide."), code="taken"
            )
        return prefix


@admin.register(DocumentSeries)
class DocumentSeriesAdmin(NoRevertHistoryMixin, SimpleHistoryAdmin):
    """Prefix, issuer and place of a kind's numbers: data; a change applies to the next issue only.
    The kind a series numbers is fixed (changing it would detach the series from its kind)."""

    form = DocumentSeriesForm
    list_display = ["kind", "prefix", "issuer_name", "place"]
    fields = ["kind", "prefix", "issuer_name", "place"]
    readonly_fields = ["kind"]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
