"""Django's ModelBackend with the two reads every signed-in page makes made cheaper.

- The signed-in user is loaded with their staff profile and organisation (the header shows
  the organisation; caseworker pages scope by it): one query instead of three.
- A user's permissions (the two queries ModelBackend runs on every page that checks one) are
  kept in the cache for PERMISSION_CACHE_SECONDS. Any change to roles or permissions made in
  this service (a user's roles, a role's permissions, a role deleted) starts a new cache
  generation, so the change shows at once in every process that shares the cache. With the
  default per-process cache (CACHE_URL=locmemcache://) another server process can keep the old
  permissions for up to PERMISSION_CACHE_SECONDS (60): to cut someone off at once, deactivate
  the account or sign them out everywhere, which are checked on every request.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.db import transaction

from hub.prepared import PreparedQuery

GENERATION_KEY = "hub:perms:generation"


def _generation() -> str:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        generation = new_generation()
    return generation


def new_generation() -> str:
    """Forget every cached permission set (called when roles or permissions change)."""
    generation = secrets.token_hex(8)
    cache.set(GENERATION_KEY, generation, None)
    return generation


def _key(user) -> str:
    # date_joined tells apart two users given the same id (ids are reused after a rollback on
    # SQLite); is_superuser is part of the answer.
    return (
        f"hub:perms:{_generation()}:{user.pk}:{user.date_joined.timestamp()}:"
        f"{int(user.is_superuser)}"
    )


_USER_WITH_PROFILE = PreparedQuery(
    lambda pk: (
        get_user_model()._default_manager.select_related("profile__organisation").filter(pk=pk)
    )
)


class HubModelBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        found = _USER_WITH_PROFILE(pk)
        if not found:
            return None
        user = found[0]
        return user if self.user_can_authenticate(user) else None

    def get_all_permissions(self, user_obj, obj=None):
        if (
            obj is None
            and user_obj.is_active
            and not user_obj.is_anonymous
            and not hasattr(user_obj, "_perm_cache")
        ):
            key = _key(user_obj)
            permissions = cache.get(key)
            if permissions is None:
                permissions = super().get_all_permissions(user_obj)
                cache.set(key, permissions, settings.PERMISSION_CACHE_SECONDS)
            user_obj._perm_cache = permissions
        return super().get_all_permissions(user_obj, obj)


def _roles_or_permissions_changed(sender, **kwargs) -> None:
    action = kwargs.get("action")
    if action is None or action.startswith("post_"):
        new_generation()
        # And again once committed: a request that read the old permissions between the two
        # (the change not yet visible to it) must not keep them under the new generation.
        transaction.on_commit(new_generation)


def connect_signals() -> None:
    from django.contrib.auth.models import Group, Permission
    from django.db.models.signals import m2m_changed, post_delete

    UserModel = get_user_model()
    for through in (
        UserModel.groups.through,
        UserModel.user_permissions.through,
        Group.permissions.through,
    ):
        m2m_changed.connect(
            _roles_or_permissions_changed, sender=through, dispatch_uid=f"hub.perms.{through}"
        )
    for model in (Group, Permission):
        post_delete.connect(
            _roles_or_permissions_changed, sender=model, dispatch_uid=f"hub.perms.del.{model}"
        )
