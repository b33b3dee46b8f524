import threading
import time

import pytest


class _RequestGate:
    """Wraps the live server's WSGI application: counts the requests in flight and, once closed,
    answers every new request with 503 without touching the database.

    A browser test ends while its page may still have requests running on the live server (the
    navbar's to-do badge loads by htmx after the page, a job page polls every second). On
    PostgreSQL the test's closing flush (TRUNCATE of every table) then deadlocked with such a
    request's reads, the flush was aborted and the next test met the previous test's rows
    (issue 16 item 0). The gate lets the teardown close the door and wait until the last request
    has finished (its database connection closed with it) before the flush runs.
    """

    def __init__(self, app):
        self.app = app
        self.open = True
        self.in_flight = 0
        self.lock = threading.Condition()

    def __call__(self, environ, start_response):
        with self.lock:
            if not self.open:
                start_response("503 Service Unavailable", [("Content-Type", "text/plain"), ("Connection", "close")])
                return [b"the test is over"]
            self.in_flight += 1
        try:
            result = self.app(environ, start_response)
            try:
                # The whole body is read here, so the response (and the request_finished signal
                # that closes the thread's database connection) is done before the count drops.
                body = b"".join(result)
            finally:
                close = getattr(result, "close", None)
                if close is not None:
                    close()
            return [body]
        finally:
            with self.lock:
                self.in_flight -= 1
                self.lock.notify_all()

    def reopen(self):
        with self.lock:
            self.open = True

    def close_and_drain(self, timeout=30.0):
        deadline = time.monotonic() + timeout
        with self.lock:
            self.open = False
            while self.in_flight:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RuntimeError(
                        "{} request(s) still running on the live server {:.0f} s after the test ended: the "
                        "database flush would race them".format(self.in_flight, timeout)
                    )
                self.lock.wait(left)


def _gate(live_server):
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    if not isinstance(app, _RequestGate):
        app = _RequestGate(app)
        httpd.set_app(app)
    return app


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
    gate = _gate(live_server)
    gate.reopen()
    yield
    gate.close_and_drain()
