"""People with consent and booked appointments, for the reminder tests."""

import datetime as dt

from hub.roles import Role
from notifications import services
from referrals.models import Appointment
from tests.factories import OrganisationFactory, make_user
from tests.referrals.factories import accepted_referral


def consenting(person, *, channel="sms", two_hours_before=False, user=None, **contact):
    user = user or make_user(Role.OFFICER)
    if channel == "sms":
        contact.setdefault("phone", "07700 900123")
    else:
        contact.setdefault("email", "sam@example.com")
    return services.consent_record(
        person=person, user=user, channel=channel, two_hours_before=two_hours_before, **contact
    )


def booked_appointment(
    *, starts_at: dt.datetime, booked_at: dt.datetime, referral=None, mode="in_person", **kwargs
) -> Appointment:
    """A booked appointment, as if booked at `booked_at` (its updated_at)."""
    referral = referral or accepted_referral(OrganisationFactory(name="Outside Links"))
    appointment = Appointment.objects.create(
        referral=referral,
        starts_at=starts_at,
        duration_minutes=60,
        mode=mode,
        place=kwargs.pop("place", "12 High Street\nPeterborough" if mode == "in_person" else ""),
        booked_by=referral.assigned_to or make_user(Role.CASEWORKER),
        **kwargs,
    )
    Appointment.objects.filter(pk=appointment.pk).update(updated_at=booked_at)
    appointment.refresh_from_db()
    return appointment
