import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from notifications.management.commands._clock import add_now_argument, parse_now
from notifications.schedule import registered, run_pass


class Command(BaseCommand):
    help = (
        "The one scheduler entry: one pass of every scheduled job (sending due notifications "
        "every pass; compliance sweep and retention review once a UK day; jobs other apps "
        "register). --loop SECONDS repeats the pass until stopped (a scheduler process); "
        "without it, run it from cron every minute. Safe to run twice or concurrently."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop", type=int, metavar="SECONDS", help="Run a pass every SECONDS until stopped"
        )
        parser.add_argument("--list", action="store_true", help="List the jobs and exit")
        add_now_argument(parser)

    def handle(self, *args, loop=None, now=None, **options):
        if options["list"]:
            for entry in registered():
                self.stdout.write(f"{entry.name}\t{entry.how_often}")
            return
        if loop is None:
            self._pass(parse_now(now))
            return
        if loop < 1:
            raise CommandError("--loop needs a number of seconds of at least 1")
        if now:
            raise CommandError("--now is for a single pass")
        self._loop(loop)

    def _pass(self, now) -> None:
        for job, summary in run_pass(now=now).items():
            self.stdout.write(f"{job}: {summary}")

    def _loop(self, seconds: int) -> None:
        stopping = []
        # SIGTERM (a process manager stopping it) ends the loop between passes.
        signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
        try:
            while not stopping:
                started = time.monotonic()
                close_old_connections()
                self._pass(None)
                while not stopping and time.monotonic() - started < seconds:
                    time.sleep(0.5)
        except KeyboardInterrupt:
            pass
