"""`/healthz` for load balancers, orchestrators and uptime checks.

Answers without sign-in (hub.middleware lets /healthz through) and reveals nothing: the body is
"ok" or "unavailable", never a version, host name or error message. The reason for a 503 goes to
the log, where operators can see it.

Only the primary (`default`) database is checked. A read replica for reports
(REPORTING_DATABASE_URL) being down makes the reports fail but must not take the whole service
out of the load balancer, so it is not part of this check.
"""

import logging

from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from hub.personal_data import no_personal_data

logger = logging.getLogger("hub.health")


def database_is_reachable(alias: str = "default") -> bool:
    """Run `SELECT 1` on the database; False on any database error."""
    try:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        # The class name is enough to start; the message may name hosts or users.
        logger.warning("health check: database %s unreachable (%s)", alias, type(error).__name__)
        return False
    return True


@no_personal_data("load balancer check: ok or 503")
@never_cache
@require_safe
def healthz(request: HttpRequest) -> HttpResponse:
    if database_is_reachable():
        return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
    return HttpResponse("unavailable\n", status=503, content_type="text/plain; charset=utf-8")


@no_personal_data("the benchmark's do-nothing page")
def bench_trivial(request: HttpRequest) -> HttpResponse:
    """The framework's ceiling for `bench/run`: a signed-in request that does nothing.

    Routed only when BENCH_TRIVIAL_VIEW=1. It goes through the whole middleware stack (session,
    user, sign-in check) like every page, so "case page / trivial" measures the page's own cost.
    """
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
