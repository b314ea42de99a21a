"""The appointment pages (issue 18): what a caseworker does and sees, what the officer sees on
the case, refusals at the field with the input kept, and constant query counts."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from hub.models import AccessLog, NeedPathway
from referrals import services
from referrals.models import Appointment, ReferralEvent
from referrals.selectors import referrals_for_case_page
from tests.factories import OrganisationFactory
from tests.referrals.factories import (
    accepted_referral,
    booked_appointment,
    caseworker_of,
    in_progress_referral,
    started_appointment,
)

pytestmark = pytest.mark.django_db

PLACE = "Outside Links, 12 Bridge Street, Peterborough"


def _form(starts_at: dt.datetime, **overrides) -> dict:
    local = timezone.localtime(starts_at)
    data = {
        "appointment_date_day": local.day,
        "appointment_date_month": local.month,
        "appointment_date_year": local.year,
        "appointment_time": local.strftime("%H:%M"),
        "duration_minutes": "60",
        "mode": "in_person",
        "place": PLACE,
        "with_whom": "",
        "pathway": NeedPathway.objects.get(key="accommodation").pk,
        "condition": "",
    }
    data.update(overrides)
    return data


def _tomorrow_at_ten():
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(10, 0)))


def test_caseworker_books_from_the_referral_page_and_it_is_listed(as_user):
    referral = accepted_referral()
    worker = referral.assigned_to
    client = as_user(worker)
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "Book an appointment" in page
    url = reverse("referrals:appointment_book", args=[referral.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, _form(_tomorrow_at_ten(), with_whom=worker.pk), follow=True)
    body = response.content.decode()
    assert "Appointment booked" in body
    appointment = Appointment.objects.get()
    assert appointment.with_whom == worker
    assert timezone.localtime(appointment.starts_at).hour == 10
    assert PLACE in body
    assert "Reschedule" in body
    assert "Record attendance" not in body  # not started yet
    # The form page is logged as access to the person's data (s.62).
    assert AccessLog.objects.filter(
        object_type="referrals.referral",
        object_id=str(referral.pk),
        person=referral.case.person,
        description__contains="book an appointment",
    ).exists()


def test_a_past_time_is_refused_at_the_date_with_what_was_typed_kept(as_user):
    referral = accepted_referral()
    client = as_user(referral.assigned_to)
    yesterday = timezone.now() - dt.timedelta(days=1)
    response = client.post(
        reverse("referrals:appointment_book", args=[referral.pk]),
        _form(yesterday, place="The library"),
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "The appointment must be in the future" in body
    assert "The library" in body
    assert 'href="#appointment_date' in body or "#id_appointment_date" in body
    assert not Appointment.objects.exists()


@pytest.mark.parametrize(("minutes", "ok"), [("480", True), ("481", False), ("0", False)])
def test_length_limits_on_the_form(as_user, minutes, ok):
    referral = accepted_referral()
    response = as_user(referral.assigned_to).post(
        reverse("referrals:appointment_book", args=[referral.pk]),
        _form(_tomorrow_at_ten(), duration_minutes=minutes),
    )
    assert (response.status_code == 302) is ok
    assert Appointment.objects.exists() is ok


def test_in_person_without_a_place_is_refused_at_the_place(as_user):
    referral = accepted_referral()
    response = as_user(referral.assigned_to).post(
        reverse("referrals:appointment_book", args=[referral.pk]),
        _form(_tomorrow_at_ten(), place=""),
    )
    assert "Enter where the appointment is" in response.content.decode()


def test_reschedule_then_cancel_through_the_pages(as_user):
    appointment = booked_appointment()
    client = as_user(appointment.referral.assigned_to)
    url = reverse("referrals:appointment_reschedule", args=[appointment.pk])
    form = client.get(url).content.decode()
    assert PLACE in form  # the current details are filled in
    later = appointment.starts_at + dt.timedelta(days=3)
    response = client.post(
        url, _form(later, asked_by="person", reason="Hospital appointment."), follow=True
    )
    assert "Appointment rescheduled" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.starts_at == later
    event = ReferralEvent.objects.get(kind="appointment_rescheduled")
    assert event.data["asked_by"] == "person"
    response = client.post(
        reverse("referrals:appointment_cancel", args=[appointment.pk]),
        {"cancel_reason": "Support moved to the Wisbech office."},
        follow=True,
    )
    assert "Appointment cancelled" in response.content.decode()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.CANCELLED


def test_reschedule_without_who_asked_is_refused_at_the_field(as_user):
    appointment = booked_appointment()
    client = as_user(appointment.referral.assigned_to)
    response = client.post(
        reverse("referrals:appointment_reschedule", args=[appointment.pk]),
        _form(appointment.starts_at + dt.timedelta(days=1), reason="x"),
    )
    assert "Select" in response.content.decode() or "required" in response.content.decode()
    assert not ReferralEvent.objects.filter(kind="appointment_rescheduled").exists()


def test_record_attendance_through_the_page(as_user):
    appointment = started_appointment()
    client = as_user(appointment.referral.assigned_to)
    detail = client.get(reverse("referrals:detail", args=[appointment.referral_id]))
    assert "Record attendance" in detail.content.decode()
    url = reverse("referrals:appointment_attendance", args=[appointment.pk])
    refused = client.post(url, {"status": "did_not_attend", "duration_minutes": "30"})
    assert "Leave the length empty" in refused.content.decode()
    response = client.post(
        url,
        {
            "status": "attended",
            "duration_minutes": "45",
            "notes": "Filled in the housing form together.",
        },
        follow=True,
    )
    body = response.content.decode()
    assert "Attendance recorded" in body
    assert "Filled in the housing form together." in body  # the session, with its notes
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.ATTENDED
    assert appointment.session.duration_minutes == 45


def test_another_providers_caseworker_gets_404_on_every_appointment_page(as_user):
    appointment = started_appointment()
    outsider = caseworker_of(OrganisationFactory())
    client = as_user(outsider)
    urls = [reverse("referrals:appointment_book", args=[appointment.referral_id])] + [
        reverse(f"referrals:appointment_{name}", args=[appointment.pk])
        for name in ("reschedule", "cancel", "attendance")
    ]
    for url in urls:
        assert client.get(url).status_code == 404
        assert client.post(url, {"cancel_reason": "x", "status": "attended"}).status_code == 404
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.BOOKED


def test_officer_sees_upcoming_and_missed_on_the_case_but_no_place_notes_or_reason(as_user):
    referral = in_progress_referral()
    worker = referral.assigned_to
    missed = started_appointment(referral, hours_ago=30, mode="phone", place="07700 900123")
    services.appointment_record_attendance(
        appointment=missed,
        actor=worker,
        status="did_not_attend",
        absence_reason="Was at the job centre.",
        notes="Private note about the person.",
    )
    booked_appointment(referral, with_whom=worker)
    officer = as_user(referral.case.officer)
    body = officer.get(reverse("cautions:case_support", args=[referral.case_id])).content.decode()
    assert "Upcoming appointments" in body
    assert "Missed appointments" in body
    assert "no acceptable reason" in body
    assert f"{_tomorrow_at_ten():%-d %B %Y}, 10:00" in body
    for private in (PLACE, "07700 900123", "Was at the job centre.", "Private note"):
        assert private not in body
    detail = officer.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    for private in (PLACE, "07700 900123", "Was at the job centre.", "Private note"):
        assert private not in detail
    assert "Record attendance" not in detail
    assert "Reschedule" not in detail


@pytest.mark.parametrize("rows", [1, 20])
def test_case_partial_query_count_is_the_same_for_1_and_20_appointments(
    django_assert_num_queries, rows
):
    referral = in_progress_referral()
    for i in range(rows):
        booked_appointment(referral, starts_at=_tomorrow_at_ten() + dt.timedelta(days=i))
    case = referral.case
    # referrals, sessions, progress reports, appointments (with caseworker, pathway, condition)
    with django_assert_num_queries(4):
        referrals = referrals_for_case_page(case)
        render_to_string("referrals/_case_referrals.html", {"case_referrals": referrals})
    assert len(referrals[0].upcoming_appointments) == rows


@pytest.mark.parametrize("rows", [1, 20])
def test_referral_page_query_count_is_the_same_for_1_and_20_appointments(
    as_user, django_assert_max_num_queries, rows
):
    referral = in_progress_referral()
    for i in range(rows):
        booked_appointment(
            referral,
            starts_at=_tomorrow_at_ten() + dt.timedelta(days=i),
            with_whom=referral.assigned_to,
        )
    client = as_user(referral.assigned_to)
    # As the referral page's own budget (tests/referrals/test_views.py), with appointments.
    with django_assert_max_num_queries(22):
        response = client.get(reverse("referrals:detail", args=[referral.pk]))
    assert len(response.context["page"].upcoming_appointments) == rows
