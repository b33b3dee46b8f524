"""``greenbuild docs_models`` writes ``docs/models.md``: every model of GreenBuild with its purpose
and its fields, named in Chinese and English (from the models' own verbose names, so the page
cannot drift from the code; a test regenerates it and compares)."""

from __future__ import annotations

import inspect
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import models
from django.utils import translation

OUTPUT = Path(settings.BASE_DIR) / "docs" / "models.md"


def _both(text: Any) -> tuple[str, str]:
    with translation.override("zh-hans"):
        zh = str(text)
    with translation.override("en"):
        en = str(text)
    return zh, en


def _kind(field: models.Field) -> str:
    if field.is_relation and field.related_model is not None:
        target = field.related_model._meta.label
        kind = "many-to-many" if field.many_to_many else ("one-to-one" if field.one_to_one else "foreign key")
        return "{} → `{}`".format(kind, target)
    return field.get_internal_type()


def render() -> str:
    lines = [
        "# Models · 数据模型",
        "",
        "Every model of GreenBuild, app by app, with its fields named in Chinese and English.",
        "Generated from the code by `greenbuild docs_models` (a test fails when it drifts); edit",
        "the models' verbose names and docstrings, not this page.",
        "",
    ]
    for config in sorted(apps.get_app_configs(), key=lambda c: c.name):
        if not config.name.startswith("greenbuild."):
            continue
        concrete = [
            m for m in config.get_models() if not m._meta.auto_created and not m.__name__.startswith("Historical")
        ]
        if not concrete:
            continue
        zh, en = _both(config.verbose_name)
        lines += ["## {} · {} (`{}`)".format(zh, en, config.label), ""]
        for model in sorted(concrete, key=lambda m: m.__name__):
            mzh, men = _both(model._meta.verbose_name)
            lines += ["### {} · {} (`{}`)".format(mzh, men, model.__name__), ""]
            doc = inspect.getdoc(model)
            if doc and not doc.startswith(model.__name__ + "("):
                lines += [doc.split("\n\n")[0].replace("\n", " "), ""]
            if getattr(model, "history", None) is not None:
                lines += ["Field-level history is kept (who, when, old → new).", ""]
            lines += ["| field | 中文 | English | kind |", "|---|---|---|---|"]
            for field in model._meta.get_fields():
                if field.auto_created and not field.concrete:
                    continue
                if not hasattr(field, "verbose_name"):
                    continue
                fzh, fen = _both(field.verbose_name)
                lines.append("| `{}` | {} | {} | {} |".format(field.name, fzh, fen, _kind(field)))
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


class Command(BaseCommand):
    help = "Write docs/models.md from the models (or --check that it is current)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--check", action="store_true", help="fail if docs/models.md is out of date")

    def handle(self, *args: Any, **options: Any) -> None:
        text = render()
        if options["check"]:
            current = OUTPUT.read_text(encoding="utf-8") if OUTPUT.exists() else ""
            if current != text:
                raise SystemExit("docs/models.md is out of date: run `greenbuild docs_models`")
            self.stdout.write("docs/models.md is current")
            return
        OUTPUT.write_text(text, encoding="utf-8")
        self.stdout.write("wrote {}".format(OUTPUT))
