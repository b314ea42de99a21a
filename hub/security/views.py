"""Two-factor authentication pages and the administrator's staff account pages."""

import base64
import logging

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import permission_required
from django.contrib.auth.views import LoginView
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from hub.personal_data import no_personal_data
from hub.security import services, throttle
from hub.security.forms import AccountActionForm, TokenForm

logger = logging.getLogger("hub.security")

# Manage staff accounts' sign-in security. Administrators hold it (hub/roles.py).
MANAGE_ACCOUNTS = "auth.change_user"


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


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


def _grouped_secret(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@no_personal_data("the signed-in user's own second factor; no records of people")
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), then give a code.

    The device stays unconfirmed until a correct code proves the app holds the secret. A user
    who already has a confirmed device cannot replace it here (a stolen session must not be
    able to move the second factor): an administrator resets it.
    """
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return render(request, "hub/security/two_factor_done.html")
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)
    form = TokenForm(request.POST or None, submit="Turn on two-factor authentication")
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            device = TOTPDevice.objects.select_for_update().get(pk=device.pk)
            verified = device.verify_token(form.cleaned_data["token"])
            if verified:
                device.confirmed = True
                device.save(update_fields=["confirmed"])
        if verified:
            otp_login(request, device)
            logger.info("two-factor device confirmed", extra={"target_user_id": user.pk})
            messages.success(request, "Two-factor authentication is turned on for your account")
            return redirect(_next_url(request))
        form.add_error(
            "token", "The code is not correct. Check the time on your phone and try again"
        )
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "hub/security/two_factor_setup.html",
        {
            "form": form,
            "secret": _grouped_secret(device),
            "qr_data_uri": qr.svg_data_uri(scale=5, border=2),
            "issuer": settings.OTP_TOTP_ISSUER,
            "next": _next_url(request),
            "required": settings.OTP_REQUIRED,
        },
    )


@no_personal_data("the second sign-in step; no records of people")
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the user's authenticator app."""
    user = request.user
    if getattr(user, "is_verified", lambda: False)():
        return redirect(_next_url(request))
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        setup = reverse("security:two_factor_setup")
        return redirect(f"{setup}?{request.GET.urlencode()}" if request.GET else setup)
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            matched = None
            devices = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
            for device in devices:
                if device.verify_token(form.cleaned_data["token"]):
                    matched = device
                    break
        if matched is not None:
            otp_login(request, matched)
            return redirect(_next_url(request))
        logger.warning("two-factor code refused", extra={"target_user_id": user.pk})
        form.add_error(
            "token",
            "The code is not correct. Wait for a new code and try again. If you have lost your "
            "phone, ask an administrator to reset your two-factor authentication",
        )
    return render(
        request, "hub/security/two_factor_verify.html", {"form": form, "next": _next_url(request)}
    )


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


def _account_forms(target, data=None, which: str = ""):
    return {
        "sign_out_form": AccountActionForm(
            data if which == "sign_out" else None,
            prefix="sign_out",
            action=reverse("security:account_sign_out_everywhere", args=[target.pk]),
            submit="Sign out everywhere",
        ),
        "reset_form": AccountActionForm(
            data if which == "reset" else None,
            prefix="reset",
            action=reverse("security:account_reset_two_factor", args=[target.pk]),
            submit="Reset two-factor authentication",
        ),
    }


def _render_account(request, target, forms, status=200):
    return render(
        request,
        "hub/security/account_detail.html",
        {"target": target, "is_self": target.pk == request.user.pk, **forms},
        status=status,
    )


@no_personal_data("a staff account, not a record of a person in the workflow")
@permission_required(MANAGE_ACCOUNTS, raise_exception=True)
def account_detail(request: HttpRequest, pk: int) -> HttpResponse:
    target = get_object_or_404(_staff_queryset(), pk=pk)
    return _render_account(request, target, _account_forms(target))


def _account_action(request: HttpRequest, pk: int, which: str, service, done: str):
    target = get_object_or_404(_staff_queryset(), pk=pk)
    if target.pk == request.user.pk:
        # Ending one's own sessions mid-request would break this response; sign out instead.
        raise Http404("Use Sign out for your own account")
    forms = _account_forms(target, request.POST, which)
    form = forms["sign_out_form" if which == "sign_out" else "reset_form"]
    if not form.is_valid():
        return _render_account(request, target, forms, status=200)
    count = service(request=request, user=target, reason=form.cleaned_data["reason"])
    messages.success(request, done.format(user=target.get_username(), count=count))
    return redirect("security:account_detail", pk=target.pk)


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
