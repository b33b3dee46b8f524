"""The shipped step types (``data/step_types.json``), loaded by migration ``0002_step_types`` and
again by ``0005_step_instruments_conditions_finance`` (the instrument rule, the finance step)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent / "data" / "step_types.json"


def step_type_rows() -> list[dict[str, Any]]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def load_step_types(step_type_model: Any = None, department_model: Any = None) -> int:
    """Create or update the shipped step types (also after a test flush); returns how many."""
    if step_type_model is None:
        from greenbuild.lifecycle.models import StepType as step_type_model
    if department_model is None:
        from greenbuild.reference.models import Department as department_model
    count = 0
    known = {field.name for field in step_type_model._meta.get_fields()}  # an older migration's model
    for row in step_type_rows():
        row = {key: value for key, value in row.items() if key in known}
        department = department_model.objects.filter(code=row.pop("department")).first()
        if department is None:
            continue
        step_type_model.objects.update_or_create(code=row.pop("code"), defaults={**row, "department": department})
        count += 1
    return count
