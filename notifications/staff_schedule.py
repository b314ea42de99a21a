"""The staff notifications' jobs of the scheduler (notifications.schedule, run_schedule):

- "staff_notifications" (daily, at the first pass of the UK day, after the overdue sweep): the
  time-based notifications (notifications.staff_scan.scan);
- "staff_digest" (every pass, doing its work once a day from DIGEST_HOUR): the digest emails.
  Its claim is the same (job, day) row as the daily jobs', taken only from DIGEST_HOUR, so a
  pass before then does nothing and two schedulers send one digest.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications import schedule, staff_scan
from notifications.models import ScheduledJobRun

DIGEST_JOB = "staff_digest"


def scan_job(now: dt.datetime) -> str:
    return f"{staff_scan.scan(now)} staff notifications created"


def digest_job(now: dt.datetime) -> str:
    local = timezone.localtime(now)
    if local.hour < staff_scan.DIGEST_HOUR:
        return "not yet"
    if ScheduledJobRun.objects.filter(job=DIGEST_JOB, day=local.date()).exists():
        return "done today"
    try:
        with transaction.atomic():
            claim = ScheduledJobRun.objects.create(job=DIGEST_JOB, day=local.date())
    except IntegrityError:  # another scheduler claimed it a moment ago
        return "done today"
    try:
        sent = staff_scan.send_digests(now)
    except Exception:
        claim.delete()  # give the claim back: the next pass tries again
        raise
    outcome = f"{sent} digests queued"
    ScheduledJobRun.objects.filter(pk=claim.pk).update(finished_at=timezone.now(), outcome=outcome)
    return outcome


def register() -> None:
    """Called by NotificationsConfig.ready."""
    schedule.register("staff_notifications", scan_job, how_often=schedule.DAILY, order=50)
    # Before send_due_notifications (order 10): a digest queued in a pass is sent in it.
    schedule.register(DIGEST_JOB, digest_job, how_often=schedule.EVERY_PASS, order=5)
