"""python manage.py create_api_token USERNAME [--name NAME] [--days N]

Prints the new token alone on its last line (DECISIONS: scripts read that line). It is shown
once: only its digest is stored."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.tokens import TokenError, token_create


class Command(BaseCommand):
    help = "Create an API token for a staff account and print it once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="API token")
        parser.add_argument("--days", type=int, default=None, help="Default: API_TOKEN_DAYS (90)")

    def handle(self, *args, username, name, days, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No account called {username!r}.")
        try:
            token, raw = token_create(user=user, name=name, days=days)
        except TokenError as error:
            raise CommandError(error.message) from None
        self.stdout.write(
            f"Token “{token.name}” for {username}, expires {token.expires_at:%d %B %Y}. "
            "Store it now: it is not shown again."
        )
        self.stdout.write(raw)
