"""Administrator actions on staff accounts: two-factor recovery, enrolment codes, clearing
wrong-code limits and signing out everywhere.

Each writes an access-log entry (alteration of a staff account: who, when, whose account, why)
in the same transaction as the change, and a line on the `hub.security` logger (by user id).
"""

import logging

from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.utils import timezone
from django_otp import devices_for_user

from hub.audit import log_access
from hub.models import AccessLog
from hub.security import enrolment, throttle

logger = logging.getLogger("hub.security")

DB_SESSION_ENGINES = (
    "django.contrib.sessions.backends.db",
    "django.contrib.sessions.backends.cached_db",
)


def user_sessions(user) -> list[Session]:
    """The live database sessions signed in as `user`.

    Sessions last 30 minutes idle, so the live ones are few; each is decoded to find its user
    (the session table does not index users, and a mapping table would go stale whenever a
    session key is rotated).
    """
    if settings.SESSION_ENGINE not in DB_SESSION_ENGINES:
        raise ImproperlyConfigured("Signing out everywhere needs database-backed sessions.")
    wanted = str(user.pk)
    return [
        session
        for session in Session.objects.filter(expire_date__gt=timezone.now())
        if str(session.get_decoded().get("_auth_user_id")) == wanted
    ]


@transaction.atomic
def _end_sessions(user) -> int:
    """Delete every live session of `user`; they are signed out at their next request."""
    sessions = user_sessions(user)
    Session.objects.filter(session_key__in=[s.session_key for s in sessions]).delete()
    return len(sessions)


def account_sign_out_everywhere(*, request, user, reason: str) -> int:
    """End every session of `user` (on every device). Returns how many were ended.

    Deleting the session rows signs the user out at their next request; nothing is cached
    elsewhere (the session engine is the database).
    """
    ended = _end_sessions(user)
    log_access(
        request,
        action=AccessLog.Action.ALTERATION,
        object_type="auth.user",
        object_id=user.pk,
        description=f"Signed out everywhere: {user.get_username()} ({ended} sessions)",
        justification=reason,
    )
    logger.info(
        "account signed out everywhere",
        extra={"target_user_id": user.pk, "sessions": ended},
    )
    return ended


@transaction.atomic
def account_reset_two_factor(*, request, user, reason: str) -> int:
    """Remove every two-factor device of `user` (lost or replaced phone).

    The user sets up a new authenticator at their next sign-in (OTP_REQUIRED). Their sessions
    are ended too, so that nobody keeps a session verified with the lost device.
    """
    devices = list(devices_for_user(user, confirmed=None))
    for device in devices:
        device.delete()
    _end_sessions(user)
    throttle.clear_failures(user)
    log_access(
        request,
        action=AccessLog.Action.ALTERATION,
        object_type="auth.user",
        object_id=user.pk,
        description=f"Reset two-factor authentication: {user.get_username()}",
        justification=reason,
    )
    logger.info(
        "two-factor authentication reset",
        extra={"target_user_id": user.pk, "devices": len(devices)},
    )
    return len(devices)


def account_issue_enrolment_code(*, request, user, reason: str) -> str:
    """A one-time code with which `user` sets up an authenticator (hub/security/enrolment.py).
    Returns the code, to be shown once."""
    code = enrolment.issue_code(user=user, issued_by=request.user, reason=reason, request=request)
    logger.info("enrolment code issued", extra={"target_user_id": user.pk})
    return code


@transaction.atomic
def account_clear_two_factor_failures(*, request, user, reason: str) -> int:
    """Forget `user`'s wrong two-factor codes (the per-session, per-address and per-account
    limits count them). Returns how many were forgotten."""
    cleared = throttle.clear_failures(user)
    log_access(
        request,
        action=AccessLog.Action.ALTERATION,
        object_type="auth.user",
        object_id=user.pk,
        description=f"Cleared wrong two-factor codes: {user.get_username()} ({cleared})",
        justification=reason,
    )
    return cleared
