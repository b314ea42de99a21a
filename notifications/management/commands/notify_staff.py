"""`python manage.py notify_staff`: the staff notifications that come with time (conditions
due within 7 days or overdue, charge-by dates near) and the daily digest emails. A job of the
scheduler; safe to run twice or at once (notifications.staff_scan)."""

from django.core.management.base import BaseCommand

from notifications import staff_scan


class Command(BaseCommand):
    help = "Create the time-based staff notifications and send the daily digests that are due."

    def handle(self, *args, **options):
        done = staff_scan.run()
        self.stdout.write(
            f"{done['staff_notifications']} staff notifications created, "
            f"{done['staff_digests']} digests queued."
        )
