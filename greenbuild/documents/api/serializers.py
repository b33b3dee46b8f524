from __future__ import annotations

from rest_framework import serializers

from greenbuild.documents.models import IssuedDocument
from greenbuild.documents.services import verify_url


class IssuedDocumentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(read_only=True, help_text="文书类别名称 · kind of document, in words")
    object_type = serializers.SerializerMethodField(help_text="所涉对象类型 · type of the object, app_label.model")
    issued_by = serializers.SerializerMethodField(help_text="出具人 · who issued it")
    current = serializers.SerializerMethodField(help_text="是否有效（未被替代） · not superseded by a re-issue")
    superseded_by = serializers.SerializerMethodField(help_text="替代它的文书编号 · id of the re-issue, if any")
    download = serializers.SerializerMethodField(help_text="下载地址（经权限检查） · where the PDF downloads")
    verify_url = serializers.SerializerMethodField(help_text="公开核验页面 · the public verification page")

    class Meta:
        model = IssuedDocument
        fields = [
            "id",
            "number",
            "kind",
            "kind_label",
            "year",
            "serial",
            "subject",
            "issuer_name",
            "place",
            "issued_at",
            "issued_by",
            "object_type",
            "object_id",
            "project",
            "sha256",
            "size",
            "supersedes",
            "superseded_by",
            "current",
            "reason",
            "download",
            "verify_url",
        ]
        read_only_fields = fields

    def get_object_type(self, document: IssuedDocument) -> str:
        return "{}.{}".format(document.content_type.app_label, document.content_type.model)

    def get_issued_by(self, document: IssuedDocument) -> str:
        return str(document.issued_by)

    def get_current(self, document: IssuedDocument) -> bool:
        return document.is_current

    def get_superseded_by(self, document: IssuedDocument) -> int | None:
        successor = document.successor
        return successor.pk if successor is not None else None

    def get_download(self, document: IssuedDocument) -> str:
        return "/api/v1/documents/{}/download/".format(document.pk)

    def get_verify_url(self, document: IssuedDocument) -> str:
        return verify_url(document.token)


class IssueSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="文书类别，如 reviews.decision_letter · kind of document")
    object = serializers.IntegerField(help_text="所涉对象编号（如评审轮次） · id of the object (e.g. the review round)")


class ReissueSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000, help_text="重新出具的原因 · why the document is re-issued")
