"""Serializers of the joint conference's API; every field is described in both languages."""

from __future__ import annotations

from rest_framework import serializers

from greenbuild.conference.models import (
    ActionItem,
    ActionItemTransition,
    ConferenceMember,
    Decision,
    Meeting,
    MinutesAddendum,
)


def _label(source: str, text: str, *, same_name: bool = False) -> serializers.CharField:
    kwargs = {} if same_name else {"source": source}
    return serializers.CharField(read_only=True, allow_null=True, help_text=text, **kwargs)


class ConferenceMemberSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    role = serializers.CharField(
        read_only=True, help_text="角色：convenor 召集人 / deputy 副召集人 / member 成员 · role"
    )
    role_label = _label("get_role_display", "角色名称（按请求语言） · the role in the request's language")
    person = serializers.PrimaryKeyRelatedField(read_only=True, help_text="人员 · the person's user id")
    person_name = _label("person", "人员姓名 · the person's name")
    organisation = serializers.PrimaryKeyRelatedField(read_only=True, help_text="单位 · organisation id")
    organisation_name = _label("organisation", "单位名称 · the organisation's name")
    district = serializers.PrimaryKeyRelatedField(read_only=True, help_text="代表的辖市区 · the district represented")
    department = serializers.PrimaryKeyRelatedField(read_only=True, help_text="代表的部门 · the department represented")
    represents = _label(
        "represents", "代表的辖市区或部门名称 · the district or department it represents", same_name=True
    )
    title = serializers.CharField(read_only=True, help_text="职务 · position")

    class Meta:
        model = ConferenceMember
        fields = [
            "id",
            "role",
            "role_label",
            "person",
            "person_name",
            "organisation",
            "organisation_name",
            "district",
            "department",
            "represents",
            "title",
        ]


class MeetingDecisionSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    meeting = serializers.PrimaryKeyRelatedField(read_only=True, help_text="会议 · the meeting")
    number = serializers.IntegerField(read_only=True, help_text="议定事项序号 · number within the meeting")
    text = serializers.CharField(read_only=True, help_text="议定事项 · the decision")

    class Meta:
        model = Decision
        fields = ["id", "meeting", "number", "text"]


class MeetingDecisionWriteSerializer(serializers.Serializer):
    meeting = serializers.IntegerField(help_text="会议编号 · the meeting's id")
    text = serializers.CharField(help_text="议定事项 · the decision")


class MinutesAddendumSerializer(serializers.ModelSerializer):
    number = serializers.IntegerField(read_only=True, help_text="补充纪要序号 · number within the meeting")
    text = serializers.CharField(read_only=True, help_text="补充纪要 · the addendum")
    issued_at = serializers.DateTimeField(read_only=True, help_text="印发时间 · issued at")

    class Meta:
        model = MinutesAddendum
        fields = ["number", "text", "issued_at"]


class MeetingSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    number = serializers.IntegerField(read_only=True, help_text="会议期次 · the meeting's sequence number")
    title = serializers.CharField(read_only=True, help_text="会议名称 · title")
    date = serializers.DateField(read_only=True, help_text="日期 · date")
    place = serializers.CharField(read_only=True, help_text="地点 · place")
    agenda = serializers.CharField(read_only=True, help_text="议程 · agenda")
    minutes = serializers.CharField(read_only=True, help_text="会议纪要 · minutes")
    status = serializers.CharField(
        read_only=True, help_text="状态：planned 计划 / held 已召开 / minutes_published 纪要已印发 · status"
    )
    status_label = _label("get_status_display", "状态名称（按请求语言） · the status in the request's language")
    decisions = MeetingDecisionSerializer(many=True, read_only=True, help_text="议定事项 · decisions")
    attachments = serializers.PrimaryKeyRelatedField(many=True, read_only=True, help_text="附件 · attachment ids")
    notice = serializers.CharField(read_only=True, help_text="会议通知 · the meeting notice")
    notice_issued_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="会议通知印发时间 · when the notice was issued"
    )
    addenda = MinutesAddendumSerializer(
        many=True, read_only=True, help_text="补充纪要（纪要印发后） · addenda to the published minutes"
    )

    class Meta:
        model = Meeting
        fields = [
            "id",
            "number",
            "title",
            "date",
            "place",
            "agenda",
            "minutes",
            "status",
            "status_label",
            "decisions",
            "attachments",
            "notice",
            "notice_issued_at",
            "addenda",
        ]


class MeetingWriteSerializer(serializers.Serializer):
    number = serializers.IntegerField(help_text="会议期次 · the meeting's sequence number")
    title = serializers.CharField(help_text="会议名称 · title")
    date = serializers.DateField(help_text="日期 · date")
    place = serializers.CharField(help_text="地点 · place")
    agenda = serializers.CharField(help_text="议程 · agenda")
    minutes = serializers.CharField(required=False, help_text="会议纪要 · minutes")


