"""The summaries' API: list and read through the gate (every summary for the bureau, issued ones for
the joint conference's readers, nothing for anyone else: 404); the bureau drafts, regenerates,
edits the recommendations, approves, issues and starts the next guideline edition through the
same services as the pages (issuing an unapproved summary: 409)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from greenbuild.api.base import GatedViewSet, clean_with_form, parse_pk, refuse_unknown_fields
from greenbuild.api.moves import with_moves
from greenbuild.core.permissions import get_object_for_user
from greenbuild.summaries import services
from greenbuild.summaries.api.serializers import (
    SummaryEditionSerializer,
    SummaryItemChangeSerializer,
    SummaryMoveSerializer,
    SummaryRecommendationsSerializer,
    SummarySerializer,
    SummaryWriteSerializer,
)
from greenbuild.summaries.forms import SummaryForm
from greenbuild.summaries.models import ProgrammeSummary
from greenbuild.summaries.permissions import can, reads_any
from greenbuild.summaries.workflow import SUMMARY_WORKFLOW


def _body(request: Request, fields: list[str]) -> dict[str, Any]:
    """The body of a write: a JSON object naming only ``fields`` (a misspelt ``revision`` must not
    drop the stale-revision check, nor a ``status`` pass silently), else a 400, nothing written."""
    data = request.data
    if hasattr(data, "getlist") and not data:  # no body at all: the moves take none
        return {}
    refuse_unknown_fields(data, fields)
    return dict(data) if not hasattr(data, "getlist") else {key: data.get(key) for key in data}


class SummaryViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Programme summaries (总结评估): R7–R14 across the pilots, technologies, costs, inspections,
    lessons and recommendations, with their revisions, the issued document and the next edition."""

    serializer_class = SummarySerializer

    def get_queryset(self) -> QuerySet[ProgrammeSummary]:
        return (
            ProgrammeSummary.objects.for_user(self.request.user)
            .select_related("programme", "revision", "next_edition")
            .prefetch_related("revisions", "edition_changes__item", "edition_changes__lessons")
            .order_by("pk")
        )

    def _read(self, pk: int) -> dict[str, Any]:
        return self.get_serializer(self.get_queryset().get(pk=pk)).data

    def _summary(self, pk: Any, action_name: str) -> ProgrammeSummary:
        if not reads_any(self.request.user):
            raise NotFound()
        summary: ProgrammeSummary = get_object_for_user(ProgrammeSummary, self.request.user, parse_pk(pk), action_name)
        return summary

    @extend_schema(request=SummaryWriteSerializer, responses={201: SummarySerializer})
    def create(self, request: Request) -> Response:
        """Draft a programme's summary (the bureau); its figures are generated in a background job
        (its id: ``revisions[0].job``, progress at ``/api/v1/jobs/{id}/``)."""
        if not reads_any(request.user):
            raise NotFound()
        if not can(request.user, "create", None):
            raise PermissionDenied()
        refuse_unknown_fields(request.data, list(SummaryForm.base_fields))
        data = clean_with_form(SummaryForm, request.data)
        summary = services.create_summary(actor=request.user, **data)
        return Response(self._read(summary.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={202: SummarySerializer})
    @action(detail=True, methods=["post"], url_path="generate")
    def generate(self, request: Request, pk: str) -> Response:
        """Generate a draft summary again from today's data: a new revision, in a background job."""
        summary = self._summary(pk, "generate")
        _body(request, [])
        services.generate_summary(actor=request.user, summary_id=summary.pk)
        return Response(self._read(summary.pk), status=status.HTTP_202_ACCEPTED)

    @extend_schema(request=SummaryRecommendationsSerializer, responses={202: SummarySerializer})
    @action(detail=True, methods=["post"], url_path="recommendations")
    def recommendations(self, request: Request, pk: str) -> Response:
        """Replace a draft's recommendations; a new revision holding them is generated."""
        summary = self._summary(pk, "edit")
        serializer = SummaryRecommendationsSerializer(data=_body(request, ["recommendations"]))
        serializer.is_valid(raise_exception=True)
        services.edit_recommendations(
            actor=request.user, summary_id=summary.pk, recommendations=serializer.validated_data["recommendations"]
        )
        return Response(self._read(summary.pk), status=status.HTTP_202_ACCEPTED)

    @extend_schema(
        request=SummaryMoveSerializer,
        responses={200: SummarySerializer},
        parameters=[OpenApiParameter("move", str, OpenApiParameter.PATH, enum=sorted(SUMMARY_WORKFLOW.table))],
    )
    @with_moves(SUMMARY_WORKFLOW)
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<move>[a-z_-]{1,40})")
    def move(self, request: Request, pk: str, move: str) -> Response:
        """Approve a generated draft, send an approved summary back, or issue an approved one
        (filed in the documents register with its number)."""
        if move not in SUMMARY_WORKFLOW.table:
            raise NotFound()
        summary = self._summary(pk, move)
        serializer = SummaryMoveSerializer(data=_body(request, ["comment", "revision"]))
        serializer.is_valid(raise_exception=True)
        services.transition_summary(
            actor=request.user,
            summary_id=summary.pk,
            action=move,
            comment=serializer.validated_data.get("comment", ""),
            revision=serializer.validated_data.get("revision"),
        )
        return Response(self._read(summary.pk))

    @extend_schema(request=SummaryEditionSerializer, responses={201: SummarySerializer})
    @action(detail=True, methods=["post"], url_path="next-edition")
    def next_edition(self, request: Request, pk: str) -> Response:
        """Start the next edition of the technical guideline from the issued summary: a draft copy
        of every item of the edition in force."""
        summary = self._summary(pk, "start_edition")
        serializer = SummaryEditionSerializer(data=_body(request, ["code", "effective_date"]))
        serializer.is_valid(raise_exception=True)
        services.start_next_edition(
            actor=request.user,
            summary_id=summary.pk,
            code=serializer.validated_data.get("code", ""),
            effective_date=serializer.validated_data.get("effective_date"),
        )
        return Response(self._read(summary.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=SummaryItemChangeSerializer, responses={200: SummarySerializer})
    @action(detail=True, methods=["post"], url_path="edition-changes")
    def edition_change(self, request: Request, pk: str) -> Response:
        """Change one item of the next edition: marked changed and linked to the lessons behind it."""
        summary = self._summary(pk, "change_item")
        serializer = SummaryItemChangeSerializer(data=_body(request, list(SummaryItemChangeSerializer().fields)))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.change_edition_item(
            actor=request.user,
            summary_id=summary.pk,
            item_id=data["item"],
            text_zh=data["text_zh"],
            text_en=data.get("text_en", ""),
            reason=data["reason"],
            lesson_ids=data["lessons"],
        )
        return Response(self._read(summary.pk))
