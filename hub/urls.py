from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from api import urls as api_urls
from cautions import retention_urls
from hub import health, views
from hub.personal_data import no_personal_data
from hub.security import urls as security_urls
from hub.security import views as security_views
from notifications import urls as notification_urls

hub_patterns = (
    [
        path("people/", views.person_search, name="person_search"),
        path("people/new/", views.person_create, name="person_create"),
        path("people/<int:pk>/", views.person_detail, name="person_detail"),
        path("people/<int:pk>/edit/", views.person_edit, name="person_edit"),
        path("people/<int:pk>/offences/new/", views.offence_create, name="offence_create"),
        path("access-log/", views.audit_log, name="audit_log"),
        path("no-role/", views.no_role, name="no_role"),
    ],
    "hub",
)

# The styled error pages (templates/403.html, 404.html) come from Django's own views; the
# server error page is drawn without the request (hub.views.server_error).
handler500 = "hub.views.server_error"

urlpatterns = [
    path("", views.home, name="home"),
    path(
        "accounts/login/",
        security_views.SignInView.as_view(
            template_name="registration/login.html", authentication_form=views.SignInForm
        ),
        name="login",
    ),
    path(
        "accounts/logout/",
        no_personal_data("signs out")(auth_views.LogoutView.as_view()),
        name="logout",
    ),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("", include(hub_patterns)),
    # Two-factor authentication, staff account security (hub) and retention review (cautions;
    # issue 6): one `security` namespace, so the retention pages kept their URL names when
    # they moved from hub to cautions (issue 15).
    path(
        "",
        include((security_urls.urlpatterns + retention_urls.urlpatterns, security_urls.app_name)),
    ),
    path("cases/", include("cautions.urls")),
    path("referrals/", include("referrals.urls")),
    path("reporting/", include("reporting.urls")),
    path("notifications/", include("notifications.urls")),
    path("notify/", include((notification_urls.callback_patterns, "notify"))),
    path("api/", include("api.urls")),
    path("api-tokens/", include(api_urls.token_patterns)),
    path("webhooks/", include(api_urls.webhook_patterns)),
    path("records/", include("records.urls")),
    path("admin/", admin.site.urls),
    # Load balancer and uptime check: no sign-in (hub.middleware.PUBLIC_PREFIXES).
    path("healthz", health.healthz, name="healthz"),
]

if settings.BENCH_TRIVIAL_VIEW:
    # Only for bench/run: the trivial view that page latency is compared with.
    urlpatterns.append(path("bench/trivial", health.bench_trivial, name="bench_trivial"))
