import pytest

from greenbuild.testing.live_server import request_gate


@pytest.fixture(autouse=True)
def _reference_data(transactional_db):
    """Live-server tests run in real transactions and the database is flushed after each one,
    which also removes the rows the data migrations loaded: put them back (idempotent)."""
    from greenbuild.testing.migration_data import restore_migration_data

    restore_migration_data()


@pytest.fixture(autouse=True)
def _quiet_live_server_before_flush(_reference_data, transactional_db, live_server):
    """Set up after the database and before ``page`` (autouse fixtures come first), so it is torn
    down after the page and its browser context are closed and before the flush: no request may
    then be running or start on the live server while the tables are truncated."""
    gate = request_gate(live_server)
    gate.reopen()
    yield
    gate.close_and_drain()
