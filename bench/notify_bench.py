"""Benchmark (issue 18): 10,000 reminders sent through the local GOV.UK Notify stand-in by two
workers, under 60 seconds.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/oh_notify .venv/bin/python bench/notify_bench.py

The database named in DATABASE_URL is dropped, created and migrated (PostgreSQL). It books
N appointments for a person who agreed to text reminders, starting the next day (booked less
than 24 hours ahead, so each is due at once), queues their reminders (the scheduler's scan,
timed), then starts two worker processes of `manage.py send_due_notifications` against the
stand-in (tests/notifications/notify_stub.py) with NOTIFY_RATE_PER_MINUTE raised, and times
them until every reminder is sent. Checks that the stand-in received each reminder exactly
once. Prints figures; not a test. Options: --reminders N, --workers N, --keep (skip the
database rebuild; the reminders are rebuilt).
"""

import argparse
import datetime as dt
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")

from bench.run import recreate_database  # noqa: E402 (needs ROOT on the path)

PYTHON = str(ROOT / ".venv" / "bin" / "python")
RATE = 100_000  # messages a minute: the limit is not what this measures


def _setup(url: str, keep: bool) -> None:
    if not keep:
        recreate_database(url)
    subprocess.run([PYTHON, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, check=True)


def _book(n: int, now: dt.datetime) -> None:
    from notifications.models import ContactConsent, Message
    from notifications.services import consent_record
    from referrals.models import Appointment
    from tests.factories import OrganisationFactory
    from tests.referrals.factories import accepted_referral

    Message.objects.all().delete()
    Appointment.objects.all().delete()
    ContactConsent.objects.all().delete()
    referral = accepted_referral(OrganisationFactory(name="Outside Links"))
    consent_record(
        person=referral.case.person,
        user=referral.assigned_to,
        channel="sms",
        phone="07700 900 982",
    )
    Appointment.objects.bulk_create(
        Appointment(
            referral=referral,
            starts_at=now + dt.timedelta(hours=20, seconds=i),
            duration_minutes=60,
            mode="in_person",
            place="12 High Street\nPeterborough",
            booked_by=referral.assigned_to,
        )
        for i in range(n)
    )
    Appointment.objects.update(updated_at=now - dt.timedelta(minutes=5))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reminders", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", action="store_true")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (it is dropped and recreated)")
    _setup(url, args.keep)

    import django

    django.setup()
    from notifications import due, reminders
    from notifications.models import Message
    from tests.notifications.notify_stub import NotifyStub

    # A fixed weekday noon, UK time: outside quiet hours whenever the bench is run.
    tomorrow = dt.datetime.now(due.UK).date() + dt.timedelta(days=1)
    now = dt.datetime.combine(tomorrow, dt.time(12, 0), tzinfo=due.UK)
    started = time.perf_counter()
    _book(args.reminders, now)
    print(f"Booked {args.reminders:,} appointments in {time.perf_counter() - started:.1f} s")

    started = time.perf_counter()
    queued = reminders.queue_due_reminders(now=now)
    queue_seconds = time.perf_counter() - started
    print(f"Queued {queued:,} reminders (the scheduler's scan) in {queue_seconds:.1f} s")

    with NotifyStub() as stub:
        env = {
            **os.environ,
            "NOTIFY_API_KEY": stub.api_key,
            "NOTIFY_BASE_URL": stub.base_url,
            "NOTIFY_TEMPLATE_SMS": "f33517ff-2a88-4f6e-b855-c550268ce08a",
            "NOTIFY_RATE_PER_MINUTE": str(RATE),
            "LOG_LEVEL": "WARNING",
        }
        command = [PYTHON, "manage.py", "send_due_notifications", "--now", now.isoformat()]
        started = time.perf_counter()
        workers = [
            subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True)
            for _ in range(args.workers)
        ]
        outputs = [worker.communicate()[0].strip() for worker in workers]
        send_seconds = time.perf_counter() - started
        received = stub.sent("sms")

    references = [n["reference"] for n in received]
    sent = Message.objects.filter(status="sent").count()
    print(
        f"{args.workers} workers sent {sent:,} reminders in {send_seconds:.1f} s "
        f"({sent / send_seconds:,.0f} a second)"
    )
    for i, output in enumerate(outputs, 1):
        print(f"  worker {i}: {output}")
    print(f"Stand-in received {len(received):,} ({len(set(references)):,} distinct messages)")
    ok = sent == len(received) == len(set(references)) == args.reminders and send_seconds < 60
    print("PASS" if ok else "FAIL: every reminder exactly once, in under 60 s")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
