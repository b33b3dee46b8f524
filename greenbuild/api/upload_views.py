"""``/api/v1/uploads/``: resumable uploads, the core of tus 1.0.0 with its creation, expiration
and termination extensions (https://tus.io/protocols/resumable-upload), for files beyond what one
request carries (evidence over 10 MB, BIM models). The store and the policy: ``api/uploads.py``.

* ``OPTIONS /api/v1/uploads/`` — discovery: ``Tus-Version``, ``Tus-Extension``, ``Tus-Max-Size``.
* ``POST /api/v1/uploads/`` with ``Upload-Length`` and ``Upload-Metadata`` (``filename``,
  ``project``, ``kind``, base64 as tus says) — 201, ``Location`` of the upload, ``Upload-Expires``.
* ``HEAD /api/v1/uploads/{id}/`` — ``Upload-Offset``: where to resume.
* ``PATCH /api/v1/uploads/{id}/`` with ``Upload-Offset`` and ``Content-Type:
  application/offset+octet-stream`` — 204 and the new ``Upload-Offset``; a wrong offset is a 409.
  The last chunk turns the file into an attachment (``Content-Location`` names it) or refuses it.
* ``GET /api/v1/uploads/{id}/`` — the upload as JSON, with its attachment once finished.
* ``DELETE /api/v1/uploads/{id}/`` — termination.

Every request but OPTIONS carries ``Tus-Resumable: 1.0.0`` (412 otherwise, as tus says). Errors
come in the one error shape. Writes need a write token (403) and are throttled as every call.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any

from django.utils.http import http_date
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import parsers, serializers, status
from rest_framework.exceptions import APIException
from rest_framework.request import Request
from rest_framework.response import Response

from greenbuild.api import uploads
from greenbuild.api.base import ApiView
from greenbuild.api.files import AttachmentSerializer
from greenbuild.api.permissions import SignedIn, TokenScopePermission
from greenbuild.attachments.choices import AttachmentKind
from greenbuild.attachments.limits import accepts_uploads
from greenbuild.attachments.permissions import KIND_WRITERS

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,expiration,termination"
OFFSET_MEDIA_TYPE = "application/offset+octet-stream"


class OffsetStreamParser(parsers.BaseParser):
    """A tus chunk: the body is left unread here, and streamed to disk by the view."""

    media_type = OFFSET_MEDIA_TYPE

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        return stream


class Refused(APIException):
    def __init__(self, error: uploads.UploadError) -> None:
        self.status_code = error.status
        super().__init__(error.message, error.code)


def _tus_headers(response: Response) -> Response:
    response["Tus-Resumable"] = TUS_VERSION
    response["Cache-Control"] = "no-store"
    return response


def _check_tus(request: Request) -> None:
    if request.headers.get("Tus-Resumable") != TUS_VERSION:
        raise Refused(
            uploads.UploadError(
                412, "precondition_failed", _("Send Tus-Resumable: {version}.").format(version=TUS_VERSION)
            )
        )


def _metadata(header: str) -> dict[str, str]:
    """``Upload-Metadata``: comma-separated ``key base64value`` pairs."""
    values: dict[str, str] = {}
    for pair in filter(None, (item.strip() for item in header.split(","))):
        key, _sep, encoded = pair.partition(" ")
        try:
            values[key] = base64.b64decode(encoded.strip(), validate=True).decode("utf-8") if encoded else ""
        except (binascii.Error, UnicodeDecodeError):
            raise Refused(
                uploads.UploadError(400, "invalid", _("Upload-Metadata is not valid: {key}.").format(key=key))
            ) from None
    return values


class UploadStatusSerializer(serializers.Serializer):  # type: ignore[type-arg]
    id = serializers.CharField(help_text="上传编号 · the upload's id")
    project = serializers.IntegerField(help_text="所属项目编号 · the project")
    kind = serializers.CharField(
        help_text="文件类别（同 Upload-Metadata 的 kind） · the kind, as sent in Upload-Metadata"
    )
    filename = serializers.CharField(help_text="文件名 · the file's name")
    length = serializers.IntegerField(help_text="总字节数 · Upload-Length")
    offset = serializers.IntegerField(help_text="已收字节数 · Upload-Offset: bytes received")
    expires_at = serializers.DateTimeField(help_text="过期时间（ISO 8601） · when an unfinished upload is removed")
    attachment = AttachmentSerializer(allow_null=True, help_text="完成后生成的附件 · the attachment, once finished")


def _status(upload: uploads.Upload) -> dict[str, Any]:
    attachment = uploads.attachment_of(upload)
    return {
        "id": upload.id,
        "project": upload.project,
        "kind": upload.kind,
        "filename": upload.filename,
        "length": upload.length,
        "offset": uploads.offset_of(upload),
        "expires_at": serializers.DateTimeField().to_representation(upload.expires),  # +08:00
        "attachment": AttachmentSerializer(attachment).data if attachment else None,
    }


TUS_RESUMABLE = OpenApiParameter(
    "Tus-Resumable",
    str,
    OpenApiParameter.HEADER,
    required=True,
    enum=[TUS_VERSION],
    description="tus 协议版本 · tus version",
)


def _on_refusal(method: Any) -> Any:
    def wrapped(self: Any, request: Request, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, request, *args, **kwargs)
        except uploads.UploadError as error:
            raise Refused(error) from None

    wrapped.__name__, wrapped.__doc__ = method.__name__, method.__doc__
    wrapped.__dict__.update(method.__dict__)
    return wrapped


class TusView(ApiView):
    """Every answer says the protocol's version; a refused version says which are spoken."""

    #: every request must carry ``Tus-Resumable: 1.0.0``: a 412 on every method (api/schema_errors.py)
    answers_precondition_failed = True

    permission_classes = [SignedIn, TokenScopePermission]
    parser_classes = [OffsetStreamParser]

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        response["Tus-Resumable"] = TUS_VERSION
        if response.status_code == status.HTTP_412_PRECONDITION_FAILED:
            response["Tus-Version"] = TUS_VERSION
        return response


