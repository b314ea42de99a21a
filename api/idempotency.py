"""Retries that create nothing twice: `Idempotency-Key` on a POST.

The first request with a key runs and its response (status and body) is stored with the key,
in the same transaction as what it created. A retry with the same key, method, path and body
gets that response again, marked `Idempotent-Replayed: true`; the same key with a different
body is refused (422), since replaying would hide the client's mistake. Two requests with the
same key at once: the second waits on the unique index, fails, and replays the first's
response. Keys are per token (another partner's key cannot collide)."""

from __future__ import annotations

import hashlib
import json
from functools import wraps

from django.db import IntegrityError, transaction
from rest_framework import status
from rest_framework.response import Response

from api.models import IdempotentRequest

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 100


def _digest(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def _replay(stored: IdempotentRequest, digest: str) -> Response:
    if stored.body_digest != digest:
        return Response(
            {
                "errors": [
                    {"field": None, "message": f"This {HEADER} was used with another request body."}
                ]
            },
            status=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    response = Response(stored.response_body, status=stored.status_code)
    response["Idempotent-Replayed"] = "true"
    return response


def idempotent(method):
    """Decorates an APIView's post(self, request, ...)."""

    @wraps(method)
    def wrapper(view, request, *args, **kwargs):
        key = request.headers.get(HEADER, "").strip()
        if not key:
            return method(view, request, *args, **kwargs)
        if len(key) > MAX_KEY_LENGTH:
            return Response(
                {
                    "errors": [
                        {
                            "field": HEADER,
                            "message": f"Use a key of at most {MAX_KEY_LENGTH} characters.",
                        }
                    ]
                },
                status=status.HTTP_400_BAD_REQUEST,
            )
        lookup = {
            "token": request.auth,
            "key": key,
            "method": request.method,
            "path": request.path[:300],
        }
        digest = _digest(request.data)
        stored = IdempotentRequest.objects.filter(**lookup).first()
        if stored is not None:
            return _replay(stored, digest)
        try:
            with transaction.atomic():
                response = method(view, request, *args, **kwargs)
                if response.status_code < 500:
                    IdempotentRequest.objects.create(
                        **lookup,
                        body_digest=digest,
                        status_code=response.status_code,
                        response_body=json.loads(json.dumps(response.data, default=str)),
                    )
        except IntegrityError:
            stored = IdempotentRequest.objects.filter(**lookup).first()
            if stored is None:
                raise
            return _replay(stored, digest)
        return response

    return wrapper
