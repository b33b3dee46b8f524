"""Where the events come from: one receiver on every workflow transition row (any
``TransitionLog`` subclass, whichever path wrote it), one on issued documents and one on score
runs. Each publishes after the change commits (``transaction.on_commit``); nothing else in the
platform knows about webhooks."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save

from greenbuild.webhooks import catalogue, payloads

VIEW_INTERNAL = "view_internal"
logger = logging.getLogger(__name__)


def _after_commit(publish: Callable[[], None]) -> None:
    """Publish once the change is committed; a failure here never undoes or breaks the change."""

    def run() -> None:
        try:
            publish()
        except Exception:
            logger.exception("webhook event could not be published")

    transaction.on_commit(run)


def on_transition(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if not created or raw:
        return
    source = catalogue.source_for(sender._meta.label_lower)
    if source is None or instance.to_status not in source.statuses:
        return
    transition_id = instance.pk
    _after_commit(lambda: publish_transition(sender, transition_id))


def publish_transition(model: Any, transition_id: int) -> None:
    from greenbuild.webhooks.services import publish

    source = catalogue.source_for(model._meta.label_lower)
    transition = model._default_manager.filter(pk=transition_id).first()
    if source is None or transition is None:
        return
    obj = getattr(transition, source.field)
    publish(
        "{}.{}".format(source.noun, transition.to_status),
        gate_object=obj,
        occurred_at=transition.at,
        build=lambda reader: payloads.transition_data(reader, source.noun, obj, transition),
    )


def on_document(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if not created or raw:
        return
    document_id = instance.pk
    _after_commit(lambda: publish_document(sender, document_id))


def publish_document(model: Any, document_id: int) -> None:
    from greenbuild.webhooks.services import publish

    document = model._default_manager.select_related("project").filter(pk=document_id).first()
    if document is None:
        return
    publish(
        catalogue.DOCUMENT_ISSUED,
        gate_object=document,
        occurred_at=document.issued_at,
        build=lambda reader: payloads.document_data(reader, document),
    )


def on_score_run(sender: Any, instance: Any, created: bool, raw: bool = False, **kwargs: Any) -> None:
    if not created or raw:
        return
    run_id = instance.pk
    _after_commit(lambda: publish_score_run(sender, run_id))


def publish_score_run(model: Any, run_id: int) -> None:
    from greenbuild.webhooks.services import publish

    run = model._default_manager.select_related("project").filter(pk=run_id).first()
    if run is None:
        return
    # A score is read by those who see the project's internals (as the score-runs API).
    publish(
        catalogue.SCORE_RUN_FINISHED,
        gate_object=run.project,
        action=VIEW_INTERNAL,
        occurred_at=run.at,
        build=lambda reader: payloads.score_run_data(reader, run),
    )


def connect() -> None:
    from django.apps import apps

    for source in catalogue.SOURCES:
        model = apps.get_model(source.transition)
        post_save.connect(on_transition, sender=model, dispatch_uid="webhooks_" + source.transition, weak=False)
    post_save.connect(
        on_document, sender=apps.get_model("documents.IssuedDocument"), dispatch_uid="webhooks_document", weak=False
    )
    post_save.connect(
        on_score_run, sender=apps.get_model("scoring.ScoreRun"), dispatch_uid="webhooks_score_run", weak=False
    )
