"""The --now option of the scheduling commands (demos and tests; the real clock otherwise)."""

import datetime as dt

from django.core.management.base import CommandError
from django.utils import timezone


def add_now_argument(parser) -> None:
    parser.add_argument(
        "--now",
        help="Act as if it were this time (ISO 8601, e.g. 2026-12-03T08:30+00:00); default now",
    )


def parse_now(value: str | None) -> dt.datetime:
    if not value:
        return timezone.now()
    try:
        parsed = dt.datetime.fromisoformat(value)
    except ValueError as error:
        raise CommandError("--now must be an ISO 8601 date and time") from error
    if parsed.tzinfo is None:
        raise CommandError("--now needs a time zone offset, e.g. +00:00")
    return parsed
