"""A local stand-in for GOV.UK Notify's API (v2), for tests and bench/notify_bench.py.

It answers what the real client (notifications_python_client) sends: POST
/v2/notifications/sms and /v2/notifications/email with a JWT bearer token signed with the key's
secret (checked as Notify checks it: HS256, `iss` the service id, `iat` within 30 seconds). It
records each notification and answers 201 with Notify's response body, or what it is told to
answer next (500, 429, 400, or a slow answer for timeouts). No mocking of the client: tests
point NOTIFY_BASE_URL at `stub.base_url` and NOTIFY_API_KEY at `stub.api_key`.
"""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from collections import deque
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from notifications_python_client.authentication import decode_jwt_token, get_token_issuer
from notifications_python_client.errors import TokenError

UK_MOBILE = re.compile(r"^(?:\+447|00447|07)\d{9}$")
ERRORS = {
    400: ("BadRequestError", "phone_number Not a UK mobile number"),
    403: ("AuthError", "Invalid token: signature, api token not found"),
    429: (
        "RateLimitError",
        "Exceeded rate limit for key type LIVE of 3000 requests per 60 seconds",
    ),
    500: ("Exception", "Internal server error"),
}


class NotifyStub:
    def __init__(self) -> None:
        self.service_id = str(uuid.uuid4())
        self.secret = str(uuid.uuid4())
        self.api_key = f"stub_key-{self.service_id}-{self.secret}"
        self.received: list[dict] = []
        self._answers: deque[tuple[int, float]] = deque()
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> NotifyStub:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def __enter__(self) -> NotifyStub:
        return self.start()

    def __exit__(self, *_exc) -> None:
        self.stop()

    def answer_next(self, status: int, *, times: int = 1, delay: float = 0.0) -> None:
        """Answer the next `times` notifications with `status` (201 for success), after
        `delay` seconds (longer than the client's timeout: a timeout)."""
        with self._lock:
            self._answers.extend([(status, delay)] * times)

    def _next_answer(self) -> tuple[int, float]:
        with self._lock:
            return self._answers.popleft() if self._answers else (201, 0.0)

    def _record(self, notification: dict) -> None:
        with self._lock:
            self.received.append(notification)

    def sent(self, kind: str | None = None) -> list[dict]:
        with self._lock:
            return [n for n in self.received if kind is None or n["type"] == kind]

    def authorised(self, header: str) -> bool:
        if not header.startswith("Bearer "):
            return False
        token = header.removeprefix("Bearer ")
        try:
            return get_token_issuer(token) == self.service_id and bool(
                decode_jwt_token(token, self.secret)
            )
        except TokenError:
            return False


def _handler_for(stub: NotifyStub):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as the client's requests.Session expects
        # Headers and body go out in separate writes: with Nagle's algorithm on, the body would
        # wait for the client's delayed ACK (~40 ms a request).
        disable_nagle_algorithm = True

        def log_message(self, *_args) -> None:  # quiet: tests and the bench read no logs
            pass

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0) or 0))
            kind = {"/v2/notifications/sms": "sms", "/v2/notifications/email": "email"}.get(
                self.path
            )
            if kind is None:
                return self._reply(404, _error(404, "ResourceNotFound", "Not found"))
            if not stub.authorised(self.headers.get("Authorization", "")):
                return self._reply(403, _error(403, *ERRORS[403]))
            status, delay = stub._next_answer()
            if delay:
                time.sleep(delay)
            data = json.loads(body or b"{}")
            to = data.get("phone_number") if kind == "sms" else data.get("email_address")
            if status == 201 and kind == "sms" and not UK_MOBILE.match(re.sub(r"\s", "", to or "")):
                status = 400
            if status != 201:
                return self._reply(status, _error(status, *ERRORS.get(status, ERRORS[500])))
            notification_id = str(uuid.uuid4())
            stub._record({"id": notification_id, "type": kind, "to": to, **data})
            personalisation = data.get("personalisation") or {}
            return self._reply(
                201,
                {
                    "id": notification_id,
                    "reference": data.get("reference"),
                    "content": {
                        "body": personalisation.get("body", ""),
                        "subject": personalisation.get("subject"),
                    },
                    "uri": f"{stub.base_url}/v2/notifications/{notification_id}",
                    "template": {"id": data.get("template_id"), "version": 1, "uri": ""},
                },
            )

        def _reply(self, status: int, payload: dict) -> None:
            encoded = json.dumps(payload).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(encoded)))
            self.end_headers()
            self.wfile.write(encoded)

    return Handler


def _error(status: int, error: str, message: str) -> dict:
    return {"status_code": status, "errors": [{"error": error, "message": message}]}


def receipt(notification_id: str, status: str, *, to: str = "07700900123") -> dict:
    """A delivery receipt as Notify posts it to the service's callback URL."""
    now = time.strftime("%Y-%m-%dT%H:%M:%S.000000Z", time.gmtime())
    return {
        "id": notification_id,
        "reference": None,
        "to": to,
        "status": status,
        "created_at": now,
        "completed_at": now,
        "sent_at": now,
        "notification_type": "sms",
        "template_id": str(uuid.uuid4()),
        "template_version": 1,
    }
