from django.urls import path

from referrals import appointment_views, views

app_name = "referrals"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("<int:pk>/", views.referral_detail, name="detail"),
    path("<int:pk>/accept/", views.referral_accept, name="accept"),
    path("<int:pk>/return/", views.referral_return, name="return"),
    path("<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("<int:pk>/progress/new/", views.progress_create, name="progress_create"),
    path("<int:pk>/close/", views.referral_close, name="close"),
    path("sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("sessions/<int:pk>/correct/", views.session_correct, name="session_correct"),
    path("cases/<int:case_pk>/new/", views.referral_create, name="create"),
    path("flags/<int:pk>/acknowledge/", views.flag_acknowledge, name="flag_acknowledge"),
    path(
        "<int:pk>/appointments/new/",
        appointment_views.appointment_book,
        name="appointment_book",
    ),
    path(
        "appointments/<int:pk>/reschedule/",
        appointment_views.appointment_reschedule,
        name="appointment_reschedule",
    ),
    path(
        "appointments/<int:pk>/cancel/",
        appointment_views.appointment_cancel,
        name="appointment_cancel",
    ),
    path(
        "appointments/<int:pk>/attendance/",
        appointment_views.appointment_attendance,
        name="appointment_attendance",
    ),
]
