from django.core.management.base import BaseCommand

from notifications.management.commands._clock import add_now_argument, parse_now
from notifications.schedule import send_due_notifications


class Command(BaseCommand):
    help = (
        "Queue the reminders due now and send every message whose time has come (through "
        "GOV.UK Notify, or to the outbox without NOTIFY_API_KEY), then exit. Running it again "
        "sends nothing new; safe to run in several processes at once."
    )

    def add_arguments(self, parser):
        add_now_argument(parser)

    def handle(self, *args, now=None, **options):
        # Counts only: no number, address or text in a scheduler's log.
        self.stdout.write(send_due_notifications(parse_now(now)))
