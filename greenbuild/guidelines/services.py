"""Writes to the technical guideline: load an edition from its data file, copy, publish."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.translation import gettext

from greenbuild.accounts.roles import is_bureau_admin
from greenbuild.core.errors import ActionForbidden, DomainError
from greenbuild.core.history import set_history_user
from greenbuild.guidelines.models import Guideline, GuidelineItem

DATA_DIR = Path(__file__).resolve().parent / "data"
FIRST_EDITION = DATA_DIR / "changzhou-2021-v1.json"
ITEM_FIELDS = (
    "part",
    "code",
    "text_zh",
    "text_en",
    "step",
    "evidence_zh",
    "evidence_en",
    "mandatory",
    "requirement",
    "is_technology",
)


def load_edition(
    path: Path = FIRST_EDITION, *, guideline_model: Any = Guideline, item_model: Any = GuidelineItem
) -> Any:
    """Create the edition of a data file unless its code exists (idempotent; the data migration
    passes its historical models)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    guideline, created = guideline_model.objects.get_or_create(
        code=data["code"],
        defaults={
            "title_zh": data["title_zh"],
            "title_en": data["title_en"],
            "effective_date": dt.date.fromisoformat(data["effective_date"]),
            "published": bool(data.get("published", True)),
        },
    )
    if created:
        item_model.objects.bulk_create(
            [
                item_model(guideline=guideline, sort_order=index, **{k: row.get(k, _default(k)) for k in ITEM_FIELDS})
                for index, row in enumerate(data["items"], start=1)
            ]
        )
    return guideline


def _default(name: str) -> Any:
    return False if name in ("mandatory", "is_technology") else ""


@transaction.atomic
def copy_edition(*, actor: Any, guideline_id: int, code: str, effective_date: dt.date | None = None) -> Guideline:
    """A new unpublished edition ``code`` with a copy of every item of ``guideline_id``."""
    if not is_bureau_admin(actor):
        raise ActionForbidden()
    source = Guideline.objects.select_for_update().get(pk=guideline_id)
    code = (code or "").strip()
    if not code:
        raise DomainError(gettext("Give the new edition a code."), field="code")
    if Guideline.objects.filter(code=code).exists():
        raise DomainError(gettext("An edition with this code exists already."), field="code")
    copy = Guideline(
        code=code,
        title_zh=source.title_zh,
        title_en=source.title_en,
        effective_date=effective_date or source.effective_date,
        published=False,
        based_on=source,
    )
    set_history_user(copy, actor)
    copy.save()
    items = []
    for item in source.items.all():
        items.append(
            GuidelineItem(guideline=copy, sort_order=item.sort_order, **{k: getattr(item, k) for k in ITEM_FIELDS})
        )
    GuidelineItem.objects.bulk_create(items)
    return copy


@transaction.atomic
def publish_edition(*, actor: Any, guideline_id: int) -> Guideline:
    """Publish an edition: from now on it is the one in force (if its date is the latest)."""
    if not is_bureau_admin(actor):
        raise ActionForbidden()
    guideline = Guideline.objects.select_for_update().get(pk=guideline_id)
    if guideline.published:
        raise DomainError(gettext("This edition is published already."))
    if not guideline.items.exists():
        raise DomainError(gettext("An edition without items cannot be published."))
    guideline.published = True
    set_history_user(guideline, actor)
    guideline.save(update_fields=["published"])
    return guideline
