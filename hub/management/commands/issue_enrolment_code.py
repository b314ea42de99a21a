"""Issue a one-time two-factor enrolment code from the command line.

For the very first administrator (nobody can issue them one on the Staff accounts page yet)
and for the break-glass superuser. Everyone else gets theirs from an administrator. The code
is printed alone on the last line and logged in the access log (no signed-in user: the
command line).
"""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from hub.security import enrolment


class Command(BaseCommand):
    help = "Issue a one-time two-factor enrolment code for USERNAME (printed once)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--reason", required=True, help="Recorded in the access log (who asked, how checked)"
        )

    def handle(self, *args, username, reason, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account named {username!r}")
        if not reason.strip():
            raise CommandError("Give the reason (--reason)")
        code = enrolment.issue_code(user=user, issued_by=None, reason=reason.strip())
        self.stdout.write(f"Enrolment code for {username} (shown once):")
        self.stdout.write(code)
