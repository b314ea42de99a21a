"""Attacks on appointments (issue 18): another organisation's caseworker, crafted ids in the
URL and in the form, a double submit of a booking, replayed transitions, past dates, and
markup typed into the place. Each leaves nothing changed."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from hub.models import NeedPathway
from referrals import services
from referrals.models import Appointment, ReferralEvent
from tests.api.conftest import bearer
from tests.factories import OrganisationFactory
from tests.referrals.factories import (
    accepted_referral,
    appointment_details,
    booked_appointment,
    caseworker_of,
    started_appointment,
)

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _tomorrow_at(hour: int) -> dt.datetime:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(hour, 0)))


def _form(starts_at: dt.datetime, **overrides) -> dict:
    local = timezone.localtime(starts_at)
    data = {
        "appointment_date_day": local.day,
        "appointment_date_month": local.month,
        "appointment_date_year": local.year,
        "appointment_time": local.strftime("%H:%M"),
        "duration_minutes": "60",
        "mode": "in_person",
        "place": "Outside Links, 12 Bridge Street",
    }
    data.update(overrides)
    return data


def test_another_organisations_caseworker_cannot_touch_them_by_page_or_api():
    appointment = started_appointment()
    outsider = caseworker_of(OrganisationFactory())
    client = _client(outsider)
    book = reverse("referrals:appointment_book", args=[appointment.referral_id])
    assert client.post(book, _form(_tomorrow_at(11))).status_code == 404
    for name, data in (
        ("reschedule", _form(_tomorrow_at(11), asked_by="provider", reason="x")),
        ("cancel", {"cancel_reason": "x"}),
        ("attendance", {"status": "attended", "duration_minutes": "30"}),
    ):
        url = reverse(f"referrals:appointment_{name}", args=[appointment.pk])
        assert client.get(url).status_code == 404
        assert client.post(url, data).status_code == 404
    api = bearer(outsider)
    assert api.get(f"/api/v1/appointments/{appointment.pk}/").status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED
    assert Appointment.objects.count() == 1


def test_crafted_ids_in_the_form_are_refused_at_the_field():
    referral = accepted_referral()
    other = accepted_referral()
    client = _client(referral.assigned_to)
    url = reverse("referrals:appointment_book", args=[referral.pk])
    retired = NeedPathway.objects.create(key="retired", label="Retired pathway", active=False)
    for crafted in (
        {"with_whom": other.assigned_to.pk},  # a caseworker of another provider
        {"condition": other.case.conditions.get().pk},  # another case's condition
        {"pathway": retired.pk},  # a retired pathway
        {"with_whom": "999999"},
        {"mode": "carrier_pigeon"},
    ):
        response = client.post(url, _form(_tomorrow_at(11), **crafted))
        assert response.status_code == 200, crafted
        assert response.context["form"].errors, crafted
    assert not Appointment.objects.exists()


def test_the_service_refuses_crafted_objects_too():
    referral = accepted_referral()
    other = accepted_referral()
    worker = referral.assigned_to
    with pytest.raises(services.ReferralError):
        services.appointment_book(
            referral=referral,
            actor=worker,
            details=appointment_details(with_whom=other.assigned_to),
        )
    mine = started_appointment(referral)
    theirs_session = services.session_record(
        referral=other,
        actor=other.assigned_to,
        data={
            "occurred_at": timezone.now() - dt.timedelta(hours=1),
            "duration_minutes": 30,
            "kind": "one_to_one",
            "attendance": "attended",
            "pathways": [],
        },
    )
    with pytest.raises(services.ReferralError, match="not linked to another"):
        services.appointment_record_attendance(
            appointment=mine,
            actor=worker,
            status="attended",
            duration_minutes=30,
            link_session=theirs_session,
        )
    for status in ("booked", "cancelled", "nonsense"):
        with pytest.raises(services.ReferralError, match="whether the person attended"):
            services.appointment_record_attendance(
                appointment=mine, actor=worker, status=status, duration_minutes=30
            )
    mine.refresh_from_db()
    assert mine.status == Appointment.Status.BOOKED


def test_a_double_submitted_booking_books_once():
    referral = accepted_referral()
    client = _client(referral.assigned_to)
    url = reverse("referrals:appointment_book", args=[referral.pk])
    first = client.post(url, _form(_tomorrow_at(11)))
    second = client.post(url, _form(_tomorrow_at(11)))
    assert first.status_code == 302
    assert second.status_code == 200
    assert "already booked at that time" in second.content.decode()
    assert Appointment.objects.count() == 1
    assert ReferralEvent.objects.filter(kind="appointment_booked").count() == 1
    # Another time is another appointment; a cancelled one frees its time.
    assert client.post(url, _form(_tomorrow_at(15))).status_code == 302
    services.appointment_cancel(
        appointment=Appointment.objects.get(starts_at=_tomorrow_at(11)),
        actor=referral.assigned_to,
        reason="Clash.",
    )
    assert client.post(url, _form(_tomorrow_at(11))).status_code == 302


def test_a_double_submitted_booking_through_the_api_without_a_key_books_once():
    referral = accepted_referral()
    api = bearer(referral.assigned_to)
    body = {
        "starts_at": _tomorrow_at(11).isoformat(),
        "duration_minutes": 60,
        "mode": "phone",
    }
    url = f"/api/v1/referrals/{referral.pk}/appointments/"
    assert api.post(url, body, format="json").status_code == 201
    again = api.post(url, body, format="json")
    assert again.status_code == 400
    assert again.json()["errors"][0]["field"] == "starts_at"
    assert Appointment.objects.count() == 1


def test_moving_onto_another_booked_time_is_refused():
    referral = accepted_referral()
    first = booked_appointment(referral, starts_at=_tomorrow_at(10))
    second = booked_appointment(referral, starts_at=_tomorrow_at(14))
    with pytest.raises(services.ReferralError, match="already booked"):
        services.appointment_reschedule(
            appointment=second,
            actor=referral.assigned_to,
            details=appointment_details(starts_at=first.starts_at),
            asked_by="person",
            reason="Prefers the morning.",
        )


def test_replayed_transitions_change_nothing_the_second_time():
    appointment = started_appointment()
    client = _client(appointment.referral.assigned_to)
    url = reverse("referrals:appointment_attendance", args=[appointment.pk])
    data = {"status": "attended", "duration_minutes": "40"}
    assert client.post(url, data).status_code == 302
    replay = client.post(url, data)
    assert replay.status_code == 200
    assert "appointment is attended" in replay.content.decode()
    assert ReferralEvent.objects.filter(kind="appointment_attended").count() == 1
    cancel = reverse("referrals:appointment_cancel", args=[appointment.pk])
    refused = client.post(cancel, {"cancel_reason": "Too late to cancel."})
    assert "appointment is attended" in refused.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ATTENDED


@pytest.mark.parametrize(
    "when",
    [
        timezone.now() - dt.timedelta(minutes=1),
        timezone.now() - dt.timedelta(days=400),
    ],
)
def test_past_dates_are_refused_for_booking_and_rescheduling(when):
    appointment = booked_appointment()
    client = _client(appointment.referral.assigned_to)
    book = client.post(
        reverse("referrals:appointment_book", args=[appointment.referral_id]), _form(when)
    )
    assert "must be in the future" in book.content.decode()
    move = client.post(
        reverse("referrals:appointment_reschedule", args=[appointment.pk]),
        _form(when, asked_by="person", reason="x"),
    )
    assert "must be in the future" in move.content.decode()
    assert Appointment.objects.count() == 1
    assert not ReferralEvent.objects.filter(kind="appointment_rescheduled").exists()


def test_an_impossible_date_is_an_error_not_a_500():
    referral = accepted_referral()
    client = _client(referral.assigned_to)
    response = client.post(
        reverse("referrals:appointment_book", args=[referral.pk]),
        _form(_tomorrow_at(11), appointment_date_day="31", appointment_date_month="2"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors
    assert not Appointment.objects.exists()


def test_attendance_cannot_be_recorded_in_advance():
    appointment = booked_appointment()
    client = _client(appointment.referral.assigned_to)
    response = client.post(
        reverse("referrals:appointment_attendance", args=[appointment.pk]),
        {"status": "did_not_attend", "absence_reason": "Will be away."},
    )
    assert "once the appointment has started" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED


def test_markup_in_the_place_is_shown_as_text():
    referral = accepted_referral()
    booked_appointment(referral, place='<script>alert("x")</script> Room 4')
    body = _client(referral.assigned_to).get(reverse("referrals:detail", args=[referral.pk]))
    html = body.content.decode()
    assert '<script>alert("x")</script>' not in html
    assert "&lt;script&gt;" in html


def test_police_may_not_write_to_appointments(officer):
    appointment = started_appointment()
    client = _client(officer)
    for name in ("reschedule", "cancel", "attendance"):
        url = reverse(f"referrals:appointment_{name}", args=[appointment.pk])
        assert client.post(url, {"cancel_reason": "x"}).status_code == 403
    book = reverse("referrals:appointment_book", args=[appointment.referral_id])
    assert client.post(book, _form(_tomorrow_at(11))).status_code == 403
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED
