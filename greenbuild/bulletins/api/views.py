"""The bulletins' API: list and read through the gate (published ones for every signed-in caller,
drafts for the bureau, districts and departments); the bureau drafts, regenerates, approves and
publishes through the same services as the pages (publishing an unapproved bulletin: 400)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from greenbuild.api.base import (
    GatedViewSet,
    clean_with_form,
    parse_pk,
    refuse_unknown_fields,
    status_read_only_messages,
)
from greenbuild.api.moves import with_moves
from greenbuild.bulletins import services
from greenbuild.bulletins.api.serializers import BulletinMoveSerializer, BulletinSerializer, BulletinWriteSerializer
from greenbuild.bulletins.forms import BulletinForm
from greenbuild.bulletins.models import Bulletin
from greenbuild.bulletins.permissions import can, reads_drafts
from greenbuild.bulletins.workflow import BULLETIN_WORKFLOW
from greenbuild.core.permissions import get_object_for_user


class BulletinViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Periodic bulletins (定期通报): monthly and quarterly, with their revisions and figures."""

    serializer_class = BulletinSerializer

    def get_queryset(self) -> QuerySet[Bulletin]:
        return (
            Bulletin.objects.for_user(self.request.user)
            .select_related("programme", "revision")
            .prefetch_related("revisions")
            .order_by("pk")
        )

    def _read(self, pk: int) -> dict[str, Any]:
        return self.get_serializer(self.get_queryset().get(pk=pk)).data

    def _bulletin(self, pk: Any, action_name: str) -> Bulletin:
        if not reads_drafts(self.request.user):
            raise NotFound()
        bulletin: Bulletin = get_object_for_user(Bulletin, self.request.user, parse_pk(pk), action_name)
        return bulletin

    @extend_schema(request=BulletinWriteSerializer, responses={201: BulletinSerializer})
    def create(self, request: Request) -> Response:
        """Draft a period's bulletin (the bureau); its figures are generated in a background job
        (its id: ``revisions[0].job``, progress at ``/api/v1/jobs/{id}/``)."""
        if not reads_drafts(request.user):
            raise NotFound()
        if not can(request.user, "create", None):
            raise PermissionDenied()
        refuse_unknown_fields(request.data, list(BulletinForm.base_fields), read_only=status_read_only_messages())
        data = clean_with_form(BulletinForm, request.data)
        bulletin = services.create_bulletin(actor=request.user, **data)
        return Response(self._read(bulletin.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={202: BulletinSerializer})
    @action(detail=True, methods=["post"], url_path="generate")
    def generate(self, request: Request, pk: str) -> Response:
        """Generate a draft bulletin again from today's data: a new revision, in a background job."""
        bulletin = self._bulletin(pk, "generate")
        services.generate_bulletin(actor=request.user, bulletin_id=bulletin.pk)
        return Response(self._read(bulletin.pk), status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=BulletinMoveSerializer,
        responses={200: BulletinSerializer},
        parameters=[OpenApiParameter("move", str, OpenApiParameter.PATH, enum=sorted(BULLETIN_WORKFLOW.table))],
    )
    @with_moves(BULLETIN_WORKFLOW)
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<move>[a-z_-]{1,40})")
    def move(self, request: Request, pk: str, move: str) -> Response:
        """Approve a generated draft, send an approved bulletin back, or publish an approved one."""
        if move not in BULLETIN_WORKFLOW.table:
            raise NotFound()
        bulletin = self._bulletin(pk, move)
        serializer = BulletinMoveSerializer(data=request.data if isinstance(request.data, dict) else {})
        serializer.is_valid(raise_exception=True)
        services.transition_bulletin(
            actor=request.user,
            bulletin_id=bulletin.pk,
            action=move,
            comment=serializer.validated_data.get("comment", ""),
            revision=serializer.validated_data.get("revision"),
        )
        return Response(self._read(bulletin.pk))
