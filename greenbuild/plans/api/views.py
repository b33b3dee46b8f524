"""The plans API: plans, their frozen versions, the diff of two versions, and every move of the
plan workflow as an action (``POST /api/v1/plans/{id}/actions/{move}/``).

Everything goes through the plans gate (404 when invisible, 403 when visible but not allowed)
and the same services as the pages; versions are read-only (a frozen version is never edited).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from greenbuild.api.base import GatedViewSet, parse_pk, refuse_unknown_fields
from greenbuild.api.filters import API_FILTER_BACKENDS
from greenbuild.api.moves import with_moves
from greenbuild.core.permissions import parse_id
from greenbuild.plans import services
from greenbuild.plans.api.serializers import (
    DiffSerializer,
    PlanCreateSerializer,
    PlanDraftSerializer,
    PlanMoveSerializer,
    PlanSerializer,
    PlanTransitionSerializer,
    PlanVerifySerializer,
    PlanVersionSerializer,
)
from greenbuild.plans.data import diff
from greenbuild.plans.models import GreenPlan, PlanVersion
from greenbuild.plans.permissions import PLAN_GATE, VERSION_GATE, can
from greenbuild.plans.selectors import diff_labels
from greenbuild.plans.workflow import MOVES, PAGE_MOVES, PLAN_WORKFLOW, ROUND_MOVES


def _error(error: Any) -> ValidationError:
    return ValidationError({error.field or "non_field_errors": [str(error.message)]})


class PlanFilterSet(filters.FilterSet):
    class Meta:
        model = GreenPlan
        fields = ["project", "status"]


class PlanViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Green construction plans (绿色建造策划方案) the user may read."""

    serializer_class = PlanSerializer
    filterset_class = PlanFilterSet
    filter_backends = API_FILTER_BACKENDS

    def get_queryset(self) -> QuerySet[GreenPlan]:
        return (
            PLAN_GATE.for_user(self.request.user)
            .select_related("project", "guideline", "current_version")
            .order_by("pk")
        )

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "list": self.action == "list"}

    def _plan(self, pk: Any, action_name: str = "view") -> GreenPlan:
        plan = self.get_queryset().select_related("project").filter(pk=parse_pk(pk)).first()
        if plan is None:
            raise NotFound()
        if action_name != "view" and not can(self.request.user, action_name, plan):
            raise PermissionDenied()
        return plan

    @extend_schema(request=PlanCreateSerializer, responses={201: PlanSerializer})
    def create(self, request: Request) -> Response:
        """Start the plan of a project (its owner): empty, against the guideline in force."""
        from greenbuild.projects.models import Project

        refuse_unknown_fields(request.data, ["project"])
        body = PlanCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        project = (
            Project.objects.for_user(request.user, "view_internal")
            .filter(pk=parse_id(body.validated_data["project"]))
            .first()
        )
        if project is None:
            raise ValidationError({"project": [str(NotFound.default_detail)]})
        from greenbuild.core.errors import DomainError

        try:
            plan = services.start_plan(actor=request.user, project=project)
        except DomainError as error:
            raise _error(error) from error
        return Response(self.get_serializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlanDraftSerializer, responses={200: PlanSerializer})
    @action(detail=True, methods=["put"])
    def draft(self, request: Request, pk: str) -> Response:
        """Save the working draft (the owner, while draft, sent back or in clarification)."""
        from greenbuild.core.errors import DomainError

        plan = self._plan(pk)
        refuse_unknown_fields(request.data, ["data"])
        body = PlanDraftSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            plan = services.save_plan_draft(actor=request.user, plan_id=plan.pk, data=body.validated_data["data"])
        except DomainError as error:
            raise _error(error) from error
        return Response(self.get_serializer(plan).data)

    @extend_schema(request=PlanMoveSerializer, responses={200: PlanTransitionSerializer})
    @with_moves(PLAN_WORKFLOW, ("submit", "answer_clarification", "submit_revision"))
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<move>(?!verify_revision\b)[a-z_-]{1,40})")
    def move(self, request: Request, pk: str, move: str) -> Response:
        """Make one move of the owner: submit, answer_clarification, submit_revision (the revision a
        pass with revisions asks for). The review's moves (begin_review, request_clarification and
        the conclusions pass, pass_with_revisions, send_back, fail) are made only through the
        review round (``/api/v1/review-rounds/{id}/actions/...``): here they are not found (404)."""
        if move in ROUND_MOVES:
            raise NotFound(
                gettext(
                    "A plan is concluded only through its expert review round: "
                    "POST /api/v1/review-rounds/{id}/actions/conclude/ (the review leader)."
                )
            )
        if move not in MOVES or move not in PAGE_MOVES or move in ("accept_revision", "refuse_revision"):
            raise NotFound()
        plan = self._plan(pk)
        permission = MOVES[move].permission or "{}_greenplan".format(move)
        action_name = str(permission).removeprefix("plans.").removesuffix("_greenplan")
        if not can(request.user, action_name, plan):
            raise PermissionDenied()
        refuse_unknown_fields(request.data, ["comment", "data"] if move == "answer_clarification" else ["comment"])
        body = PlanMoveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        comment = body.validated_data.get("comment", "")
        user = request.user
        if move == "submit":
            transition = services.submit_plan(actor=user, plan_id=plan.pk, comment=comment)
        elif move == "submit_revision":
            transition = services.submit_revision(actor=user, plan_id=plan.pk, comment=comment)
        else:
            transition = services.answer_clarification(
                actor=user, plan_id=plan.pk, answer=comment, data=body.validated_data.get("data")
            )
        return Response(PlanTransitionSerializer(transition).data)

    @extend_schema(request=PlanVerifySerializer, responses={200: PlanTransitionSerializer})
    @with_moves(PLAN_WORKFLOW, ("accept_revision", "refuse_revision"))
    @action(detail=True, methods=["post"], url_path="actions/verify_revision")
    def verify_revision(self, request: Request, pk: str) -> Response:
        """复核: the verifier (the round's leader or the bureau, as the revision request says) accepts
        the revised version (every listed requirement met: ``checks`` all true; the plan passes and
        the baseline is locked from that version) or refuses it with a ``comment`` (back to the owner)."""
        plan = self._plan(pk, "verify_revision")
        refuse_unknown_fields(request.data, ["accept", "checks", "comment"])
        body = PlanVerifySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        transition = services.verify_revision(
            actor=request.user,
            plan_id=plan.pk,
            accept=body.validated_data["accept"],
            checks=body.validated_data.get("checks"),
            comment=body.validated_data.get("comment", ""),
        )
        return Response(PlanTransitionSerializer(transition).data)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "a", int, description="前一版本号（默认倒数第二版） · first version (default: the one before last)"
            ),
            OpenApiParameter("b", int, description="后一版本号（默认最新版） · second version (default: the latest)"),
        ],
        responses={200: DiffSerializer},
    )
    @action(detail=True, methods=["get"])
    def diff(self, request: Request, pk: str) -> Response:
        """The field-by-field changes between two frozen versions (for reviewers)."""
        plan = self._plan(pk)
        numbers = list(plan.versions.order_by("number").values_list("number", flat=True))
        if len(numbers) < 2:
            raise NotFound()
        a = parse_id(request.query_params.get("a")) if "a" in request.query_params else numbers[-2]
        b = parse_id(request.query_params.get("b")) if "b" in request.query_params else numbers[-1]
        versions = {v.number: v for v in plan.versions.filter(number__in=[n for n in (a, b) if n])}
        if a not in versions or b not in versions:
            raise NotFound()
        changes = [
            {"key": c.key, "label": c.label, "kind": c.kind, "before": c.before, "after": c.after}
            for c in diff(versions[a], versions[b], diff_labels(plan))
        ]
        return Response(DiffSerializer({"a": a, "b": b, "changes": changes}).data)

    @extend_schema(responses={200: PlanTransitionSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def transitions(self, request: Request, pk: str) -> Response:
        """The plan's timeline."""
        plan = self._plan(pk)
        return Response(PlanTransitionSerializer(plan.transitions.select_related("actor"), many=True).data)


class VersionFilterSet(filters.FilterSet):
    class Meta:
        model = PlanVersion
        fields = ["plan", "number"]


class PlanVersionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Frozen versions of the plans the user may read (read-only: a version is never edited)."""

    serializer_class = PlanVersionSerializer
    filterset_class = VersionFilterSet
    filter_backends = API_FILTER_BACKENDS

    def get_queryset(self) -> QuerySet[PlanVersion]:
        return (
            VERSION_GATE.for_user(self.request.user)
            .select_related("submitted_by")
            .prefetch_related("attachments")
            .order_by("plan", "number")
        )
