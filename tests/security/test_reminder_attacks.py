"""Attacks on reminders (issue 18): another organisation's person, crafted ids, anonymised
records, double submits and concurrent consent, forged or replayed delivery receipts."""

import json
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from hub.services import person_anonymise
from notifications import services
from notifications.models import ContactConsent, Message
from tests.factories import OrganisationFactory, PersonFactory, make_user
from tests.referrals.factories import accepted_referral, caseworker_of

pytestmark = pytest.mark.django_db

PAGES = [
    "notifications:reminders",
    "notifications:consent_record",
    "notifications:consent_withdraw",
]


@pytest.fixture
def referral():
    return accepted_referral(OrganisationFactory(name="Outside Links"))


@pytest.mark.parametrize("page", PAGES)
def test_another_providers_caseworker_gets_404_and_writes_nothing(as_user, referral, page):
    person = referral.case.person
    services.consent_record(
        person=person, user=referral.assigned_to, channel="sms", phone="07700900123"
    )
    intruder = as_user(caseworker_of(OrganisationFactory()))
    url = reverse(page, args=[person.pk])
    assert intruder.get(url).status_code == 404
    response = intruder.post(url, {"channel": "sms", "phone": "07700900999"})
    assert response.status_code in (404, 405)
    assert ContactConsent.objects.get(withdrawn_at__isnull=True).phone == "07700900123"


@pytest.mark.parametrize("page", PAGES)
def test_a_crafted_id_is_404(as_user, officer, page):
    assert as_user(officer).get(reverse(page, args=[999999])).status_code == 404


def test_a_person_with_no_case_is_not_reachable_by_a_caseworker(as_user, referral):
    stranger = PersonFactory()
    client = as_user(referral.assigned_to)
    assert client.get(reverse("notifications:reminders", args=[stranger.pk])).status_code == 404


def test_no_consent_for_an_anonymised_person(as_user, officer, referral):
    person = referral.case.person
    person_anonymise(person=person, user=make_user("Administrator"))
    response = as_user(officer).post(
        reverse("notifications:consent_record", args=[person.pk]),
        {"channel": "sms", "phone": "07700900123"},
    )
    assert response.status_code == 404
    assert not ContactConsent.objects.exists()


def test_double_submit_leaves_one_current_consent(as_user, officer, referral):
    url = reverse("notifications:consent_record", args=[referral.case.person.pk])
    client = as_user(officer)
    for _ in range(2):
        assert client.post(url, {"channel": "sms", "phone": "07700900123"}).status_code == 302
    assert ContactConsent.objects.filter(withdrawn_at__isnull=True).count() == 1


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_members_of_staff_recording_at_once_leave_one_current_consent():
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL")
    referral = accepted_referral(OrganisationFactory())
    person, user = referral.case.person, referral.assigned_to
    barrier = threading.Barrier(2)
    errors = []

    def record(phone):
        try:
            barrier.wait()
            services.consent_record(person=person, user=user, channel="sms", phone=phone)
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(p,)) for p in ("07700900111", "07700900222")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert ContactConsent.objects.filter(person=person).count() == 2
    assert ContactConsent.objects.filter(person=person, withdrawn_at__isnull=True).count() == 1


@pytest.fixture
def sent(settings):
    settings.NOTIFY_CALLBACK_TOKEN = "a-long-random-callback-token-0123456789"
    return Message.objects.create(
        channel="sms",
        recipient="07700900123",
        body="Reminder",
        kind="t",
        dedupe_key="sent",
        status="sent",
        notify_id="11111111-2222-3333-4444-555555555555",
        sent_at=timezone.now(),
        next_attempt_at=timezone.now(),
    )


def _receipt(client, notify_id, status, token):
    return client.post(
        reverse("notify:callback"),
        data=json.dumps({"id": notify_id, "status": status}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {token}"},
    )


@pytest.mark.parametrize(
    "token", ["a-long-random-callback-token-012345678", "A-LONG-RANDOM-CALLBACK-TOKEN-0123456789"]
)
def test_a_forged_receipt_changes_nothing(client, sent, token):
    assert _receipt(client, sent.notify_id, "permanent-failure", token).status_code == 401
    sent.refresh_from_db()
    assert sent.status == "sent"


def test_a_replayed_receipt_is_harmless(client, sent):
    token = "a-long-random-callback-token-0123456789"
    for _ in range(2):
        assert _receipt(client, sent.notify_id, "delivered", token).status_code == 204
    sent.refresh_from_db()
    assert sent.status == "delivered"


def test_a_receipt_cannot_touch_a_message_never_sent(client, sent):
    token = "a-long-random-callback-token-0123456789"
    Message.objects.create(
        channel="sms",
        recipient="07700900123",
        body="Waiting",
        kind="t",
        dedupe_key="waiting",
        next_attempt_at=timezone.now(),
    )
    # A pending message has no Notify id: an empty id is not a receipt.
    assert _receipt(client, "", "delivered", token).status_code == 400
    assert Message.objects.get(dedupe_key="waiting").status == "pending"
