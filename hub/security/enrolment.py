"""One-time enrolment codes: how an account with no authenticator gets its first one.

A password alone must not be enough to set up the second factor: whoever had it could plant
an authenticator of their own before the real user (issue 17). An administrator, having
checked who is asking, issues a code on the Staff accounts page (or, for the very first
administrator, `manage.py issue_enrolment_code USERNAME`) and gives it to the user by another
channel (in person, by phone). The code:
- is shown once, when issued, and kept only as its SHA-256 (it is 12 random characters, about
  59 bits: a slow hash would add nothing against guessing, the throttles do that);
- expires after TWO_FACTOR_ENROLMENT_HOURS (72: long enough to reach someone over a weekend);
- is used once: it is spent when the authenticator is confirmed, in the same transaction;
- is for one account; a new code replaces that account's unused one;
- is logged (access log, alteration: who issued it for whom, and why).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hub.models import AccessLog, EnrolmentCode

# No 0/O, 1/I/L: read out over the phone and typed without confusion.
ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
LENGTH = 12


def normalise(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def code_hash(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def _new_code() -> str:
    raw = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    return "-".join(raw[i : i + 4] for i in range(0, LENGTH, 4))


@transaction.atomic
def issue_code(*, user, issued_by, reason: str, request=None) -> str:
    """Issue a code for `user` (replacing an unused one) and log it. Returns the code, which
    is not kept anywhere: show it once."""
    from hub.audit import log_access

    EnrolmentCode.objects.filter(user=user, used_at__isnull=True).delete()
    code = _new_code()
    hours = settings.TWO_FACTOR_ENROLMENT_HOURS
    expires = timezone.now() + dt.timedelta(hours=hours)
    EnrolmentCode.objects.create(
        user=user, code_hash=code_hash(code), issued_by=issued_by, expires_at=expires
    )
    description = f"Issued a two-factor enrolment code: {user.get_username()} (valid {hours} hours)"
    if request is not None:
        log_access(
            request,
            action=AccessLog.Action.ALTERATION,
            object_type="auth.user",
            object_id=user.pk,
            description=description,
            justification=reason,
        )
    else:  # the command line: no request, no signed-in user
        AccessLog.objects.create(
            action=AccessLog.Action.ALTERATION,
            object_type="auth.user",
            object_id=str(user.pk),
            description=f"{description}, from the command line",
            justification=reason,
        )
    return code


def find_code(user, code: str, *, lock: bool = False) -> EnrolmentCode | None:
    """The unused, unexpired code `code` of `user`, or None."""
    found = EnrolmentCode.objects.filter(
        user=user, code_hash=code_hash(code), used_at__isnull=True, expires_at__gt=timezone.now()
    )
    if lock:
        found = found.select_for_update()
    return found.first()


def valid_code_by_id(user, code_id) -> EnrolmentCode | None:
    if not isinstance(code_id, int):
        return None
    return EnrolmentCode.objects.filter(
        pk=code_id, user=user, used_at__isnull=True, expires_at__gt=timezone.now()
    ).first()
