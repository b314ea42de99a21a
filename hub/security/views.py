"""The sign-in page and the administrator's staff account pages (two-factor recovery,
enrolment codes, signing out everywhere). The two-factor pages are in two_factor.py."""

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.views import LoginView
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from hub.personal_data import no_personal_data
from hub.security import services, throttle
from hub.security.forms import AccountActionForm

logger = logging.getLogger("hub.security")

# Manage staff accounts' sign-in security. Administrators hold it (hub/roles.py).
MANAGE_ACCOUNTS = "auth.change_user"


@no_personal_data("the sign-in page")
class SignInView(LoginView):
    """Django's sign-in page, refusing every password from an address that has failed too
    often with any user names (hub.security.throttle), before the password is checked."""

    def post(self, request, *args, **kwargs):
        if throttle.address_throttled(request):
            logger.warning("sign-in refused: address throttled")
            minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
            return render(
                request,
                "hub/security/address_throttled.html",
                {"minutes": minutes},
                status=429,
            )
        return super().post(request, *args, **kwargs)


def _staff_queryset():
    return (
        get_user_model()
        .objects.select_related("profile__organisation")
        .prefetch_related("groups")
        .annotate(
            has_two_factor=Exists(TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True))
        )
        .order_by("username")
    )


@no_personal_data("staff accounts, not records of people in the workflow")
@permission_required(MANAGE_ACCOUNTS, raise_exception=True)
def account_list(request: HttpRequest) -> HttpResponse:
    from django.core.paginator import Paginator

    page_obj = Paginator(_staff_queryset(), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "hub/security/account_list.html",
        {"page_obj": page_obj, "querystring_without_page": ""},
    )


# The actions on a staff account: form prefix -> (URL name, button).
ACCOUNT_ACTIONS = {
    "sign_out": ("security:account_sign_out_everywhere", "Sign out everywhere"),
    "reset": ("security:account_reset_two_factor", "Reset two-factor authentication"),
    "enrol": ("security:account_issue_enrolment_code", "Issue enrolment code"),
    "clear": ("security:account_clear_two_factor_failures", "Clear wrong-code limits"),
}


def _account_forms(target, data=None, which: str = ""):
    return {
        f"{prefix}_form": AccountActionForm(
            data if which == prefix else None,
            prefix=prefix,
            action=reverse(url_name, args=[target.pk]),
            submit=submit,
        )
        for prefix, (url_name, submit) in ACCOUNT_ACTIONS.items()
    }


def _render_account(request, target, forms, status=200, *, title: str = "", **extra):
    # Each address has its own title (an action's page names the action).
    return render(
        request,
        "hub/security/account_detail.html",
        {
            "target": target,
            "is_self": target.pk == request.user.pk,
            "page_title": f"{title or 'Staff account'}: {target.get_username()}",
            **forms,
            **extra,
        },
        status=status,
    )


@no_personal_data("a staff account, not a record of a person in the workflow")
@permission_required(MANAGE_ACCOUNTS, raise_exception=True)
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(_staff_queryset(), pk=pk)
    return _render_account(request, target, _account_forms(target))


def _acting_on(request: HttpRequest, pk: int, which: str):
    """The target account and the action's form, bound; never one's own account."""
    target = get_object_or_404(_staff_queryset(), pk=pk)
    if target.pk == request.user.pk:
        # Ending one's own sessions mid-request would break this response, and nobody vouches
        # for their own second factor: another administrator acts.
        raise Http404("Another administrator acts on your own account")
    forms = _account_forms(target, request.POST, which)
    return target, forms, forms[f"{which}_form"]


def _action_title(which: str) -> str:
    return ACCOUNT_ACTIONS[which][1]


def _account_action(request: HttpRequest, pk: int, which: str, service, done: str):
    target, forms, form = _acting_on(request, pk, which)
    if not form.is_valid():
        return _render_account(request, target, forms, title=_action_title(which))
    count = service(request=request, user=target, reason=form.cleaned_data["reason"])
    messages.success(request, done.format(user=target.get_username(), count=count))
    return redirect("security:account_detail", pk=target.pk)


@no_personal_data("a staff account action, logged as an alteration")
@require_POST
@permission_required(MANAGE_ACCOUNTS, raise_exception=True)
def account_issue_enrolment_code(request: HttpRequest, pk: int) -> HttpResponse:
    """Issue a one-time enrolment code and show it on this response only (never stored)."""
    target, forms, form = _acting_on(request, pk, "enrol")
    if not form.is_valid():
        return _render_account(request, target, forms, title=_action_title("enrol"))
    code = services.account_issue_enrolment_code(
        request=request, user=target, reason=form.cleaned_data["reason"]
    )
    return _render_account(
        request,
        target,
        _account_forms(target),
        title="Enrolment code issued",
        enrolment_code=code,
        enrolment_hours=settings.TWO_FACTOR_ENROLMENT_HOURS,
    )


@no_personal_data("a staff account action, logged as an alteration")
@require_POST
@permission_required(MANAGE_ACCOUNTS, raise_exception=True)
def account_clear_two_factor_failures(request: HttpRequest, pk: int) -> HttpResponse:
    return _account_action(
        request,
        pk,
        "clear",
        services.account_clear_two_factor_failures,
        "Wrong-code limits cleared for {user} ({count} wrong codes forgotten)",
    )


@no_personal_data("a staff account action, logged as an alteration")
@require_POST
@permission_required(MANAGE_ACCOUNTS, raise_exception=True)
def account_sign_out_everywhere(request: HttpRequest, pk: int) -> HttpResponse:
    return _account_action(
        request,
        pk,
        "sign_out",
        services.account_sign_out_everywhere,
        "{user} has been signed out everywhere ({count} sessions ended)",
    )


@no_personal_data("a staff account action, logged as an alteration")
@require_POST
@permission_required(MANAGE_ACCOUNTS, raise_exception=True)
def account_reset_two_factor(request: HttpRequest, pk: int) -> HttpResponse:
    return _account_action(
        request,
        pk,
        "reset",
        services.account_reset_two_factor,
        "Two-factor authentication has been reset for {user}: they will set it up again "
        "when they next sign in",
    )
