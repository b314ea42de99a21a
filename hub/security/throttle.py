"""Sign-in throttle per address, across user names (issue 17 point 9).

django-axes locks one user name at one address after AXES_FAILURE_LIMIT (5) failures: a spray
of many user names from one address, a few tries each, never reaches it. Here every failed
sign-in from an address counts, whatever the user name: after SIGN_IN_ADDRESS_FAILURE_LIMIT
(20) within AXES_COOLOFF_TIME (15 minutes) that address may not try any password until the
oldest failure is 15 minutes old. The real user elsewhere is not held up (the lock is on the
address, not on the account), and 20 is high enough that colleagues behind one office address
mistyping now and then do not reach it.

The failures counted are django-axes's own records (AccessAttempt: one row per user name,
address and browser, with its count and the time of its last failure), so there is one store
of failed sign-ins, its clean-up expires both, and clearing an address with axes's command
(`manage.py axes_reset_ip ADDRESS`) or in the admin clears both. The address is the one axes
uses: REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT proxies the client's (client_ip.py).
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone

from hub.security.client_ip import client_ip


def address_failures(address: str | None) -> int:
    """Failed sign-ins from `address` within the cool-off time, any user name."""
    if not address:
        return 0
    from axes.models import AccessAttempt

    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        total=Sum("failures_since_start")
    )["total"]
    return total or 0


def address_throttled(request) -> bool:
    return address_failures(client_ip(request)) >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT


# ---------------------------------------------------------------------------------------------
# Wrong two-factor codes (issue 17 point 1).
#
# django-otp's own throttle (an exponential delay per device, OTP_TOTP_THROTTLE_FACTOR) is off:
# anyone holding the password could stretch it with wrong codes and keep the real user out.
# Instead, over TWO_FACTOR_FAILURE_WINDOW (15 minutes), wrong codes (authenticator codes at
# sign-in and set-up, enrolment codes) are counted
# - per session: after TWO_FACTOR_SESSION_FAILURE_LIMIT (5) that session may not try again
#   (signing in again with the password starts a new one);
# - per address: after TWO_FACTOR_ADDRESS_FAILURE_LIMIT (10), with any accounts, no session
#   from that address may try for the rest of the window;
# - per account: after TWO_FACTOR_DEVICE_FAILURE_LIMIT (20) from anywhere, each further wrong
#   code also signs its session out, so every guess costs a full password sign-in (and the
#   security log warns). A right code is still accepted from any session that is not itself
#   throttled: the real user at their own desk is never held up by someone else's guesses.
# An administrator clears an account's count (Staff accounts: "Clear wrong-code limits", also
# done by "Reset two-factor authentication"); counts also lapse after the window.


def _session_hash(request) -> str:
    key = request.session.session_key or ""
    return hashlib.sha256(key.encode()).hexdigest()


def _recent():
    from hub.models import TwoFactorFailure

    since = timezone.now() - settings.TWO_FACTOR_FAILURE_WINDOW
    return TwoFactorFailure.objects.filter(at__gte=since)


def record_failure(request, kind: str) -> None:
    from hub.models import TwoFactorFailure

    # Old rows serve no throttle: keep the table small (a day's worth at most).
    TwoFactorFailure.objects.filter(at__lt=timezone.now() - dt.timedelta(days=1)).delete()
    TwoFactorFailure.objects.create(
        user=request.user, kind=kind, session=_session_hash(request), address=client_ip(request)
    )


def two_factor_throttle(request) -> str:
    """'session' or 'address' when this request may not try a code now, else ''."""
    recent = _recent()
    if recent.filter(session=_session_hash(request)).count() >= (
        settings.TWO_FACTOR_SESSION_FAILURE_LIMIT
    ):
        return "session"
    address = client_ip(request)
    if address and recent.filter(address=address).count() >= (
        settings.TWO_FACTOR_ADDRESS_FAILURE_LIMIT
    ):
        return "address"
    return ""


def account_under_attack(user) -> bool:
    return _recent().filter(user=user).count() >= settings.TWO_FACTOR_DEVICE_FAILURE_LIMIT


def clear_failures(user) -> int:
    from hub.models import TwoFactorFailure

    deleted, _ = TwoFactorFailure.objects.filter(user=user).delete()
    return deleted
