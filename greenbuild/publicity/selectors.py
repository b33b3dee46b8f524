"""Reads of publicity. ``public_*`` are what the public pages and the open API show: published
notices, answered objections and messages in their published wording, and never a contact
detail, a draft or an unanswered text."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q

from greenbuild.projects.choices import ProjectStatus
from greenbuild.publicity.choices import MessageStatus, NoticeStatus, ObjectionStatus
from greenbuild.publicity.models import Objection, PublicMessage, PublicNotice

#: the only fields of an objection or a message a public page or the open API reads
PUBLIC_OBJECTION_FIELDS = ("pk", "public_text", "answer", "submitted_at", "answered_at")
PUBLIC_MESSAGE_FIELDS = (
    "pk",
    "project_id",
    "project__name",
    "category",
    "public_text",
    "answer",
    "received_at",
    "answered_at",
)


def public_notices() -> Any:
    return (
        PublicNotice.objects.filter(status=NoticeStatus.PUBLISHED)
        .select_related("project", "project__district")
        .annotate(
            open_objections=Count("objections", filter=Q(objections__status=ObjectionStatus.OPEN)),
            answered_objections=Count("objections", filter=Q(objections__status=ObjectionStatus.ANSWERED)),
        )
        .order_by("-starts_on", "-pk")
    )


def public_notice(pk: Any) -> PublicNotice | None:
    from greenbuild.core.permissions import parse_id

    number = parse_id(pk)
    return public_notices().filter(pk=number).first() if number is not None else None


def public_objections(notice: Any) -> Any:
    return (
        Objection.objects.filter(notice=notice, status=ObjectionStatus.ANSWERED)
        .order_by("submitted_at", "pk")
        .values(*PUBLIC_OBJECTION_FIELDS)
    )


def public_messages(project: Any = None) -> Any:
    queryset = PublicMessage.objects.filter(
        status=MessageStatus.ANSWERED, project__status=ProjectStatus.CONFIRMED
    ).order_by("-answered_at", "-pk")
    if project is not None:
        queryset = queryset.filter(project=project)
    return queryset.values(*PUBLIC_MESSAGE_FIELDS)


def public_pilot(pk: Any) -> Any:
    from greenbuild.publicity.services import message_target

    return message_target(pk)


def public_pilots() -> Any:
    from greenbuild.projects.models import Project

    return (
        Project.objects.filter(status=ProjectStatus.CONFIRMED)
        .select_related("district")
        .annotate(answered=Count("public_messages", filter=Q(public_messages__status=MessageStatus.ANSWERED)))
        .order_by("name", "pk")
    )


def messages_for(user: Any) -> Any:
    return (
        PublicMessage.objects.for_user(user)
        .select_related("project", "project__district")
        .order_by("status", "due_on", "-pk")
    )


def notices_for(user: Any) -> Any:
    return (
        PublicNotice.objects.for_user(user)
        .select_related("project")
        .annotate(open_objections=Count("objections", filter=Q(objections__status=ObjectionStatus.OPEN)))
        .order_by("-created_at", "-pk")
    )
