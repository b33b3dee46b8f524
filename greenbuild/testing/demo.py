"""The demo programme for tests, seeded once per test process and copied in after that.

``seed_demo`` builds the whole Changzhou demo through the real services (documents rendered,
jobs run, notifications sent) and costs one to two minutes; a dozen tests need that world, on
both databases, and CI paid for it a dozen times. :func:`load_demo` runs the real command the
first time a process needs the demo, then keeps a copy of every model table's rows as the command
left them; every later call replaces the tables' contents with that copy (one ``DELETE`` and one
batched ``INSERT`` a table, inside the test's own transaction, so the test's rollback or flush
removes it as it removes anything else). The database's foreign keys are checked at commit
(Django creates them deferrable on PostgreSQL and SQLite), so the order of the tables does not
matter; PostgreSQL's sequences are moved past the copied ids.

The copy is the whole database, not the rows the command added: a transactional test's closing
flush and ``restore_migration_data`` give the migration data new ids, and the demo's rows point at
the ids they had when the demo was seeded. Files (the demo's PDFs, photos, workbooks) stay where
the first seeding stored them: the media folder outlives tests.

The test that the command can run twice without changing anything (``test_overview_actions``),
and the ones that time or count its steps, call the command itself.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

_SKIPPED_TABLES = {"django_migrations"}


@dataclass
class _Table:
    model: Any
    columns: list[str]
    rows: list[tuple[Any, ...]]


_snapshot: dict[str, list[_Table]] = {}  # by database vendor (a process uses one)
_copied = False  # a copy was put in during the current test (see forget_copied_rows)


def _tables() -> list[Any]:
    from django.apps import apps

    from greenbuild.audit.backup import model_tables

    return [apps.get_model(label) for label, table in model_tables() if table not in _SKIPPED_TABLES]


def _take() -> list[_Table]:
    from django.db import connection

    tables = []
    with connection.cursor() as cursor:
        for model in _tables():
            columns = [field.column for field in model._meta.concrete_fields]
            quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute("SELECT {} FROM {}".format(quoted, table))  # noqa: S608 - our own tables
            tables.append(_Table(model, columns, [tuple(row) for row in cursor.fetchall()]))
    return tables


def _put(tables: list[_Table]) -> None:
    from django.core.management.color import no_style
    from django.db import connection, transaction

    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        for table in tables:
            cursor.execute("DELETE FROM {}".format(connection.ops.quote_name(table.model._meta.db_table)))  # noqa: S608
        for table in tables:
            if not table.rows:
                continue
            quoted = ", ".join(connection.ops.quote_name(column) for column in table.columns)
            marks = ", ".join(["%s"] * len(table.columns))
            sql = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 - our own tables and columns
                connection.ops.quote_name(table.model._meta.db_table), quoted, marks
            )
            # JSON columns come back as their text (Django reads jsonb as text), which goes back as it is
            cursor.executemany(sql, table.rows)
        for statement in connection.ops.sequence_reset_sql(no_style(), [t.model for t in tables]):
            cursor.execute(statement)
    _forget_cached_rows()


def _forget_cached_rows() -> None:
    """The content-type cache holds ids, which the replaced rows may have had otherwise."""
    from django.contrib.contenttypes.models import ContentType

    ContentType.objects.clear_cache()


def load_demo() -> None:
    """The database as ``seed_demo`` leaves it, its notifications sent; see the module's text."""
    from django.core.management import call_command
    from django.db import connection
    from django.test import TestCase

    global _copied
    tables = _snapshot.get(connection.vendor)
    if tables is not None:
        _copied = True
        _put(tables)
        return
    # the demo's on-commit work (notifications, webhooks) is done, as a server would do it, so that
    # every later copy has it whether or not its test captures the callbacks
    with TestCase.captureOnCommitCallbacks(execute=True):
        call_command("seed_demo", stdout=io.StringIO())
    _snapshot[connection.vendor] = _take()


def forget_copied_rows() -> None:
    """After a test that put the copy in: its rollback (or flush) takes the copied rows away, and
    with them the ids that the content-type cache learnt during the test (the copy's content types
    may have other ids than the database's own after a flush). The root ``conftest.py`` calls this
    after every test; it costs nothing when no copy was made."""
    global _copied
    if _copied:
        _copied = False
        _forget_cached_rows()
