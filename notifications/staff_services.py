"""Every write to staff notifications: creating them (once each), reading them, and each
user's choice of how they are told.

`notify` is called by the receivers of the lower apps' signals, inside the writing
transaction (so a rolled-back transition notifies nobody), and by the daily scan. A
notification's `dedupe_key` is unique: a signal heard twice or a scan run twice (even
concurrently) creates nothing new. Emails go through the outbox (notifications.staff_email).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from notifications import staff_email
from notifications.staff_models import (
    DEFAULT_DELIVERY,
    Delivery,
    NotificationPreference,
    StaffNotification,
)


@dataclass(frozen=True)
class Notice:
    """One thing to tell: what kind, the words (naming no person), the path of the thing and
    the key naming what it is about (the user's id is added to it)."""

    kind: str
    text: str
    link: str
    key: str


def delivery_of(user) -> str:
    preference = getattr(user, "notification_preference", None)
    return preference.delivery if preference is not None else DEFAULT_DELIVERY


@transaction.atomic
def notify(users: QuerySet, notice: Notice) -> list[StaffNotification]:
    """Create `notice` for each of `users` who has not had it yet; email those who chose to
    be emailed at once. Returns the notifications created."""
    users = list(users.select_related("notification_preference").distinct())
    return notify_many([(user, notice) for user in users])


def notify_many(pairs: list[tuple[object, Notice]]) -> list[StaffNotification]:
    """`notify` for many (user, notice) pairs at once (the scan): two queries and one insert
    for the lot, then one outbox message per immediate email."""
    if not pairs:
        return []
    keyed = {f"{notice.key}:u{user.pk}": (user, notice) for user, notice in pairs}
    existing = set(
        StaffNotification.objects.filter(dedupe_key__in=list(keyed)).values_list(
            "dedupe_key", flat=True
        )
    )
    rows = [
        StaffNotification(
            user_id=user.pk, kind=notice.kind, text=notice.text, link=notice.link, dedupe_key=key
        )
        for key, (user, notice) in keyed.items()
        if key not in existing
    ]
    # A concurrent scan may insert the same keys between the read and this insert: the
    # unique key keeps one row each, and the email's own dedupe key sends one email.
    StaffNotification.objects.bulk_create(rows, ignore_conflicts=True)
    now = timezone.now()
    emailed = []
    for row in rows:
        user = keyed[row.dedupe_key][0]
        if delivery_of(user) == Delivery.IMMEDIATE and user.email:
            staff_email.queue_immediate(user=user, link=row.link, key=row.dedupe_key)
            emailed.append(row.dedupe_key)
    if emailed:
        StaffNotification.objects.filter(dedupe_key__in=emailed).update(emailed_at=now)
    return rows


def unread_count(user) -> int:
    """The header's count: one indexed query (staffnotif_user_unread_idx)."""
    return StaffNotification.objects.filter(user_id=user.pk, read_at__isnull=True).count()


def for_user(user) -> QuerySet:
    return StaffNotification.objects.filter(user_id=user.pk).order_by("-created_at", "-id")


def mark_read(*, notification: StaffNotification, now: dt.datetime | None = None) -> None:
    """Read once: the first follow sets read_at; later ones keep it."""
    StaffNotification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


def mark_all_read(*, user, now: dt.datetime | None = None) -> int:
    return StaffNotification.objects.filter(user_id=user.pk, read_at__isnull=True).update(
        read_at=now or timezone.now()
    )


def preference_set(*, user, delivery: str) -> NotificationPreference:
    if delivery not in Delivery.values:
        raise ValueError(f"Unknown delivery {delivery!r}")
    preference, _ = NotificationPreference.objects.update_or_create(
        user_id=user.pk, defaults={"delivery": delivery}
    )
    return preference
