"""The client's address for sign-in lockout and throttles (django-axes AXES_CLIENT_IP_CALLABLE,
hub.security.throttle).

X-Forwarded-For is set by the client as much as by proxies, so only the entries added by our
own proxies can be trusted: with TRUSTED_PROXY_COUNT = n the client is the n-th entry from the
right. With 0 (no proxy, the default) the header is ignored and REMOTE_ADDR is used. Anything
that is not an IP address (a proxy misconfigured, "unknown") falls back to REMOTE_ADDR: the
address is stored in IP address columns.
"""

import ipaddress

from django.conf import settings


def _valid(candidate: str | None) -> str | None:
    try:
        return str(ipaddress.ip_address((candidate or "").strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count and (found := _valid(forwarded[-count])):
            return found
    return _valid(request.META.get("REMOTE_ADDR"))
