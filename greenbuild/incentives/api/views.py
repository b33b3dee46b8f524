"""The incentives API: bonus rules and records, escrow eligibility, training — through the gates
and services, as on the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from greenbuild.api.base import GatedViewSet, clean_with_form, parse_pk, refuse_unknown_fields
from greenbuild.api.moves import with_moves
from greenbuild.core.permissions import CHANGE, get_object_for_user
from greenbuild.incentives import services
from greenbuild.incentives.api.serializers import (
    AttendanceSerializer,
    AttendanceWriteSerializer,
    BonusRecordSerializer,
    BonusRuleSerializer,
    CommentSerializer,
    EscrowSerializer,
    ProjectBodySerializer,
    TrainingSessionSerializer,
    TrainingSessionWriteSerializer,
)
from greenbuild.incentives.forms import AttendanceForm, TrainingSessionForm
from greenbuild.incentives.models import (
    BonusRecord,
    BonusRule,
    EscrowEligibility,
    TrainingAttendance,
    TrainingSession,
)
from greenbuild.incentives.permissions import can, is_bureau, may_read_training
from greenbuild.incentives.workflow import BONUS_WORKFLOW, ESCROW_WORKFLOW


def _bureau(user: Any) -> None:
    if not is_bureau(user):
        raise PermissionDenied()


def _project_of_body(data: Any) -> int:
    refuse_unknown_fields(data, ["project"])
    serializer = ProjectBodySerializer(data=data if isinstance(data, dict) else {})
    serializer.is_valid(raise_exception=True)
    return parse_pk(serializer.validated_data["project"])


def _comment(data: Any) -> str:
    refuse_unknown_fields(data, ["comment"])
    serializer = CommentSerializer(data=data if isinstance(data, dict) else {})
    serializer.is_valid(raise_exception=True)
    return str(serializer.validated_data["comment"])


class BonusRuleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Versions of the credit-bonus rule (信用考核加分规则): points by role and result level."""

    serializer_class = BonusRuleSerializer

    def get_queryset(self) -> QuerySet[BonusRule]:
        return BonusRule.objects.for_user(self.request.user).prefetch_related("points").order_by("pk")


class BonusRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Credit-bonus records (信用考核加分记录) of the enterprises of pilots that passed their
    completion evaluation; revoked with a reason, never deleted."""

    serializer_class = BonusRecordSerializer

    def get_queryset(self) -> QuerySet[BonusRecord]:
        return BonusRecord.objects.for_user(self.request.user).select_related("project", "organisation").order_by("pk")

    @extend_schema(request=ProjectBodySerializer, responses={201: BonusRecordSerializer(many=True)})
    @action(detail=False, methods=["post"])
    def award(self, request: Request) -> Response:
        """Record the bonuses of a pilot from its final, passed completion evaluation (the bureau);
        enterprises holding a record for their role already get none."""
        _bureau(request.user)
        created = services.award_bonuses(actor=request.user, project_id=_project_of_body(request.data))
        rows = self.get_queryset().filter(pk__in=[r.pk for r in created])
        return Response(BonusRecordSerializer(rows, many=True).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=CommentSerializer,
        responses={200: BonusRecordSerializer},
        parameters=[OpenApiParameter("move", str, OpenApiParameter.PATH, enum=sorted(BONUS_WORKFLOW.table))],
    )
    @with_moves(BONUS_WORKFLOW)
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<move>[a-z_-]{1,40})")
    def move(self, request: Request, pk: str, move: str) -> Response:
        """Revoke the record with a reason (the bureau)."""
        if move not in BONUS_WORKFLOW.table:
            raise NotFound()
        record = self.get_object()
        if not can(request.user, move, record):
            raise PermissionDenied()
        services.revoke_bonus(actor=request.user, record_id=record.pk, reason=_comment(request.data))
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data)


class EscrowViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Escrow-release eligibility (托管资金释放) of real-estate pilots."""

    serializer_class = EscrowSerializer

    def get_queryset(self) -> QuerySet[EscrowEligibility]:
        return EscrowEligibility.objects.for_user(self.request.user).select_related("project").order_by("pk")

    @extend_schema(request=ProjectBodySerializer, responses={200: EscrowSerializer})
    @action(detail=False, methods=["post"])
    def assess(self, request: Request) -> Response:
        """Decide a real-estate pilot's eligibility from its final completion result (the bureau)."""
        _bureau(request.user)
        eligibility = services.assess_escrow(actor=request.user, project_id=_project_of_body(request.data))
        return Response(self.get_serializer(self.get_queryset().get(pk=eligibility.pk)).data)

    @extend_schema(
        request=CommentSerializer,
        responses={200: EscrowSerializer},
        parameters=[OpenApiParameter("move", str, OpenApiParameter.PATH, enum=sorted(ESCROW_WORKFLOW.table))],
    )
    @with_moves(ESCROW_WORKFLOW)
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<move>[a-z_-]{1,40})")
    def move(self, request: Request, pk: str, move: str) -> Response:
        """Record the release of an eligible pilot's escrowed funds (the bureau)."""
        if move not in ESCROW_WORKFLOW.table:
            raise NotFound()
        eligibility = self.get_object()
        if not can(request.user, move, eligibility):
            raise PermissionDenied()
        services.release_escrow(actor=request.user, eligibility_id=eligibility.pk, note=_comment(request.data))
        return Response(self.get_serializer(self.get_queryset().get(pk=eligibility.pk)).data)


class TrainingSessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Training sessions (宣传培训) with their audiences; attendance through ``attendance``."""

    serializer_class = TrainingSessionSerializer

    def get_queryset(self) -> QuerySet[TrainingSession]:
        return (
            TrainingSession.objects.for_user(self.request.user)
            .annotate(attendance_count=Count("attendance"))
            .order_by("pk")
        )

    def _session(self, pk: Any, action: str) -> TrainingSession:
        if not may_read_training(self.request.user):
            raise NotFound()
        session: TrainingSession = get_object_for_user(TrainingSession, self.request.user, parse_pk(pk), action)
        return session

    def _read(self, pk: int) -> Any:
        return self.get_serializer(self.get_queryset().get(pk=pk)).data

    @extend_schema(request=TrainingSessionWriteSerializer, responses={201: TrainingSessionSerializer})
    def create(self, request: Request) -> Response:
        """Record a training session (the bureau)."""
        _bureau(request.user)
        refuse_unknown_fields(request.data, list(TrainingSessionForm.base_fields))
        data = clean_with_form(TrainingSessionForm, request.data)
        session = services.create_session(actor=request.user, data=data)
        return Response(self._read(session.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=TrainingSessionWriteSerializer, responses={200: TrainingSessionSerializer})
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change a session (the bureau)."""
        session = self._session(pk, CHANGE)
        refuse_unknown_fields(request.data, list(TrainingSessionForm.base_fields))
        data = clean_with_form(TrainingSessionForm, request.data, instance=session, partial=True)
        services.update_session(actor=request.user, session_id=session.pk, data=data)
        return Response(self._read(session.pk))

    @extend_schema(request=AttendanceWriteSerializer, responses={201: AttendanceSerializer})
    @action(detail=True, methods=["post"])
    def attendance(self, request: Request, pk: str) -> Response:
        """Record one attendee (the bureau); the audience must be one of the session's."""
        session = self._session(pk, CHANGE)
        refuse_unknown_fields(request.data, list(AttendanceForm.base_fields))
        data = clean_with_form(AttendanceForm, request.data, session=session)
        row = services.record_attendance(actor=request.user, session_id=session.pk, data=data)
        return Response(AttendanceSerializer(row).data, status=status.HTTP_201_CREATED)


class TrainingAttendanceViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Who attended which session (the bureau and districts; an enterprise its own people)."""

    serializer_class = AttendanceSerializer

    def get_queryset(self) -> QuerySet[TrainingAttendance]:
        return TrainingAttendance.objects.for_user(self.request.user).order_by("pk")
