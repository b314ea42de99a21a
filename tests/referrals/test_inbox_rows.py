"""The inbox table's cells, formatted in Python (referrals.selectors.inbox_table_rows), show
what the template's filters and lookups showed on the model instances."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.template.defaultfilters import date as date_filter
from django.urls import reverse
from django.utils import timezone, translation

from hub.lib.dates import DayMonthYear
from hub.lib.staff import staff_name
from hub.models import Person
from hub.templatetags.hub_tags import display_name
from referrals.models import Referral
from referrals.selectors import inbox_rows, inbox_table_rows
from tests.factories import OrganisationFactory
from tests.referrals.factories import accepted_referral, caseworker_of, new_referral

pytestmark = pytest.mark.django_db


def _as_the_template_showed_it(referral, today):
    """The cells as referrals/inbox.html rendered them from a Referral before."""
    due = referral.due_date
    return {
        "pk": referral.pk,
        "url": reverse("referrals:detail", args=[referral.pk]),
        "name": referral.case.person.full_name,
        "manual": referral.source == "manual",
        "offence": str(referral.case.offence.category),
        "referred": date_filter(timezone.template_localtime(referral.created_at), "j F Y"),
        "due": date_filter(due, "j F Y") or "Not set",
        "overdue": bool(referral.is_open and due and due < today),
        "caseworker": (
            display_name(referral.assigned_to) if referral.assigned_to else "Not assigned"
        ),
        "status": referral.get_status_display(),
        "colour": referral.status_colour,
    }


def test_each_cell_is_what_the_template_showed():
    links = OrganisationFactory()
    today = timezone.localdate()
    overdue = new_referral(links)
    Referral.objects.filter(pk=overdue.pk).update(
        due_date=today - dt.timedelta(days=3),
        # 23:30 UTC in summer is the next day in London: the date shown is the local one.
        created_at=dt.datetime(2025, 7, 1, 23, 30, tzinfo=dt.UTC),
    )
    manual = new_referral(links)
    Referral.objects.filter(pk=manual.pk).update(source="manual", due_date=None)
    anonymised = accepted_referral(links, caseworker=caseworker_of(links, first_name=""))
    Person.objects.filter(pk=anonymised.case.person_id).update(
        anonymised_at=timezone.now(), date_of_birth=None, pnc_id=None
    )
    nameless = get_user_model().objects.get(pk=anonymised.assigned_to_id)
    nameless.first_name = nameless.last_name = ""
    nameless.save()
    named = accepted_referral(links, caseworker=caseworker_of(links, first_name="Alex"))

    referrals = Referral.objects.filter(provider=links).order_by("pk")
    rows = inbox_table_rows(inbox_rows(referrals), today=today)

    assert rows == [_as_the_template_showed_it(r, today) for r in referrals]
    by_pk = {row["pk"]: row for row in rows}
    assert by_pk[overdue.pk]["overdue"]
    assert by_pk[overdue.pk]["referred"] == "2 July 2025"
    assert by_pk[manual.pk]["manual"]
    assert by_pk[manual.pk]["due"] == "Not set"
    assert by_pk[anonymised.pk]["name"].startswith("Anonymised person")
    assert by_pk[anonymised.pk]["caseworker"] == nameless.username
    assert by_pk[named.pk]["caseworker"].startswith("Alex ")
    assert by_pk[named.pk]["status"] == "Accepted"


def test_dates_are_written_as_the_date_filter_writes_them():
    fmt = DayMonthYear()
    days = [dt.date(2025, month, day) for month in range(1, 13) for day in (1, 9, 28)]
    days += [dt.date(999, 3, 5)]
    moments = [
        dt.datetime(2025, 3, 30, 0, 30, tzinfo=dt.UTC),  # the clocks go forward at 01:00
        dt.datetime(2025, 10, 25, 23, 30, tzinfo=dt.UTC),  # still summer time: 26 Oct
        dt.datetime(2025, 12, 31, 23, 59, tzinfo=dt.UTC),
    ]
    for value in days + moments:
        expected = date_filter(timezone.template_localtime(value), "j F Y")
        assert fmt(value) == expected
    assert fmt(None) == ""


def test_month_names_follow_the_language_of_the_request():
    with translation.override("fr"):
        assert DayMonthYear()(dt.date(2025, 2, 3)) == date_filter(dt.date(2025, 2, 3), "j F Y")


def test_staff_name_is_display_name_from_the_columns():
    User = get_user_model()
    for first, last in [("Alex", "Morgan"), ("Alex", ""), ("", "Morgan"), ("", "")]:
        user = User(username="amorgan", first_name=first, last_name=last)
        assert staff_name(first, last, "amorgan") == display_name(user)
