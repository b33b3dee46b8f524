"""Serializers of publicity. The open ones (``Open…``) carry only published wording and dates:
no contact detail, no unanswered text, nothing of a draft."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from greenbuild.publicity.models import Objection, PublicMessage, PublicNotice


class OpenObjectionSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", help_text="编号 · id")
    text = serializers.CharField(source="public_text", help_text="异议（公开文本） · the objection as published")
    answer = serializers.CharField(help_text="住建局的答复 · the bureau's answer")
    submitted_at = serializers.DateTimeField(help_text="提出时间 · filed at")
    answered_at = serializers.DateTimeField(help_text="答复时间 · answered at")


class OpenNoticeSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    project = serializers.IntegerField(source="project_id", read_only=True, help_text="项目编号 · project id")
    project_name = serializers.CharField(source="project.name", read_only=True, help_text="项目名称 · project name")
    kind = serializers.CharField(read_only=True, help_text="candidate 试点候选 / completion 验收前结果 · kind")
    kind_label = serializers.CharField(source="get_kind_display", read_only=True, help_text="类别名称 · kind label")
    title = serializers.CharField(read_only=True, help_text="标题 · title")
    body = serializers.CharField(read_only=True, help_text="公示内容 · text")
    working_days = serializers.IntegerField(read_only=True, help_text="公示期（工作日） · period in working days")
    starts_on = serializers.DateField(read_only=True, help_text="公示开始 · runs from")
    ends_on = serializers.DateField(read_only=True, help_text="公示截止 · runs until")
    running = serializers.BooleanField(read_only=True, help_text="公示中 · still running")
    open_objections = serializers.IntegerField(read_only=True, help_text="待答复异议数 · objections awaiting answer")
    objections = serializers.SerializerMethodField(help_text="已答复的异议 · answered objections")

    class Meta:
        model = PublicNotice
        fields = [
            "id",
            "project",
            "project_name",
            "kind",
            "kind_label",
            "title",
            "body",
            "working_days",
            "starts_on",
            "ends_on",
            "running",
            "open_objections",
            "objections",
        ]

    @extend_schema_field(OpenObjectionSerializer(many=True))
    def get_objections(self, notice: PublicNotice) -> list[dict[str, object]]:
        from greenbuild.publicity.selectors import public_objections

        return OpenObjectionSerializer(list(public_objections(notice)), many=True).data  # type: ignore[return-value]


class OpenMessageSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="pk", help_text="编号 · id")
    project = serializers.IntegerField(source="project_id", help_text="项目编号 · project id")
    project_name = serializers.CharField(source="project__name", help_text="项目名称 · project name")
    category = serializers.CharField(help_text="dust 扬尘 / noise 噪声 / night_work 夜间施工 / other 其他 · about")
    text = serializers.CharField(source="public_text", help_text="留言（公开文本） · the message as published")
    answer = serializers.CharField(help_text="答复 · answer")
    received_at = serializers.DateTimeField(help_text="留言时间 · received at")
    answered_at = serializers.DateTimeField(help_text="答复时间 · answered at")


class ObjectionSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    notice = serializers.IntegerField(source="notice_id", read_only=True, help_text="公示编号 · notice id")
    status = serializers.CharField(read_only=True, help_text="open 待答复 / answered 已答复 · status")
    text = serializers.CharField(read_only=True, help_text="异议原文 · the objection as filed")
    public_text = serializers.CharField(read_only=True, help_text="公开文本 · as published")
    answer = serializers.CharField(read_only=True, help_text="答复 · answer")
    submitted_at = serializers.DateTimeField(read_only=True, help_text="提出时间 · filed at")
    answered_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="答复时间 · answered at")

    class Meta:
        model = Objection
        fields = ["id", "notice", "status", "text", "public_text", "answer", "submitted_at", "answered_at"]


class NoticeSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    project = serializers.IntegerField(source="project_id", read_only=True, help_text="项目编号 · project id")
    kind = serializers.CharField(
        read_only=True, help_text="公示类别：candidate 试点候选 / completion 验收前结果 · kind"
    )
    status = serializers.CharField(
        read_only=True, help_text="draft 草稿 / published 已发布 / withdrawn 已撤回 · status"
    )
    title = serializers.CharField(read_only=True, help_text="标题 · title")
    body = serializers.CharField(read_only=True, help_text="公示内容 · text")
    working_days = serializers.IntegerField(read_only=True, help_text="公示期（工作日） · period in working days")
    starts_on = serializers.DateField(read_only=True, allow_null=True, help_text="公示开始 · runs from")
    ends_on = serializers.DateField(read_only=True, allow_null=True, help_text="公示截止 · runs until")
    running = serializers.BooleanField(read_only=True, help_text="公示中 · still running")

    class Meta:
        model = PublicNotice
        fields = ["id", "project", "kind", "status", "title", "body", "working_days", "starts_on", "ends_on", "running"]


class NoticeWriteSerializer(serializers.Serializer):
    project = serializers.IntegerField(help_text="项目编号 · project id")
    kind = serializers.ChoiceField(choices=["candidate", "completion"], help_text="公示类别 · kind")
    title = serializers.CharField(max_length=200, help_text="标题 · title")
    body = serializers.CharField(max_length=5000, help_text="公示内容 · text")
    working_days = serializers.IntegerField(
        required=False, allow_null=True, help_text="公示期（工作日） · working days"
    )


class MessageSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    project = serializers.IntegerField(source="project_id", read_only=True, help_text="项目编号 · project id")
    category = serializers.CharField(
        read_only=True,
        help_text="留言类别：dust 扬尘 / noise 噪声 / night_work 夜间施工 / other 其他 · what it is about",
    )
    status = serializers.CharField(read_only=True, help_text="received 待答复 / answered 已答复 · status")
    text = serializers.CharField(read_only=True, help_text="留言原文 · the message as sent")
    public_text = serializers.CharField(read_only=True, help_text="公开文本 · as published")
    answer = serializers.CharField(read_only=True, help_text="答复 · answer")
    received_at = serializers.DateTimeField(read_only=True, help_text="留言时间 · received at")
    due_on = serializers.DateField(read_only=True, help_text="答复期限 · answer due")
    escalated_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="升级至住建局 · escalated at")
    answered_at = serializers.DateTimeField(read_only=True, allow_null=True, help_text="答复时间 · answered at")
    has_photo = serializers.SerializerMethodField(help_text="附照片 · a photo was sent")

    class Meta:
        model = PublicMessage
        fields = [
            "id",
            "project",
            "category",
            "status",
            "text",
            "public_text",
            "answer",
            "received_at",
            "due_on",
            "escalated_at",
            "answered_at",
            "has_photo",
        ]

    def get_has_photo(self, message: PublicMessage) -> bool:
        return message.photo_id is not None


class PublicAnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=5000, help_text="答复（公开） · the answer, published")
    public_text = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="公开文本（空：原文） · text as published"
    )


class NoticeMoveSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=2000, help_text="说明（撤回时必填） · comment"
    )
