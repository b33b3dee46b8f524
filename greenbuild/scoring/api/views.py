"""The scoring app's API: GB/T 50378 scorecards (filing claims, reviewing them), GB/T 51129 per
building, waste/material/energy records, score runs and rule tables — through the scoring gate
(``scoring/permissions.py``) and the scoring services, as on the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from greenbuild.accounts.roles import is_bureau_admin
from greenbuild.api.base import ApiView, GatedViewSet, clean_with_form, parse_pk, refuse_unknown_fields
from greenbuild.api.conditional import Target
from greenbuild.api.filters import API_ORDERED_FILTER_BACKENDS
from greenbuild.projects.filters import IdFilter
from greenbuild.projects.models import Building, Project
from greenbuild.scoring import services
from greenbuild.scoring.api.serializers import (
    AssessWriteSerializer,
    BuildingAssessmentSerializer,
    EnergyRecordSerializer,
    MaterialLineSerializer,
    RequirementTableSerializer,
    ResultOfRecordSerializer,
    ReviewWriteSerializer,
    RuleTableSerializer,
    RuleTableWriteSerializer,
    ScorecardSerializer,
    ScorecardWriteSerializer,
    ScoreRunSerializer,
    WasteRecordSerializer,
    requirement_table_data,
)
from greenbuild.scoring.choices import Stage
from greenbuild.scoring.forms import EnergyRecordForm, MaterialLineForm, WasteRecordForm
from greenbuild.scoring.models import (
    BuildingAssessment,
    EnergyRecord,
    MaterialLine,
    RuleTable,
    Scorecard,
    ScoreRun,
    WasteRecord,
)
from greenbuild.scoring.permissions import get_scored_project_for_user
from greenbuild.scoring.selectors import requirement_table, result_of_record


def stage_or_404(value: str) -> str:
    if value not in Stage.values:
        raise NotFound()
    return value


def _scored_projects(user: Any) -> Any:
    """The projects whose scores ``user`` may see (scoring ``view`` is projects ``view_internal``)."""
    return Project.objects.for_user(user, "view_internal").values("pk")


class ProjectChildFilterSet(filters.FilterSet):
    project = IdFilter(field_name="project", queryset=Project.objects.all())


class ScorecardFilterSet(ProjectChildFilterSet):
    class Meta:
        model = Scorecard
        fields = ["project", "stage"]


class ScorecardViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """GB/T 50378 scorecards (绿色建筑评分表) with their claims, of the projects whose scores the user sees."""

    serializer_class = ScorecardSerializer
    filterset_class = ScorecardFilterSet
    ordering = ["id"]

    def get_queryset(self) -> QuerySet[Scorecard]:
        return (
            Scorecard.objects.filter(project__in=_scored_projects(self.request.user))
            .prefetch_related("claims__evidence")
            .order_by("pk")
        )


def _claims(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        clause: {k: v for k, v in claim.items() if k in ("kind", "points", "passed", "note")}
        for clause, claim in data.items()
    }


class ScorecardWriteView(ApiView):
    """A write on a project's scorecard for a stage: ``If-Match`` names a version of the scorecard
    as ``GET /api/v1/scorecards/{id}/`` answers it (api/conditional.py); a first filing has none."""

    def precondition_target(self, request: Request, kwargs: dict[str, Any]) -> Target | None:
        project = get_scored_project_for_user(request.user, parse_pk(kwargs["pk"]))
        scorecard = Scorecard.objects.filter(project=project, stage=stage_or_404(kwargs["stage"])).first()
        if scorecard is None:  # a first filing (PUT) has no version to match: any If-Match is a 412
            return Target(Scorecard, None, lambda: None) if request.method == "PUT" else None

        def represent() -> Any:
            view = ScorecardViewSet(request=request, args=(), kwargs={"pk": str(scorecard.pk)}, format_kwarg=None)
            view.action = "retrieve"
            return view.retrieve(request, pk=str(scorecard.pk)).data

        return Target(Scorecard, scorecard.pk, represent)


class ScorecardFileView(ScorecardWriteView):  # a malformed body is a 400 (api/base.py)
    """File or revise a project's scorecard for a stage (the owner), then it is scored on the claims."""

    @extend_schema(request=ScorecardWriteSerializer, responses={200: ScoreRunSerializer})
    def put(self, request: Request, pk: str, stage: str) -> Response:
        project = get_scored_project_for_user(request.user, parse_pk(pk), "claim")
        stage = stage_or_404(stage)
        body = ScorecardWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        header = {
            "building_type": data["building_type"],
            "full_decoration": data["full_decoration"],
            "star_requirements": data.get("star_requirements") or {},
        }
        run = services.save_scorecard(
            actor=request.user, project=project, stage=stage, header=header, claims=_claims(data["claims"])
        )
        return Response(ScoreRunSerializer(run).data)


