from django.conf import settings
from django.contrib.auth.views import redirect_to_login

# Paths reachable without signing in. Everything else needs a signed-in user.
PUBLIC_PREFIXES = ("/accounts/login/", "/static/", "/healthz", "/accessibility/")


class LoginRequiredMiddleware:
    """Every page needs sign-in, so that a new view cannot forget it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)
