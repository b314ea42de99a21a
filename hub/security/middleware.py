"""Two-factor authentication, enforced on the server for every page.

With settings.OTP_REQUIRED (default: on whenever DEBUG is off) a signed-in user who has not
given a one-time password in this session is sent to the verify page (which sends a user with
no authenticator yet to the set-up page) before any other page. Only the pages needed to get
through that step, to sign out, and the public ones are exempt.
"""

from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse

# View names reachable by a signed-in user who has not yet given a code.
EXEMPT_VIEW_NAMES = frozenset(
    {
        "login",
        "logout",
        "accessibility",
        "security:two_factor_setup",
        "security:two_factor_verify",
    }
)


def two_factor_pending(request) -> bool:
    """True when this request's user must still give a one-time password."""
    user = getattr(request, "user", None)
    if not settings.OTP_REQUIRED or user is None or not user.is_authenticated:
        return False
    is_verified = getattr(user, "is_verified", None)
    return not (is_verified and is_verified())


class TwoFactorRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not two_factor_pending(request):
            return None
        if request.path.startswith("/api/"):
            # The API authenticates by bearer token, never by this session (api.authentication).
            return None
        match = request.resolver_match
        if match is not None and match.view_name in EXEMPT_VIEW_NAMES:
            return None
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{reverse('security:two_factor_verify')}?{query}")
