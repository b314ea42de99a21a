"""The demo's consent (demo/reminders.py): SMS for the person with the soonest appointment, an
opt-out for the next; with no Notify key their reminders land in the outbox."""

import datetime as dt

import pytest
from django.utils import timezone

from demo import reminders as demo_reminders
from demo.core import DemoContext
from notifications import due
from notifications.models import ContactConsent, Message
from notifications.schedule import send_due_notifications
from tests.factories import OrganisationFactory
from tests.notifications.factories import booked_appointment
from tests.referrals.factories import accepted_referral

pytestmark = pytest.mark.django_db


def test_demo_consent_and_the_outbox(no_notify_key):
    now = timezone.now()
    provider = OrganisationFactory(name="Outside Links")
    soonest = booked_appointment(
        starts_at=now + dt.timedelta(hours=23), booked_at=now, referral=accepted_referral(provider)
    )
    later = booked_appointment(
        starts_at=now + dt.timedelta(hours=23, minutes=30),
        booked_at=now,
        referral=accepted_referral(provider),
    )
    ctx = DemoContext(users={"caseworker": soonest.referral.assigned_to})
    demo_reminders.seed(ctx)
    demo_reminders.seed(ctx)  # again: nothing more
    agreed = soonest.referral.case.person
    opted_out = later.referral.case.person
    assert ContactConsent.objects.get(person=agreed, withdrawn_at__isnull=True).phone == (
        "07700900982"
    )
    assert not ContactConsent.objects.filter(person=opted_out, withdrawn_at__isnull=True).exists()
    assert ContactConsent.objects.filter(person=opted_out).count() == 1

    send_due_notifications(due.next_sendable(now) + dt.timedelta(minutes=1))
    (message,) = Message.objects.all()
    assert (message.person, message.status) == (agreed, "outbox")
    assert message.body.startswith("Reminder: your appointment with Outside Links is ")
