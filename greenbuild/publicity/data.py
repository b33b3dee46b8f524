"""The publicity rules as data (R26): the notice period, the answer deadline, the public photo
policy and the anti-abuse limits. ``settings.PUBLICITY`` overrides any key, e.g.
``PUBLICITY = {"notice_working_days": 7}``. Public holidays are rows (``publicity.Holiday``),
kept by the bureau in the admin."""

from __future__ import annotations

from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    # 公示期: working days a notice runs (skipping weekends and the holiday table)
    "notice_working_days": 5,
    # working days the district and the owner have to answer a public message
    "answer_working_days": 5,
    # a public photo: JPEG or PNG (checked by content, attachments' photo policy) of at most this size
    "photo_max_bytes": 3 * 1024 * 1024,
    # the signed form token: younger than this is a robot, older is stale
    "min_fill_seconds": 3,
    "token_max_age_seconds": 2 * 60 * 60,
    # submissions (messages and objections together) per address and window
    "submissions_per_window": 5,
    "window_seconds": 60 * 60,
}


def setting(name: str) -> Any:
    return {**DEFAULTS, **getattr(settings, "PUBLICITY", {})}[name]
