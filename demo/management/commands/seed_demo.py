from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demo import appointments, caseloads, cases, core, historic, reminders, synthetic

# The demo data of each layer, in dependency order: each builds on what the ones before made.
# Reminders' consent goes to the people with the soonest appointments: after appointments.
DEMO_STEPS = [cases, caseloads, appointments, historic, reminders]


class Command(BaseCommand):
    help = "Create the demo users, organisations, people and cases. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even though DEBUG is false (never on a live system).",
        )
        # Scale (issue 7): synthetic histories in bulk on top of the small demo (demo/synthetic).
        parser.add_argument(
            "--people",
            type=int,
            default=0,
            help="Also generate this many synthetic people with full histories, in bulk.",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=1,
            help="Random seed for --people: the same seed on the same day gives the same data.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["allow_production"]:
            raise CommandError(
                "DEBUG is false: this looks like production. Demo data would mix invented "
                "people with real ones. Pass --allow-production if you are sure."
            )
        with transaction.atomic():
            ctx = core.seed(core.DemoContext())
            for step in DEMO_STEPS:
                step.seed(ctx)
        if options["people"] > 0:
            self.stdout.write(f"Generating {options['people']:,} synthetic people...")
            written = synthetic.generate(
                people=options["people"],
                seed=options["seed"],
                users=ctx.users,
                log=self.stdout.write,
            )
            for line in synthetic.summary(written):
                self.stdout.write(line)
        self.stdout.write(
            self.style.SUCCESS("Demo data is ready. Sign in at http://127.0.0.1:8000 with:")
        )
        for username, *_rest in core.DEMO_USERS:
            self.stdout.write(f"  {username:<12} password: {settings.DEMO_PASSWORD}")
