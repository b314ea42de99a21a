"""The one scheduler entry (issue 18): `python manage.py run_schedule` runs one pass of every
registered job; `--loop SECONDS` repeats it (a scheduler process), or cron calls it each
minute. Every job is idempotent and safe to run in two schedulers at once:

- jobs run on every pass (sending what is due) rely on their own claims (the sender's
  conditional UPDATE, queue_message's unique dedupe key);
- daily jobs run at the first pass of each UK day: the ScheduledJobRun row for (job, day) is
  the claim, and a job that fails gives its claim back so that the next pass tries again.

Other apps add jobs from their AppConfig.ready() with `register(...)` (the staff email digest,
for example). A job takes the time of the pass and returns a one-line summary for the log.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from cautions.retention import cases_due
from cautions.services import conditions_sweep_overdue
from notifications import due, reminders, sender
from notifications.models import ScheduledJobRun

logger = logging.getLogger(__name__)

Job = Callable[[dt.datetime], str]
EVERY_PASS = "every_pass"
DAILY = "daily"


@dataclass(frozen=True)
class Entry:
    name: str
    run: Job
    how_often: str
    order: int


_jobs: dict[str, Entry] = {}


def register(name: str, run: Job, *, how_often: str = EVERY_PASS, order: int = 100) -> None:
    """Add a job (registering a name again replaces it, so a second ready() adds nothing)."""
    if how_often not in (EVERY_PASS, DAILY):
        raise ValueError(f"how_often is {EVERY_PASS!r} or {DAILY!r}")
    _jobs[name] = Entry(name, run, how_often, order)


def registered() -> list[Entry]:
    return sorted(_jobs.values(), key=lambda entry: (entry.order, entry.name))


def run_pass(*, now: dt.datetime | None = None) -> dict[str, str]:
    """Run every job due in this pass; returns {job: summary} of those that ran. One job's
    failure is logged and does not stop the others."""
    now = now or timezone.now()
    ran = {}
    for entry in registered():
        if entry.how_often == DAILY and not _claim_day(entry.name, now):
            continue
        try:
            ran[entry.name] = entry.run(now)
        except Exception as error:  # a failed job must not stop the schedule
            logger.exception("Scheduled job %s failed", entry.name)
            ran[entry.name] = f"failed: {error}"
            if entry.how_often == DAILY:
                _release_day(entry.name, now)
            continue
        if entry.how_often == DAILY:
            ScheduledJobRun.objects.filter(job=entry.name, day=_day(now)).update(
                finished_at=timezone.now(), outcome=ran[entry.name]
            )
    return ran


def _day(now: dt.datetime) -> dt.date:
    return now.astimezone(due.UK).date()


def _claim_day(name: str, now: dt.datetime) -> bool:
    try:
        with transaction.atomic():
            ScheduledJobRun.objects.create(job=name, day=_day(now))
    except IntegrityError:
        return False  # already run today (or running) in this or another scheduler
    return True


def _release_day(name: str, now: dt.datetime) -> None:
    ScheduledJobRun.objects.filter(job=name, day=_day(now)).delete()


# --- The jobs this app knows about -----------------------------------------------------------


def send_due_notifications(now: dt.datetime) -> str:
    queued = reminders.queue_due_reminders(now=now)
    outcomes = sender.send_pending(now=now)
    done = ", ".join(f"{count} {outcome}" for outcome, count in sorted(outcomes.items()))
    return f"{queued} reminders queued; {done or 'nothing to send'}"


def sweep_compliance(_now: dt.datetime) -> str:
    return f"{conditions_sweep_overdue()} conditions newly marked overdue"


def retention_review(now: dt.datetime) -> str:
    # A count only: the Retention page lists them for an administrator to decide.
    return f"{cases_due(on=_day(now)).count()} cases due for retention review"


def register_builtin_jobs() -> None:
    register("send_due_notifications", send_due_notifications, order=10)
    register("sweep_compliance", sweep_compliance, how_often=DAILY, order=20)
    register("retention_review", retention_review, how_often=DAILY, order=30)
