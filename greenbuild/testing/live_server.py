"""The live server's request gate, for every test that uses ``live_server``.

The live server is one per test session (per xdist worker): whichever test used it last leaves the
gate as it was. The browser tests close it after each test (``tests/browser/conftest.py``); any
other test that uses the live server (the generated client's, ``api/tests``) reopens it first, or
its requests meet the closed gate's 503.
"""

import threading
import time


class RequestGate:
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
                start_response("503 Service Unavailable", [("Content-Type", "text/plain")])
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


def request_gate(live_server):
    """The gate in front of the session's live server (installed once)."""
    httpd = live_server.thread.httpd
    app = httpd.get_app()
    if not isinstance(app, RequestGate):
        app = RequestGate(app)
        httpd.set_app(app)
    return app
