"""The inspections API: inspections, findings, rectification orders and their moves (answer,
verify, reopen) — through the inspections gate and services, as on the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from greenbuild.api.base import GatedViewSet, parse_pk, refuse_unknown_fields
from greenbuild.api.moves import with_moves
from greenbuild.attachments.limits import accepts_uploads
from greenbuild.core.permissions import CHANGE, get_object_for_user
from greenbuild.inspections import services
from greenbuild.inspections.api.serializers import (
    EvidenceSerializer,
    FindingSerializer,
    FindingWriteSerializer,
    InspectionMoveSerializer,
    InspectionSerializer,
    OrderMoveSerializer,
    OrderSerializer,
    OrderTransitionSerializer,
    OrderWriteSerializer,
    ScheduleSerializer,
)
from greenbuild.inspections.models import Finding, Inspection, RectificationOrder
from greenbuild.inspections.permissions import ANSWER, can
from greenbuild.inspections.workflow import INSPECTION_WORKFLOW, ORDER_WORKFLOW


class InspectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Inspections (监督检查) of pilots with their checklists."""

    serializer_class = InspectionSerializer

    def get_queryset(self) -> QuerySet[Inspection]:
        return (
            Inspection.objects.for_user(self.request.user)
            .prefetch_related("checklist")
            .select_related("step")
            .order_by("pk")
        )

    @extend_schema(request=ScheduleSerializer, responses={201: InspectionSerializer})
    def create(self, request: Request) -> Response:
        """Schedule an inspection (an inspector in the project's scope, a due date not in the past)."""
        from greenbuild.accounts.models import User
        from greenbuild.projects.models import Project

        refuse_unknown_fields(request.data, ["project", "inspector", "due_on", "reason"])
        serializer = ScheduleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        project = get_object_for_user(Project, request.user, parse_pk(data["project"]))
        inspector = User.objects.filter(pk=parse_pk(data["inspector"]), is_active=True).first()
        inspection = services.schedule_inspection(
            project=project,
            inspector=inspector,
            due_on=data["due_on"],
            actor=request.user,
            reason=data.get("reason", ""),
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=inspection.pk)).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        request=InspectionMoveSerializer,
        responses={200: InspectionSerializer},
        parameters=[OpenApiParameter("move", str, OpenApiParameter.PATH, enum=sorted(INSPECTION_WORKFLOW.table))],
    )
    @with_moves(INSPECTION_WORKFLOW)
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<move>[a-z_-]{1,40})")
    def move(self, request: Request, pk: str, move: str) -> Response:
        """Start, submit or cancel the inspection."""
        if move not in INSPECTION_WORKFLOW.table:
            raise NotFound()
        inspection = self.get_object()
        refuse_unknown_fields(request.data, ["comment"])
        serializer = InspectionMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.transition_inspection(
            actor=request.user,
            inspection_id=inspection.pk,
            action=move,
            comment=serializer.validated_data.get("comment", ""),
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=inspection.pk)).data)


class FindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Findings (检查发现的问题) with severity, clause, location and photos."""

    serializer_class = FindingSerializer

    def get_queryset(self) -> QuerySet[Finding]:
        return (
            Finding.objects.for_user(self.request.user)
            .select_related("order")
            .prefetch_related("photos")
            .order_by("pk")
        )

    @extend_schema(request=FindingWriteSerializer, responses={201: FindingSerializer})
    def create(self, request: Request) -> Response:
        """Record a finding of an inspection in progress (with a deadline: its order is issued)."""
        refuse_unknown_fields(request.data, list(FindingWriteSerializer().fields))
        serializer = FindingWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        inspection = get_object_for_user(Inspection, request.user, parse_pk(data["inspection"]), CHANGE)
        finding = services.raise_finding(
            project=inspection.project,
            actor=request.user,
            summary=data["summary"],
            severity=data["severity"],
            source="inspection",
            clause=data.get("clause", ""),
            inspection=inspection,
            deadline=data.get("deadline"),
            location=data.get("location", ""),
            instructions=data.get("instructions", ""),
        )
        return Response(
            self.get_serializer(self.get_queryset().get(pk=finding.pk)).data, status=status.HTTP_201_CREATED
        )


class RectificationOrderViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Rectification orders (整改通知书): issued, answered with evidence, verified or reopened."""

    serializer_class = OrderSerializer

    def get_queryset(self) -> QuerySet[RectificationOrder]:
        return RectificationOrder.objects.for_user(self.request.user).prefetch_related("evidence").order_by("pk")

    def _read(self, pk: int) -> dict[str, Any]:
        return self.get_serializer(self.get_queryset().get(pk=pk)).data

    @extend_schema(request=OrderWriteSerializer, responses={201: OrderSerializer})
    def create(self, request: Request) -> Response:
        """Issue the rectification order of a finding (a deadline not in the past)."""
        refuse_unknown_fields(request.data, ["finding", "deadline", "instructions"])
        serializer = OrderWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        finding = get_object_for_user(Finding, request.user, parse_pk(data["finding"]), CHANGE)
        order = services.issue_order(
            actor=request.user, finding_id=finding.pk, deadline=data["deadline"], instructions=data["instructions"]
        )
        return Response(self._read(order.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=OrderMoveSerializer,
        responses={200: OrderSerializer},
        parameters=[OpenApiParameter("move", str, OpenApiParameter.PATH, enum=sorted(ORDER_WORKFLOW.table))],
    )
    @with_moves(ORDER_WORKFLOW)
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<move>[a-z_-]{1,40})")
    def move(self, request: Request, pk: str, move: str) -> Response:
        """The owner answers (with evidence filed first); the inspector verifies (closes, only with
        evidence) or reopens (with a reason, optionally a new deadline)."""
        if move not in ORDER_WORKFLOW.table:
            raise NotFound()
        order = self.get_object()
        if not can(request.user, ANSWER if move == "answer" else move, order):
            raise PermissionDenied()
        refuse_unknown_fields(request.data, ["comment", "deadline"])
        serializer = OrderMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.transition_order(
            actor=request.user,
            order_id=order.pk,
            action=move,
            comment=serializer.validated_data.get("comment", ""),
            deadline=serializer.validated_data.get("deadline") if move == "reopen" else None,
        )
        return Response(self._read(order.pk))

    @extend_schema(request={"multipart/form-data": EvidenceSerializer}, responses={200: OrderSerializer})
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser])
    def evidence(self, request: Request, pk: str) -> Response:
        """The owner files a piece of evidence while the order waits for rectification."""
        order = self.get_object()
        if not can(request.user, ANSWER, order):
            raise PermissionDenied()
        serializer = EvidenceSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.add_order_evidence(
            actor=request.user, order_id=order.pk, uploaded_file=serializer.validated_data["file"]
        )
        return Response(self._read(order.pk))

    evidence = accepts_uploads("evidence")(evidence)

    @extend_schema(responses={200: OrderTransitionSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def transitions(self, request: Request, pk: str) -> Response:
        """The order's history: every answer, verification and reopening, with its comment."""
        order = self.get_object()
        return Response(OrderTransitionSerializer(order.transitions.order_by("at", "pk"), many=True).data)
