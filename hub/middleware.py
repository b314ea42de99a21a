import logging
import time

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.utils.cache import patch_cache_control

from hub.audit import log_access
from hub.models import AccessLog

logger = logging.getLogger("hub.security")

# Paths reachable without signing in. Everything else needs a signed-in user.
# /api/ authenticates each request by its bearer token (api.authentication) and answers 401
# itself: a partner system is never sent to a sign-in page.
PUBLIC_PREFIXES = (
    "/accounts/login/",
    "/static/",
    "/healthz",
    "/accessibility/",
    "/api/v1/",
    "/api/schema/",
    "/api/docs/",
    # GOV.UK Notify's delivery receipts: a bearer token, not a session (notifications.views).
    "/notify/callback/",
)


class LoginRequiredMiddleware:
    """Every page needs sign-in, so that a new view cannot forget it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)


class SessionIdleRefreshMiddleware:
    """Restarts a signed-in session's idle clock (SESSION_COOKIE_AGE, 30 minutes) at most
    once every SESSION_REFRESH_SECONDS (60), instead of on every request.

    The session table's expire_date is the idle deadline: Django sets it to now + 30 minutes
    whenever the session is saved, and a session past it is signed out. Saving on every request
    (SESSION_SAVE_EVERY_REQUEST) keeps the deadline exact but costs an UPDATE and a COMMIT (a
    write-ahead-log flush on PostgreSQL) on every page, even a page that only reads, which
    made a do-nothing signed-in page 3.5 times slower than /healthz under load (bench/RESULTS.md).
    Here the session is saved only when it was last refreshed more than a minute ago (the time
    is kept in the session), or when the request changed it anyway.

    Trade-off: a session ends between 29 and 30 minutes after its last request rather than
    exactly 30 (never later than 30: the deadline only moves forward when it is refreshed).
    Must come after SessionMiddleware (its response step runs first, marking the session for
    SessionMiddleware to save).
    """

    KEY = "_idle_refreshed_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        if session is None or response.status_code >= 500 or session.is_empty():
            return response
        now = int(time.time())
        last = session.get(self.KEY)
        if (
            session.modified
            or not isinstance(last, int)
            or now - last >= settings.SESSION_REFRESH_SECONDS
        ):
            session[self.KEY] = now  # marks the session modified: SessionMiddleware saves it
        return response


class NoStoreForSignedInMiddleware:
    """`Cache-Control: no-store, private` on every response to a signed-in user.

    Nearly every signed-in page shows personal data (people, cases, referrals, the access log,
    downloads) or a secret (the two-factor set-up page's key), and a page that does not today
    may tomorrow: marking them all is simpler and safer than marking each, and costs nothing
    (nothing signed-in was cacheable: every page is per user). The browser then keeps no copy
    on disk and the back button after sign-out shows nothing; no proxy keeps one either.
    Public pages (sign-in, accessibility, /healthz, static files) are not touched.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True, private=True)
        return response


# Ids are 64-bit (BigAutoField): a larger number in an address names nothing.
MAX_ID = 2**63 - 1


class IdsInRangeMiddleware:
    """404 for an address whose integer part no row can have (/cases/99999999999999999999/).

    Django's ORM turns most out-of-range lookups into "no rows", but a value that reaches the
    database as a parameter (prepared page queries, raw SQL, foreign keys) fails there with a
    server error. Checked once here for every URL's <int:...> parts, so a new view cannot
    forget it. (Negative numbers never match <int:...>.)
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        for value in (*view_args, *view_kwargs.values()):
            if isinstance(value, int) and not isinstance(value, bool) and value > MAX_ID:
                raise Http404("No such record")


class BreakGlassAuditMiddleware:
    """Every request of a superuser is an access-log entry of its own (action break_glass),
    written before the view runs, so that a failed or refused request is in the log too.

    Superusers bypass every role: the service has one, the break-glass account, used only when
    nobody with the right role can act (README, Security). Its use is reviewed from the access
    log filtered by that action. The demo and every role account are not superusers.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_superuser:
            log_access(
                request,
                action=AccessLog.Action.BREAK_GLASS,
                object_type="break_glass",
                description=f"Break-glass request: {request.method} {request.path}"[:300],
            )
            logger.warning("break-glass request", extra={"user_id": user.pk})
        return self.get_response(request)
