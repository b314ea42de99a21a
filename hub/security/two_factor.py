"""Two-factor authentication pages: set-up (enrolment code, then authenticator) and the code
asked for at sign-in.

Set-up, for an account with no confirmed authenticator (issue 17 point 1):
1. the user enters the one-time enrolment code an administrator gave them
   (hub/security/enrolment.py); the password alone shows no secret and makes no device;
2. each visit to the page then makes a fresh secret, bound to this session, replacing any
   unconfirmed one (of this or another session): a secret someone else saw is never the one
   confirmed here;
3. a right code from the authenticator confirms the device and spends the enrolment code, in
   one transaction.
A user who already has a confirmed authenticator cannot replace it here (a stolen session must
not move the second factor): an administrator resets it.

Wrong codes of every kind are throttled per session and per address, and an account under
attack costs every further wrong guess a new password sign-in (hub/security/throttle.py).
"""

from __future__ import annotations

import base64
import logging
from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from hub.audit import log_access
from hub.models import AccessLog, EnrolmentCode, TwoFactorFailure
from hub.personal_data import no_personal_data
from hub.security import enrolment, throttle
from hub.security.forms import EnrolmentCodeForm, TokenForm

logger = logging.getLogger("hub.security")

# Session keys: the enrolment code redeemed in this session, the device made for it.
SESSION_CODE = "two_factor_enrolment_code"
SESSION_DEVICE = "two_factor_setup_device"

WRONG_CODE = "The code is not correct. Check the time on your phone and try again"
REPLACED = (
    "The set-up was opened again (here or elsewhere), which made a new key. Scan the new QR "
    "code below, or type the new key, then enter the code it shows"
)


def next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


