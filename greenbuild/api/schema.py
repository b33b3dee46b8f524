"""OpenAPI generation: every field described in Chinese and English (issue 12 §6).

Model fields carry translatable verbose names and help texts; the schema is written once, so
each description gives both languages ("项目名称 · project name"). A description written
bilingually by hand (it contains " · ") is kept as it is.
"""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.functional import Promise
from drf_spectacular.openapi import AutoSchema


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


class BilingualAutoSchema(AutoSchema):
    def _map_basic_serializer(self, serializer: Any, direction: str) -> dict[str, Any]:
        """An answer's field that the field policy (``core.fields``) hides from some reader is
        described but not ``required``: the public's and an outsider's answers leave it out."""
        from greenbuild.core.fields import Audience, policy_for

        schema = super()._map_basic_serializer(serializer, direction)
        model = getattr(getattr(serializer, "Meta", None), "model", None)
        if model is not None and direction == "response" and schema.get("required"):
            hidden = policy_for(model).hidden_from(Audience.PUBLIC)
            schema["required"] = [name for name in schema["required"] if name not in hidden]
            if not schema["required"]:
                del schema["required"]
        return schema

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
