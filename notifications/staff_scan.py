"""The time-based staff notifications and the daily digest: `run(now)`, a job of the
scheduler. Idempotent: every notification's key names what it is about (and the date it is
about), and the digest's outbox key names the day, so a second run, or two at once, adds
nothing.

- Officer: a pending condition due within 7 days, or overdue; a summary-only case whose
  charge-by date is within the breach-decision margin (RuleSettings, 28 days now) or passed.
- Daily digest: at the first run from DIGEST_HOUR (UK time) each day, one email to each user
  who chose it (the default), listing how many unread notifications of each kind came since
  the last digest, and their links.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cautions import rules
from cautions.models import Case, Condition, RuleSettings
from notifications import staff_email
from notifications import staff_notices as notices
from notifications import staff_recipients as recipients
from notifications.staff_models import Delivery, StaffNotification
from notifications.staff_services import notify_many

DUE_SOON_DAYS = 7
DIGEST_HOUR = 7
DIGEST_LINKS = 20
# Conditions change only while the caution runs (cautions.services.CONDITION_CHANGE_STATES).
RUNNING = (Case.Status.ACTIVE, Case.Status.BREACH)
# Open cases a prosecution would still follow (cautions.selectors.CHARGE_BY_STATUSES).
CHARGE_BY_STATUSES = (
    Case.Status.ASSESSMENT,
    Case.Status.AWAITING_AUTHORISATION,
    Case.Status.AUTHORISED,
    Case.Status.ACTIVE,
    Case.Status.BREACH,
)


def _with_officers(items, officer_id_of) -> list[tuple[object, object]]:
    """(officer, item) for each item whose officer may be notified (one query for all)."""
    ids = {officer_id_of(item) for item in items}
    users = {u.pk: u for u in recipients.officers(ids).select_related("notification_preference")}
    return [(users[officer_id_of(i)], i) for i in items if officer_id_of(i) in users]


def conditions_due(today: dt.date) -> list:
    conditions = list(
        Condition.objects.filter(
            status=Condition.Status.PENDING,
            case__status__in=RUNNING,
            due_date__lte=today + dt.timedelta(days=DUE_SOON_DAYS),
        )
        .select_related("case")
        .only("id", "due_date", "case__id", "case__reference", "case__officer_id")
    )
    return [
        (
            officer,
            notices.condition_due_soon(c) if c.due_date >= today else notices.condition_overdue(c),
        )
        for officer, c in _with_officers(conditions, lambda c: c.case.officer_id)
    ]


def charge_by_near(today: dt.date) -> list:
    margin = RuleSettings.load().breach_decision_margin_days
    latest = rules.latest_offence_date_charge_by(today + dt.timedelta(days=margin))
    cases = list(
        Case.objects.filter(
            status__in=CHARGE_BY_STATUSES,
            offence__mode_of_trial="summary",
            offence__offence_date__lte=latest,
        )
        .select_related("offence")
        .only("id", "reference", "officer_id", "offence__offence_date")
    )
    return [
        (officer, notices.charge_by_soon(case, rules.summary_time_limit(case.offence.offence_date)))
        for officer, case in _with_officers(cases, lambda c: c.officer_id)
    ]


def send_digests(now: dt.datetime) -> int:
    """One email a day to each digest user with notifications no email has told of yet."""
    local = timezone.localtime(now)
    if local.hour < DIGEST_HOUR:
        return 0
    # Each day's digest holds what came before that day's DIGEST_HOUR: a later run the same
    # day finds nothing new, and what comes after waits for tomorrow's.
    cutoff = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    pending = (
        StaffNotification.objects.filter(
            read_at__isnull=True, emailed_at__isnull=True, created_at__lt=cutoff
        )
        .filter(
            Q(user__notification_preference__isnull=True)
            | Q(user__notification_preference__delivery=Delivery.DAILY_DIGEST)
        )
        .filter(user__is_active=True)
        .exclude(user__email="")
        .select_related("user")
        .order_by("user_id", "-created_at", "-id")
    )
    by_user: dict[int, list[StaffNotification]] = {}
    for notification in pending:
        by_user.setdefault(notification.user_id, []).append(notification)
    labels = dict(StaffNotification.Kind.choices)
    for rows in by_user.values():
        counts = Counter(row.kind for row in rows)
        body = staff_email.digest_body(
            [(labels[kind], n) for kind, n in counts.most_common()],
            [row.link for row in rows[:DIGEST_LINKS]],
            max(0, len(rows) - DIGEST_LINKS),
        )
        with transaction.atomic():
            staff_email.queue_digest(user=rows[0].user, day=local.date(), body=body)
            StaffNotification.objects.filter(pk__in=[row.pk for row in rows]).update(emailed_at=now)
    return len(by_user)


def scan(now: dt.datetime) -> int:
    """Create the time-based notifications due on `now`'s UK day; returns how many."""
    today = timezone.localtime(now).date()
    with transaction.atomic():
        return len(notify_many(conditions_due(today) + charge_by_near(today)))


def run(now: dt.datetime | None = None) -> dict:
    """Both at once (the notify_staff command; the scheduler runs them as two jobs,
    notifications.staff_schedule): the time-based notifications, then the digests due."""
    now = now or timezone.now()
    return {"staff_notifications": scan(now), "staff_digests": send_digests(now)}
