"""Emails to staff about their notifications, written to the outbox (notifications.outbox),
which sends them through GOV.UK Notify like every other message.

An email names no person and no case: it may be read on a phone or forwarded. It says that a
case needs attention and links to the service, where signing in shows what it is.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse

from notifications import outbox

SUBJECT = "A case needs your attention"
KIND_IMMEDIATE = "staff_notification"
KIND_DIGEST = "staff_digest"


def absolute(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def queue_immediate(*, user, link: str, key: str) -> None:
    """One email for one new notification (users who chose "email me at once")."""
    body = (
        "A case needs your attention in Offender Hub.\n\n"
        f"Sign in to see it: {absolute(link)}\n\n"
        f"All your notifications: {absolute(reverse('notifications:staff_list'))}"
    )
    outbox.queue_message(
        channel="email",
        recipient=user.email,
        subject=SUBJECT,
        body=body,
        kind=KIND_IMMEDIATE,
        dedupe_key=f"staff-email:{key}",
        user=user,
    )


def digest_body(counts: list[tuple[str, int]], links: list[str], more: int) -> str:
    total = sum(n for _label, n in counts)
    lines = [
        f"{total} new {'notification needs' if total == 1 else 'notifications need'} "
        "your attention in Offender Hub:",
        "",
        *(f"- {label}: {n}" for label, n in counts),
        "",
        "Open each one:",
        *(f"- {absolute(link)}" for link in links),
    ]
    if more:
        lines.append(f"- and {more} more")
    lines += ["", f"All your notifications: {absolute(reverse('notifications:staff_list'))}"]
    return "\n".join(lines)


def queue_digest(*, user, day: dt.date, body: str) -> None:
    """The day's one digest for `user` (the dedupe key holds the day: never two a day)."""
    outbox.queue_message(
        channel="email",
        recipient=user.email,
        subject=SUBJECT,
        body=body,
        kind=KIND_DIGEST,
        dedupe_key=f"staff-digest:u{user.pk}:{day.isoformat()}",
        user=user,
    )
