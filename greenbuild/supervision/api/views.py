"""Supervision's API: inspection plans, random draws (read; a draw; publish) and third-party
evaluations (assign, file the report, accept or return) — through the supervision gate and
services, as on the pages. Published draws are readable without signing in."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from greenbuild.api.base import GatedViewSet, parse_pk
from greenbuild.core.errors import ActionForbidden
from greenbuild.core.permissions import get_object_for_user
from greenbuild.supervision import services
from greenbuild.supervision.api.serializers import (
    EvaluationReportWriteSerializer,
    InspectionPlanMoveSerializer,
    InspectionPlanSerializer,
    RandomDrawSerializer,
    RandomDrawWriteSerializer,
    ThirdPartyEvaluationMoveSerializer,
    ThirdPartyEvaluationSerializer,
    ThirdPartyEvaluationWriteSerializer,
)
from greenbuild.supervision.models import Draw, Evaluation, InspectionPlan
from greenbuild.supervision.permissions import is_supervisor
from greenbuild.supervision.workflow import PLAN_WORKFLOW


def _body(serializer_class: Any, data: Any) -> dict[str, Any]:
    serializer = serializer_class(data=data if isinstance(data, dict) else {})
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


def _pick(queryset: Any, pk: Any, field: str) -> Any:
    obj = queryset.filter(pk=pk).first() if pk is not None else None
    if pk is not None and obj is None:
        raise ValidationError({field: [_("Choose a valid option.")]})
    return obj


class InspectionPlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Regular inspection plans (日常检查计划): a project, a lifecycle step, an interval, inspectors."""

    serializer_class = InspectionPlanSerializer

    def get_queryset(self) -> QuerySet[InspectionPlan]:
        return (
            InspectionPlan.objects.for_user(self.request.user)
            .select_related("project", "step_type")
            .prefetch_related("inspectors")
            .order_by("pk")
        )

    @extend_schema(
        request=InspectionPlanMoveSerializer,
        responses={200: InspectionPlanSerializer},
        parameters=[OpenApiParameter("move", str, OpenApiParameter.PATH, enum=sorted(PLAN_WORKFLOW.table))],
    )
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<move>[a-z_-]{1,40})")
    def move(self, request: Request, pk: str, move: str) -> Response:
        """Pause (with a comment), resume or end (with a comment) a plan: the bureau, or an
        official of the project's district."""
        if move not in PLAN_WORKFLOW.table:
            raise NotFound()
        plan = get_object_for_user(InspectionPlan, request.user, parse_pk(pk))
        data = _body(InspectionPlanMoveSerializer, request.data)
        services.move_plan(actor=request.user, plan_id=plan.pk, action=move, comment=data.get("comment", ""))
        return Response(self.get_serializer(self.get_queryset().get(pk=plan.pk)).data)


class DrawViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Random draws (双随机): the published ones for anyone; unpublished ones for the bureau and
    the officials of the draw's district. Each carries its record, the command that reproduces
    it and the recomputation."""

    serializer_class = RandomDrawSerializer

    def get_queryset(self) -> QuerySet[Draw]:
        return Draw.objects.for_user(self.request.user).order_by("-drawn_at", "-pk")

    @extend_schema(request=RandomDrawWriteSerializer, responses={201: RandomDrawSerializer})
    def create(self, request: Request) -> Response:
        """Make a draw now (the bureau for the city or a district; a district official for theirs):
        the seed comes from the secure random source; the record is kept unchanged."""
        from greenbuild.accounts.models import User
        from greenbuild.projects.models import Project
        from greenbuild.reference.models import District

        if not is_supervisor(request.user):
            raise ActionForbidden()
        data = _body(RandomDrawWriteSerializer, request.data)
        district = _pick(District.objects.filter(active=True), data.get("district"), "district")
        projects = list(Project.objects.filter(pk__in=data.get("projects") or []))
        inspectors = list(User.objects.filter(pk__in=data.get("inspectors") or []))
        if len(projects) != len(set(data.get("projects") or [])):
            raise ValidationError({"projects": [_("Choose a valid option.")]})
        if len(inspectors) != len(set(data.get("inspectors") or [])):
            raise ValidationError({"inspectors": [_("Choose a valid option.")]})
        record = services.make_draw(
            actor=request.user,
            title=data["title"],
            kind=data["kind"],
            district=district,
            ratio=data.get("ratio"),
            inspector_ratio=data.get("inspector_ratio"),
            due_on=data["due_on"],
            projects=projects,
            inspectors=inspectors,
        )
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: RandomDrawSerializer})
    @action(detail=True, methods=["post"], url_path="actions/publish")
    def publish(self, request: Request, pk: str) -> Response:
        """Publish the draw: its record becomes public."""
        record = get_object_for_user(Draw, request.user, parse_pk(pk))
        services.publish_draw(actor=request.user, draw_id=record.pk)
        return Response(self.get_serializer(Draw.objects.get(pk=record.pk)).data)


class EvaluationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Third-party evaluations (委托第三方技术咨询评估) with their structured reports."""

    serializer_class = ThirdPartyEvaluationSerializer

    def get_queryset(self) -> QuerySet[Evaluation]:
        return (
            Evaluation.objects.for_user(self.request.user)
            .select_related("project", "step_type", "evaluator")
            .prefetch_related("scores", "recommendations")
            .order_by("pk")
        )

    def _read(self, pk: int) -> dict[str, Any]:
        return self.get_serializer(self.get_queryset().get(pk=pk)).data

    @extend_schema(request=ThirdPartyEvaluationWriteSerializer, responses={201: ThirdPartyEvaluationSerializer})
    def create(self, request: Request) -> Response:
        """Assign an evaluator organisation to a project and step (the bureau)."""
        from greenbuild.accounts.choices import OrganisationKind
        from greenbuild.accounts.models import Organisation
        from greenbuild.accounts.roles import is_bureau_admin
        from greenbuild.lifecycle.models import StepType
        from greenbuild.projects.models import Project

        if not is_bureau_admin(request.user):
            raise ActionForbidden()
        data = _body(ThirdPartyEvaluationWriteSerializer, request.data)
        project = _pick(Project.objects.for_user(request.user), data["project"], "project")
        step = StepType.objects.filter(code=data["step_type"], active=True).first()
        if step is None:
            raise ValidationError({"step_type": [_("Choose a valid option.")]})
        evaluator = _pick(Organisation.objects.filter(kind=OrganisationKind.EVALUATOR), data["evaluator"], "evaluator")
        evaluation = services.assign_evaluation(
            actor=request.user,
            project=project,
            step_type=step,
            evaluator=evaluator,
            scope=data["scope"],
            due_on=data["due_on"],
        )
        return Response(self._read(evaluation.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=EvaluationReportWriteSerializer, responses={200: ThirdPartyEvaluationSerializer})
    @action(detail=True, methods=["post"], url_path="report")
    def report(self, request: Request, pk: str) -> Response:
        """File the report (the evaluator organisation): a summary, scores per aspect and
        recommendations, each marked whether it demands action."""
        evaluation = get_object_for_user(Evaluation, request.user, parse_pk(pk), "file")
        data = _body(EvaluationReportWriteSerializer, request.data)
        services.file_evaluation_report(
            actor=request.user,
            evaluation_id=evaluation.pk,
            summary=data["summary"],
            scores=[dict(row) for row in data["scores"]],
            recommendations=[dict(row) for row in data.get("recommendations") or []],
        )
        return Response(self._read(evaluation.pk))

    @extend_schema(
        request=ThirdPartyEvaluationMoveSerializer,
        responses={200: ThirdPartyEvaluationSerializer},
        parameters=[OpenApiParameter("move", str, OpenApiParameter.PATH, enum=["accept", "return"])],
    )
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<move>[a-z_-]{1,40})")
    def move(self, request: Request, pk: str, move: str) -> Response:
        """Accept the filed report (each recommendation demanding action becomes a finding) or
        return it with a comment (the bureau)."""
        if move not in ("accept", "return"):
            raise NotFound()
        evaluation = get_object_for_user(Evaluation, request.user, parse_pk(pk))
        comment = _body(ThirdPartyEvaluationMoveSerializer, request.data).get("comment", "")
        if move == "accept":
            services.accept_evaluation(actor=request.user, evaluation_id=evaluation.pk, comment=comment)
        else:
            services.return_evaluation(actor=request.user, evaluation_id=evaluation.pk, comment=comment)
        return Response(self._read(evaluation.pk))
