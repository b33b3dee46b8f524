"""gunicorn's settings for GreenBuild: ``gunicorn -c greenbuild/gunicorn.conf.py greenbuild.wsgi``.

``bench/load.py`` starts gunicorn with this file (issue 19 item 7). Synchronous workers, one per
CPU core (at least two); each worker keeps its database connection between requests
(``DB_CONN_MAX_AGE`` in settings.py). A page spends most of its time in Python (templates, the
ORM), so threads in a worker add little under the GIL, and processes beyond the cores only queue
for the CPU; measure with ``bench/load.py --workers 2,3 [--worker-class gthread --threads 4]``
before changing. Every value can be overridden from the environment (or on gunicorn's command
line, which wins over this file):

========================  ==========================================  =========================
variable                  what                                        default
========================  ==========================================  =========================
``PORT``                  port on 127.0.0.1 (behind the reverse proxy) 8000
``GUNICORN_BIND``         full bind address(es), comma-separated       ``127.0.0.1:$PORT``
``WEB_CONCURRENCY``       worker processes                            cores, at least 2
``GUNICORN_WORKER_CLASS`` ``sync`` or ``gthread``                     ``sync``
``GUNICORN_THREADS``      threads per worker (``gthread``)            1
``GUNICORN_TIMEOUT``      seconds before a silent worker is restarted 60
``GUNICORN_MAX_REQUESTS`` requests before a worker is recycled        2000 (0: never)
``GUNICORN_ACCESS_LOG``   access log file, ``-`` for stdout            none
``FORWARDED_ALLOW_IPS``   proxies whose X-Forwarded-* are trusted      127.0.0.1
========================  ==========================================  =========================
"""

from __future__ import annotations

import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name) or default
    try:
        return int(value)
    except ValueError:  # a clear message, not a traceback from inside gunicorn's config loader
        raise SystemExit("{} must be a whole number, not {!r}".format(name, value)) from None


bind = [
    address.strip()
    for address in (os.environ.get("GUNICORN_BIND") or "127.0.0.1:{}".format(os.environ.get("PORT") or 8000)).split(",")
    if address.strip()
]
workers = _int("WEB_CONCURRENCY", max(2, os.cpu_count() or 1))
worker_class = os.environ.get("GUNICORN_WORKER_CLASS") or "sync"
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = 30
keepalive = 5  # seconds a reverse proxy's idle connection is kept open
# Recycle a worker now and then (a slow leak cannot grow forever); jitter spreads the restarts.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = max_requests // 10
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
# The reverse proxy on the same host sets X-Forwarded-* (docs/security.md, TRUSTED_PROXY_COUNT).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1"
