"""The register over the API: the documents the caller may read (through each object's own gate),
their PDFs, and the issue and re-issue moves (the same services as the pages)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import FileResponse
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from greenbuild.api.base import GatedViewSet, parse_pk, refuse_unknown_fields
from greenbuild.api.filters import IntegerIdFilter
from greenbuild.api.permissions import SignedIn, TokenScopePermission
from greenbuild.core.permissions import gate_for
from greenbuild.documents import permissions, services
from greenbuild.documents.api.serializers import IssuedDocumentSerializer, IssueSerializer, ReissueSerializer
from greenbuild.documents.models import IssuedDocument
from greenbuild.documents.registry import kinds
from greenbuild.documents.views import document_download


class IssuedDocumentFilterSet(filters.FilterSet):
    kind = filters.CharFilter(help_text="文书类别 · kind of document")
    project = IntegerIdFilter(field_name="project_id", help_text="项目编号 · project id")
    object_id = IntegerIdFilter(help_text="所涉对象编号 · id of the object")
    current = filters.BooleanFilter(
        field_name="superseded_by", lookup_expr="isnull", help_text="仅有效文书 · only documents not superseded"
    )

    class Meta:
        model = IssuedDocument
        fields = ["kind", "project", "object_id", "current"]


class IssuedDocumentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Issued documents (发文登记): numbered, filed once, readable by whoever may see their object."""

    serializer_class = IssuedDocumentSerializer
    # signed in (anonymous: 401, never an empty page or a redirect to the sign-in page), and a
    # read token reads only
    permission_classes = [SignedIn, TokenScopePermission]
    filterset_class = IssuedDocumentFilterSet

    def get_queryset(self) -> QuerySet[IssuedDocument]:
        return (
            IssuedDocument.objects.for_user(self.request.user)
            .select_related("content_type", "issued_by", "superseded_by")
            .order_by("pk")
        )

    @extend_schema(request=IssueSerializer, responses={201: IssuedDocumentSerializer, 200: IssuedDocumentSerializer})
    def create(self, request: Request) -> Response:
        """Issue the document of ``kind`` about ``object`` (only its issuing party); once: a second
        call answers 200 with the document already issued."""
        refuse_unknown_fields(request.data, ["kind", "object"])
        body = IssueSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        spec = kinds().get(body.validated_data["kind"])
        if spec is None:
            raise NotFound()
        # the object through its own gate: 404 when the caller may not see it
        obj = gate_for(spec.model).for_user(request.user).filter(pk=parse_pk(body.validated_data["object"])).first()
        if obj is None:
            raise NotFound()
        document, created = services.issue_document(actor=request.user, kind=spec.code, object_id=obj.pk)
        return Response(
            self.get_serializer(document).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK
        )

    @extend_schema(request=ReissueSerializer, responses={201: IssuedDocumentSerializer})
    @action(detail=True, methods=["post"], url_path="actions/reissue")
    def reissue(self, request: Request, pk: str) -> Response:
        """Re-issue with a new number and a reason; the document becomes void (superseded)."""
        document = permissions.get_document_for_user(request.user, parse_pk(pk), permissions.ISSUE)
        refuse_unknown_fields(request.data, ["reason"])
        body = ReissueSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        new = services.reissue_document(
            actor=request.user, document_id=document.pk, reason=body.validated_data["reason"]
        )
        return Response(self.get_serializer(new).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses={(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY)})
    @action(detail=True, methods=["get"])
    def download(self, request: Request, pk: str) -> FileResponse:
        """The filed PDF, through the object's gate; 404 when invisible."""
        return document_download(request._request, parse_pk(pk))
