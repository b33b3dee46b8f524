"""OpenAPI generation: every field described in Chinese and English (issue 12 §6).

Model fields carry translatable verbose names and help texts; the schema is written once, so
each description gives both languages ("项目名称 · project name"). A description written
bilingually by hand (it contains " · ") is kept as it is.
"""

from __future__ import annotations

import re
from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from drf_spectacular.openapi import AutoSchema
from rest_framework.permissions import SAFE_METHODS

from greenbuild.api.base import ID_PATTERN


def bilingual(text: Any) -> str:
    if text is None or text == "":
        return ""
    if not isinstance(text, Promise):
        return str(text)
    with translation.override("zh-hans"):
        zh = str(text)
    with translation.override("en"):
        en = str(text)
    return zh if zh == en else "{} · {}".format(zh, en)


def _names(model: Any) -> tuple[str, str, str, str]:
    """A model's verbose name and plural, in Chinese and in English."""
    meta = model._meta
    with translation.override("zh-hans"):
        zh, zh_plural = str(meta.verbose_name), str(meta.verbose_name_plural)
    with translation.override("en"):
        en, en_plural = str(meta.verbose_name), str(meta.verbose_name_plural)
    return zh, zh_plural, en, en_plural


#: summaries by viewset action: (Chinese, English), with the model's names filled in
_ACTION_SUMMARIES = {
    "list": ("{zh}列表", "List {en_plural}"),
    "retrieve": ("查看{zh}", "Get one {en}"),
    "create": ("新建{zh}", "Create a {en}"),
    "update": ("替换{zh}", "Replace a {en}"),
    "partial_update": ("修改{zh}", "Update a {en}"),
    "destroy": ("删除{zh}", "Delete a {en}"),
    "transitions": ("{zh}的流转记录", "Moves made on a {en}"),
    "move": ("{zh}的流程操作", "Make a move on a {en}"),
    "download": ("下载{zh}文件", "Download a {en}'s file"),
    "diff": ("{zh}版本差异", "Differences between a {en}'s versions"),
    "draft": ("保存{zh}草稿", "Save a {en}'s draft"),
    "read": ("标记{zh}已读", "Mark a {en} read"),
    "respond": ("答复{zh}邀请", "Accept or decline a {en}"),
    "score": ("填报{zh}评分", "Score on a {en}"),
    "conclude": ("{zh}形成结论", "Conclude a {en}"),
    "replace": ("{zh}补抽专家", "Draw a replacement for a {en}"),
    "choose_leader": ("{zh}确定组长", "Choose a {en}'s leader"),
    "request_clarification": ("{zh}要求澄清", "Ask for clarification in a {en}"),
    "verify_revision": ("复核{zh}修改稿", "Verify a {en}'s revision"),
    "addenda": ("发布{zh}补充通知", "Issue an addendum to a {en}"),
    "notice": ("发布{zh}通知", "Issue a {en}'s notice"),
    "reissue": ("重新签发{zh}", "Reissue a {en}"),
    "condition": ("{zh}的条件事项操作", "Make a move on a condition of a {en}"),
    "test": ("向{zh}发送测试推送", "Send a test delivery to a {en}"),
    "rotate_secret": ("更换{zh}密钥", "Rotate a {en}'s secret"),
}

#: summaries of the operations that are not a viewset's action on a model (by operationId)
_OPERATION_SUMMARIES = {
    "users_me_retrieve": "当前用户 · The caller's account and roles",
    "inbox_list": "待办事项 · The caller's to-do list",
    "buildings_assessment_create": "计算单体建筑装配率 · Assess a single building (GB/T 51129)",
    "projects_score_runs_create": "运行项目评分 · Run a project's scoring engines",
    "projects_scorecards_update": "填报项目评分表 · File a project's scorecard for a stage",
    "projects_scorecards_review_create": "审核项目评分表 · Review a project's scorecard clause by clause",
    "projects_star_level_retrieve": "项目星级结果 · A project's result of record (GB/T 50378)",
    "projects_checks_retrieve": "项目标准核查 · A project's R7–R14 verdicts",
    "open_pilots_csv_retrieve": "下载试点项目开放数据（CSV） · Download the open pilot data as CSV",
    "open_pilots_json_list": "下载试点项目开放数据（JSON） · Download the open pilot data as JSON",
    "open_retrieve": "开放数据目录 · The open data sets and their catalogue",
    "open_pilots_dictionary_json_retrieve": "试点项目开放数据字段说明 · The field dictionary of the open pilot data",
    "uploads_create": "开始分片上传 · Start a resumable upload",
    "uploads_retrieve": "查询上传进度 · How much of an upload has arrived",
    "uploads_partial_update": "上传一个分片 · Send the next chunk of an upload",
    "uploads_destroy": "取消上传 · Cancel an upload",
    "bonus_records_award_create": "记录奖励积分 · Award a bonus to an enterprise",
    "bulletins_generate_create": "生成通报 · Generate a bulletin's revision (a job)",
    "completion_evaluations_conclusion_create": "专家组形成评估结论 · Record the panel's conclusion",
    "completion_evaluations_refresh_create": "刷新评估数据 · Refresh an evaluation's values from live data",
    "draws_actions_publish_create": "公开随机抽取结果 · Publish a draw",
    "escrow_eligibilities_assess_create": "评定预售资金监管优惠资格 · Assess an escrow eligibility",
    "evaluations_report_create": "提交第三方评估报告 · File a third-party evaluation report",
    "objections_actions_answer_create": "答复公示异议 · Answer an objection to a notice",
    "public_messages_actions_answer_create": "答复公众留言 · Answer a public message",
    "rectification_orders_evidence_create": "上传整改证明材料 · File evidence of a rectification",
    "summaries_edition_changes_create": "修改下一版导则条目 · Change an item of the next guideline edition",
    "summaries_generate_create": "重新生成总结评估 · Generate a summary's revision (a job)",
    "summaries_next_edition_create": "启动下一版技术导则 · Start the next guideline edition",
    "summaries_recommendations_create": "保存工作建议 · Save a summary's recommendations",
    "training_sessions_attendance_create": "登记培训参加人员 · Record one attendee of a training session",
}


