"""/api/v1/ (the partner API), /api/schema/ (OpenAPI 3) and /api/docs/ (its documentation).

Each endpoint declares what it shows (hub.personal_data), as every page does: reads of a
person's data are access-log entries."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from api import appointment_views, docs, token_views, views, webhook_views
from hub.personal_data import no_personal_data, personal_data

app_name = "api"

NO_PERSON = "aggregates only, small cells suppressed"

urlpatterns = [
    path(
        "v1/referrals/",
        personal_data("referrals.referral", "API: listed referrals", many=True)(
            views.ReferralList.as_view()
        ),
        name="referral_list",
    ),
    path(
        "v1/referrals/<int:pk>/",
        personal_data("referrals.referral", "API: read the referral")(
            views.ReferralDetail.as_view()
        ),
        name="referral_detail",
    ),
    path(
        "v1/referrals/<int:pk>/accept/",
        personal_data("referrals.referral", "API: accepted the referral")(
            views.ReferralAccept.as_view()
        ),
        name="referral_accept",
    ),
    path(
        "v1/referrals/<int:pk>/return/",
        personal_data("referrals.referral", "API: returned the referral")(
            views.ReferralReturn.as_view()
        ),
        name="referral_return",
    ),
    path(
        "v1/referrals/<int:pk>/sessions/",
        personal_data("referrals.supportsession", "API: read the referral's sessions")(
            views.ReferralSessions.as_view()
        ),
        name="referral_sessions",
    ),
    path(
        "v1/referrals/<int:pk>/appointments/",
        personal_data("referrals.referral", "API: read the referral's appointments")(
            appointment_views.ReferralAppointments.as_view()
        ),
        name="referral_appointments",
    ),
    path(
        "v1/appointments/<int:pk>/",
        personal_data("referrals.appointment", "API: read the appointment")(
            appointment_views.AppointmentDetail.as_view()
        ),
        name="appointment_detail",
    ),
    path(
        "v1/appointments/<int:pk>/cancel/",
        personal_data("referrals.appointment", "API: cancelled the appointment")(
            appointment_views.AppointmentCancel.as_view()
        ),
        name="appointment_cancel",
    ),
    path(
        "v1/appointments/<int:pk>/attendance/",
        personal_data("referrals.appointment", "API: recorded attendance")(
            appointment_views.AppointmentAttendance.as_view()
        ),
        name="appointment_attendance",
    ),
    path(
        "v1/cases/<int:pk>/",
        personal_data("cautions.case", "API: read the case's status")(views.CaseDetail.as_view()),
        name="case_detail",
    ),
    path(
        "v1/people/",
        no_personal_data("creates a person; answers with what the caller sent")(
            views.PersonCreate.as_view()
        ),
        name="person_create",
    ),
    path(
        "v1/people/<int:pk>/",
        personal_data("hub.person", "API: read the person")(views.PersonDetail.as_view()),
        name="person_detail",
    ),
    path(
        "v1/people/<int:pk>/offences/",
        no_personal_data("records an offence; answers with what the caller sent")(
            views.OffenceCreate.as_view()
        ),
        name="offence_create",
    ),
    path(
        "v1/reports/reoffending/",
        no_personal_data(NO_PERSON)(views.ReoffendingReport.as_view()),
        name="report_reoffending",
    ),
    path(
        "schema/",
        no_personal_data("the API's description")(SpectacularAPIView.as_view()),
        name="schema",
    ),
    path("docs/", docs.api_docs, name="docs"),
]

# The administrators' token pages: browser pages (signed in, two-factor), not API endpoints.
token_patterns = (
    [
        path("", token_views.token_list, name="token_list"),
        path("<int:pk>/revoke/", token_views.token_revoke, name="token_revoke"),
    ],
    "api_tokens",
)

# The administrators' webhook pages.
webhook_patterns = (
    [
        path("", webhook_views.webhook_list, name="list"),
        path("<int:pk>/deliveries/", webhook_views.delivery_list, name="deliveries"),
        path("deliveries/<int:pk>/redeliver/", webhook_views.redeliver, name="redeliver"),
    ],
    "webhooks",
)
