"""The reminders pages: consent recorded and withdrawn by officers and the provider's
caseworkers, failures shown to them, the outbox for administrators, Notify's receipts."""

import datetime as dt
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from hub.models import AccessLog
from hub.roles import Role
from notifications import sender
from notifications.models import ContactConsent, Message
from notifications.outbox import queue_message
from tests.factories import OrganisationFactory, make_user
from tests.notifications.factories import consenting
from tests.notifications.notify_stub import receipt
from tests.referrals.factories import accepted_referral, caseworker_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def referral():
    return accepted_referral(OrganisationFactory(name="Outside Links"))


def _consent_url(person):
    return reverse("notifications:consent_record", args=[person.pk])


def _reminders_url(person):
    return reverse("notifications:reminders", args=[person.pk])


def test_officer_records_sms_consent(as_user, officer, referral):
    person = referral.case.person
    response = as_user(officer).post(
        _consent_url(person),
        {"channel": "sms", "phone": "+44 7700 900 982", "two_hours_before": "on"},
    )
    assert response.status_code == 302
    consent = ContactConsent.objects.get(person=person)
    assert (consent.phone, consent.two_hours_before, consent.recorded_by) == (
        "07700900982",
        True,
        officer,
    )
    page = as_user(officer).get(_reminders_url(person)).content.decode()
    assert "Text message to 07700900982, the day before and two hours before" in page


def test_the_provider_caseworker_records_consent_from_the_referral_page(as_user, referral):
    caseworker = referral.assigned_to
    client = as_user(caseworker)
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "None: the person has not agreed to reminders" in page
    assert _reminders_url(referral.case.person) in page
    response = client.post(
        _consent_url(referral.case.person), {"channel": "email", "email": "sam@example.com"}
    )
    assert response.status_code == 302
    assert ContactConsent.objects.get().email == "sam@example.com"


@pytest.mark.parametrize(
    ("data", "field", "error"),
    [
        ({"channel": "sms", "phone": "01223 123456"}, "phone", "Enter a UK mobile number"),
        ({"channel": "sms", "phone": ""}, "phone", "Enter a UK mobile number"),
        ({"channel": "email", "email": ""}, "email", "Enter an email address"),
        ({"channel": "email", "email": "not-an-address"}, "email", "email"),
        ({"channel": "pigeon"}, "channel", "Select"),
    ],
)
def test_bad_input_is_an_error_at_the_field(as_user, officer, referral, data, field, error):
    response = as_user(officer).post(_consent_url(referral.case.person), data)
    assert response.status_code == 200
    assert error.lower() in " ".join(response.context["form"].errors[field]).lower()
    if data.get("phone"):
        assert data["phone"] in response.content.decode()  # typed input kept
    assert not ContactConsent.objects.exists()


def test_changing_consent_keeps_the_history(as_user, officer, referral):
    person = referral.case.person
    consenting(person, phone="07700900111")
    as_user(officer).post(_consent_url(person), {"channel": "sms", "phone": "07700900222"})
    rows = ContactConsent.objects.filter(person=person)
    assert rows.count() == 2
    assert rows.get(withdrawn_at__isnull=True).phone == "07700900222"
    page = as_user(officer).get(_reminders_url(person)).content.decode()
    assert "07700900111" in page
    assert "replaced" in page


def test_withdrawing_stops_reminders_including_waiting_ones(as_user, officer, referral):
    person = referral.case.person
    consenting(person)
    waiting = queue_message(
        channel="sms",
        recipient="07700900123",
        body="Reminder",
        kind="appointment_day_before",
        dedupe_key="x",
        person=person,
    )
    response = as_user(officer).post(reverse("notifications:consent_withdraw", args=[person.pk]))
    assert response.status_code == 302
    consent = ContactConsent.objects.get()
    assert consent.withdrawn_by == officer
    waiting.refresh_from_db()
    assert waiting.status == Message.Status.CANCELLED


def test_withdrawing_without_consent_says_so(as_user, officer, referral):
    client = as_user(officer)
    person = referral.case.person
    response = client.post(reverse("notifications:consent_withdraw", args=[person.pk]), follow=True)
    assert "There is no consent to withdraw" in response.content.decode()


def test_the_reminders_page_is_in_the_access_log(as_user, officer, referral):
    person = referral.case.person
    as_user(officer).get(_reminders_url(person))
    entry = AccessLog.objects.get()
    assert (entry.person_id, entry.description) == (person.pk, "Viewed reminders and consent")


