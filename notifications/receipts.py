"""GOV.UK Notify's delivery receipts (callbacks), at /notify/callback/ (issue 18).

Notify POSTs one JSON object per message with `Authorization: Bearer <token>` (the token set
in Notify's callback settings, NOTIFY_CALLBACK_TOKEN here). Anything without that token is a
401 and changes nothing; with no token configured every receipt is refused.
"""

from __future__ import annotations

import hmac
import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from hub.personal_data import no_personal_data
from notifications.models import Message

# Notify's statuses -> ours. A technical failure is Notify's own: the message was not sent.
STATUSES = {
    "delivered": Message.Status.DELIVERED,
    "permanent-failure": Message.Status.PERMANENT_FAILURE,
    "temporary-failure": Message.Status.TEMPORARY_FAILURE,
    "technical-failure": Message.Status.TEMPORARY_FAILURE,
}
# The statuses a receipt may replace: sent, or an earlier failure receipt (not delivered).
RECEIVES_RECEIPTS = [
    Message.Status.SENT,
    Message.Status.TEMPORARY_FAILURE,
    Message.Status.PERMANENT_FAILURE,
]
ERRORS = {
    "permanent-failure": "Notify: the number or address does not exist or has opted out",
    "temporary-failure": "Notify: the phone was off or the inbox full, and stayed so",
    "technical-failure": "Notify: a technical failure at Notify; the message was not delivered",
}


def _authorised(request: HttpRequest) -> bool:
    token = settings.NOTIFY_CALLBACK_TOKEN
    given = request.headers.get("Authorization", "")
    return bool(token) and hmac.compare_digest(given.encode(), f"Bearer {token}".encode())


@no_personal_data("Notify's delivery receipts: updates a message's status, shows nothing")
@csrf_exempt
@require_POST
def notify_callback(request: HttpRequest) -> HttpResponse:
    if not _authorised(request):
        return JsonResponse({"error": "unauthorised"}, status=401)
    try:
        receipt = json.loads(request.body)
        notify_id, status = str(receipt["id"]), STATUSES[receipt["status"]]
    except (ValueError, KeyError, TypeError):
        return JsonResponse({"error": "not a Notify delivery receipt"}, status=400)
    if not notify_id:
        return JsonResponse({"error": "not a Notify delivery receipt"}, status=400)
    # Only a message Notify accepted takes a receipt; a delivered one stays delivered.
    updated = Message.objects.filter(notify_id=notify_id, status__in=RECEIVES_RECEIPTS).update(
        status=status,
        error=ERRORS.get(receipt["status"], ""),
        updated_at=timezone.now(),
    )
    if not updated and not Message.objects.filter(notify_id=notify_id).exists():
        return JsonResponse({"error": "no such message"}, status=404)
    return HttpResponse(status=204)
