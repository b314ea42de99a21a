"""The notifications pages: the list, following one, marking all read, the choice of emails,
and the header's unread count."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.staff_models import NotificationPreference, StaffNotification
from tests.factories import make_user, opcc

pytestmark = pytest.mark.django_db
K = StaffNotification.Kind


def make(user, n=1, *, read=False, link="/cases/1/", start=0):
    rows = [
        StaffNotification.objects.create(
            user=user,
            kind=K.REFERRAL_RETURNED,
            text=f"Case CC-2026-{i}: Outside Links returned the referral.",
            link=link,
            dedupe_key=f"test:{user.pk}:{i}",
            read_at=timezone.now() if read else None,
        )
        for i in range(start, start + n)
    ]
    return rows[0] if n == 1 else rows


def test_the_list_shows_newest_first_with_unread_marked(as_user, officer):
    old = make(officer, read=True, start=1)
    new = make(officer, start=2)
    StaffNotification.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=1)
    )
    page = as_user(officer).get(reverse("notifications:staff_list")).content.decode()
    assert page.index(new.text) < page.index(old.text)
    assert "1 unread." in page
    assert page.count(">Unread</strong>") == 1
    assert reverse("notifications:staff_open", args=[new.pk]) in page
    assert "Mark all as read" in page


def test_the_header_shows_the_unread_count_to_notified_staff(as_user, officer):
    make(officer, 3)
    page = as_user(officer).get(reverse("cautions:worklist")).content.decode()
    assert 'class="moj-notification-badge">3<span class="govuk-visually-hidden"> unread' in page


def test_the_header_has_no_count_when_nothing_is_unread(as_user, officer):
    make(officer, read=True)
    page = as_user(officer).get(reverse("cautions:worklist")).content.decode()
    assert "Notifications</a>" in page
    assert "moj-notification-badge" not in page


def test_analysts_see_no_notifications_link_and_may_not_open_the_page(as_user, analyst):
    client = as_user(analyst)
    page = client.get(reverse("reporting:dashboard")).content.decode()
    assert reverse("notifications:staff_list") not in page
    assert client.get(reverse("notifications:staff_list")).status_code == 403


def test_an_officer_at_the_opcc_may_not_open_the_page(as_user):
    from hub.roles import Role

    user = make_user(Role.OFFICER, organisation=opcc())
    assert as_user(user).get(reverse("notifications:staff_list")).status_code == 403


def test_following_a_notification_marks_it_read_and_goes_to_the_thing(as_user, officer):
    notification = make(officer, link="/cases/7/support/")
    response = as_user(officer).get(reverse("notifications:staff_open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/cases/7/support/"
    notification.refresh_from_db()
    first_read = notification.read_at
    assert first_read is not None
    # Following it again keeps the time it was first read.
    as_user(officer).get(reverse("notifications:staff_open", args=[notification.pk]))
    notification.refresh_from_db()
    assert notification.read_at == first_read


def test_mark_all_read(as_user, officer):
    make(officer, 3)
    client = as_user(officer)
    response = client.post(reverse("notifications:staff_mark_all_read"))
    assert response.status_code == 302
    assert not StaffNotification.objects.filter(user=officer, read_at__isnull=True).exists()
    page = client.get(reverse("notifications:staff_list")).content.decode()
    assert "Nothing unread." in page
    assert "Mark all as read" not in page


def test_mark_all_read_is_post_only(as_user, officer):
    make(officer)
    response = as_user(officer).get(reverse("notifications:staff_mark_all_read"))
    assert response.status_code == 405
    assert StaffNotification.objects.filter(user=officer, read_at__isnull=True).exists()


def test_an_empty_list_says_what_will_appear(as_user, caseworker):
    page = as_user(caseworker).get(reverse("notifications:staff_list")).content.decode()
    assert "You have no notifications yet" in page


def test_the_preference_defaults_to_the_daily_digest_and_can_be_changed(as_user, sergeant):
    client = as_user(sergeant)
    page = client.get(reverse("notifications:staff_preferences")).content.decode()
    assert re.search(r'value="daily_digest"\s+checked', page)
    response = client.post(reverse("notifications:staff_preferences"), {"delivery": "immediate"})
    assert response.status_code == 302
    assert NotificationPreference.objects.get(user=sergeant).delivery == "immediate"
    response = client.post(reverse("notifications:staff_preferences"), {"delivery": "in_app"})
    assert NotificationPreference.objects.get(user=sergeant).delivery == "in_app"


@pytest.mark.parametrize("value", ["", "weekly", "x" * 5000])
def test_a_bad_preference_is_an_error_at_the_field(as_user, officer, value):
    response = as_user(officer).post(
        reverse("notifications:staff_preferences"), {"delivery": value}
    )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not NotificationPreference.objects.filter(user=officer).exists()


@pytest.mark.parametrize("rows", [1, 60])
def test_the_list_makes_as_many_queries_at_1_and_60_rows(
    as_user, officer, django_assert_max_num_queries, rows
):
    make(officer, rows)
    client = as_user(officer)
    # session, user (with profile), permissions (2), the unread count (the header's, shown on
    # the page too), the page's count and rows (paginated), session save (savepoint, update,
    # release).
    with django_assert_max_num_queries(10):
        response = client.get(reverse("notifications:staff_list"))
    assert response.status_code == 200
