"""Which reminders are queued, with what text, and which are no longer sent (issue 18)."""

import datetime as dt

import pytest

from cautions.models import Condition
from notifications import reminders, sender, services
from notifications.due import UK
from notifications.models import Message
from referrals.models import Appointment
from tests.cautions.factories import ActiveCaseFactory, ConditionFactory
from tests.factories import OrganisationFactory, make_user
from tests.notifications.factories import booked_appointment, consenting

pytestmark = pytest.mark.django_db

# A Wednesday in February (no summer time to think about) and the Thursday after it.
WED_0830 = dt.datetime(2027, 2, 3, 8, 30, tzinfo=UK)
THU_1000 = dt.datetime(2027, 2, 4, 10, 0, tzinfo=UK)
BOOKED_EARLY = dt.datetime(2027, 1, 20, 9, 0, tzinfo=UK)
FORBIDDEN = ("police", "offence", "caution", "crime", "court")


def _person(appointment):
    return appointment.referral.case.person


def _appointment_with_consent(**consent):
    appointment = booked_appointment(starts_at=THU_1000, booked_at=BOOKED_EARLY)
    consenting(_person(appointment), **consent)
    return appointment


def test_day_before_reminder_text():
    appointment = _appointment_with_consent()
    assert reminders.queue_due_reminders(now=WED_0830) == 1
    message = Message.objects.get()
    assert message.body == (
        "Reminder: your appointment with Outside Links is tomorrow, 4 February, at 10:00, at "
        "12 High Street, Peterborough. If you cannot make it, please contact Outside Links."
    )
    assert message.recipient == "07700900123"
    assert message.person == _person(appointment)
    assert message.kind == reminders.DAY_BEFORE
    assert not any(word in message.body.lower() for word in FORBIDDEN)


def test_a_second_run_queues_nothing_new():
    _appointment_with_consent()
    reminders.queue_due_reminders(now=WED_0830)
    assert reminders.queue_due_reminders(now=WED_0830 + dt.timedelta(minutes=5)) == 0
    assert Message.objects.count() == 1


@pytest.mark.parametrize(
    ("now", "queued"),
    [
        (dt.datetime(2027, 2, 3, 7, 59, tzinfo=UK), 0),  # quiet hours: it waits
        (dt.datetime(2027, 2, 3, 8, 0, tzinfo=UK), 1),
        (dt.datetime(2027, 2, 2, 20, 0, tzinfo=UK), 0),  # two days before: not yet
    ],
)
def test_day_before_reminder_waits_for_eight_the_day_before(now, queued):
    _appointment_with_consent()
    assert reminders.queue_due_reminders(now=now) == queued


def test_no_reminder_without_consent():
    booked_appointment(starts_at=THU_1000, booked_at=BOOKED_EARLY)
    assert reminders.queue_due_reminders(now=WED_0830) == 0


def test_no_reminder_after_consent_is_withdrawn():
    appointment = _appointment_with_consent()
    services.consent_withdraw(person=_person(appointment), user=make_user("Police officer"))
    assert reminders.queue_due_reminders(now=WED_0830) == 0


def test_short_notice_booking_is_reminded_at_once():
    booked_at = dt.datetime(2027, 2, 3, 15, 0, tzinfo=UK)
    appointment = booked_appointment(starts_at=THU_1000, booked_at=booked_at)
    consenting(_person(appointment))
    assert reminders.queue_due_reminders(now=booked_at + dt.timedelta(minutes=1)) == 1


def test_two_hours_before_only_when_chosen():
    _appointment_with_consent(two_hours_before=True)
    now = dt.datetime(2027, 2, 4, 8, 0, tzinfo=UK)
    assert reminders.queue_due_reminders(now=now) == 2  # the day-before one never went
    two_hours = Message.objects.get(kind=reminders.TWO_HOURS_BEFORE)
    assert "is today, 4 February, at 10:00" in two_hours.body


