"""Messages and consent are part of the person's record: in subject access, and wiped when the
person is anonymised (hub.signals.person_anonymising)."""

import pytest
from django.utils import timezone

from hub.services import person_anonymise
from notifications.models import ContactConsent, Message
from notifications.outbox import queue_message
from records.subject_access import subject_access_report
from tests.factories import PersonFactory, make_user
from tests.notifications.factories import consenting

pytestmark = pytest.mark.django_db


@pytest.fixture
def person_with_messages():
    person = PersonFactory()
    consenting(person, phone="07700900123")
    sent = queue_message(
        channel="sms",
        recipient="07700900123",
        body="Reminder: your appointment with Outside Links is tomorrow.",
        kind="appointment_day_before",
        dedupe_key="a",
        person=person,
    )
    Message.objects.filter(pk=sent.pk).update(status="delivered", sent_at=timezone.now())
    queue_message(
        channel="sms",
        recipient="07700900123",
        body="Reminder: later",
        kind="appointment_day_before",
        dedupe_key="b",
        person=person,
    )
    return person


def test_subject_access_includes_consent_and_every_message(person_with_messages):
    report = subject_access_report(person_with_messages)
    (consent,) = report["reminder_consent"]
    assert (consent["channel"], consent["to"]) == ("Text message", "07700900123")
    assert [m["body"] for m in report["messages"]] == [
        "Reminder: your appointment with Outside Links is tomorrow.",
        "Reminder: later",
    ]
    assert report["messages"][0]["status"] == "Delivered"


def test_anonymising_wipes_numbers_consent_and_message_text(person_with_messages):
    person_anonymise(person=person_with_messages, user=make_user("Administrator"))
    consent = ContactConsent.objects.get()
    assert consent.withdrawn_at is not None
    assert (consent.phone, consent.email) == ("", "")
    messages = Message.objects.filter(person=person_with_messages)
    assert set(messages.values_list("recipient", "body")) == {("", "")}
    # What was waiting is not sent; what was delivered keeps its status (counts still add up).
    assert set(messages.values_list("status", flat=True)) == {"delivered", "cancelled"}
