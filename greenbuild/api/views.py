"""Endpoints of the small apps (reference tables, programmes, organisations, the user, memberships,
notifications and the inbox), and the API root. The large apps keep theirs in ``<app>/api/``."""

from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from django.utils.translation import gettext as _
from django_filters import rest_framework as filters
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from greenbuild.accounts.models import Membership, Organisation, User
from greenbuild.api.base import ApiView, GatedViewSet, LabelField, parse_pk
from greenbuild.api.filters import KnownQueryParameters, check_query_parameters
from greenbuild.api.permissions import SignedIn
from greenbuild.core.fields import PolicySerializerMixin
from greenbuild.notifications import services as notification_services
from greenbuild.notifications.filters import NotificationFilterSet
from greenbuild.notifications.models import Notification
from greenbuild.programmes.models import Phase, Programme, QuotaRule
from greenbuild.reference import models as reference

# --- reference tables (public) -----------------------------------------------------------------

REFERENCE_FIELDS = ["id", "code", "name", "name_zh", "name_en", "sort_order", "active"]


def _reference_viewset(model: type, extra: list[str] | None = None, doc: str = "") -> type:
    fields = REFERENCE_FIELDS + (extra or [])

    class Serializer(serializers.ModelSerializer):
        name = serializers.CharField(read_only=True, help_text="名称（按请求语言） · name in the request's language")

        Meta = type("Meta", (), {"model": model, "fields": fields})

    Serializer.__name__ = "{}Serializer".format(model.__name__)

    class ViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
        __doc__ = doc or "{} (reference table, readable by anyone)".format(model._meta.verbose_name_plural)
        serializer_class = Serializer
        permission_classes = [AllowAny]
        queryset = model.objects.order_by("sort_order", "code", "pk")

    ViewSet.__name__ = "{}ViewSet".format(model.__name__)
    return ViewSet


DistrictViewSet = _reference_viewset(reference.District, ["division_code", "city"], "Districts (辖市区).")
DepartmentViewSet = _reference_viewset(reference.Department, ["duties"], "Departments (部门) and their duties (R17).")
ProjectCategoryViewSet = _reference_viewset(reference.ProjectCategory, ["parent", "is_building"], "Project categories.")
InvestmentNatureViewSet = _reference_viewset(reference.InvestmentNature, doc="Investment natures.")
StructureMaterialViewSet = _reference_viewset(reference.StructureMaterial, doc="Structure materials.")
StructureSystemViewSet = _reference_viewset(reference.StructureSystem, doc="Structure systems.")
BuildingUseViewSet = _reference_viewset(reference.BuildingUse, doc="Building uses.")
OrganisationModeViewSet = _reference_viewset(reference.OrganisationMode, ["integrated"], "Organisation modes (R14).")


# --- programmes (public) -----------------------------------------------------------------------


class PhaseSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="名称（按请求语言） · name in the request's language")

    class Meta:
        model = Phase
        fields = ["id", "programme", "order", "name", "name_zh", "name_en", "starts_on", "ends_on"]


class QuotaRuleSerializer(serializers.ModelSerializer):
    category_name = LabelField("category")

    class Meta:
        model = QuotaRule
        fields = ["id", "programme", "category", "category_name", "min_per_district", "deadline"]


class ProgrammeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True, help_text="名称（按请求语言） · name in the request's language")
    phases = PhaseSerializer(many=True, read_only=True, help_text="阶段（R2） · phases (R2)")
    quota_rules = QuotaRuleSerializer(many=True, read_only=True, help_text="辖市区配额（R3） · district quotas (R3)")

    class Meta:
        model = Programme
        fields = [
            "id",
            "code",
            "name",
            "name_zh",
            "name_en",
            "city",
            "min_pilots",
            "is_current",
            "districts",
            "phases",
            "quota_rules",
        ]


class ProgrammeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Pilot programmes (试点计划) with their phases (R2), city-wide minimum (R1) and district quotas (R3)."""

    serializer_class = ProgrammeSerializer
    permission_classes = [AllowAny]
    queryset = Programme.objects.prefetch_related("phases", "quota_rules__category", "districts").order_by("pk")


class PhaseViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Programme phases (R2)."""

    serializer_class = PhaseSerializer
    permission_classes = [AllowAny]
    queryset = Phase.objects.order_by("programme", "order")
    filterset_fields = ["programme"]


class QuotaRuleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """District quota rules (R3)."""

    serializer_class = QuotaRuleSerializer
    permission_classes = [AllowAny]
    queryset = QuotaRule.objects.select_related("category").order_by("programme", "pk")
    filterset_fields = ["programme"]


# --- organisations, the user, memberships ------------------------------------------------------


class OrganisationSerializer(PolicySerializerMixin, serializers.ModelSerializer):
    # the credit code to the organisation's members and the bureau only (accounts/fields.py)

    kind_label = serializers.CharField(
        source="get_kind_display", read_only=True, help_text="单位类型名称 · kind, in words"
    )
    district_name = LabelField("district")

    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "kind_label", "credit_code", "district", "district_name", "department"]


class OrganisationFilterSet(filters.FilterSet):
    name = filters.CharFilter(lookup_expr="icontains", max_length=200)

    class Meta:
        model = Organisation
        fields = ["kind", "name"]


class OrganisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Organisations (单位) taking part in the programme: readable by signed-in users."""

    serializer_class = OrganisationSerializer
    permission_classes = [SignedIn]
    filterset_class = OrganisationFilterSet
    queryset = Organisation.objects.select_related("district").order_by("pk")


class MembershipSerializer(serializers.ModelSerializer):
    role_label = serializers.CharField(source="get_role_display", read_only=True, help_text="角色名称 · role, in words")
    organisation_name = LabelField("organisation")
    username = serializers.CharField(source="user.username", read_only=True, help_text="用户名 · username")

    class Meta:
        model = Membership
        fields = [
            "id",
            "user",
            "username",
            "organisation",
            "organisation_name",
            "role",
            "role_label",
            "district",
            "department",
        ]


class UserSerializer(PolicySerializerMixin, serializers.ModelSerializer):
    memberships = MembershipSerializer(
        many=True, read_only=True, source="memberships_cached", help_text="角色与范围 · roles and their scopes"
    )

    class Meta:
        model = User
        fields = ["id", "username", "display_name", "email", "memberships"]


class MeView(ApiView):  # an ETag on the single object (api/conditional.py)
    """The signed-in user (or the token's user) and their roles."""

    permission_classes = [SignedIn]

    @extend_schema(responses={200: UserSerializer})
    def get(self, request: Request) -> Response:
        return Response(UserSerializer(request.user, context={"request": request}).data)


class MembershipViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Who holds which role where: for the security duty only (others get an empty list)."""

    serializer_class = MembershipSerializer
    permission_classes = [SignedIn]
    filterset_fields = ["role", "organisation", "user"]

    def get_queryset(self) -> QuerySet[Membership]:
        from greenbuild.accounts.duties import SECURITY, has_duty

        if not has_duty(self.request.user, SECURITY):
            return Membership.objects.none()
        return Membership.objects.select_related("user", "organisation").order_by("pk")


# --- notifications and the inbox ---------------------------------------------------------------


class NotificationSerializer(serializers.ModelSerializer):
    text = serializers.CharField(
        read_only=True, help_text="通知内容（按请求语言） · the notification, in the request's language"
    )
    verb = serializers.CharField(source="event.verb", read_only=True, help_text="事件类型 · kind of event")
    kind = serializers.SerializerMethodField(
        help_text="事件类别（可用作 kind 筛选条件） · kind of event, as the kind filter takes it"
    )
    project_name = serializers.CharField(
        source="project.name",
        read_only=True,
        allow_null=True,
        default=None,
        help_text="项目名称（按项目分组用） · the project's name, to group by project",
    )
    url = serializers.CharField(read_only=True, allow_null=True, help_text="相关页面 · the page it is about")

    class Meta:
        model = Notification
        fields = ["id", "verb", "kind", "text", "url", "project", "project_name", "created_at", "read_at"]

    def get_kind(self, note: Notification) -> str:
        from greenbuild.notifications.registry import kind_of

        return kind_of(note.event.verb)


class MarkAllReadSerializer(serializers.Serializer):
    kind = serializers.CharField(
        required=False, allow_blank=True, help_text="只标记此类别 · only notifications of this kind"
    )
    project = serializers.IntegerField(
        required=False, allow_null=True, min_value=0, help_text="只标记此项目的 · only those of this project"
    )


class MarkAllReadResultSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="标记为已读的通知数 · how many notifications were marked read")


class NotificationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """The user's own notifications, less those about projects they may no longer see.

    Filters: ``unread``, ``kind`` (e.g. ``reviews``), ``project``; ``ordering=project_name`` groups
    them by project (then newest first)."""

    serializer_class = NotificationSerializer
    permission_classes = [SignedIn]
    filterset_class = NotificationFilterSet

    def get_queryset(self) -> QuerySet[Notification]:
        grouped = self.request.query_params.get("ordering") == "project_name"
        ordering = (
            [F("project__name").asc(nulls_last=True), "project_id", "-created_at", "-pk"]
            if grouped
            else ["-created_at", "-pk"]
        )
        return (
            Notification.objects.visible_to(self.request.user)
            .select_related("event", "event__actor", "project")
            .order_by(*ordering)
        )

    extra_query_parameters = ("ordering",)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "ordering",
                str,
                enum=["project_name"],
                required=False,
                description="project_name：按项目分组（项目名称，再按时间倒序） · group by project (name, then newest first)",
            )
        ],
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        ordering = request.query_params.get("ordering")
        if ordering not in (None, "", "project_name"):
            raise ValidationError({"ordering": [_("Notifications can be ordered by project_name only.")]})
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses={200: NotificationSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request: Request, pk: str) -> Response:
        """Mark one notification read."""
        try:
            note = notification_services.mark_read(actor=request.user, notification_id=parse_pk(pk))
        except Notification.DoesNotExist:
            raise NotFound() from None
        return Response(NotificationSerializer(note).data)

    @extend_schema(
        summary="全部消息标记已读（可按类别、项目筛选） · Mark all notifications read, within the given filters",
        request=MarkAllReadSerializer,
        responses={200: MarkAllReadResultSerializer},
    )
    @action(detail=False, methods=["post"], url_path="actions/mark_all_read", filterset_class=None)
    def mark_all_read(self, request: Request) -> Response:
        """Mark read every unread notification the filters in the body keep (all without any):
        200 with how many changed. Nothing is created."""
        body = MarkAllReadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        filters = {k: v for k, v in body.validated_data.items() if v not in (None, "")}
        try:
            marked = notification_services.mark_all_read(actor=request.user, filters=filters)
        except ValueError as refused:
            errors = refused.args[0] if refused.args else {}
            raise ValidationError({k: [str(m) for m in v] for k, v in dict(errors).items()}) from None
        return Response({"marked": marked})


class InboxItemSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="待办类型 · kind of item, e.g. projects.to_recommend")
    label = serializers.CharField(help_text="要做的事（按请求语言） · what to do, in the request's language")
    title = serializers.CharField(help_text="事项对象 · what it is about")
    url = serializers.CharField(help_text="页面地址 · the page where it is done")
    project_id = serializers.IntegerField(allow_null=True, help_text="项目编号 · project id")
    since = serializers.DateTimeField(allow_null=True, help_text="等待起始时间 · waiting since")
    due = serializers.DateField(allow_null=True, help_text="截止日期 · due date")
    overdue = serializers.BooleanField(help_text="是否逾期 · past its due date")


class InboxView(GenericAPIView):
    """What waits for the user (待办), most urgent first (a list in pages like every other)."""

    permission_classes = [SignedIn]
    serializer_class = InboxItemSerializer
    filter_backends = [KnownQueryParameters]

    @extend_schema(responses={200: InboxItemSerializer(many=True)})
    def get(self, request: Request) -> Response:
        check_query_parameters(request, self)
        items = notification_services.inbox_for(request.user)
        page = self.paginate_queryset(items)
        return self.get_paginated_response(InboxItemSerializer(page, many=True).data)