def test_two_hours_before_not_queued_without_the_choice():
    _appointment_with_consent()
    reminders.queue_due_reminders(now=WED_0830)
    reminders.queue_due_reminders(now=dt.datetime(2027, 2, 4, 8, 0, tzinfo=UK))
    assert not Message.objects.filter(kind=reminders.TWO_HOURS_BEFORE).exists()


@pytest.mark.parametrize(
    ("mode", "place", "where"),
    [
        ("phone", "", "at 10:00, by phone."),
        ("video", "https://meet.example/abc", "at 10:00, by video call: https://meet.example/abc."),
    ],
)
def test_phone_and_video_wording(mode, place, where):
    appointment = booked_appointment(
        starts_at=THU_1000, booked_at=BOOKED_EARLY, mode=mode, place=place
    )
    consenting(_person(appointment))
    reminders.queue_due_reminders(now=WED_0830)
    assert where in Message.objects.get().body


def test_email_consent_gets_an_email():
    _appointment_with_consent(channel="email", email="sam@example.com")
    reminders.queue_due_reminders(now=WED_0830)
    message = Message.objects.get()
    assert (message.channel, message.recipient, message.subject) == (
        "email",
        "sam@example.com",
        "Reminder",
    )


def test_rescheduled_appointment_old_reminder_is_not_sent_and_new_one_is(no_notify_key):
    appointment = _appointment_with_consent()
    # Queued in the evening, so it waits for the morning (quiet hours)...
    reminders.queue_due_reminders(now=WED_0830)
    later = dt.datetime(2027, 2, 4, 16, 0, tzinfo=UK)
    Appointment.objects.filter(pk=appointment.pk).update(starts_at=later, updated_at=WED_0830)
    # ...and the appointment moved before it went.
    outcomes = sender.send_pending(now=WED_0830 + dt.timedelta(minutes=1))
    assert outcomes == {"cancelled": 1}
    old = Message.objects.get()
    assert old.status == Message.Status.CANCELLED
    assert "moved" in old.error
    reminders.queue_due_reminders(now=WED_0830 + dt.timedelta(minutes=2))
    new = Message.objects.exclude(pk=old.pk).get()
    assert "at 16:00" in new.body


def test_cancelled_appointment_reminder_is_not_sent(no_notify_key):
    appointment = _appointment_with_consent()
    reminders.queue_due_reminders(now=WED_0830)
    Appointment.objects.filter(pk=appointment.pk).update(
        status="cancelled", cancel_reason="The person asked to cancel."
    )
    assert sender.send_pending(now=WED_0830) == {"cancelled": 1}


def test_condition_reminder_seven_days_before():
    provider = OrganisationFactory(name="Outside Links")
    case = ActiveCaseFactory(conditions=0)
    condition = ConditionFactory(
        case=case, due_date=dt.date(2027, 2, 10), provider_condition=True, provider=provider
    )
    consenting(case.person)
    assert reminders.queue_due_reminders(now=dt.datetime(2027, 2, 3, 7, 59, tzinfo=UK)) == 0
    assert reminders.queue_due_reminders(now=WED_0830) == 1
    message = Message.objects.get()
    assert message.kind == reminders.CONDITION_DUE
    assert message.body == (
        "Reminder: something you agreed to do is due by Wednesday 10 February. "
        "If you need help, please contact Outside Links."
    )
    assert not any(word in message.body.lower() for word in FORBIDDEN)
    Condition.objects.filter(pk=condition.pk).update(
        status="complied", complied_on=condition.due_date
    )
    assert sender.send_pending(now=WED_0830) == {"cancelled": 1}


def test_condition_due_in_eight_days_is_not_yet_reminded():
    case = ActiveCaseFactory(conditions=0)
    ConditionFactory(case=case, due_date=dt.date(2027, 2, 11))
    consenting(case.person)
    assert reminders.queue_due_reminders(now=WED_0830) == 0
