"""The daily scan (notifications.staff_scan.run): conditions due within 7 days or overdue,
charge-by dates within the breach-decision margin; each threshold tested on both sides, and
a second run notifying nobody twice."""

import datetime as dt

import pytest
from django.utils import timezone

from cautions import rules
from cautions.models import RuleSettings
from hub.roles import Role
from notifications import staff_scan
from notifications.staff_models import StaffNotification
from tests.cautions import factories as f
from tests.factories import make_user, opcc

pytestmark = pytest.mark.django_db
K = StaffNotification.Kind
TODAY = timezone.localdate()
# Before the digest hour: these tests are about the notifications, not the emails.
NOW = timezone.make_aware(dt.datetime.combine(TODAY, dt.time(6, 0)))


def kinds_of(user) -> list[str]:
    return sorted(StaffNotification.objects.filter(user=user).values_list("kind", flat=True))


def condition_due_in(officer, days: int):
    case = f.ActiveCaseFactory(officer=officer, conditions=0)
    return f.ConditionFactory(case=case, due_date=TODAY + dt.timedelta(days=days))


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (8, []),
        (7, [K.CONDITION_DUE_SOON]),
        (0, [K.CONDITION_DUE_SOON]),
        (-1, [K.CONDITION_OVERDUE]),
    ],
)
def test_conditions_due_within_7_days_or_overdue_tell_the_officer(officer, days, expected):
    condition = condition_due_in(officer, days)
    staff_scan.run(NOW)
    assert kinds_of(officer) == expected
    if expected:
        notification = StaffNotification.objects.get(user=officer)
        assert notification.link == f"/cases/{condition.case_id}/"
        assert condition.case.person.last_name not in notification.text


def test_a_second_run_notifies_nobody_twice(officer):
    condition_due_in(officer, 3)
    condition_due_in(officer, -2)
    first = staff_scan.run(NOW)
    second = staff_scan.run(NOW)
    assert first["staff_notifications"] == 2
    assert second["staff_notifications"] == 0
    assert StaffNotification.objects.filter(user=officer).count() == 2


def test_a_condition_due_soon_then_overdue_is_told_of_each_once(officer):
    condition_due_in(officer, 0)
    staff_scan.run(NOW)
    staff_scan.run(NOW + dt.timedelta(days=1))
    staff_scan.run(NOW + dt.timedelta(days=2))
    assert kinds_of(officer) == [K.CONDITION_DUE_SOON, K.CONDITION_OVERDUE]


def test_complied_conditions_and_closed_cases_tell_nobody(officer):
    condition = condition_due_in(officer, 2)
    condition.status = "complied"
    condition.complied_on = TODAY
    condition.save()
    f.CompliedCaseFactory(officer=officer)
    staff_scan.run(NOW)
    assert kinds_of(officer) == []


def test_an_officer_at_the_opcc_is_not_told(db):
    user = make_user(Role.OFFICER, organisation=opcc())
    condition_due_in(user, 1)
    staff_scan.run(NOW)
    assert kinds_of(user) == []


def summary_case(officer, charge_by: dt.date, *, mode="summary"):
    offence_date = rules.latest_offence_date_charge_by(charge_by)
    assert rules.summary_time_limit(offence_date) == charge_by
    return f.ActiveCaseFactory(
        officer=officer,
        offence__offence_date=offence_date,
        offence__mode_of_trial=mode,
        conditions=0,
    )


def a_day_that_is_a_charge_by_date(start: dt.date, step: int) -> dt.date:
    """Months are clamped, so not every day is some offence's charge-by date: the nearest one
    from `start` going by `step`."""
    day = start
    while rules.summary_time_limit(rules.latest_offence_date_charge_by(day)) != day:
        day += dt.timedelta(days=step)
    return day


def test_charge_by_within_the_breach_decision_margin_tells_the_officer(officer):
    margin = RuleSettings.load().breach_decision_margin_days
    assert margin == 28
    inside = a_day_that_is_a_charge_by_date(TODAY + dt.timedelta(days=margin), -1)
    outside = a_day_that_is_a_charge_by_date(TODAY + dt.timedelta(days=margin + 1), 1)
    near = summary_case(officer, inside)
    summary_case(officer, outside)
    staff_scan.run(NOW)
    notification = StaffNotification.objects.get(user=officer)
    assert notification.kind == K.CHARGE_BY_SOON
    assert notification.link == f"/cases/{near.pk}/"


def test_the_charge_by_margin_follows_the_rule_settings(officer):
    settings_row = RuleSettings.load()
    settings_row.breach_decision_margin_days = 10
    settings_row.save()
    summary_case(officer, a_day_that_is_a_charge_by_date(TODAY + dt.timedelta(days=20), 1))
    staff_scan.run(NOW)
    assert kinds_of(officer) == []


def test_either_way_offences_have_no_charge_by_date(officer):
    summary_case(
        officer, a_day_that_is_a_charge_by_date(TODAY + dt.timedelta(days=5), 1), mode="either_way"
    )
    staff_scan.run(NOW)
    assert kinds_of(officer) == []


def test_the_command_runs_the_scan_and_says_what_it_did(officer):
    from io import StringIO

    from django.core.management import call_command

    condition_due_in(officer, 2)
    out = StringIO()
    call_command("notify_staff", stdout=out)
    assert out.getvalue().startswith("1 staff notifications created")
    call_command("notify_staff", stdout=out)
    assert StaffNotification.objects.filter(user=officer).count() == 1
