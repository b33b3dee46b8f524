"""The completion API: the scheme's versions, evaluations and their moves, costs and lessons —
through the gate and the services, as on the pages (not visible: 404; visible, not allowed: 403)."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from greenbuild.api.base import GatedViewSet, clean_with_form, parse_pk, refuse_unknown_fields
from greenbuild.api.moves import with_moves
from greenbuild.completion import permissions, services
from greenbuild.completion.api.serializers import (
    CompletionConclusionSerializer,
    CompletionCostSerializer,
    CompletionCostWriteSerializer,
    CompletionEvaluationSerializer,
    CompletionLessonSerializer,
    CompletionLessonWriteSerializer,
    CompletionMoveSerializer,
    CompletionSchemeSerializer,
    CompletionSchemeWriteSerializer,
    CompletionStartSerializer,
)
from greenbuild.completion.forms import CostForm, LessonForm, PanelConclusionForm, SchemeForm
from greenbuild.completion.models import CompletionEvaluation, EvaluationScheme, IncrementalCost, Lesson
from greenbuild.completion.workflow import EVALUATION_WORKFLOW
from greenbuild.projects.permissions import get_project_for_user

MOVES = sorted(a for a in EVALUATION_WORKFLOW.table if a != "conclude_panel")


def _project(user: Any, data: Any) -> Any:
    if not isinstance(data, dict) or data.get("project") in (None, ""):
        raise ValidationError({"project": ["Choose the project."]})
    return get_project_for_user(user, parse_pk(data.get("project")), "view_internal")


class SchemeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Versions of the evaluation scheme (评价体系, R20), newest first; a version is never changed."""

    serializer_class = CompletionSchemeSerializer

    def get_queryset(self) -> QuerySet[EvaluationScheme]:
        return permissions.SCHEME_GATE.for_user(self.request.user).order_by("-version")

    @extend_schema(request=CompletionSchemeWriteSerializer, responses={201: CompletionSchemeSerializer})
    def create(self, request: Request) -> Response:
        """The bureau makes a new version (the earlier ones and their evaluations stay as they were)."""
        if not permissions.can_scheme(request.user, "create", None):
            raise PermissionDenied()
        refuse_unknown_fields(request.data, list(SchemeForm.base_fields))
        body = dict(request.data)
        if isinstance(body.get("criteria"), list):
            body["criteria"] = json.dumps(body["criteria"], ensure_ascii=False)
        data = clean_with_form(SchemeForm, body)
        scheme = services.new_scheme_version(actor=request.user, data=data)
        return Response(self.get_serializer(scheme).data, status=status.HTTP_201_CREATED)


class EvaluationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Completion evaluations (绿色建造专项评估验收, R6): achieved values against the baseline and
    R7–R14; ``is_final`` false means provisional."""

    serializer_class = CompletionEvaluationSerializer

    def get_queryset(self) -> QuerySet[CompletionEvaluation]:
        return CompletionEvaluation.objects.for_user(self.request.user).select_related("scheme").order_by("pk")

    def _read(self, pk: int) -> dict[str, Any]:
        return self.get_serializer(CompletionEvaluation.objects.select_related("scheme").get(pk=pk)).data

    def _evaluation(self, request: Request, pk: Any, action_name: str = "view") -> CompletionEvaluation:
        return permissions.get_evaluation_for_user(request.user, parse_pk(pk), action_name)

    @extend_schema(request=CompletionStartSerializer, responses={201: CompletionEvaluationSerializer})
    def create(self, request: Request) -> Response:
        """The bureau starts the evaluation of a confirmed pilot (refused without a completion scorecard)."""
        refuse_unknown_fields(request.data, ["project"])
        project = _project(request.user, request.data)
        if not permissions.is_bureau_admin(request.user):
            raise PermissionDenied()
        evaluation = services.start_evaluation(actor=request.user, project=project)
        return Response(self._read(evaluation.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: CompletionEvaluationSerializer})
    @action(detail=True, methods=["post"], url_path="refresh")
    def refresh(self, request: Request, pk: str) -> Response:
        """Gather the achieved values again (a draft only)."""
        evaluation = self._evaluation(request, pk, "refresh")
        services.refresh_values(actor=request.user, evaluation_id=evaluation.pk)
        return Response(self._read(evaluation.pk))

    @extend_schema(request=CompletionConclusionSerializer, responses={200: CompletionEvaluationSerializer})
    @action(detail=True, methods=["post"], url_path="conclusion")
    def conclusion(self, request: Request, pk: str) -> Response:
        """The panel leader records the panel's conclusion and opinion."""
        evaluation = self._evaluation(request, pk, "conclude_panel")
        refuse_unknown_fields(request.data, list(PanelConclusionForm.base_fields))
        data = clean_with_form(PanelConclusionForm, request.data)
        services.conclude_panel(
            actor=request.user, evaluation_id=evaluation.pk, verdict=data["verdict"], opinion=data["opinion"]
        )
        return Response(self._read(evaluation.pk))

    @extend_schema(
        request=CompletionMoveSerializer,
        responses={200: CompletionEvaluationSerializer},
        parameters=[OpenApiParameter("move", str, OpenApiParameter.PATH, enum=MOVES)],
    )
    @with_moves(EVALUATION_WORKFLOW, MOVES)
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<move>[a-z_-]{1,40})")
    def move(self, request: Request, pk: str, move: str) -> Response:
        """Send to the panel, return to it, accept (issues the report and the letter) or do not accept."""
        if move not in MOVES:
            raise NotFound()
        evaluation = self._evaluation(request, pk, move)
        refuse_unknown_fields(request.data, ["comment"])
        comment = request.data.get("comment") or ""
        if not isinstance(comment, str):
            raise ValidationError({"comment": ["Send text."]})
        services.move(actor=request.user, evaluation_id=evaluation.pk, action=move, comment=comment)
        return Response(self._read(evaluation.pk))


class CostViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.DestroyModelMixin, GatedViewSet):
    """Incremental costs (增量成本) the owner reports per green measure."""

    serializer_class = CompletionCostSerializer

    def get_queryset(self) -> QuerySet[IncrementalCost]:
        return IncrementalCost.objects.for_user(self.request.user, "view_internal").order_by("pk")

    @extend_schema(request=CompletionCostWriteSerializer, responses={201: CompletionCostSerializer})
    def create(self, request: Request) -> Response:
        refuse_unknown_fields(request.data, ["project", *CostForm.base_fields])
        project = _project(request.user, request.data)
        if not permissions.can_report(request.user, project):
            raise PermissionDenied()
        data = clean_with_form(CostForm, {k: v for k, v in request.data.items() if k != "project"})
        cost = services.report_cost(actor=request.user, project_id=project.pk, data=data)
        return Response(self.get_serializer(cost).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, pk: str | None = None) -> Response:
        cost = self.get_object()
        if not permissions.can_report(request.user, cost.project):
            raise PermissionDenied()
        services.remove_cost(actor=request.user, cost_id=cost.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LessonViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Lessons learnt (经验总结) the owner files at completion."""

    serializer_class = CompletionLessonSerializer

    def get_queryset(self) -> QuerySet[Lesson]:
        return Lesson.objects.for_user(self.request.user, "view_internal").order_by("pk")

    @extend_schema(request=CompletionLessonWriteSerializer, responses={201: CompletionLessonSerializer})
    def create(self, request: Request) -> Response:
        refuse_unknown_fields(request.data, ["project", *LessonForm.base_fields])
        project = _project(request.user, request.data)
        if not permissions.can_report(request.user, project):
            raise PermissionDenied()
        data = clean_with_form(LessonForm, {k: v for k, v in request.data.items() if k != "project"})
        lesson = services.file_lesson(actor=request.user, project_id=project.pk, data=data)
        return Response(self.get_serializer(lesson).data, status=status.HTTP_201_CREATED)
