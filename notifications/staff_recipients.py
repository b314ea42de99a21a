"""Who is told of what (issue 18, "Notifications to staff").

- Officer: the case's officer.
- Sergeant: the authorising officers (not the officer of the case, for an authorisation: no
  one authorises their own case).
- Caseworker: the caseworker assigned to the referral, or, before one is, every caseworker of
  the provider the person was referred to. Never another organisation's staff.

OPCC users are never told of a case (they see aggregates only), even holding another role.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from hub.models import Organisation
from hub.roles import Role


def _staff() -> QuerySet:
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .exclude(profile__organisation__kind=Organisation.Kind.OPCC)
    )


def officer_of(officer_id: int | None) -> QuerySet:
    return _staff().filter(pk=officer_id) if officer_id else _staff().none()


def officers(officer_ids) -> QuerySet:
    return _staff().filter(pk__in=officer_ids)


def sergeants(*, except_id: int | None = None) -> QuerySet:
    users = _staff().filter(groups__name=Role.AUTHORISING_OFFICER)
    return users.exclude(pk=except_id) if except_id else users


def caseworkers_for(referral) -> QuerySet:
    """The assigned caseworker, or the provider's caseworkers; always staff of the provider."""
    users = _staff().filter(
        groups__name=Role.CASEWORKER, profile__organisation_id=referral.provider_id
    )
    return users.filter(pk=referral.assigned_to_id) if referral.assigned_to_id else users
