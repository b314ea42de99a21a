"""Reading people's consent to reminders (the writes are in notifications.services)."""

from __future__ import annotations

from collections.abc import Iterable

from notifications.models import ContactConsent


def current_consents(person_ids: Iterable[int]) -> dict[int, ContactConsent]:
    """The current consent of each of `person_ids` that has one (one query)."""
    ids = set(person_ids)
    if not ids:
        return {}
    rows = ContactConsent.objects.filter(person_id__in=ids, withdrawn_at__isnull=True)
    return {consent.person_id: consent for consent in rows.select_related("person")}
