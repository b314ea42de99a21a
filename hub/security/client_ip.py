"""The client's address for sign-in lockout (django-axes AXES_CLIENT_IP_CALLABLE).

X-Forwarded-For is set by the client as much as by proxies, so only the entries added by our
own proxies can be trusted: with TRUSTED_PROXY_COUNT = n the client is the n-th entry from the
right. With 0 (no proxy, the default) the header is ignored and REMOTE_ADDR is used.
"""

from django.conf import settings


def client_ip(request) -> str | None:
    count = settings.TRUSTED_PROXY_COUNT
    if count > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count:
            return forwarded[-count]
    return request.META.get("REMOTE_ADDR")
