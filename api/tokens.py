"""Issuing, finding and revoking API tokens (one function per transition)."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from api.models import ApiToken
from hub.errors import DomainError

TOKEN_PREFIX = "ohk_"
MAX_DAYS = 366


class TokenError(DomainError):
    pass


def digest_of(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


@transaction.atomic
def token_create(*, user, name: str, days: int | None = None, actor=None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns the row and the token itself, which is shown once and
    never stored."""
    days = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= days <= MAX_DAYS:
        raise TokenError(f"A token lasts between 1 and {MAX_DAYS} days.")
    name = (name or "").strip()
    if not name:
        raise TokenError("Give the token a name (the system that will use it).")
    if not user.is_active:
        raise TokenError("That account is not active.")
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    now = timezone.now()
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=raw[:12],
        digest=digest_of(raw),
        created_by=actor,
        expires_at=now + dt.timedelta(days=days),
    )
    return token, raw


def token_find(raw: str) -> ApiToken | None:
    """The live token with this value, or None (unknown, expired, revoked, inactive user)."""
    if not raw.startswith(TOKEN_PREFIX) or len(raw) > 100:
        return None
    token = (
        ApiToken.objects.select_related("user", "user__profile")
        .filter(digest=digest_of(raw), revoked_at__isnull=True, expires_at__gt=timezone.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token


def token_touch(token: ApiToken) -> None:
    """Records when the token was last used, at most once a minute (not a write per call)."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now


@transaction.atomic
def token_revoke(*, token: ApiToken, actor) -> ApiToken:
    token = ApiToken.objects.select_for_update().get(pk=token.pk)
    if token.revoked_at is not None:
        raise TokenError("That token is already revoked.")
    token.revoked_at = timezone.now()
    token.revoked_by = actor
    token.save(update_fields=["revoked_at", "revoked_by"])
    return token
