"""Attachments (upload, list, gated download) and background jobs (status) over the API.

Uploads go through ``attachments.services.store_attachment`` — the same policy per kind (type
checked by content, size limit) and the same writer per kind (``attachments.permissions.KIND_WRITERS``:
evidence the owner filing the scorecard, certificates the department signing a step, …) as the
pages; a read token uploads nothing (the scope check). Downloads go through the attachments gate.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.http import FileResponse
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from greenbuild.api.base import GatedViewSet, parse_pk
from greenbuild.api.parsers import MultiPartParser
from greenbuild.api.permissions import SignedIn, TokenScopePermission
from greenbuild.attachments import services as attachment_services
from greenbuild.attachments.choices import FILE_TYPES, AttachmentKind
from greenbuild.attachments.limits import accepts_uploads
from greenbuild.attachments.models import Attachment
from greenbuild.attachments.permissions import KIND_WRITERS
from greenbuild.attachments.views import download as attachment_download
from greenbuild.core.errors import ActionForbidden
from greenbuild.jobs.filters import ApiJobFilterSet
from greenbuild.jobs.models import Job
from greenbuild.jobs.permissions import restrict_jobs
from greenbuild.jobs.selectors import result_open
from greenbuild.projects.filters import IdFilter
from greenbuild.projects.models import Project
from greenbuild.projects.permissions import get_project_for_user


class AttachmentSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True, help_text="文件类别 · kind, in words")
    download = serializers.SerializerMethodField(
        help_text="下载地址（经权限检查） · where it downloads, through the gate"
    )

    class Meta:
        model = Attachment
        fields = [
            "id",
            "project",
            "kind",
            "kind_label",
            "original_name",
            "size",
            "sha256",
            "file_type",
            "content_type",
            "created_at",
            "download",
        ]

    def get_download(self, attachment: Attachment) -> str:
        return "/api/v1/attachments/{}/download/".format(attachment.pk)


class UploadSerializer(serializers.Serializer):
    project = serializers.IntegerField(help_text="所属项目编号 · id of the project the file belongs to")
    kind = serializers.ChoiceField(
        choices=[(k, label) for k, label in AttachmentKind.choices if KIND_WRITERS[k].api],
        help_text=(
            "文件类别（决定允许的类型、大小和谁可上传：证明材料由业主、方案文件由编制方案或申请变更的业主、"
            "照片和模型由业主、证书由签发审批环节的部门） · kind of file: it decides the types and size allowed "
            "and who may upload it (evidence: the owner filing the scorecard; plan: the owner writing the plan "
            "or asking to change the baseline; photo, model: the owner; certificate: the department signing an "
            "open step); 403 for anyone else"
        ),
    )
    file = serializers.FileField(help_text="文件 · the file (multipart/form-data)")


class AttachmentFilterSet(filters.FilterSet):
    project = IdFilter(field_name="project", queryset=Project.objects.all())

    class Meta:
        model = Attachment
        fields = ["project", "kind"]


class AttachmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Files of the projects whose internal pages the user may see (附件)."""

    serializer_class = AttachmentSerializer
    permission_classes = [SignedIn, TokenScopePermission]  # a read token uploads nothing
    filterset_class = AttachmentFilterSet

    def get_queryset(self) -> QuerySet[Attachment]:
        return Attachment.objects.for_user(self.request.user).filter(removed_at__isnull=True).order_by("pk")

    @extend_schema(request={"multipart/form-data": UploadSerializer}, responses={201: AttachmentSerializer})
    @accepts_uploads(*(kind for kind in AttachmentKind if KIND_WRITERS[kind].api))  # the pages' limits (SEC-14)
    def create(self, request: Request) -> Response:
        """Upload a file to a project. Its type is checked by its content, its size by its kind, and
        the uploader must be the kind's writer on that project (403 otherwise)."""
        body = UploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        project = get_project_for_user(request.user, parse_pk(body.validated_data["project"]))
        try:
            attachment = attachment_services.store_attachment(
                actor=request.user,
                project=project,
                kind=body.validated_data["kind"],
                uploaded_file=body.validated_data["file"],
            )
        except ActionForbidden as refused:  # say who files this kind (DRF would drop the reason)
            raise PermissionDenied(str(refused) or None) from None
        return Response(AttachmentSerializer(attachment).data, status=status.HTTP_201_CREATED)

    # the file in its own media type (API-16): one of the attachment policy's types; bytes first
    # for generated clients, which take the first media type they know
    @extend_schema(
        responses={
            (200, media_type): OpenApiResponse(OpenApiTypes.BINARY)
            for media_type in [
                "application/octet-stream",
                *sorted({media for _suffixes, media in FILE_TYPES.values()}),
            ]
        }
    )
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str) -> FileResponse:
        """The file under its original name (RFC 5987), through the gate; 404 when invisible."""
        # The attachments app's own download view serves it (DRF has put the token's user on the
        # underlying request), so the gate and the headers are those of the pages.
        return attachment_download(request._request, parse_pk(pk))

    parser_classes = [MultiPartParser]


class JobSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(read_only=True, help_text="任务类型 · kind of job, in words")
    status_label = serializers.CharField(
        source="get_status_display", read_only=True, help_text="状态名称 · status, in words"
    )
    result_download = serializers.SerializerMethodField(
        help_text="结果文件下载地址（经权限检查；已过期或无权下载时为空） · where the result file downloads, "
        "through the attachments gate; null once it expired or when the caller may not download it"
    )
    result_name = serializers.SerializerMethodField(
        help_text="结果文件名（无权下载时为空） · file name of the result (null when the caller may not download it)"
    )
    result_size = serializers.SerializerMethodField(
        help_text="结果文件大小（字节；无权下载时为空） · size of the result in bytes (null when the caller may not download it)"
    )
    result_expires_at = serializers.SerializerMethodField(
        help_text="结果文件保留至（为空表示永久保留） · when the result file is removed (null: kept for ever)"
    )
    result_expired = serializers.SerializerMethodField(
        help_text="结果文件已过期删除 · the result file expired and was removed"
    )

    class Meta:
        model = Job
        fields = [
            "id",
            "kind",
            "kind_label",
            "status",
            "status_label",
            "project",
            "progress",
            "message",
            "created_at",
            "started_at",
            "finished_at",
            "error",
            "result",
            "result_name",
            "result_size",
            "result_expires_at",
            "result_expired",
            "result_download",
        ]

    def _result_open(self, job: Job) -> bool:
        """The caller may download the result (the attachments gate, annotated by the viewset): the
        bureau follows every job, but another person's audit export stays theirs."""
        return bool(job.result_id and job.result is not None and getattr(job, "result_open", False))

    def get_result_download(self, job: Job) -> str | None:
        if not self._result_open(job) or job.result_expired:
            return None
        return "/api/v1/attachments/{}/download/".format(job.result_id)

    def get_result_name(self, job: Job) -> str | None:
        return job.result.original_name if self._result_open(job) and job.result is not None else None

    def get_result_size(self, job: Job) -> int | None:
        return job.result.size if self._result_open(job) and job.result is not None else None

    def get_result_expires_at(self, job: Job) -> dt.datetime | None:
        expires: dt.datetime | None = job.result_expires_at
        return expires

    def get_result_expired(self, job: Job) -> bool:
        return job.result_expired


class JobViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Background jobs (后台任务) the user started or may follow: status, progress and the result file
    with its expiry (``?mine=true``: the caller's own, as the task centre 我的任务与导出 lists them)."""

    serializer_class = JobSerializer
    permission_classes = [SignedIn]
    filterset_class = ApiJobFilterSet

    def get_queryset(self) -> QuerySet[Job]:
        user = self.request.user
        jobs: QuerySet[Job] = restrict_jobs(Job.objects.select_related("result"), user)
        return jobs.annotate(result_open=result_open(user)).order_by("-pk")
