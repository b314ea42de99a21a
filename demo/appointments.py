"""Demo appointments (issue 18): upcoming ones on the demo referrals that are under way, one
within the next 24 hours (so a reminder is due at once), a few over the coming weeks, and one
the person missed. Booked through referrals.services, as a caseworker would. Safe to run again:
a referral that has any appointment is left as it is."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from referrals import services
from referrals.models import Referral

PLACES = {
    "in_person": "Outside Links, 12 Bridge Street, Peterborough PE1 1HB",
    "phone": "",
    "video": "https://meet.example.org/outside-links/room-4",
}

# Case reference: (when, mode, minutes) for each upcoming appointment. "soon" is the next
# daytime slot at least two hours away (always within 24 hours); otherwise days ahead at 10:00.
PLAN = {
    "DEMO-REF-03": [("soon", "in_person", 60), (7, "in_person", 60), (21, "phone", 30)],
    "DEMO-REF-02": [(3, "phone", 30), (10, "video", 45)],
    "DEMO-REF-04": [(5, "in_person", 60)],
    "DEMO-REF-08": [(2, "in_person", 60), (14, "in_person", 60)],
}
# The not-engaging person missed an appointment three days ago, with no acceptable reason.
MISSED = {"DEMO-REF-04": 3}


def soon_slot(now: dt.datetime) -> dt.datetime:
    """The first of 10:00, 14:00 or 16:00 (today or tomorrow) at least two hours from now."""
    local = timezone.localtime(now)
    for days in (0, 1):
        for hour in (10, 14, 16):
            slot = (local + dt.timedelta(days=days)).replace(
                hour=hour, minute=0, second=0, microsecond=0
            )
            if slot >= local + dt.timedelta(hours=2):
                return slot
    raise AssertionError("unreachable: tomorrow at 16:00 is always far enough away")


def _at(when, now: dt.datetime) -> dt.datetime:
    if when == "soon":
        return soon_slot(now)
    day = timezone.localdate(now) + dt.timedelta(days=when)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)))


def _details(starts_at, mode, minutes, referral) -> dict:
    return {
        "starts_at": starts_at,
        "duration_minutes": minutes,
        "mode": mode,
        "place": PLACES[mode],
        "with_whom": referral.assigned_to,
        "pathway": referral.pathways.first(),
    }


def _book_missed(referral, days_ago: int, now: dt.datetime) -> None:
    """Book it as if from the day before, then record that the person did not come. The
    referral dates from the caution (demo referrals are made when the demo is seeded)."""
    starts_at = _at(-days_ago, now).replace(hour=14)
    caution_at = timezone.make_aware(
        dt.datetime.combine(referral.case.caution_date, dt.time(12, 0))
    )
    if referral.created_at > caution_at:
        Referral.objects.filter(pk=referral.pk).update(created_at=caution_at)
        referral.refresh_from_db()
    appointment = services.appointment_book(
        referral=referral,
        actor=referral.assigned_to,
        details=_details(starts_at, "in_person", 60, referral),
        now=starts_at - dt.timedelta(days=1),
    )
    services.appointment_record_attendance(
        appointment=appointment,
        actor=referral.assigned_to,
        status="did_not_attend",
        absence_reason="None given. Two calls unanswered; text message sent.",
    )


def seed(ctx) -> None:
    now = timezone.now()
    referrals = Referral.objects.filter(
        case__reference__in=PLAN,
        status__in=[Referral.Status.ACCEPTED, Referral.Status.IN_PROGRESS],
        appointments__isnull=True,
    ).select_related("case", "assigned_to")
    for referral in referrals:
        reference = referral.case.reference
        if reference in MISSED:
            _book_missed(referral, MISSED[reference], now)
        for when, mode, minutes in PLAN[reference]:
            services.appointment_book(
                referral=referral,
                actor=referral.assigned_to,
                details=_details(_at(when, now), mode, minutes, referral),
                now=now,
            )
