"""The joint conference's API: members, meetings, decisions, action items and their moves —
through the conference gate and services, as on the pages (non-members: 404; members writing: 403)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from greenbuild.api.base import (
    GatedViewSet,
    clean_with_form,
    parse_pk,
    refuse_unknown_fields,
    status_read_only_messages,
)
from greenbuild.api.moves import with_moves
from greenbuild.conference import services
from greenbuild.conference.api.serializers import (
    ActionItemSerializer,
    ActionItemTransitionSerializer,
    ActionItemWriteSerializer,
    AddendumTextSerializer,
    ConferenceMemberSerializer,
    ConferenceMoveSerializer,
    MeetingDecisionSerializer,
    MeetingDecisionWriteSerializer,
    MeetingSerializer,
    MeetingTextSerializer,
    MeetingWriteSerializer,
)
from greenbuild.conference.forms import ActionItemForm, DecisionForm, MeetingForm
from greenbuild.conference.models import ActionItem, ConferenceMember, Decision, Meeting
from greenbuild.conference.permissions import can, is_conference_member
from greenbuild.conference.workflow import ACTION_ITEM_WORKFLOW, MEETING_WORKFLOW
from greenbuild.core.permissions import CHANGE, get_object_for_user


def _manager(user: Any) -> None:
    if not is_conference_member(user):
        raise NotFound()
    if not can(user, CHANGE, None):
        raise PermissionDenied()


def _meeting(user: Any, pk: Any, action: str = "view") -> Meeting:
    if not is_conference_member(user):
        raise NotFound()
    return get_object_for_user(Meeting, user, parse_pk(pk), action)


def _meeting_of_body(user: Any, data: Any) -> Meeting:
    """The meeting a POST body names (``meeting``), for the bureau: 400 when it names none."""
    _manager(user)
    if not isinstance(data, dict) or data.get("meeting") in (None, ""):
        raise ValidationError({"meeting": [_("Choose the meeting.")]})
    return _meeting(user, data.get("meeting"), CHANGE)


class ConferenceMemberViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Seats of the joint conference (联席会议成员): convenor, deputies, every district and department."""

    serializer_class = ConferenceMemberSerializer

    def get_queryset(self) -> QuerySet[ConferenceMember]:
        return (
            ConferenceMember.objects.for_user(self.request.user)
            .filter(active=True)
            .select_related("person", "organisation", "district", "department")
            .order_by("sort_order", "pk")
        )


class MeetingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Meetings of the joint conference (联席会议) with agenda, minutes and decisions."""

    serializer_class = MeetingSerializer

    def get_queryset(self) -> QuerySet[Meeting]:
        return (
            Meeting.objects.for_user(self.request.user)
            .prefetch_related("decisions", "attachments", "addenda")
            .order_by("pk")
        )

    def _read(self, pk: int) -> dict[str, Any]:
        return self.get_serializer(self.get_queryset().get(pk=pk)).data

    @extend_schema(request=MeetingWriteSerializer, responses={201: MeetingSerializer})
    def create(self, request: Request) -> Response:
        """Plan a meeting (the conference office in the bureau)."""
        _manager(request.user)
        refuse_unknown_fields(request.data, list(MeetingForm.base_fields), read_only=status_read_only_messages())
        data = clean_with_form(MeetingForm, request.data)
        meeting = services.create_meeting(actor=request.user, data=data)
        return Response(self._read(meeting.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=MeetingWriteSerializer, responses={200: MeetingSerializer})
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change the agenda, the minutes and the like until the minutes are published."""
        meeting = _meeting(request.user, pk, CHANGE)
        refuse_unknown_fields(request.data, list(MeetingForm.base_fields), read_only=status_read_only_messages())
        data = clean_with_form(MeetingForm, request.data, instance=meeting, partial=True)
        services.update_meeting(actor=request.user, meeting_id=meeting.pk, data={k: data[k] for k in request.data})
        return Response(self._read(meeting.pk))

    @extend_schema(
        request=ConferenceMoveSerializer,
        responses={200: MeetingSerializer},
        parameters=[OpenApiParameter("move", str, OpenApiParameter.PATH, enum=sorted(MEETING_WORKFLOW.table))],
    )
    @with_moves(MEETING_WORKFLOW)
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<move>[a-z_-]{1,40})")
    def move(self, request: Request, pk: str, move: str) -> Response:
        """Hold the meeting, or publish its minutes."""
        if move not in MEETING_WORKFLOW.table:
            raise NotFound()
        meeting = _meeting(request.user, pk, move)
        services.transition_meeting(actor=request.user, meeting_id=meeting.pk, action=move)
        return Response(self._read(meeting.pk))

    @extend_schema(request=MeetingTextSerializer, responses={200: MeetingSerializer})
    @action(detail=True, methods=["post"], url_path="notice")
    def notice(self, request: Request, pk: str) -> Response:
        """Issue (or re-issue) the meeting notice of a planned meeting to every member; an empty
        text names the date, the place and the agenda."""
        meeting = _meeting(request.user, pk, CHANGE)
        serializer = MeetingTextSerializer(data=request.data if isinstance(request.data, dict) else {})
        serializer.is_valid(raise_exception=True)
        services.issue_notice(actor=request.user, meeting_id=meeting.pk, text=serializer.validated_data.get("text", ""))
        return Response(self._read(meeting.pk))

    @extend_schema(request=AddendumTextSerializer, responses={200: MeetingSerializer})
    @action(detail=True, methods=["post"], url_path="addenda")
    def addenda(self, request: Request, pk: str) -> Response:
        """Issue an addendum to published minutes (补充纪要): a new, numbered document; the
        published minutes themselves never change."""
        meeting = _meeting(request.user, pk, CHANGE)
        serializer = AddendumTextSerializer(data=request.data if isinstance(request.data, dict) else {})
        serializer.is_valid(raise_exception=True)
        services.issue_addendum(
            actor=request.user, meeting_id=meeting.pk, text=serializer.validated_data.get("text", "")
        )
        return Response(self._read(meeting.pk))


class DecisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Decisions (议定事项) of the conference's meetings."""

    serializer_class = MeetingDecisionSerializer

    def get_queryset(self) -> QuerySet[Decision]:
        return Decision.objects.for_user(self.request.user).order_by("pk")

    @extend_schema(request=MeetingDecisionWriteSerializer, responses={201: MeetingDecisionSerializer})
    def create(self, request: Request) -> Response:
        """Record a decision of a held meeting (the bureau)."""
        refuse_unknown_fields(request.data, ["meeting", "text"])
        meeting = _meeting_of_body(request.user, request.data)
        data = clean_with_form(DecisionForm, {"text": request.data.get("text")})
        decision = services.add_decision(actor=request.user, meeting_id=meeting.pk, text=data["text"])
        return Response(MeetingDecisionSerializer(decision).data, status=status.HTTP_201_CREATED)


class ActionItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Action items (督办事项) assigned to a district or a department, tracked to closure."""

    serializer_class = ActionItemSerializer

    def get_queryset(self) -> QuerySet[ActionItem]:
        return (
            ActionItem.objects.for_user(self.request.user)
            .select_related("meeting", "district", "department", "organisation", "person")
            .order_by("pk")
        )

    def _read(self, pk: int) -> dict[str, Any]:
        return self.get_serializer(self.get_queryset().get(pk=pk)).data

    @extend_schema(request=ActionItemWriteSerializer, responses={201: ActionItemSerializer})
    def create(self, request: Request) -> Response:
        """Assign an action item of a held meeting to one district, department, organisation or
        person (the bureau); refused once the minutes are published."""
        fields = ["meeting", *ActionItemForm.base_fields]
        refuse_unknown_fields(request.data, fields, read_only=status_read_only_messages())
        meeting = _meeting_of_body(request.user, request.data)
        body = {k: v for k, v in request.data.items() if k != "meeting"}
        data = clean_with_form(ActionItemForm, body, meeting=meeting)
        item = services.add_action_item(actor=request.user, meeting_id=meeting.pk, data=data)
        return Response(self._read(item.pk), status=status.HTTP_201_CREATED)

    @extend_schema(
        request=ConferenceMoveSerializer,
        responses={200: ActionItemSerializer},
        parameters=[OpenApiParameter("move", str, OpenApiParameter.PATH, enum=sorted(ACTION_ITEM_WORKFLOW.table))],
    )
    @with_moves(ACTION_ITEM_WORKFLOW)
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<move>[a-z_-]{1,40})")
    def move(self, request: Request, pk: str, move: str) -> Response:
        """Ask for closure with a note (the assignee: close), confirm it or send it back (the
        office: confirm, send_back), or reopen a closed item (the office)."""
        if move not in ACTION_ITEM_WORKFLOW.table:
            raise NotFound()
        item = self.get_object()
        if not can(request.user, move, item):
            raise PermissionDenied()
        refuse_unknown_fields(request.data, ["comment"])  # a misnamed note is not dropped
        serializer = ConferenceMoveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.transition_action_item(
            actor=request.user, item_id=item.pk, action=move, comment=serializer.validated_data.get("comment", "")
        )
        return Response(self._read(item.pk))

    @extend_schema(responses={200: ActionItemTransitionSerializer(many=True)})
    @action(detail=True, methods=["get"])
    def transitions(self, request: Request, pk: str) -> Response:
        """The item's history: every close and reopen, with its note."""
        item = self.get_object()
        rows = item.transitions.select_related("actor").order_by("at", "pk")
        return Response(ActionItemTransitionSerializer(rows, many=True).data)
