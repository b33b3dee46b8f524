"""The lifecycle app's API: baselines (read), baseline change requests (create; approve and refuse as
actions), step types (read), project steps (read; sign-off and reopen as actions) and their items
(read; write). Every object comes through the app's gate: 404 when invisible, 403 when visible but
not allowed; writes go through the same services as the pages."""

from __future__ import annotations

from typing import Any

from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.request import Request
from rest_framework.response import Response

from greenbuild.api.base import GatedViewSet, parse_pk, refuse_unknown_fields
from greenbuild.api.moves import with_moves
from greenbuild.core.permissions import get_object_for_user
from greenbuild.lifecycle import services
from greenbuild.lifecycle.api.serializers import (
    BaselineSerializer,
    ChangeDecisionSerializer,
    ChangeRequestSerializer,
    ChangeRequestWriteSerializer,
    ProjectStepSerializer,
    StepConditionMoveSerializer,
    StepItemSerializer,
    StepItemWriteSerializer,
    StepMoveSerializer,
    StepTransitionSerializer,
    StepTypeSerializer,
)
from greenbuild.lifecycle.models import Baseline, BaselineChangeRequest, StepItem, StepType
from greenbuild.lifecycle.permissions import BASELINE_GATE, ITEM_GATE, REQUEST_GATE, STEP_GATE
from greenbuild.lifecycle.workflow import CHANGE_REQUEST_WORKFLOW, STEP_WORKFLOW, USER_MOVES
from greenbuild.projects.filters import IdFilter
from greenbuild.projects.models import Project
from greenbuild.projects.permissions import get_project_for_user


class ByProjectFilterSet(filters.FilterSet):
    """``?project=`` (an id; one that cannot be an id is a 400 naming it, issue 18)."""

    project = IdFilter(field_name="project", queryset=Project.objects.all())


class BaselineFilterSet(ByProjectFilterSet):
    class Meta:
        model = Baseline
        fields = ["project"]


class ChangeRequestFilterSet(ByProjectFilterSet):
    class Meta:
        model = BaselineChangeRequest
        fields = ["project"]


class BaselineViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Locked baselines (基线), every version (read-only: a change goes through a change request)."""

    serializer_class = BaselineSerializer
    filterset_class = BaselineFilterSet

    def get_queryset(self) -> Any:
        return (
            BASELINE_GATE.for_user(self.request.user)
            .select_related("locked_by", "change_request", "source_plan_version")
            .order_by("project_id", "version")
        )


class BaselineChangeRequestViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Baseline change requests (基线变更申请): asked by the owner or the bureau, decided by the bureau."""

    serializer_class = ChangeRequestSerializer
    filterset_class = ChangeRequestFilterSet

    def get_queryset(self) -> Any:
        return (
            REQUEST_GATE.for_user(self.request.user)
            .select_related("project", "baseline", "baseline__source_plan_version")
            .prefetch_related("documents")
            .order_by("-requested_at", "-pk")
        )

    @extend_schema(request=ChangeRequestWriteSerializer, responses={201: ChangeRequestSerializer})
    def create(self, request: Request) -> Response:
        """Ask to change the baseline in force: reasons and the proposed targets."""
        refuse_unknown_fields(request.data, ["project", "reasons", "targets", "measures", "documents"])
        project = get_project_for_user(request.user, parse_pk(request.data.get("project")), "view_internal")
        change = services.request_baseline_change(
            actor=request.user,
            project_id=project.pk,
            reasons=request.data.get("reasons", ""),
            targets=request.data.get("targets"),
            measures=request.data.get("measures"),
            documents=request.data.get("documents"),
        )
        return Response(ChangeRequestSerializer(change).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ChangeDecisionSerializer,
        responses={200: ChangeRequestSerializer},
        parameters=[OpenApiParameter("move", str, OpenApiParameter.PATH, enum=sorted(CHANGE_REQUEST_WORKFLOW.table))],
    )
    @with_moves(CHANGE_REQUEST_WORKFLOW)
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<move>[a-z_-]{1,40})")
    def move(self, request: Request, pk: str, move: str) -> Response:
        """Approve (a new baseline version is locked; refused while a pilot requirement fails with the
        change), approve_exception (the change breaks a requirement: comment with the reasons
        required, signoff optional) or refuse (comment required): the bureau only."""
        if move not in CHANGE_REQUEST_WORKFLOW.table:
            raise NotFound()
        change = get_object_for_user(REQUEST_GATE, request.user, parse_pk(pk), move)
        serializer = ChangeDecisionSerializer(data=request.data if isinstance(request.data, dict) else {})
        serializer.is_valid(raise_exception=True)
        services.decide_baseline_change(
            actor=request.user,
            request_id=change.pk,
            action=move,
            comment=serializer.validated_data.get("comment", ""),
            signoff=serializer.validated_data.get("signoff", ""),
        )
        return Response(ChangeRequestSerializer(BaselineChangeRequest.objects.get(pk=change.pk)).data)


class StepTypeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Lifecycle step types (环节) with their responsible departments (R17): reference data."""

    serializer_class = StepTypeSerializer

    def get_queryset(self) -> Any:
        return StepType.objects.filter(active=True).select_related("department").order_by("order")


class ProjectStepViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """The steps of confirmed pilots, with their guideline items."""

    serializer_class = ProjectStepSerializer

    def get_queryset(self) -> Any:
        return (
            STEP_GATE.for_user(self.request.user)
            .select_related("type")
            .prefetch_related("items__guideline_item", "documents", "supplements", "condition_rows")
            .order_by("project_id", "type__order")
        )

    @extend_schema(
        request=StepMoveSerializer,
        responses={200: ProjectStepSerializer},
        parameters=[OpenApiParameter("move", str, OpenApiParameter.PATH, enum=sorted(USER_MOVES))],
    )
    @with_moves(STEP_WORKFLOW, USER_MOVES)
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<move>[a-z_-]{1,40})")
    def move(self, request: Request, pk: str, move: str) -> Response:
        """Sign off (approve, approve_with_conditions, return: the step's department only; an
        approval files the signed instrument, ``instrument``: a file uploaded to the project),
        resubmit a returned step with an answer (the owner) or reopen it (the bureau)."""
        if move not in USER_MOVES:
            raise NotFound()
        step = get_object_for_user(STEP_GATE, request.user, parse_pk(pk))
        refuse_unknown_fields(request.data, ["comment", "instrument"])  # a misnamed comment is not dropped
        serializer = StepMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = serializer.validated_data.get("comment", "")
        if move == "reopen":
            services.reopen_step(actor=request.user, step_id=step.pk, comment=comment)
        elif move == "resubmit":
            services.resubmit_step(actor=request.user, step_id=step.pk, answer=comment)
        else:
            services.sign_step(
                actor=request.user,
                step_id=step.pk,
                action=move,
                comment=comment,
                instrument_id=serializer.validated_data.get("instrument"),
            )
        return Response(ProjectStepSerializer(self.get_queryset().get(pk=step.pk)).data)

    @extend_schema(
        request=StepConditionMoveSerializer,
        responses={200: ProjectStepSerializer},
        parameters=[
            OpenApiParameter("condition", int, OpenApiParameter.PATH),
            OpenApiParameter("condition_move", str, OpenApiParameter.PATH, enum=["answer", "confirm", "send_back"]),
        ],
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"conditions/(?P<condition>[0-9]{1,18})/(?P<condition_move>answer|confirm|send_back)",
    )
    def condition(self, request: Request, pk: str, condition: str, condition_move: str) -> Response:
        """A condition of an approval with conditions: the owner answers how it is met; the
        step's department confirms it, or sends it back with a note."""
        step = get_object_for_user(STEP_GATE, request.user, parse_pk(pk))
        row = step.condition_rows.filter(pk=parse_pk(condition)).first()
        if row is None:
            raise NotFound()
        refuse_unknown_fields(request.data, ["text"])
        serializer = StepConditionMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        text = serializer.validated_data.get("text", "")
        if condition_move == "answer":
            services.answer_condition(actor=request.user, condition_id=row.pk, answer=text)
        else:
            services.review_condition(
                actor=request.user, condition_id=row.pk, accept=condition_move == "confirm", note=text
            )
        return Response(ProjectStepSerializer(self.get_queryset().get(pk=step.pk)).data)

    @extend_schema(responses={200: StepTransitionSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def transitions(self, request: Request, pk: str) -> Response:
        """The step's history of moves."""
        step = get_object_for_user(STEP_GATE, request.user, parse_pk(pk))
        return Response(StepTransitionSerializer(step.transitions.order_by("at", "pk"), many=True).data)


class StepItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Guideline items of the steps; the step's department writes them (PATCH)."""

    serializer_class = StepItemSerializer

    def get_queryset(self) -> Any:
        return ITEM_GATE.for_user(self.request.user).select_related("guideline_item").order_by("step_id", "pk")

    @extend_schema(request=StepItemWriteSerializer, responses={200: StepItemSerializer})
    def partial_update(self, request: Request, pk: str) -> Response:
        """Record how the item is written into the step's instrument (status and note)."""
        item = get_object_for_user(ITEM_GATE, request.user, parse_pk(pk), "write")
        refuse_unknown_fields(request.data, ["status", "note"])
        services.write_item(
            actor=request.user, item_id=item.pk, status=request.data.get("status"), note=request.data.get("note", "")
        )
        return Response(StepItemSerializer(StepItem.objects.select_related("guideline_item").get(pk=item.pk)).data)
