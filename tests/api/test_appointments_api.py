"""Appointments through the API (issues 18, 20): the same rules as the pages, two providers'
tokens disjoint, retries with an Idempotency-Key, and the webhook events."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from api import webhooks
from api.models import WebhookDelivery
from hub.models import AccessLog
from referrals.models import Appointment, ReferralEvent
from tests.api.conftest import bearer
from tests.api.receiver import start
from tests.referrals.factories import (
    accepted_referral,
    booked_appointment,
    started_appointment,
)

pytestmark = pytest.mark.django_db
PLACE = "Outside Links, 12 Bridge Street, Peterborough"


def _tomorrow_at_ten() -> str:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(10, 0))).isoformat()


def _booking(**overrides) -> dict:
    body = {
        "starts_at": _tomorrow_at_ten(),
        "duration_minutes": 60,
        "mode": "in_person",
        "place": PLACE,
        "pathway": "accommodation",
    }
    body.update(overrides)
    return body


def test_caseworker_books_lists_and_reads_an_appointment():
    referral = accepted_referral()
    client = bearer(referral.assigned_to)
    url = f"/api/v1/referrals/{referral.pk}/appointments/"
    response = client.post(url, _booking(with_whom=referral.assigned_to.pk), format="json")
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["status"] == "booked"
    assert created["place"] == PLACE
    assert created["pathway"] == "accommodation"
    assert created["url"].endswith(f"/api/v1/appointments/{created['id']}/")
    listed = client.get(url).json()
    assert listed["count"] == 1
    assert listed["results"][0]["id"] == created["id"]
    detail = client.get(created["url"])
    assert detail.status_code == 200
    assert AccessLog.objects.filter(object_type="referrals.appointment").exists()


def test_booking_in_the_past_is_a_400_naming_the_field():
    referral = accepted_referral()
    past = (timezone.now() - dt.timedelta(hours=1)).isoformat()
    response = bearer(referral.assigned_to).post(
        f"/api/v1/referrals/{referral.pk}/appointments/", _booking(starts_at=past), format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "starts_at"
    assert not Appointment.objects.exists()


def test_a_retried_booking_with_the_same_key_books_once():
    referral = accepted_referral()
    client = bearer(referral.assigned_to)
    url = f"/api/v1/referrals/{referral.pk}/appointments/"
    first = client.post(url, _booking(), format="json", HTTP_IDEMPOTENCY_KEY="book-1")
    again = client.post(url, _booking(), format="json", HTTP_IDEMPOTENCY_KEY="book-1")
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == first.json()["id"]
    assert Appointment.objects.count() == 1
    assert ReferralEvent.objects.filter(kind="appointment_booked").count() == 1


def test_reschedule_by_patch_keeps_what_is_not_sent():
    appointment = booked_appointment()
    client = bearer(appointment.referral.assigned_to)
    later = (appointment.starts_at + dt.timedelta(days=2)).isoformat()
    refused = client.patch(
        f"/api/v1/appointments/{appointment.pk}/", {"starts_at": later}, format="json"
    )
    assert refused.status_code == 400
    fields = {e["field"] for e in refused.json()["errors"]}
    assert fields == {"asked_by", "reason"}
    response = client.patch(
        f"/api/v1/appointments/{appointment.pk}/",
        {"starts_at": later, "asked_by": "police", "reason": "Court date moved."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    appointment.refresh_from_db()
    assert appointment.starts_at == dt.datetime.fromisoformat(later)
    assert appointment.place == PLACE
    event = ReferralEvent.objects.get(kind="appointment_rescheduled")
    assert event.data["asked_by"] == "police"


def test_cancel_and_then_a_second_cancel_is_a_409():
    appointment = booked_appointment()
    client = bearer(appointment.referral.assigned_to)
    url = f"/api/v1/appointments/{appointment.pk}/cancel/"
    assert client.post(url, {"reason": "Room flooded."}, format="json").status_code == 200
    again = client.post(url, {"reason": "Room flooded."}, format="json")
    assert again.status_code == 409
    assert "cancelled" in again.json()["errors"][0]["message"]


def test_attendance_did_not_attend_with_a_length_is_refused_then_recorded():
    appointment = started_appointment()
    client = bearer(appointment.referral.assigned_to)
    url = f"/api/v1/appointments/{appointment.pk}/attendance/"
    refused = client.post(
        url,
        {"status": "did_not_attend", "duration_minutes": 20, "absence_reason": "Ill"},
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["errors"][0]["field"] == "duration_minutes"
    response = client.post(
        url,
        {"status": "attended", "duration_minutes": 40, "notes": "Went well."},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "attended"
    assert response.json()["session"] is not None


def test_police_read_appointments_without_place_or_reasons_and_cannot_write():
    appointment = started_appointment(mode="phone", place="07700 900123")
    officer = bearer(appointment.referral.case.officer)
    body = officer.get(f"/api/v1/appointments/{appointment.pk}/").json()
    assert body["status"] == "booked"
    assert "place" not in body
    assert "absence_reason" not in body
    assert "07700 900123" not in json.dumps(body)
    listed = officer.get(f"/api/v1/referrals/{appointment.referral_id}/appointments/").json()
    assert "07700 900123" not in json.dumps(listed)
    refused = officer.post(
        f"/api/v1/appointments/{appointment.pk}/cancel/", {"reason": "x"}, format="json"
    )
    assert refused.status_code == 403


def test_two_providers_tokens_404_on_each_others_appointments():
    mine = started_appointment()
    theirs = started_appointment()
    assert mine.referral.provider_id != theirs.referral.provider_id
    for appointment, other in ((mine, theirs), (theirs, mine)):
        client = bearer(other.referral.assigned_to)
        pk, referral_pk = appointment.pk, appointment.referral_id
        assert client.get(f"/api/v1/appointments/{pk}/").status_code == 404
        assert client.get(f"/api/v1/referrals/{referral_pk}/appointments/").status_code == 404
        assert (
            client.post(
                f"/api/v1/referrals/{referral_pk}/appointments/", _booking(), format="json"
            ).status_code
            == 404
        )
        assert (
            client.patch(
                f"/api/v1/appointments/{pk}/",
                {"asked_by": "person", "reason": "x"},
                format="json",
            ).status_code
            == 404
        )
        assert (
            client.post(
                f"/api/v1/appointments/{pk}/cancel/", {"reason": "x"}, format="json"
            ).status_code
            == 404
        )
        assert (
            client.post(
                f"/api/v1/appointments/{pk}/attendance/",
                {"status": "attended", "duration_minutes": 30},
                format="json",
            ).status_code
            == 404
        )
    for appointment in (mine, theirs):
        appointment.refresh_from_db()
        assert appointment.status == Appointment.Status.BOOKED
    assert Appointment.objects.count() == 2


# --- Webhooks -----------------------------------------------------------------------------------


@pytest.fixture
def receiver(settings):
    settings.WEBHOOK_ALLOW_LOOPBACK = True
    state, server = start()
    yield state
    server.shutdown()


def _subscribe(organisation, url, events):
    return webhooks.subscription_create(
        organisation=organisation,
        url=url,
        secret="a-shared-secret-of-some-length",
        events=list(events),
        actor=None,
    )


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_booked_and_missed_reach_the_provider_and_never_another(receiver):
    from referrals import services

    mine = accepted_referral()
    other = accepted_referral()
    _subscribe(mine.provider, receiver.url, ["appointment.booked", "appointment.missed"])
    other_receiver, other_server = start()
    try:
        _subscribe(other.provider, other_receiver.url, ["appointment.booked", "appointment.missed"])
        appointment = started_appointment(mine)
        services.appointment_record_attendance(
            appointment=appointment,
            actor=mine.assigned_to,
            status="did_not_attend",
            absence_reason="Overslept.",
        )
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)
        assert other_receiver.requests == []
    finally:
        other_server.shutdown()
    types = sorted(json.loads(r.body)["type"] for r in receiver.requests)
    assert types == ["appointment.booked", "appointment.missed"]
    for request in receiver.requests:
        body = json.loads(request.body)
        assert body["resource"].endswith(f"/api/v1/appointments/{appointment.pk}/")
        assert b"Overslept" not in request.body
        assert mine.case.person.last_name.encode() not in request.body
    assert WebhookDelivery.objects.filter(subscription__organisation=other.provider).count() == 0


def test_admins_event_picker_offers_the_appointment_events():
    from api.webhook_forms import WebhookSubscriptionForm

    offered = dict(WebhookSubscriptionForm().fields["events"].choices)
    assert offered["appointment.booked"] == "Appointment booked"
    assert offered["appointment.missed"] == "Appointment missed"
