"""The header's link to a user's notifications, with the unread count (a context processor).

Only staff who can be notified see it (police and caseworkers; never OPCC staff, who see
aggregates only). The count is one indexed query (staffnotif_user_unread_idx), run lazily:
only when a page that shows the header is drawn.
"""

from __future__ import annotations

from django.utils.functional import SimpleLazyObject

from hub.lib.urls import url_for
from hub.models import Organisation
from notifications.staff_services import unread_count

# Holding either permission makes a user someone the triggers may notify.
NOTIFIED_PERMISSIONS = ("cautions.view_case", "referrals.change_referral")


def can_be_notified(user) -> bool:
    if not user.is_authenticated:
        return False
    profile = getattr(user, "profile", None)
    if profile is not None and profile.organisation.kind == Organisation.Kind.OPCC:
        return False
    return any(user.has_perm(perm) for perm in NOTIFIED_PERMISSIONS)


def staff_notifications(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not can_be_notified(user):
        return {}
    return {
        "staff_notifications_url": url_for("notifications:staff_list"),
        "staff_unread_count": SimpleLazyObject(lambda: unread_count(user)),
    }