class MeetingTextSerializer(serializers.Serializer):
    text = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=5000,
        help_text="通知或补充纪要正文 · the notice's or addendum's text",
    )


class AddendumTextSerializer(serializers.Serializer):
    """An addendum's text is required (the service refuses an empty one)."""

    text = serializers.CharField(max_length=5000, help_text="补充纪要正文 · the addendum's text")


class ActionItemSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    meeting = serializers.PrimaryKeyRelatedField(read_only=True, help_text="会议 · the meeting")
    decision = serializers.PrimaryKeyRelatedField(read_only=True, help_text="所依据的议定事项 · the decision")
    title = serializers.CharField(read_only=True, help_text="督办事项 · the task")
    district = serializers.PrimaryKeyRelatedField(read_only=True, help_text="责任辖市区 · the assigned district")
    department = serializers.PrimaryKeyRelatedField(read_only=True, help_text="责任部门 · the assigned department")
    organisation = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="责任单位 · the assigned organisation"
    )
    person = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="责任人 · the assigned person"
    )
    assignee = _label("assignee", "责任单位或责任人名称 · the assignee's name", same_name=True)
    due = serializers.DateField(read_only=True, help_text="办结时限 · due date")
    evidence_required = serializers.BooleanField(read_only=True, help_text="销号须附佐证 · closure needs evidence")
    status = serializers.CharField(
        read_only=True, help_text="状态：open 办理中 / requested 待确认销号 / closed 已销号 · status"
    )
    status_label = _label("get_status_display", "状态名称（按请求语言） · the status in the request's language")
    overdue = serializers.BooleanField(source="is_overdue", read_only=True, help_text="是否逾期 · overdue")
    closure_note = serializers.CharField(read_only=True, help_text="办结说明 · closure note")
    closed_by = serializers.PrimaryKeyRelatedField(read_only=True, help_text="办结人 · who closed it")
    closed_at = serializers.DateTimeField(read_only=True, help_text="办结时间 · when it was closed")
    confirmed_by = serializers.PrimaryKeyRelatedField(
        read_only=True, allow_null=True, help_text="确认销号人 · who confirmed the closure"
    )
    confirmed_at = serializers.DateTimeField(
        read_only=True, allow_null=True, help_text="确认销号时间 · when the closure was confirmed"
    )

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "meeting",
            "decision",
            "title",
            "district",
            "department",
            "organisation",
            "person",
            "assignee",
            "due",
            "evidence_required",
            "status",
            "status_label",
            "overdue",
            "closure_note",
            "closed_by",
            "closed_at",
            "confirmed_by",
            "confirmed_at",
        ]


class ActionItemWriteSerializer(serializers.Serializer):
    meeting = serializers.IntegerField(help_text="会议编号 · the meeting's id")
    title = serializers.CharField(help_text="督办事项 · the task")
    decision = serializers.IntegerField(required=False, help_text="议定事项编号 · the decision's id")
    district = serializers.IntegerField(required=False, help_text="责任辖市区编号 · the assigned district's id")
    department = serializers.IntegerField(required=False, help_text="责任部门编号 · the assigned department's id")
    organisation = serializers.IntegerField(required=False, help_text="责任单位编号 · the assigned organisation's id")
    person = serializers.IntegerField(required=False, help_text="责任人用户编号 · the assigned person's user id")
    due = serializers.DateField(help_text="办结时限 · due date")
    evidence_required = serializers.BooleanField(required=False, help_text="销号须附佐证 · closure needs evidence")
    past_due_ok = serializers.BooleanField(
        required=False, help_text="确认时限已过仍交办 · assign although the due date is past"
    )


class ConferenceMoveSerializer(serializers.Serializer):
    comment = serializers.CharField(
        required=False, allow_blank=True, max_length=5000, help_text="说明（申请销号、退回、重新打开时必填） · comment"
    )


class ActionItemTransitionSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True, help_text="编号 · id")
    from_status = serializers.CharField(read_only=True, help_text="原状态 · from")
    to_status = serializers.CharField(read_only=True, help_text="新状态 · to")
    actor = serializers.PrimaryKeyRelatedField(read_only=True, help_text="操作人 · actor")
    at = serializers.DateTimeField(read_only=True, help_text="时间 · at")
    comment = serializers.CharField(read_only=True, help_text="说明 · comment")

    class Meta:
        model = ActionItemTransition
        fields = ["id", "from_status", "to_status", "actor", "at", "comment"]
