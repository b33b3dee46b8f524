"""Publicity's API. Open (no token): published notices with their answered objections, answered
public messages — the public pages' data, nothing more. Signed in: notices, objections and
messages through publicity's gate, the bureau's notice moves and the answers, as on the pages."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied, ValidationError
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from greenbuild.api.base import GatedViewSet, parse_pk, refuse_unknown_fields
from greenbuild.api.moves import with_moves
from greenbuild.core.permissions import CHANGE, get_object_for_user
from greenbuild.publicity import permissions, selectors, services
from greenbuild.publicity.api.serializers import (
    MessageSerializer,
    NoticeMoveSerializer,
    NoticeSerializer,
    NoticeWriteSerializer,
    ObjectionSerializer,
    OpenMessageSerializer,
    OpenNoticeSerializer,
    PublicAnswerSerializer,
)
from greenbuild.publicity.forms import NoticeForm
from greenbuild.publicity.models import Objection, PublicMessage, PublicNotice
from greenbuild.publicity.workflow import MESSAGE_WORKFLOW, NOTICE_WORKFLOW, OBJECTION_WORKFLOW


class OpenNoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Published public notices (公示) with their answered objections (异议) and answers: open
    data, no token. The objectors' details are never part of it."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    serializer_class = OpenNoticeSerializer

    def get_queryset(self) -> QuerySet[PublicNotice]:
        return selectors.public_notices()

    def get_object(self) -> Any:
        notice = selectors.public_notice(self.kwargs.get("pk"))
        if notice is None:
            raise NotFound()
        return notice


class OpenMessageViewSet(mixins.ListModelMixin, GatedViewSet):
    """Answered public messages (公众留言) about confirmed pilots, in their published wording with
    the answer: open data, no token; the senders' details are never part of it."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    serializer_class = OpenMessageSerializer
    #: the list's own filter (``api/filters.py`` refuses any parameter not named here)
    extra_query_parameters = ("project",)

    def get_queryset(self) -> Any:
        from django.utils.translation import gettext

        from greenbuild.core.permissions import parse_id

        queryset = selectors.public_messages()
        project = self.request.query_params.get("project")
        if project not in (None, ""):
            number = parse_id(project)
            if number is None:
                raise ValidationError({"project": [gettext("Enter a whole number.")]})
            queryset = queryset.filter(project_id=number)
        return queryset

    @extend_schema(parameters=[OpenApiParameter("project", int, description="项目编号 · a pilot's id")])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)


class NoticeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Public notices (公示) as the bureau, the district and the owner see them (drafts too)."""

    serializer_class = NoticeSerializer

    def get_queryset(self) -> QuerySet[PublicNotice]:
        return PublicNotice.objects.for_user(self.request.user).select_related("project").order_by("pk")

    @extend_schema(request=NoticeWriteSerializer, responses={201: NoticeSerializer})
    def create(self, request: Request) -> Response:
        """Draft a notice for a candidate (before confirmation) or a confirmed pilot (its completion
        result before acceptance); the bureau only."""
        from greenbuild.projects.models import Project

        fields = ["project", *NoticeForm.base_fields]
        refuse_unknown_fields(request.data, fields)
        data = request.data if isinstance(request.data, dict) else {}
        if data.get("project") in (None, ""):
            raise ValidationError({"project": ["Choose the project."]})
        project = get_object_for_user(Project, request.user, parse_pk(data.get("project")))
        if not permissions.can(request.user, CHANGE, None):
            raise PermissionDenied()
        form = NoticeForm({k: ("" if v is None else str(v)) for k, v in data.items() if k != "project"})
        if not form.is_valid():
            raise ValidationError(form.errors.get_json_data())
        notice = services.create_notice(actor=request.user, project=project, data=form.cleaned_data)
        return Response(self.get_serializer(notice).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=NoticeMoveSerializer,
        responses={200: NoticeSerializer},
        parameters=[OpenApiParameter("move", str, OpenApiParameter.PATH, enum=sorted(NOTICE_WORKFLOW.table))],
    )
    @with_moves(NOTICE_WORKFLOW)
    @action(detail=True, methods=["post"], url_path=r"actions/(?P<move>[a-z_-]{1,40})")
    def move(self, request: Request, pk: str, move: str) -> Response:
        """Publish a notice (its period starts today) or withdraw it."""
        if move not in NOTICE_WORKFLOW.table:
            raise NotFound()
        notice = get_object_for_user(PublicNotice, request.user, parse_pk(pk), move)
        serializer = NoticeMoveSerializer(data=request.data if isinstance(request.data, dict) else {})
        serializer.is_valid(raise_exception=True)
        services.transition_notice(
            actor=request.user, notice_id=notice.pk, action=move, comment=serializer.validated_data.get("comment", "")
        )
        return Response(self.get_serializer(PublicNotice.objects.get(pk=notice.pk)).data)


class ObjectionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Objections (异议) to public notices; the objector's contact details are not in the API."""

    serializer_class = ObjectionSerializer

    def get_queryset(self) -> QuerySet[Objection]:
        return Objection.objects.for_user(self.request.user).order_by("pk")

    @extend_schema(request=PublicAnswerSerializer, responses={200: ObjectionSerializer})
    @with_moves(OBJECTION_WORKFLOW)
    @action(detail=True, methods=["post"], url_path="actions/answer")
    def answer(self, request: Request, pk: str) -> Response:
        """The bureau answers an objection; the answer is published with the notice."""
        objection = get_object_for_user(Objection, request.user, parse_pk(pk), permissions.ANSWER)
        serializer = PublicAnswerSerializer(data=request.data if isinstance(request.data, dict) else {})
        serializer.is_valid(raise_exception=True)
        services.answer_objection(
            actor=request.user,
            objection_id=objection.pk,
            answer=serializer.validated_data["answer"],
            public_text=serializer.validated_data.get("public_text", ""),
        )
        return Response(self.get_serializer(Objection.objects.get(pk=objection.pk)).data)


class MessageViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GatedViewSet):
    """Public messages (公众留言) routed to the district and the owner; contact details are not in
    the API."""

    serializer_class = MessageSerializer

    def get_queryset(self) -> QuerySet[PublicMessage]:
        return PublicMessage.objects.for_user(self.request.user).order_by("pk")

    @extend_schema(request=PublicAnswerSerializer, responses={200: MessageSerializer})
    @with_moves(MESSAGE_WORKFLOW)
    @action(detail=True, methods=["post"], url_path="actions/answer")
    def answer(self, request: Request, pk: str) -> Response:
        """Answer a message; the answer is published on the pilot's public page."""
        message = get_object_for_user(PublicMessage, request.user, parse_pk(pk), permissions.ANSWER)
        serializer = PublicAnswerSerializer(data=request.data if isinstance(request.data, dict) else {})
        serializer.is_valid(raise_exception=True)
        services.answer_message(
            actor=request.user,
            message_id=message.pk,
            answer=serializer.validated_data["answer"],
            public_text=serializer.validated_data.get("public_text", ""),
        )
        return Response(self.get_serializer(PublicMessage.objects.get(pk=message.pk)).data)
