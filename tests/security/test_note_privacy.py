"""What a caseworker writes about session notes is as private as the notes (issue 17 point 10).

Officers read the referral's timeline; a correction's reason ("... disclosed relapse") was on
it. Every place a referral's events are shown to someone who may not read the notes is
checked: the referral page, the case page's sections, and the event's own wording.
"""

import pytest
from django.test import Client
from django.urls import reverse

from referrals import services
from referrals.models import ReferralEvent
from tests.referrals.factories import caseworker_of, in_progress_referral, session_data

pytestmark = pytest.mark.django_db

REASON = "Client disclosed relapse after the session: notes corrected"


@pytest.fixture
def corrected(officer):
    referral = in_progress_referral(sessions=1)
    caseworker = referral.assigned_to
    session = referral.sessions.get()
    services.session_correct(
        session=session,
        actor=caseworker,
        data=session_data(notes="Disclosed relapse (heroin)."),
        reason=REASON,
    )
    return referral, caseworker


def page(user, url) -> str:
    client = Client()
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_officers_do_not_read_correction_reasons_on_the_referral_timeline(officer, corrected):
    referral, _caseworker = corrected
    text = page(officer, reverse("referrals:detail", args=[referral.pk]))
    assert "Support session corrected" in text  # that it happened is not private
    assert "disclosed relapse" not in text.lower()


def test_officers_do_not_read_them_on_any_section_of_the_case_page(officer, corrected):
    referral, _caseworker = corrected
    for name in ("case_detail", "case_assessment", "case_support", "case_history"):
        text = page(officer, reverse(f"cautions:{name}", args=[referral.case_id]))
        assert "disclosed relapse" not in text.lower(), name


def test_the_providers_own_staff_still_read_them(corrected):
    referral, caseworker = corrected
    text = page(caseworker, reverse("referrals:detail", args=[referral.pk]))
    assert REASON in text
    colleague = caseworker_of(referral.provider, username="colleague1")
    assert REASON in page(colleague, reverse("referrals:detail", args=[referral.pk]))


def test_the_event_itself_says_whose_eyes_its_reason_is_for(corrected):
    """The rule lives with the event, for every reader to come (emails, the API): a reason
    about notes is shown only to those who may read the notes."""
    referral, _caseworker = corrected
    event = ReferralEvent.objects.get(referral=referral, kind="session_corrected")
    assert event.reason == REASON
    assert event.reason_is_about_notes
    assert event.shown_reason(with_notes=True) == REASON
    assert REASON not in event.shown_reason(with_notes=False)
    accepted = ReferralEvent.objects.filter(referral=referral, kind="accepted").first()
    assert not accepted.reason_is_about_notes
    assert accepted.shown_reason(with_notes=False) == accepted.reason