class ScorecardReviewView(ScorecardWriteView):
    """Accept points clause by clause (the bureau or the project's third-party evaluator)."""

    @extend_schema(request=ReviewWriteSerializer, responses={200: ScoreRunSerializer})
    def post(self, request: Request, pk: str, stage: str) -> Response:
        project = get_scored_project_for_user(request.user, parse_pk(pk), "review")
        scorecard = Scorecard.objects.filter(project=project, stage=stage_or_404(stage)).first()
        if scorecard is None:
            raise NotFound()
        body = ReviewWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        run = services.review_scorecard(
            actor=request.user, scorecard=scorecard, decisions=dict(body.validated_data["decisions"])
        )
        return Response(ScoreRunSerializer(run).data)


def _star_result(run: Any, *, provisional: bool) -> dict[str, Any] | None:
    from greenbuild.scoring import messages

    if run is None:
        return None
    return {
        "run": run.pk,
        "stage": run.result.get("stage") or run.scorecard.stage,
        "basis": run.basis,
        "level": run.result.get("level"),
        "level_label": str(messages.label("level", run.result.get("level"))),
        "total_score": run.result.get("total_score"),
        "at": run.at,
        "provisional": provisional,
    }


def _check(check: Any) -> dict[str, Any] | None:
    if check is None:
        return None
    return {"requirement": check.requirement, "status": str(check.status), "reason": str(check.reason)}


class ResultOfRecordView(ApiView):
    """A project's GB/T 50378 result of record (评审认定结果) and R7, with claims not yet reviewed
    beside it as provisional: the same as the standards page, the PDF summary and the open data."""

    @extend_schema(request=None, responses={200: ResultOfRecordSerializer})
    def get(self, request: Request, pk: str) -> Response:
        project = get_scored_project_for_user(request.user, parse_pk(pk))
        record = result_of_record(project)
        data = {
            "project": project.pk,
            "official": _star_result(record.official, provisional=False),
            "r7": _check(record.r7),
            "pending": _star_result(record.pending, provisional=True),
            "pending_r7": _check(record.pending_r7),
        }
        return Response(ResultOfRecordSerializer(data).data)


class RequirementChecksView(ApiView):
    """A project's pilot requirements R7–R14 (标准核查): per requirement the declared, baseline and
    achieved values, the verdict with its reason code and reason — the same functions and the same
    result as the standards page (``scoring.figures.pilot_checks``, ``lifecycle.selectors.side_by_side``),
    with R7 on claims not yet reviewed beside it as provisional. Whoever may see the project's scores
    (the project's internal readers); the baseline column only for readers of its baseline."""

    @extend_schema(request=None, responses={200: RequirementTableSerializer})
    def get(self, request: Request, pk: str) -> Response:
        project = get_scored_project_for_user(request.user, parse_pk(pk))
        table = requirement_table(request.user, project)
        return Response(RequirementTableSerializer(requirement_table_data(table)).data)


class AssessmentFilterSet(filters.FilterSet):
    building = IdFilter(field_name="building", queryset=Building.objects.all())

    class Meta:
        model = BuildingAssessment
        fields = ["building"]


class BuildingAssessmentViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """GB/T 51129 inputs per single building (装配率计算)."""

    serializer_class = BuildingAssessmentSerializer
    filterset_class = AssessmentFilterSet

    def get_queryset(self) -> QuerySet[BuildingAssessment]:
        return (
            BuildingAssessment.objects.filter(building__project__in=_scored_projects(self.request.user))
            .select_related("building")
            .order_by("pk")
        )


class AssessBuildingView(ApiView):
    """Store a building's GB/T 51129 inputs and compute its assembly rate (the owner)."""

    @extend_schema(request=AssessWriteSerializer, responses={201: ScoreRunSerializer})
    def post(self, request: Request, pk: str) -> Response:
        number = parse_pk(pk)
        building = Building.objects.filter(pk=number, project__in=_scored_projects(request.user)).first()
        if building is None:
            raise NotFound()
        get_scored_project_for_user(request.user, building.project_id, "claim")
        body = AssessWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        run = services.assess_building(actor=request.user, building=building, inputs=body.validated_data["inputs"])
        return Response(ScoreRunSerializer(run).data, status=status.HTTP_201_CREATED)  # a new run


class RecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Shared by the waste, material and energy records: read through the gate, write through the
    page's form and the records services (history kept)."""

    model: Any = None
    form_class: Any = None
    kind = ""
    ordering = ["id"]

    def get_queryset(self) -> QuerySet[Any]:
        return self.model.objects.filter(project__in=_scored_projects(self.request.user)).order_by("pk")

    def create(self, request: Request) -> Response:
        refuse_unknown_fields(request.data, ["project", *self.form_class.base_fields])
        project = get_scored_project_for_user(request.user, parse_pk(request.data.get("project")), "claim")
        data = clean_with_form(self.form_class, {k: v for k, v in request.data.items() if k != "project"})
        record = services.add_record(actor=request.user, project=project, kind=self.kind, data=data)
        return Response(self.get_serializer(record).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request: Request, pk: str) -> Response:
        record = self.get_object()
        get_scored_project_for_user(request.user, record.project_id, "claim")
        refuse_unknown_fields(request.data, list(self.form_class.base_fields))
        data = clean_with_form(self.form_class, request.data, instance=record, partial=True)
        record = services.update_record(
            actor=request.user, record=record, data={name: data[name] for name in request.data}
        )
        return Response(self.get_serializer(record).data)

    def destroy(self, request: Request, pk: str) -> Response:
        record = self.get_object()
        get_scored_project_for_user(request.user, record.project_id, "claim")
        services.delete_record(actor=request.user, record=record)
        return Response(status=status.HTTP_204_NO_CONTENT)


def _record_viewset(model: Any, form: Any, serializer: Any, kind: str, doc: str) -> type:
    class FilterSet(ProjectChildFilterSet):
        Meta = type("Meta", (), {"model": model, "fields": ["project"]})

    # each viewset its own handlers: extend_schema marks the function it is given, and the shared
    # RecordViewSet.create would carry the last record kind's body for all three (API-06)
    def create(self: RecordViewSet, request: Request) -> Response:
        return RecordViewSet.create(self, request)

    def update(self: RecordViewSet, request: Request, pk: str) -> Response:
        return RecordViewSet.partial_update(self, request, pk)

    create = extend_schema(request=serializer, responses={201: serializer})(create)
    update = extend_schema(request=serializer, responses={200: serializer})(update)
    return type(
        "{}ViewSet".format(model.__name__),
        (RecordViewSet,),
        {
            "__doc__": doc,
            "model": model,
            "form_class": form,
            "serializer_class": serializer,
            "filterset_class": FilterSet,
            "kind": kind,
            "create": create,
            "partial_update": update,
        },
    )


WasteRecordViewSet = _record_viewset(
    WasteRecord, WasteRecordForm, WasteRecordSerializer, "waste", "Construction-waste records (建筑垃圾台账)."
)
MaterialLineViewSet = _record_viewset(
    MaterialLine, MaterialLineForm, MaterialLineSerializer, "material", "The bill of materials (材料清单)."
)
EnergyRecordViewSet = _record_viewset(
    EnergyRecord, EnergyRecordForm, EnergyRecordSerializer, "energy", "Site energy records (施工能耗)."
)


class ScoreRunFilterSet(ProjectChildFilterSet):
    class Meta:
        model = ScoreRun
        fields = ["project", "engine", "basis"]


class ScoreRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Every stored computation (评分记录): inputs, result, edition, rule-table and engine versions."""

    serializer_class = ScoreRunSerializer
    filterset_class = ScoreRunFilterSet
    filter_backends = API_ORDERED_FILTER_BACKENDS
    ordering_fields = ["id", "at"]
    ordering = ["-at", "-pk"]

    def get_queryset(self) -> QuerySet[ScoreRun]:
        return ScoreRun.objects.filter(project__in=_scored_projects(self.request.user))


class RunEnginesView(ApiView):
    """Recompute the project's waste, green-material and carbon figures from its records."""

    @extend_schema(request=None, responses={201: ScoreRunSerializer(many=True)})
    def post(self, request: Request, pk: str) -> Response:
        project = get_scored_project_for_user(request.user, parse_pk(pk), "claim")
        runs = services.run_project_engines(actor=request.user, project=project)
        return Response(ScoreRunSerializer(runs, many=True).data, status=status.HTTP_201_CREATED)  # new runs


class RuleTableViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Rule tables loaded by administrators (规则表): readable by signed-in users; the bureau loads new ones."""

    serializer_class = RuleTableSerializer
    filterset_fields = ["engine", "edition", "active"]
    queryset = RuleTable.objects.order_by("pk")

    def get_queryset(self) -> QuerySet[RuleTable]:
        if not getattr(self.request.user, "is_authenticated", False):
            return RuleTable.objects.none()
        return RuleTable.objects.order_by("pk")

    @extend_schema(request=RuleTableWriteSerializer, responses={201: RuleTableSerializer})
    def create(self, request: Request) -> Response:
        if not is_bureau_admin(request.user):
            raise PermissionDenied()
        body = RuleTableWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        table = services.load_rule_table(
            actor=request.user, data=body.validated_data["data"], active=body.validated_data["active"]
        )
        return Response(RuleTableSerializer(table).data, status=status.HTTP_201_CREATED)
