"""The projects app's API: the registry, its buildings and participants, the timeline, and every
workflow move as an action (``POST /api/v1/projects/{id}/actions/{action}/``).

Lists come from ``Project.objects.for_user``; single objects from the same gate (404 when
invisible, 403 when visible but the action is not allowed); writes use the page forms for
validation and the services for the change.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters
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
from greenbuild.api.filters import API_ORDERED_FILTER_BACKENDS, AliasedFilterSetMixin
from greenbuild.api.moves import with_moves
from greenbuild.core.fields import annotate_internal
from greenbuild.programmes.selectors import current_programme
from greenbuild.projects import services
from greenbuild.projects.api.serializers import (
    BuildingSerializer,
    BuildingWriteSerializer,
    MoveSerializer,
    ParticipantSerializer,
    ProjectSerializer,
    ProjectWriteSerializer,
    TransitionSerializer,
)
from greenbuild.projects.choices import ParticipantRole
from greenbuild.projects.filters import IdFilter, IdMultipleFilter, ProjectFilterSet
from greenbuild.projects.forms import BuildingForm, ParticipantForm, ProjectForm
from greenbuild.projects.models import Building, Project, ProjectParticipant, ProjectTransition
from greenbuild.projects.permissions import can_create_project, get_project_for_user
from greenbuild.projects.workflow import APPLICATION_WORKFLOW, MOVES
from greenbuild.reference.models import BuildingUse, District, ProjectCategory, StructureMaterial

PROJECT_RELATED = (
    "programme",
    "owner",
    "district",
    "category",
    "investment_nature",
    "use",
    "structure_material",
    "structure_system",
    "organisation_mode",
)


class ProjectApiFilterSet(AliasedFilterSetMixin, ProjectFilterSet):
    """The project list's filters under the names the answers use (``district``, not the page's
    ``district_id``; issue 18, API-13). The old names still filter, deprecated (docs/api-changelog.md)."""

    district = IdMultipleFilter(field_name="district", queryset=District.objects.all(), label=_("district"))
    category = IdMultipleFilter(
        field_name="category", queryset=ProjectCategory.objects.all(), label=_("category"), method="filter_category"
    )
    structure_material = IdFilter(
        field_name="structure_material", queryset=StructureMaterial.objects.all(), label=_("structure material")
    )
    use = IdFilter(field_name="use", queryset=BuildingUse.objects.all(), label=_("use"))
    district_id = None  # type: ignore[assignment]  # the page's name: removed here
    category_id = None  # type: ignore[assignment]  # the page's name: removed here
    structure_material_id = None  # type: ignore[assignment]  # the page's name: removed here
    use_id = None  # type: ignore[assignment]  # the page's name: removed here

    deprecated_aliases = {
        "district_id": "district",
        "category_id": "category",
        "structure_material_id": "structure_material",
        "use_id": "use",
    }
    aliases_deprecated_since = datetime(2026, 12, 7, tzinfo=UTC)

    class Meta:
        model = Project
        fields = ["q", "programme", "district", "category", "status", "structure_material", "use", "withdrawal"]


def _project_or_404(user: Any, pk: Any, action: str = "view") -> Project:
    return get_project_for_user(user, parse_pk(pk), action)


class ProjectViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Pilot projects (试点项目): the same list, filters and gate as the project list page."""

    serializer_class = ProjectSerializer
    filterset_class = ProjectApiFilterSet
    # ``?ordering=`` on an internal field (projects/fields.py) is a 400 unless the reader sees it on every row
    filter_backends = API_ORDERED_FILTER_BACKENDS
    ordering_fields = ["id", "name", "status", "created_at", "updated_at", "submitted_at"]
    ordering = ["id"]

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "list": self.action == "list"}

    def get_queryset(self) -> QuerySet[Project]:
        user = self.request.user
        # gb_internal: the field policy reads it instead of asking the gate once per row
        return annotate_internal(Project.objects.for_user(user, "view").select_related(*PROJECT_RELATED), user)

    @extend_schema(request=ProjectWriteSerializer, responses={201: ProjectSerializer})
    def create(self, request: Request) -> Response:
        """File a new application (a draft) for the owner's organisation, in the current programme."""
        if not can_create_project(request.user):
            raise PermissionDenied()
        refuse_unknown_fields(request.data, list(ProjectForm.base_fields), read_only=status_read_only_messages())
        data = clean_with_form(ProjectForm, request.data)
        project = services.create_project(actor=request.user, programme=current_programme(), data=data)
        return Response(self._read(project.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=ProjectWriteSerializer, responses={200: ProjectSerializer})
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change the application form (only while it is a draft or returned). ``status`` is read-only."""
        project = _project_or_404(request.user, pk, "change")
        refuse_unknown_fields(request.data, list(ProjectForm.base_fields), read_only=status_read_only_messages())
        data = clean_with_form(ProjectForm, request.data, instance=project, partial=True)
        changed = {name: data[name] for name in request.data}
        services.update_project(actor=request.user, project_id=project.pk, data=changed)
        return Response(self._read(project.pk))

    def _read(self, pk: int) -> dict[str, Any]:
        obj = self.get_queryset().get(pk=pk)
        return self.get_serializer(obj).data

    @extend_schema(
        request=MoveSerializer,
        responses={200: TransitionSerializer},
        parameters=[OpenApiParameter("move", str, OpenApiParameter.PATH, enum=sorted(MOVES))],
    )
    @with_moves(APPLICATION_WORKFLOW)
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<move>[a-z_-]{1,40})")
    def move(self, request: Request, pk: str, move: str) -> Response:
        """Make one workflow move (submit, recommend, return, accept, reject, confirm, withdraw) with a
        comment, through the same service as the page: the transition row and the notifications
        are the same."""
        if move not in MOVES:
            raise NotFound()
        project = _project_or_404(request.user, pk, move)
        serializer = MoveSerializer(data=request.data if isinstance(request.data, dict) else {})
        serializer.is_valid(raise_exception=True)
        transition = services.transition_project(
            actor=request.user, project_id=project.pk, action=move, comment=serializer.validated_data.get("comment", "")
        )
        return Response(TransitionSerializer(transition).data)

    @extend_schema(responses={200: TransitionSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def transitions(self, request: Request, pk: str) -> Response:
        """The project's timeline (insiders only)."""
        project = _project_or_404(request.user, pk, "view_internal")
        rows = project.transitions.select_related("actor").order_by("at", "pk")
        return Response(TransitionSerializer(rows, many=True).data)


class ChildFilterSet(filters.FilterSet):
    project = IdFilter(field_name="project", queryset=Project.objects.all())


class BuildingFilterSet(ChildFilterSet):
    class Meta:
        model = Building
        fields = ["project"]


class BuildingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Single buildings (单体建筑) of the projects the user may see."""

    serializer_class = BuildingSerializer
    filterset_class = BuildingFilterSet
    filter_backends = API_ORDERED_FILTER_BACKENDS
    ordering_fields = ["id", "name"]
    ordering = ["id"]

    def get_queryset(self) -> QuerySet[Building]:
        projects = Project.objects.for_user(self.request.user, "view").values("pk")
        return Building.objects.filter(project__in=projects).select_related("structure_material", "structure_system")

    @extend_schema(request=BuildingWriteSerializer, responses={201: BuildingSerializer})
    def create(self, request: Request) -> Response:
        """Add a single building (单体建筑) to a project the caller may change (its owner, while the
        application is a draft or returned). Business rules: the project's gross floor area
        (``gfa_above_m2`` and ``gfa_below_m2``) is entered first ("floor area before buildings");
        the buildings' floor areas add up to at most the project's; names are unique in the project;
        a building of n storeys is at least n × the minimum storey height tall."""
        refuse_unknown_fields(request.data, ["project", *BuildingForm.base_fields])
        project = _project_or_404(request.user, request.data.get("project"), "change")
        data = clean_with_form(BuildingForm, {k: v for k, v in request.data.items() if k != "project"})
        building = services.save_building(actor=request.user, project_id=project.pk, data=data)
        return Response(BuildingSerializer(building).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=BuildingWriteSerializer, responses={200: BuildingSerializer})
    def partial_update(self, request: Request, pk: str) -> Response:
        building = self.get_object()
        project = _project_or_404(request.user, building.project_id, "change")
        refuse_unknown_fields(request.data, list(BuildingForm.base_fields))
        data = clean_with_form(BuildingForm, request.data, instance=building, partial=True)
        building = services.save_building(actor=request.user, project_id=project.pk, building_id=building.pk, data=data)
        return Response(BuildingSerializer(building).data)

    def destroy(self, request: Request, pk: str) -> Response:
        building = self.get_object()
        project = _project_or_404(request.user, building.project_id, "change")
        services.delete_building(actor=request.user, project_id=project.pk, building_id=building.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class ParticipantFilterSet(ChildFilterSet):
    class Meta:
        model = ProjectParticipant
        fields = ["project", "role"]


class ParticipantViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Participating organisations (参建单位) of the projects whose internal pages the user may see.

    The owner names designers, contractors and the like; a third-party evaluator (``role`` =
    ``evaluator``) is assigned by the bureau only.
    """

    serializer_class = ParticipantSerializer
    filterset_class = ParticipantFilterSet
    ordering = ["id"]

    def get_queryset(self) -> QuerySet[ProjectParticipant]:
        projects = Project.objects.for_user(self.request.user, "view_internal").values("pk")
        return ProjectParticipant.objects.filter(project__in=projects).select_related("organisation").order_by("pk")

    @extend_schema(request=ParticipantSerializer, responses={201: ParticipantSerializer})
    def create(self, request: Request) -> Response:
        refuse_unknown_fields(request.data, ["project", "organisation", "role"])
        role = request.data.get("role")
        if role == ParticipantRole.EVALUATOR:
            project = _project_or_404(request.user, request.data.get("project"), "assign_evaluator")
            from greenbuild.projects.forms import EvaluatorForm

            data = clean_with_form(EvaluatorForm, {"organisation": request.data.get("organisation")})
            participant = services.assign_evaluator(
                actor=request.user, project_id=project.pk, organisation=data["organisation"]
            )
        else:
            project = _project_or_404(request.user, request.data.get("project"), "change")
            data = clean_with_form(ParticipantForm, {k: v for k, v in request.data.items() if k != "project"})
            participant = services.add_participant(actor=request.user, project_id=project.pk, **data)
        return Response(ParticipantSerializer(participant).data, status=status.HTTP_201_CREATED)

    def destroy(self, request: Request, pk: str) -> Response:
        participant = self.get_object()
        if participant.role == ParticipantRole.EVALUATOR:
            project = _project_or_404(request.user, participant.project_id, "assign_evaluator")
            services.remove_evaluator(actor=request.user, project_id=project.pk, participant_id=participant.pk)
        else:
            project = _project_or_404(request.user, participant.project_id, "change")
            services.remove_participant(actor=request.user, project_id=project.pk, participant_id=participant.pk)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TransitionFilterSet(ChildFilterSet):
    class Meta:
        model = ProjectTransition
        fields = ["project", "to_status"]


class TransitionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Every move of the application workflow on projects whose timeline the user may see."""

    serializer_class = TransitionSerializer
    filterset_class = TransitionFilterSet
    filter_backends = API_ORDERED_FILTER_BACKENDS
    ordering_fields = ["id", "at"]
    ordering = ["id"]

    def get_queryset(self) -> QuerySet[ProjectTransition]:
        projects = Project.objects.for_user(self.request.user, "view_internal").values("pk")
        return ProjectTransition.objects.filter(project__in=projects).select_related("actor")
