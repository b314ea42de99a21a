"""Structured logs: a request id on every request and one JSON line per request.

- `RequestLogMiddleware` (first in MIDDLEWARE) takes the caller's `X-Request-ID` when it looks
  like an id (a proxy or load balancer may set one) or makes a new one, returns it in the
  `X-Request-ID` response header, and after the response logs one line on the `hub.request`
  logger: request id, user id, method, route name, path, status and duration in ms.
- `RequestIdFilter` copies the current request id onto every log record, so that any log line
  written while serving a request can be tied to it.
- `JsonFormatter` writes each record as one JSON object per line (settings LOGGING uses it when
  LOG_FORMAT=json, the default with DEBUG off; gunicorn's own log uses it too).

No personal data in logs (Data Protection Act 2018 Part 3): the user is logged by database id,
never username or name; the path is logged without its query string (searches put names and
dates of birth there); extra fields on log records are kept only when they are plain values,
so a `request` object (whose repr includes the query string) is never written out.
"""

import contextvars
import datetime as dt
import json
import logging
import re
import time
import uuid

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="")

REQUEST_ID_HEADER = "X-Request-ID"
# An id from upstream is trusted only if it is short and plain (no log injection).
_SAFE_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{8,64}$")

request_logger = logging.getLogger("hub.request")

# Paths logged only when they fail: load balancers poll them every few seconds.
QUIET_PATHS = ("/healthz",)


def new_request_id() -> str:
    return uuid.uuid4().hex


class RequestLogMiddleware:
    """Request id in and out, and one structured log line per request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        request_id = incoming if _SAFE_REQUEST_ID.match(incoming) else new_request_id()
        request.request_id = request_id
        token = request_id_var.set(request_id)
        try:
            response = self.get_response(request)
            response[REQUEST_ID_HEADER] = request_id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            if not (request.path.startswith(QUIET_PATHS) and response.status_code < 400):
                self.log(request, response, duration_ms)
            return response
        finally:
            request_id_var.reset(token)

    @staticmethod
    def log(request, response, duration_ms: float) -> None:
        user = getattr(request, "user", None)
        match = getattr(request, "resolver_match", None)
        status = response.status_code
        level = (
            logging.ERROR if status >= 500 else logging.WARNING if status >= 400 else logging.INFO
        )
        request_logger.log(
            level,
            "%s %s %s",
            request.method,
            match.view_name if match else "-",
            status,
            extra={
                "event": "request",
                "user_id": user.pk if user is not None and user.is_authenticated else None,
                "method": request.method,
                "route": match.view_name if match else None,
                # request.path has no query string; ids in the path are fine.
                "path": request.path,
                "status": status,
                "duration_ms": duration_ms,
            },
        )


class RequestIdFilter(logging.Filter):
    """Adds `request_id` (empty outside a request) to every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = request_id_var.get()
        return True


# Attributes every LogRecord has; anything else on a record came from `extra=`.
_STANDARD_ATTRS = frozenset(
    logging.LogRecord("", 0, "", 0, "", (), None).__dict__.keys()
    | {"message", "asctime", "taskName", "request_id"}
)
# Never written even if plain: Django puts the request and the server socket on records.
_DROPPED_EXTRAS = frozenset({"request", "server_time", "server", "connection"})
_PLAIN = (str, int, float, bool, type(None))


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time (UTC), level, logger, message, request_id, extras."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": dt.datetime.fromtimestamp(record.created, tz=dt.UTC).isoformat(
                timespec="milliseconds"
            ),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "") or request_id_var.get(),
        }
        for key, value in record.__dict__.items():
            if key in _STANDARD_ATTRS or key in _DROPPED_EXTRAS or key.startswith("_"):
                continue
            if isinstance(value, _PLAIN):
                entry[key] = value
        if record.exc_info:
            entry["exc_info"] = self.formatException(record.exc_info)
        if record.stack_info:
            entry["stack_info"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False)
