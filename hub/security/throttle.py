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
