"""A progress report can say the person is "engaging and progressing" with a short summary
(issue 18): stored without a compliance date, no flag on the worklist, shown to the officer."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from referrals import services
from referrals.models import ProgressReport, ReferralEvent
from referrals.selectors import non_engagement_flags_for_officer
from tests.referrals.factories import in_progress_referral

pytestmark = pytest.mark.django_db

SUMMARY = "Attends every week; has a tenancy viewing on Friday."


def test_engaging_report_is_stored_without_a_date_and_raises_no_flag():
    referral = in_progress_referral()
    report = services.progress_report(
        referral=referral, actor=referral.assigned_to, kind="engaging", details=SUMMARY
    )
    assert report.kind == ProgressReport.Kind.ENGAGING
    assert report.complied_on is None
    assert not report.applied_as_compliance
    event = ReferralEvent.objects.get(referral=referral, kind="progress_reported")
    assert event.reason == "Engaging and progressing"
    assert not list(non_engagement_flags_for_officer(referral.case.officer))


def test_engaging_report_needs_a_summary():
    referral = in_progress_referral()
    with pytest.raises(services.ReferralError, match="what has happened"):
        services.progress_report(
            referral=referral, actor=referral.assigned_to, kind="engaging", details="  "
        )


def test_database_refuses_an_engaging_report_with_a_compliance_date():
    referral = in_progress_referral()
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgressReport.objects.create(
            referral=referral,
            kind="engaging",
            details=SUMMARY,
            complied_on=referral.created_at.date(),
            reported_by=referral.assigned_to,
        )


def test_caseworker_sends_it_from_the_form_and_the_officer_reads_it(as_user):
    referral = in_progress_referral()
    client = as_user(referral.assigned_to)
    url = reverse("referrals:progress_create", args=[referral.pk])
    assert "Engaging and progressing" in client.get(url).content.decode()
    response = client.post(url, {"kind": "engaging", "details": SUMMARY}, follow=True)
    assert "the officer in charge will see it on the case" in response.content.decode()
    officer = as_user(referral.case.officer)
    body = officer.get(reverse("cautions:case_support", args=[referral.case_id])).content.decode()
    assert "Engaging and progressing" in body
    assert SUMMARY in body
