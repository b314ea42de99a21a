"""Demo consent to reminders (issue 18): the person with the soonest booked appointment agreed
to text message reminders; the person with the next one said no (an opt-out, recorded as a
consent withdrawn). With no NOTIFY_API_KEY, `send_due_notifications` puts the first person's
reminders in the Outbox. Runs after the appointments are booked; safe to run again."""

from django.db.models import Min
from django.utils import timezone

from hub.models import Person
from notifications import services
from notifications.models import ContactConsent
from referrals.models import Appointment

DEMO_MOBILE = "07700 900 982"  # Ofcom's drama range: never a real phone
OPTED_OUT_MOBILE = "07700 900 461"


def seed(ctx) -> None:
    if ContactConsent.objects.exists():
        return  # seeded before (or recorded by hand since): leave it as it is
    soonest = (
        Appointment.objects.upcoming(timezone.now())
        .values("referral__case__person_id")
        .annotate(first=Min("starts_at"))
        .order_by("first")
    )
    person_ids = [row["referral__case__person_id"] for row in soonest[:2]]
    caseworker = ctx.users.get("caseworker")
    if not person_ids or caseworker is None:
        return
    people = Person.objects.in_bulk(person_ids)
    services.consent_record(
        person=people[person_ids[0]], user=caseworker, channel="sms", phone=DEMO_MOBILE
    )
    if len(person_ids) > 1:
        opted_out = people[person_ids[1]]
        services.consent_record(
            person=opted_out, user=caseworker, channel="sms", phone=OPTED_OUT_MOBILE
        )
        services.consent_withdraw(person=opted_out, user=caseworker)
