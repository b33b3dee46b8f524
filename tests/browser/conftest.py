import pytest


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Live-server tests run in real transactions and the database is flushed after each one,
    which also removes the rows the data migrations loaded: put them back (idempotent)."""
    from greenbuild.testing.migration_data import restore_migration_data

    restore_migration_data()
