"""Signals the reviews app listens to (connected in ``ReviewsConfig.ready()``)."""

from __future__ import annotations

from typing import Any


def plan_version_saved(sender: Any, instance: Any, created: bool, **kwargs: Any) -> None:
    """The owner's answer to a clarification is frozen as a new version: the review resumes on it."""
    from greenbuild.plans.choices import VersionReason
    from greenbuild.reviews.services import resume_after_answer

    if created and instance.reason == VersionReason.CLARIFICATION and not kwargs.get("raw"):
        resume_after_answer(instance)
