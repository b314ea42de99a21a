from django.urls import path

from hub.security import two_factor, views

app_name = "security"

urlpatterns = [
    path("account/two-factor/", two_factor.two_factor_setup, name="two_factor_setup"),
    path("account/two-factor/verify/", two_factor.two_factor_verify, name="two_factor_verify"),
    path("staff/", views.account_list, name="account_list"),
    path("staff/<int:pk>/", views.account_detail, name="account_detail"),
    path(
        "staff/<int:pk>/sign-out-everywhere/",
        views.account_sign_out_everywhere,
        name="account_sign_out_everywhere",
    ),
    path(
        "staff/<int:pk>/enrolment-code/",
        views.account_issue_enrolment_code,
        name="account_issue_enrolment_code",
    ),
    path(
        "staff/<int:pk>/clear-two-factor-failures/",
        views.account_clear_two_factor_failures,
        name="account_clear_two_factor_failures",
    ),
    path(
        "staff/<int:pk>/reset-two-factor/",
        views.account_reset_two_factor,
        name="account_reset_two_factor",
    ),
]