class BilingualAutoSchema(AutoSchema):
    def _map_basic_serializer(self, serializer: Any, direction: str) -> dict[str, Any]:
        """``required`` as answered and as the server requires (API-02, API-06).

        * An answer's field that the field policy (``core.fields``) hides from some reader is
          described but not ``required``: the public's and an outsider's answers leave it out.
        * A request serializer whose ``Meta.form`` is the page's form (the one ``clean_with_form``
          validates with) requires exactly the form's required fields, plus the serializer's own
          required fields the form does not have (``project`` on a create).
        """
        from greenbuild.core.fields import Audience, policy_for

        schema = super()._map_basic_serializer(serializer, direction)
        meta = getattr(serializer, "Meta", None)
        model = getattr(meta, "model", None)
        required = list(schema.get("required", []))
        if direction == "response":
            if model is not None:
                hidden = policy_for(model).hidden_from(Audience.PUBLIC)
                required = [name for name in required if name not in hidden]
        else:
            form = getattr(meta, "form", None)
            if form is not None and self.method != "PATCH":  # a PATCH sends what it changes
                fields = form.base_fields
                properties = schema.get("properties", {})
                required = [
                    name
                    for name in properties
                    if (name in fields and fields[name].required) or (name not in fields and name in required)
                ]
        if required:
            schema["required"] = required
        else:
            schema.pop("required", None)
        if direction == "response" and model is not None:
            _nullable_as_stored(serializer, model, schema)
        return schema

    def _resolve_path_parameters(self, variables: Any) -> list[dict[str, Any]]:
        """Ids in paths are integers (API-15): the routes take 1–19 digits (``api.base.ID_PATTERN``,
        ``<str:pk>`` read by ``parse_pk``); anything else is a 404."""
        parameters = super()._resolve_path_parameters(variables)
        for parameter in parameters:
            schema = parameter.get("schema", {})
            if parameter["name"] in ("id", "pk") or schema.get("pattern") == "^{}$".format(ID_PATTERN):
                parameter["schema"] = {"type": "integer", "minimum": 0}
            if parameter["schema"].get("type") == "integer" and not parameter.get("description"):
                parameter["description"] = "编号 · id"
        return parameters

    def get_summary(self) -> str | None:
        """Every operation has a summary in both languages (API-16); ``extend_schema(summary=…)``
        overrides it."""
        known = _OPERATION_SUMMARIES.get(self.get_operation_id())
        if known:
            return known
        model = self._summary_model()
        action = getattr(self.view, "action", None) or ""
        if model is None or action not in _ACTION_SUMMARIES:
            return None
        zh, zh_plural, en, en_plural = _names(model)
        template_zh, template_en = _ACTION_SUMMARIES[action]
        return "{} · {}".format(template_zh.format(zh=zh), template_en.format(en=en, en_plural=en_plural))

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is not None and " · " not in operation.get("summary", ""):
            # a one-language summary given with extend_schema: the bilingual one known here wins
            known = _OPERATION_SUMMARIES.get(operation["operationId"])
            if known:
                operation["summary"] = known
        return operation

    def _summary_model(self) -> Any:
        queryset = getattr(self.view, "queryset", None)
        if queryset is not None:
            return queryset.model
        serializer_class = getattr(self.view, "serializer_class", None)
        model = getattr(getattr(serializer_class, "Meta", None), "model", None)
        if model is not None:
            return model
        try:
            queryset = self.view.get_queryset()
        except Exception:  # a queryset that needs a request: no model to name
            return None
        return getattr(queryset, "model", None)

    def get_operation_id(self) -> str:
        """No dots (``open/pilots.csv``): code generators make identifiers of them (API-16)."""
        return re.sub(r"[^A-Za-z0-9_]", "_", super().get_operation_id())

    def _get_paginator(self) -> Any:
        """A sub-list of one object (``…/{id}/transitions/``, a seat's scores) is a plain array,
        as it is answered (API-04); collections page."""
        if getattr(self.view, "detail", None) is True:
            return None
        return super()._get_paginator()

    def get_filter_backends(self) -> list[Any]:
        """A sub-list of one object takes no collection filters or ordering (API-04)."""
        if getattr(self.view, "detail", None) is True:
            return []
        return list(super().get_filter_backends())

    def get_auth(self) -> list[dict[str, Any]]:
        """A read that answers anonymous callers declares the token optional (``{}``); a view
        without authentication (open data) declares no security at all (API-12)."""
        if not self.view.get_authenticators():
            return []
        auths = super().get_auth()
        if self.method in SAFE_METHODS and {} not in auths and _answers_anonymous(self.view, self.method):
            auths.append({})
        return auths

    def is_deprecated(self) -> bool:
        from greenbuild.api.deprecation import deprecation_of

        return deprecation_of(self.view, self.method) is not None or super().is_deprecated()

    def get_description(self) -> str:
        from greenbuild.api.deprecation import deprecation_of

        description = super().get_description()
        found = deprecation_of(self.view, self.method)
        if found is not None:
            description = "{}\n\n{}".format(found.describe(), description).strip()
        return description

    def _get_serializer_field_meta(self, field: Any, direction: str) -> dict[str, Any]:
        meta = super()._get_serializer_field_meta(field, direction)
        meta.pop("title", None)
        described = field.help_text if getattr(field, "help_text", None) else getattr(field, "label", None)
        text = bilingual(described)
        if getattr(field, "field_name", None) == "id" and " · " not in text:
            text = "编号 · id"
        if text:
            meta["description"] = text
        return meta