def _grouped_secret(device: TOTPDevice) -> str:
    secret = base64.b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _throttled(request: HttpRequest, scope: str) -> HttpResponse:
    logger.warning("two-factor code refused: throttled", extra={"scope": scope})
    minutes = int(settings.TWO_FACTOR_FAILURE_WINDOW.total_seconds() // 60)
    return render(
        request,
        "hub/security/two_factor_throttled.html",
        {"scope": scope, "minutes": minutes},
        status=429,
    )


def _here(request: HttpRequest) -> str:
    return f"{request.path}?{request.GET.urlencode()}" if request.GET else request.path


@no_personal_data("the signed-in user's own second factor; no records of people")
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return render(request, "hub/security/two_factor_done.html")
    scope = throttle.two_factor_throttle(request)
    if scope and request.method == "POST":
        return _throttled(request, scope)
    code = enrolment.valid_code_by_id(user, request.session.get(SESSION_CODE))
    if code is None:
        return _enrolment_step(request)
    if request.method == "POST":
        return _confirm_step(request, code)
    return _secret_page(request, _fresh_device(request), TokenForm(submit=_SUBMIT))


_SUBMIT = "Turn on two-factor authentication"


def _enrolment_step(request: HttpRequest) -> HttpResponse:
    form = EnrolmentCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        found = enrolment.find_code(request.user, form.cleaned_data["enrolment_code"])
        if found is not None:
            request.session[SESSION_CODE] = found.pk
            return redirect(_here(request))
        throttle.record_failure(request, TwoFactorFailure.Kind.ENROLMENT)
        logger.warning("enrolment code refused", extra={"target_user_id": request.user.pk})
        form.add_error(
            "enrolment_code",
            "The enrolment code is not correct or has expired. Check it, or ask an "
            "administrator for a new one",
        )
    return render(
        request,
        "hub/security/two_factor_enrol.html",
        {"form": form, "required": settings.OTP_REQUIRED},
    )


def _fresh_device(request: HttpRequest) -> TOTPDevice:
    """A new secret for this session; every unconfirmed device of the account goes."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
        device = TOTPDevice.objects.create(
            user=request.user, name="Authenticator app", confirmed=False
        )
    request.session[SESSION_DEVICE] = device.pk
    return device


def _secret_page(request: HttpRequest, device: TOTPDevice, form: TokenForm) -> HttpResponse:
    qr = segno.make(device.config_url, error="m")
    return render(
        request,
        "hub/security/two_factor_setup.html",
        {
            "form": form,
            "secret": _grouped_secret(device),
            "qr_data_uri": qr.svg_data_uri(scale=5, border=2),
            "issuer": settings.OTP_TOTP_ISSUER,
            "next": next_url(request),
            "required": settings.OTP_REQUIRED,
        },
    )


def _confirm(request: HttpRequest, code: EnrolmentCode, device_pk: int, token: str) -> str:
    """Confirm the session's device with `token`, spending the enrolment code. Returns "" on
    success, else what went wrong: "replaced", "code" (enrolment code gone) or "token"."""
    user = request.user
    with transaction.atomic():
        locked_code = (
            EnrolmentCode.objects.select_for_update()
            .filter(pk=code.pk, used_at__isnull=True, expires_at__gt=timezone.now())
            .first()
        )
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(pk=device_pk, user=user, confirmed=False)
            .first()
        )
        if locked_code is None:
            return "code"
        if device is None:
            return "replaced"
        if not device.verify_token(token):
            return "token"
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        locked_code.used_at = timezone.now()
        locked_code.save(update_fields=["used_at"])
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    otp_login(request, device)
    return ""


def _confirm_step(request: HttpRequest, code: EnrolmentCode) -> HttpResponse:
    device_pk = request.session.get(SESSION_DEVICE)
    form = TokenForm(request.POST, submit=_SUBMIT)
    if not form.is_valid():
        device = TOTPDevice.objects.filter(pk=device_pk, user=request.user, confirmed=False)
        return _secret_page(request, device.first() or _fresh_device(request), form)
    outcome = _confirm(request, code, device_pk, form.cleaned_data["token"])
    if not outcome:
        for key in (SESSION_CODE, SESSION_DEVICE):
            request.session.pop(key, None)
        log_access(
            request,
            action=AccessLog.Action.ALTERATION,
            object_type="auth.user",
            object_id=request.user.pk,
            description=f"Set up two-factor authentication: {request.user.get_username()}",
        )
        logger.info("two-factor device confirmed", extra={"target_user_id": request.user.pk})
        messages.success(request, "Two-factor authentication is turned on for your account")
        return redirect(next_url(request))
    if outcome == "code":
        request.session.pop(SESSION_CODE, None)
        return redirect(_here(request))
    if outcome == "replaced":
        form = TokenForm(submit=_SUBMIT)
        form.add_error(None, REPLACED)
        return _secret_page(request, _fresh_device(request), form)
    throttle.record_failure(request, TwoFactorFailure.Kind.SET_UP)
    form.add_error("token", WRONG_CODE)
    device = TOTPDevice.objects.get(pk=device_pk)
    return _secret_page(request, device, form)


@no_personal_data("the second sign-in step; no records of people")
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the user's authenticator app."""
    user = request.user
    if getattr(user, "is_verified", lambda: False)():
        return redirect(next_url(request))
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        setup = reverse("security:two_factor_setup")
        return redirect(f"{setup}?{request.GET.urlencode()}" if request.GET else setup)
    scope = throttle.two_factor_throttle(request)
    if scope and request.method == "POST":
        return _throttled(request, scope)
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
            return redirect(next_url(request))
        throttle.record_failure(request, TwoFactorFailure.Kind.SIGN_IN)
        logger.warning("two-factor code refused", extra={"target_user_id": user.pk})
        if throttle.account_under_attack(user):
            # Every further guess must start again from the password (README, Security).
            logger.warning("two-factor: many wrong codes for one account; session ended")
            logout(request)
            return redirect(f"{reverse('login')}?{urlencode({'next': next_url(request)})}")
        form.add_error(
            "token",
            "The code is not correct. Wait for a new code and try again. If you have lost your "
            "phone, ask an administrator to reset your two-factor authentication",
        )
    return render(
        request, "hub/security/two_factor_verify.html", {"form": form, "next": next_url(request)}
    )
