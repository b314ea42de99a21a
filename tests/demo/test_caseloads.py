import pytest
from django.core.management import call_command

from demo.core import OUTSIDE_LINKS, SECOND_PROVIDER
from referrals.models import Referral, ReferralEvent, SupportSession

pytestmark = pytest.mark.django_db


def test_demo_gives_each_caseworker_a_caseload_with_every_attendance_state(settings):
    settings.DEBUG = True  # the test runner turns DEBUG off
    call_command("seed_demo")
    counts = (
        Referral.objects.count(),
        SupportSession.objects.count(),
        ReferralEvent.objects.count(),
    )
    call_command("seed_demo")
    assert counts == (
        Referral.objects.count(),
        SupportSession.objects.count(),
        ReferralEvent.objects.count(),
    )
    for org in (OUTSIDE_LINKS, SECOND_PROVIDER):
        referrals = Referral.objects.filter(provider__name=org)
        assert set(referrals.values_list("status", flat=True)) >= {
            "new",
            "in_progress",
            "completed",
        }
        attendance = set(
            SupportSession.objects.filter(referral__provider__name=org).values_list(
                "attendance", flat=True
            )
        )
        assert attendance == set(SupportSession.Attendance.values)
