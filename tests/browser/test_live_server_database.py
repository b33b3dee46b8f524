"""The live server and the test write to the database at the same time without tripping each other.

With Django's in-memory SQLite test database the live server's request threads shared the test's
own connection, and a test that saved a row while its page's requests were still running failed
with "database table is locked" (CI, stop 27). The test database is now a file (settings), so each
thread has its own connection and waits for the write lock, as in production.
"""

import threading
import urllib.request

import pytest


@pytest.mark.django_db(transaction=True)
def test_the_test_writes_while_the_live_server_answers_requests(live_server, personas):
    from greenbuild.testing.live_server import request_gate

    # No connection is shared with the server's threads: each opens its own.
    assert live_server.thread.connections_override == {}
    gate = request_gate(live_server)
    gate.reopen()
    bureau = personas["bureau"]
    stop = threading.Event()
    failures: list[BaseException] = []

    def browse():
        while not stop.is_set():
            try:
                for path in ("/", "/accounts/login/", "/en/"):
                    with urllib.request.urlopen(live_server.url + path, timeout=30) as answer:  # noqa: S310
                        answer.read()
            except Exception as error:  # noqa: BLE001 - any failure is the result under test
                failures.append(error)
                return

    readers = [threading.Thread(target=browse, daemon=True) for _ in range(3)]
    for reader in readers:
        reader.start()
    try:
        for index in range(60):
            bureau.first_name = "并发{}".format(index)
            bureau.save(update_fields=["first_name"])
    finally:
        stop.set()
        for reader in readers:
            reader.join(timeout=60)
        gate.close_and_drain()
    assert failures == []
