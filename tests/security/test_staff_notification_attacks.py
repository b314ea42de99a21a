"""Attacks on staff notifications: another user's notification by a crafted id, a link that
would leave the service, marking someone else's read, and another organisation's caseworkers
learning of a case not referred to them."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cautions import services as caution_services
from cautions.models import Case
from notifications.staff_models import StaffNotification
from referrals import services as referral_services
from referrals.models import ProgressReport
from tests.factories import OrganisationFactory
from tests.referrals.factories import accepted_referral, caseworker_of

pytestmark = pytest.mark.django_db


def notification_for(user, *, link="/cases/1/", key="attack"):
    return StaffNotification.objects.create(
        user=user,
        kind="referral_returned",
        text="Case CC-2026-1: the referral was returned.",
        link=link,
        dedupe_key=f"{key}:{user.pk}",
    )


@pytest.mark.parametrize("who", ["sergeant", "caseworker"])
def test_another_users_notification_is_not_found_and_stays_unread(
    as_user, officer, sergeant, caseworker, who
):
    notification = notification_for(officer)
    attacker = {"sergeant": sergeant, "caseworker": caseworker}[who]
    response = as_user(attacker).get(reverse("notifications:staff_open", args=[notification.pk]))
    assert response.status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_a_link_leaving_the_service_goes_to_the_list_instead(as_user, officer):
    notification = notification_for(officer, link="//evil.example/phish")
    response = as_user(officer).get(reverse("notifications:staff_open", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:staff_list")


def test_a_link_that_is_not_a_path_cannot_be_stored(officer):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        notification_for(officer, link="https://evil.example/")


def test_mark_all_read_marks_only_ones_own(as_user, officer, sergeant):
    mine = notification_for(sergeant, key="mine")
    theirs = notification_for(officer, key="theirs")
    as_user(sergeant).post(reverse("notifications:staff_mark_all_read"))
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.read_at is not None
    assert theirs.read_at is None


def test_the_list_shows_only_ones_own(as_user, officer, sergeant):
    notification_for(officer)
    page = as_user(sergeant).get(reverse("notifications:staff_list")).content.decode()
    assert "CC-2026-1" not in page


def test_another_organisations_caseworkers_learn_nothing_of_a_case_not_referred_to_them(officer):
    provider = OrganisationFactory()
    assigned = caseworker_of(provider)
    outsiders = [caseworker_of(OrganisationFactory()) for _ in range(2)]
    # Every caseworker trigger: new referral, progress reported, conditions varied, closed.
    referral = accepted_referral(provider, caseworker=assigned, officer=officer)
    referral_services.progress_report(
        referral=referral,
        actor=assigned,
        kind=ProgressReport.Kind.NOT_ENGAGING,
        details="Missed two sessions.",
    )
    case = Case.objects.get(pk=referral.case_id)
    condition = case.conditions.get(provider=provider)
    caution_services.condition_vary(
        condition=condition,
        actor=officer,
        reason="Moved a week later",
        consent_given=True,
        agreed_on=timezone.localdate(),
        due_date=condition.due_date,
        description=condition.description + " Weekly.",
        provider=provider,
    )
    case.refresh_from_db()
    caution_services.case_withdraw(
        case=case, actor=officer, kind="error", reason="Recorded against the wrong person."
    )
    assert StaffNotification.objects.filter(user__in=outsiders).count() == 0
    assert set(StaffNotification.objects.filter(user=assigned).values_list("kind", flat=True)) >= {
        "new_referral",
        "conditions_varied",
        "closed_by_police",
    }
