"""The rows that data migrations load (reference tables, the Changzhou 2021 programme, the first
edition of the technical guideline, the lifecycle step types, the first review criteria scheme and
its score bands, the completion evaluation scheme's first version, the 2026 public holidays).

A transactional test (a browser test beside ``live_server``, or ``django_db(transaction=True)``)
ends with a flush that empties every table, these rows included; a later test on the same worker
would then find no district and no guideline. ``restore_migration_data`` puts them back; it is
idempotent, and the root ``conftest.py`` calls it before every database test that finds them gone.
"""

from __future__ import annotations

import importlib


def migration_data_present() -> bool:
    from greenbuild.guidelines.models import Guideline
    from greenbuild.reference.models import District

    return District.objects.exists() and Guideline.objects.exists()


def restore_migration_data() -> None:
    from django.apps import apps

    from greenbuild.guidelines.services import load_edition
    from greenbuild.lifecycle.data import load_step_types
    from greenbuild.programmes.data_changzhou_2021 import CHANGZHOU_2021, load_programme
    from greenbuild.reference.loader import load_reference_data

    load_reference_data(apps)
    load_programme(apps, CHANGZHOU_2021)
    load_edition()
    load_step_types()
    importlib.import_module("greenbuild.reviews.migrations.0002_default_scheme").forwards(apps, None)
    # the default scheme's score bands (≥ 80 pass …): without them every conclusion is allowed, and
    # a test after a transactional one on the same worker saw the wrong band
    importlib.import_module("greenbuild.reviews.migrations.0004_default_score_bands").forwards(apps, None)
    # the completion evaluation scheme's version 1 (an evaluation needs a scheme) and the 2026
    # public holidays that count a notice's working days
    from greenbuild.completion.models import EvaluationScheme
    from greenbuild.completion.scheme_data import create_first_version

    create_first_version(EvaluationScheme)
    importlib.import_module("greenbuild.publicity.migrations.0002_holidays_2026").add(apps, None)
