"""Gunicorn settings for `make serve` (and bench/run). Every value can be set from the environment.

- WEB_CONCURRENCY: worker processes (default 2 x CPUs + 1). Sync workers: one request at a time
  each; the app is database-bound and short, so processes beat threads here.
- GUNICORN_THREADS: threads per worker (default 1; more makes each worker a gthread worker).
- GUNICORN_BIND: address to listen on (default 127.0.0.1:8000; `make serve` passes HOST:PORT).
- GUNICORN_TIMEOUT: seconds before a stuck worker is killed and replaced (default 30).
- FORWARDED_ALLOW_IPS: proxies trusted to set X-Forwarded-* (default 127.0.0.1).

Gunicorn's access log is off: the app writes one JSON line per request itself, with the request
id, user id, route and timing (hub.observability), which an access log could not know. Gunicorn's
own messages (start, worker restarts) use the same JSON formatter.
"""

import multiprocessing
import os
from pathlib import Path

import environ

wsgi_app = "hub.wsgi:application"
chdir = str(Path(__file__).resolve().parent.parent)
# Same .env as the app (variables already in the environment win).
environ.Env.read_env(Path(chdir) / ".env", overwrite=False)


def _int(name: str, default: int) -> int:
    return int(os.environ.get(name) or default)


bind = [os.environ.get("GUNICORN_BIND") or "127.0.0.1:8000"]
workers = _int("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1)
threads = _int("GUNICORN_THREADS", 1)
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so that a slow leak cannot grow without bound; rarely, because a
# new worker starts with empty caches (its database connection and prepared statements, cached
# permissions and the dashboard's cached report, which takes seconds to compute again): at
# 2,000 a worker restarted every 10-20 s under full load, and the dashboard's p95 showed it.
max_requests = _int("GUNICORN_MAX_REQUESTS", 20000)
max_requests_jitter = max_requests // 10
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS") or "127.0.0.1"
# Load the app once in the master: a bad setting (no SECRET_KEY) stops the start with one clear
# error instead of every worker failing in a loop.
preload_app = True
# Heartbeat files in memory, not on a possibly slow container disk.
if Path("/dev/shm").is_dir():
    worker_tmp_dir = "/dev/shm"

accesslog = None
errorlog = "-"
loglevel = (os.environ.get("LOG_LEVEL") or "info").lower()
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"json": {"()": "hub.observability.JsonFormatter"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "stream": "ext://sys.stderr",
        }
    },
    "loggers": {
        "gunicorn.error": {"handlers": ["console"], "level": loglevel.upper(), "propagate": False},
        "gunicorn.access": {"handlers": [], "propagate": False},
    },
}


def when_ready(server):
    """The app is loaded (preload_app) and no worker is forked yet: move everything loaded so
    far out of the garbage collector's sight. Full collections then scan only what requests
    create, instead of pausing a request for ~45 ms every hundred requests or so to walk the
    whole of Django (measured on the dashboard), and the frozen pages stay shared between
    the workers."""
    import gc

    gc.freeze()


def on_starting(server):
    """Refuse to serve production traffic from SQLite: `make serve` means PostgreSQL."""
    import django
    from django.conf import settings

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    django.setup()
    engine = settings.DATABASES["default"]["ENGINE"]
    if "postgresql" not in engine and os.environ.get("ALLOW_NON_POSTGRES") != "1":
        raise SystemExit(
            "DATABASE_URL must point at PostgreSQL (postgres://...) to serve; "
            f"the configured engine is {engine}. Set ALLOW_NON_POSTGRES=1 to override."
        )
