import pytest
from django.apps import apps


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Live-server tests run in real transactions and the database is flushed after each one,
    which also removes the reference data the migrations loaded: load it again (idempotent)."""
    from greenbuild.programmes.data_changzhou_2021 import CHANGZHOU_2021, load_programme
    from greenbuild.reference.loader import load_reference_data

    load_reference_data(apps)
    load_programme(apps, CHANGZHOU_2021)