class UploadCollectionView(TusView):
    """Start a resumable upload (tus creation)."""

    def options(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        response = Response(status=status.HTTP_204_NO_CONTENT)
        response["Tus-Version"] = TUS_VERSION
        response["Tus-Extension"] = TUS_EXTENSIONS
        response["Tus-Max-Size"] = str(uploads.max_bytes())
        return _tus_headers(response)

    @extend_schema(
        operation_id="uploads_create",
        request=None,
        parameters=[
            TUS_RESUMABLE,
            OpenApiParameter(
                "Upload-Length",
                int,
                OpenApiParameter.HEADER,
                required=True,
                description="文件总字节数 · the file's size",
            ),
            OpenApiParameter(
                "Upload-Metadata",
                str,
                OpenApiParameter.HEADER,
                required=True,
                description=(
                    "以逗号分隔的“键 base64值”：filename、project、kind · comma-separated `key base64value` pairs: "
                    "filename, project (id), kind ({})".format(
                        ", ".join(k for k in AttachmentKind.values if KIND_WRITERS[k].api)
                    )
                ),
            ),
        ],
        responses={
            201: OpenApiResponse(description="已创建；Location 为上传地址 · created; Location is the upload's URL")
        },
    )
    @_on_refusal
    def post(self, request: Request) -> Response:
        """Open an upload: the project's gate (404), the kind's writer (403) and the kind's size
        limit under the API's ceiling (413) are checked now, the content at the last byte."""
        _check_tus(request)
        meta = _metadata(request.headers.get("Upload-Metadata", ""))
        upload = uploads.create_upload(
            actor=request.user,
            project_id=meta.get("project"),
            kind=meta.get("kind"),
            filename=meta.get("filename"),
            length=request.headers.get("Upload-Length"),
        )
        response = Response(status=status.HTTP_201_CREATED)
        response["Location"] = "/api/v1/uploads/{}/".format(upload.id)
        response["Upload-Expires"] = http_date(upload.expires.timestamp())
        return _tus_headers(response)


class UploadView(TusView):
    """One resumable upload, its creator's alone (404 for anyone else)."""

    def options(self, request: Any, *args: Any, **kwargs: Any) -> Response:
        return UploadCollectionView.options(self, request)  # type: ignore[arg-type]

    def _offset_headers(self, response: Response, upload: uploads.Upload) -> Response:
        response["Upload-Offset"] = str(uploads.offset_of(upload))
        response["Upload-Length"] = str(upload.length)
        response["Upload-Expires"] = http_date(upload.expires.timestamp())
        return _tus_headers(response)

    @extend_schema(exclude=True)
    @_on_refusal
    def head(self, request: Request, upload_id: str) -> Response:
        _check_tus(request)
        upload = uploads.get_upload(actor=request.user, upload_id=upload_id)
        return self._offset_headers(Response(status=status.HTTP_200_OK), upload)

    @extend_schema(operation_id="uploads_retrieve", responses={200: UploadStatusSerializer})
    @_on_refusal
    def get(self, request: Request, upload_id: str) -> Response:
        """The upload's state as JSON, with the attachment it became once finished."""
        upload = uploads.get_upload(actor=request.user, upload_id=upload_id)
        return self._offset_headers(Response(_status(upload)), upload)

    @extend_schema(
        operation_id="uploads_partial_update",
        request={OFFSET_MEDIA_TYPE: OpenApiTypes.BINARY},
        parameters=[
            TUS_RESUMABLE,
            OpenApiParameter(
                "Upload-Offset",
                int,
                OpenApiParameter.HEADER,
                required=True,
                description="本段起始位置（须等于已收字节数，否则 409） · where this chunk starts: the bytes received (409 otherwise)",
            ),
            OpenApiParameter(
                "Upload-Offset",
                int,
                OpenApiParameter.HEADER,
                response=[204],
                description="已收字节数 · the bytes received so far",
            ),
            OpenApiParameter(
                "Content-Location",
                str,
                OpenApiParameter.HEADER,
                response=[204],
                description="最后一段：生成的附件地址 · after the last chunk: the attachment it became",
            ),
        ],
        responses={
            204: OpenApiResponse(
                description="已接收；Upload-Offset 为新的位置 · received; Upload-Offset is the new offset"
            )
        },
    )
    @accepts_uploads(*uploads.api_kinds())  # a chunk may be as large as the kind's file
    @_on_refusal
    def patch(self, request: Request, upload_id: str) -> Response:
        """Send the next chunk. The last one stores the file as an attachment through the
        attachments service (its ``Content-Location``), or refuses it (400, the file discarded)."""
        _check_tus(request)
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        upload, _received = uploads.append(
            actor=request.user,
            upload_id=upload_id,
            offset=request.headers.get("Upload-Offset"),
            stream=request.data if length else _Empty(),
            length=length,
        )
        response = self._offset_headers(Response(status=status.HTTP_204_NO_CONTENT), upload)
        if upload.attachment is not None:
            response["Content-Location"] = "/api/v1/attachments/{}/".format(upload.attachment)
        return response

    @extend_schema(
        operation_id="uploads_destroy",
        parameters=[TUS_RESUMABLE],
        responses={204: OpenApiResponse(description="已取消 · cancelled")},
    )
    @_on_refusal
    def delete(self, request: Request, upload_id: str) -> Response:
        """Cancel the upload (tus termination); its received bytes are removed."""
        _check_tus(request)
        uploads.terminate(actor=request.user, upload_id=upload_id)
        return _tus_headers(Response(status=status.HTTP_204_NO_CONTENT))


class _Empty:
    def read(self, size: int = -1) -> bytes:
        return b""
