from django.urls import path

from referrals import views

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
]