def test_a_permanent_failure_is_shown_to_the_caseworker_and_officer(as_user, officer, referral):
    person = referral.case.person
    consenting(person)
    Message.objects.create(
        channel="sms",
        recipient="07700900123",
        body="Reminder",
        kind="appointment_day_before",
        dedupe_key="failed",
        person=person,
        status=Message.Status.PERMANENT_FAILURE,
        error="400: phone_number Not a UK mobile number",
        next_attempt_at=timezone.now(),
    )
    warning = "could not be delivered"
    referral_page = as_user(referral.assigned_to).get(
        reverse("referrals:detail", args=[referral.pk])
    )
    assert warning in referral_page.content.decode()
    case_page = as_user(officer).get(reverse("cautions:case_support", args=[referral.case.pk]))
    assert warning in case_page.content.decode()
    assert "Not a UK mobile number" in case_page.content.decode()


def test_outbox_shows_administrators_exactly_what_would_be_sent(
    as_user, administrator, no_notify_key
):
    queue_message(
        channel="sms",
        recipient="07700900123",
        body="Reminder: your appointment with Outside Links is tomorrow.",
        kind="test",
        dedupe_key="outbox-test",
    )
    sender.send_pending()
    page = as_user(administrator).get(reverse("notifications:outbox")).content.decode()
    assert "Reminder: your appointment with Outside Links is tomorrow." in page
    assert "07700900123" in page


def test_the_outbox_is_for_administrators_only(as_user, officer, caseworker):
    for user in (officer, caseworker):
        assert as_user(user).get(reverse("notifications:outbox")).status_code == 403


# --- Notify's delivery receipts -------------------------------------------------------------


@pytest.fixture
def sent_message(settings):
    settings.NOTIFY_CALLBACK_TOKEN = "callback-token-for-tests-0123456789"
    return Message.objects.create(
        channel="sms",
        recipient="07700900123",
        body="Reminder",
        kind="test",
        dedupe_key="sent",
        status=Message.Status.SENT,
        notify_id="3b3b2e3a-8c4f-4b53-9c1a-0d3f0e7f6a11",
        sent_at=timezone.now(),
        next_attempt_at=timezone.now(),
    )


def _post_receipt(client, body, token="callback-token-for-tests-0123456789"):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(
        reverse("notify:callback"),
        data=json.dumps(body),
        content_type="application/json",
        headers=headers,
    )


@pytest.mark.parametrize(
    ("notify_status", "ours"),
    [
        ("delivered", "delivered"),
        ("permanent-failure", "permanent_failure"),
        ("temporary-failure", "temporary_failure"),
        ("technical-failure", "temporary_failure"),
    ],
)
def test_receipts_update_the_status(client, sent_message, notify_status, ours):
    response = _post_receipt(client, receipt(sent_message.notify_id, notify_status))
    assert response.status_code == 204
    sent_message.refresh_from_db()
    assert sent_message.status == ours


@pytest.mark.parametrize("token", ["", "wrong-token", "callback-token-for-tests-012345678"])
def test_receipts_without_the_token_are_refused(client, sent_message, token):
    response = _post_receipt(client, receipt(sent_message.notify_id, "delivered"), token=token)
    assert response.status_code == 401
    sent_message.refresh_from_db()
    assert sent_message.status == "sent"


def test_no_token_configured_refuses_every_receipt(client, sent_message, settings):
    settings.NOTIFY_CALLBACK_TOKEN = ""
    assert (
        _post_receipt(client, receipt(sent_message.notify_id, "delivered"), token="").status_code
        == 401
    )


def test_receipt_for_an_unknown_message_or_not_a_receipt(client, sent_message):
    assert _post_receipt(client, receipt("unknown", "delivered")).status_code == 404
    assert _post_receipt(client, {"id": sent_message.notify_id}).status_code == 400
    assert _post_receipt(client, {"id": sent_message.notify_id, "status": "x"}).status_code == 400


def test_a_late_failure_receipt_does_not_undo_delivered(client, sent_message):
    _post_receipt(client, receipt(sent_message.notify_id, "delivered"))
    _post_receipt(client, receipt(sent_message.notify_id, "temporary-failure"))
    sent_message.refresh_from_db()
    assert sent_message.status == "delivered"


def test_receipts_from_the_real_client_send(client, notify, settings):
    settings.NOTIFY_CALLBACK_TOKEN = "callback-token-for-tests-0123456789"
    queue_message(channel="sms", recipient="07700900123", body="Hi", kind="t", dedupe_key="r")
    sender.send_pending(now=dt.datetime(2027, 2, 3, 12, 0, tzinfo=dt.UTC))
    (sent,) = notify.sent()
    assert _post_receipt(client, receipt(sent["id"], "delivered")).status_code == 204
    assert Message.objects.get().status == "delivered"


def test_caseworker_of_another_provider_cannot_see_the_person(as_user, referral):
    other = caseworker_of(OrganisationFactory())
    assert as_user(other).get(_reminders_url(referral.case.person)).status_code == 404
    assert (
        as_user(make_user(Role.ANALYST)).get(_reminders_url(referral.case.person)).status_code
        == 403
    )
