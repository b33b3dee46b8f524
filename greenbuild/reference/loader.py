"""Load ``data/reference.json`` into the lookup tables (used by the data migration)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

DATA_FILE = Path(__file__).parent / "data" / "reference.json"


def load_reference_data(apps: Any) -> None:
    """Create or update every row of the bundled reference data, by code."""
    data = json.loads(DATA_FILE.read_text(encoding="utf-8"))
    for model_name, rows in data.items():
        model = apps.get_model("reference", model_name)
        for row in rows:
            values = dict(row)
            code = values.pop("code")
            if "parent" in values:
                parent = values.pop("parent")
                values["parent"] = model.objects.get(code=parent) if parent else None
            model.objects.update_or_create(code=code, defaults=values)
