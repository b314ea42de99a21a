"""The one way to queue a message (issue 18): reminders to people and emails to staff.

The sender (notifications.sender) sends what is pending when its time has come; without a Notify
key it lands in the outbox for administrators to read.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from notifications.models import Channel, Message


def queue_message(
    *,
    channel: str,
    recipient: str,
    body: str,
    subject: str = "",
    kind: str,
    dedupe_key: str,
    person=None,
    user=None,
    not_before: dt.datetime | None = None,
) -> Message:
    """Queue a message to be sent at `not_before` (now when None), or return the message
    already queued under `dedupe_key`, unchanged: running a rule twice, or two workers at once,
    queues it once (the unique constraint decides the race; get_or_create re-reads the winner).
    """
    if channel not in Channel.values:
        raise ValueError(f"Unknown channel {channel!r}")
    if not recipient:
        raise ValueError("A message needs a recipient")
    message, _created = Message.objects.get_or_create(
        dedupe_key=dedupe_key,
        defaults={
            "channel": channel,
            "recipient": recipient,
            "subject": subject,
            "body": body,
            "kind": kind,
            "person": person,
            "user": user,
            "next_attempt_at": not_before or timezone.now(),
        },
    )
    return message
