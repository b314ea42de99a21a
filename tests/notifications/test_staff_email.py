"""Emails about staff notifications, through the outbox (notifications.outbox): at once, in
a daily digest (the default), or none; never naming a person or a case."""

import datetime as dt

import pytest
from django.utils import timezone

from hub.roles import Role
from notifications import staff_scan, staff_services
from notifications.models import Message
from notifications.staff_models import StaffNotification
from referrals.events import _event
from tests.factories import make_user
from tests.referrals.factories import accepted_referral, returned_referral

pytestmark = pytest.mark.django_db
K = StaffNotification.Kind
TODAY = timezone.localdate()


def at(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))


def officer_choosing(delivery: str | None, **kwargs):
    user = make_user(Role.OFFICER, email="pc.jones@police.example", **kwargs)
    if delivery:
        staff_services.preference_set(user=user, delivery=delivery)
    return user


def emails_to(user) -> list[Message]:
    return list(Message.objects.filter(user=user, channel="email").order_by("id"))


def test_immediate_email_says_a_case_needs_attention_with_a_link_and_no_name():
    officer = officer_choosing("immediate")
    referral = returned_referral(officer=officer)
    [email] = emails_to(officer)
    assert (email.recipient, email.subject) == (
        "pc.jones@police.example",
        "A case needs your attention",
    )
    assert email.kind == "staff_notification"
    assert f"/cases/{referral.case_id}/support/" in email.body
    person = referral.case.person
    for word in (person.first_name, person.last_name, referral.case.reference):
        assert word not in email.body
        assert word not in email.subject
    assert StaffNotification.objects.get(user=officer).emailed_at is not None


def test_an_event_heard_twice_emails_once():
    from notifications import staff_receivers

    officer = officer_choosing("immediate")
    referral = accepted_referral(officer=officer)
    event = _event(referral, actor=referral.assigned_to, kind="appointment_missed")
    staff_receivers.on_referral_event(None, referral=referral, event=event)
    assert len(emails_to(officer)) == 1


def test_in_app_only_sends_no_email_ever():
    officer = officer_choosing("in_app")
    returned_referral(officer=officer)
    staff_scan.run(at(TODAY + dt.timedelta(days=1), 9))
    assert emails_to(officer) == []
    assert StaffNotification.objects.filter(user=officer).count() == 1


def test_no_email_address_no_email_and_no_error():
    officer = make_user(Role.OFFICER, email="")
    staff_services.preference_set(user=officer, delivery="immediate")
    returned_referral(officer=officer)
    staff_scan.run(at(TODAY + dt.timedelta(days=1), 9))
    assert Message.objects.count() == 0


def _notifications(user, n, created):
    for i in range(n):
        row = StaffNotification.objects.create(
            user=user,
            kind=K.CONDITION_OVERDUE if i % 2 else K.REFERRAL_RETURNED,
            text=f"Case CC-2026-{i}: something.",
            link=f"/cases/{i + 1}/",
            dedupe_key=f"digest-test:{user.pk}:{created.isoformat()}:{i}",
        )
        StaffNotification.objects.filter(pk=row.pk).update(created_at=created)


def test_the_daily_digest_is_one_email_of_counts_and_links_once_a_day():
    officer = officer_choosing(None)  # the default: the daily digest
    _notifications(officer, 3, at(TODAY, 6))
    # Before 07:00: nothing yet.
    staff_scan.run(at(TODAY, 6, 59))
    assert emails_to(officer) == []
    staff_scan.run(at(TODAY, 7, 0))
    [digest] = emails_to(officer)
    assert digest.kind == "staff_digest"
    assert digest.subject == "A case needs your attention"
    assert "3 new notifications need your attention" in digest.body
    assert "- Referral returned: 2" in digest.body
    assert "- Condition overdue: 1" in digest.body
    for n in (1, 2, 3):
        assert f"/cases/{n}/" in digest.body
    assert "CC-2026" not in digest.body
    # Later runs the same day, even with something new, send nothing more.
    _notifications(officer, 1, at(TODAY, 10))
    staff_scan.run(at(TODAY, 11))
    staff_scan.run(at(TODAY, 23))
    assert len(emails_to(officer)) == 1
    # The next day's digest holds only what came since.
    staff_scan.run(at(TODAY + dt.timedelta(days=1), 8))
    _first, second = emails_to(officer)
    assert "1 new notification needs your attention" in second.body


def test_a_digest_leaves_out_what_was_read_or_already_emailed():
    officer = officer_choosing("daily_digest")
    _notifications(officer, 2, at(TODAY, 5))
    StaffNotification.objects.filter(user=officer).update(read_at=timezone.now())
    staff_scan.run(at(TODAY, 9))
    assert emails_to(officer) == []


def test_immediate_users_get_no_digest():
    officer = officer_choosing("immediate")
    _notifications(officer, 2, at(TODAY, 5))
    staff_scan.run(at(TODAY, 9))
    assert emails_to(officer) == []
