"""The event catalogue matches the workflows: every move's target is an event and every event
can happen; codes are unique and documented."""

from __future__ import annotations

import importlib
from pathlib import Path

from django.apps import apps

from greenbuild.core.workflow import Workflow
from greenbuild.webhooks import catalogue

DOCS = Path(__file__).resolve().parents[3] / "docs" / "webhooks.md"


def _workflow_targets() -> dict[str, set[str]]:
    targets: dict[str, set[str]] = {}
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module("{}.workflow".format(config.name))
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if isinstance(value, Workflow):
                label = value.transition_class._meta.label_lower
                targets.setdefault(label, set()).update(str(m.target) for m in value.moves)
    return targets


def test_every_workflow_move_is_an_event_and_every_event_can_happen():
    targets = _workflow_targets()
    assert {s.transition for s in catalogue.SOURCES} == set(targets)
    for source in catalogue.SOURCES:
        assert set(source.statuses) == targets[source.transition], source.transition


def test_every_event_code_is_unique_and_documented():
    codes = catalogue.event_codes()
    assert len(codes) == len(set(codes))
    text = DOCS.read_text(encoding="utf-8")
    for code in [*codes, catalogue.PING]:
        assert "`{}`".format(code) in text, code