def _nullable_as_stored(serializer: Any, model: Any, schema: dict[str, Any]) -> None:
    """An answer's read-only field takes the values its column may hold, however the serializer
    declared it (API-05): ``nullable`` when the column (or a relation along its source) is
    ``null=True``; a choice column that may be blank (``blank=True``) also answers ``""``."""
    from django.core.exceptions import FieldDoesNotExist

    properties = schema.get("properties", {})
    for name, field in getattr(serializer, "fields", {}).items():
        prop = properties.get(name)
        source = getattr(field, "source", None)
        if prop is None or not getattr(field, "read_only", False) or not source or source == "*":
            continue
        current, nullable, column = model, False, None
        for part in source.split("."):
            try:
                column = current._meta.get_field(part)
            except (FieldDoesNotExist, AttributeError):
                nullable, column = False, None
                break
            nullable = nullable or bool(getattr(column, "null", False))
            current = getattr(column, "related_model", None)
        if nullable:
            prop["nullable"] = True
        enum = prop.get("enum")
        if column is not None and getattr(column, "blank", False) and isinstance(enum, list) and "" not in enum:
            enum.append("")


def _answers_anonymous(view: Any, method: str) -> bool:
    """Whether every permission of ``view`` lets an anonymous ``method`` through."""
    from django.contrib.auth.models import AnonymousUser
    from rest_framework.request import Request
    from rest_framework.test import APIRequestFactory

    request = Request(getattr(APIRequestFactory(), method.lower())("/"))
    request.user = AnonymousUser()
    return all(permission.has_permission(request, view) for permission in view.get_permissions())


def postprocess_typed_nullables(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """After the enum components are made, anywhere in the document (hand-written component
    schemas too): ``nullable`` never stands without ``type`` (OpenAPI 3.0.3, API-16). A nullable
    choice (``oneOf: [XEnum, NullEnum]``) or nested object (``oneOf: [X, NullEnum]``, from drf-spectacular's
    ``allOf: [X]``) gets the type of what
    it refers to; a nullable value of no type (any JSON) already admits null and loses the flag."""
    schemas = result.get("components", {}).get("schemas", {})

    def referred_type(item: dict[str, Any]) -> str | None:
        if "$ref" not in item:
            return item.get("type")
        target = schemas.get(item["$ref"].rsplit("/", 1)[-1], {})
        if "type" in target:
            return str(target["type"])
        return "object" if "properties" in target else None

    def fix(node: Any) -> None:
        if isinstance(node, list):
            for item in node:
                fix(item)
            return
        if not isinstance(node, dict):
            return
        if node.get("nullable") and len(node.get("allOf", [])) == 1:
            # A nullable nested object: allOf with one non-nullable $ref refuses null under 3.0.3
            # (a generated client then cannot parse the null it is sent); as drf-spectacular does
            # for nullable choices, null is the second branch of a oneOf.
            schemas.setdefault("NullEnum", {"enum": [None]})
            node["oneOf"] = [*node.pop("allOf"), {"$ref": "#/components/schemas/NullEnum"}]
        if node.get("nullable") and "type" not in node:
            parts = [item for key in ("oneOf", "anyOf", "allOf") for item in node.get(key, [])]
            types = {referred_type(item) for item in parts if isinstance(item, dict)} - {None}
            if len(types) == 1:
                node["type"] = types.pop()
            elif not parts and "$ref" not in node:
                del node["nullable"]
        for value in node.values():
            fix(value)

    fix(result)
    return result
