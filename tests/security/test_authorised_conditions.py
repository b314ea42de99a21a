"""Attacks on the authorisation of conditions (issue 16 point 5), each withstood: a user put in
the authorising group without a sergeant's recorded rank, a crafted POST giving the caution
with another set than the one authorised, and the officer in charge sending their own case
back."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from cautions.models import Case, ConditionProposal
from hub.models import ConditionType, StaffProfile
from hub.roles import Role
from tests.cautions.factories import AuthorisedCaseFactory, AwaitingAuthorisationCaseFactory
from tests.cautions.helpers import today
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_constable_in_the_authorising_group_cannot_authorise():
    constable = make_user(Role.AUTHORISING_OFFICER)
    StaffProfile.objects.filter(user=constable).update(rank="constable")
    case = AwaitingAuthorisationCaseFactory()
    response = signed_in(constable).post(
        reverse("cautions:authorise", args=[case.pk]),
        {"expected_version": case.version, "decision": "authorise"},
    )
    assert response.status_code == 200
    assert "sergeant or above" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Case.Status.AWAITING_AUTHORISATION


def test_a_crafted_post_with_another_set_does_not_give_the_caution():
    case = AuthorisedCaseFactory()
    compensation = ConditionType.objects.get(key="compensation")
    response = signed_in(case.officer).post(
        reverse("cautions:administer", args=[case.pk]),
        {
            "caution-expected_version": case.version,
            "caution-caution_date": today().isoformat(),
            "caution-signed_time": "00:01",
            "caution-signed_place": "Parkside",
            "caution-admission_method": "interview",
            **{
                f"caution-{name}": "on"
                for name in (
                    "admitted",
                    "effect_explained",
                    "warned_of_prosecution",
                    "consented",
                    "document_signed",
                )
            },
            "caution-compliance_period_weeks": "16",
            "conditions-TOTAL_FORMS": "1",
            "conditions-INITIAL_FORMS": "0",
            "conditions-MIN_NUM_FORMS": "0",
            "conditions-MAX_NUM_FORMS": "8",
            "conditions-0-condition_type": compensation.pk,
            "conditions-0-description": "Pay £500",
            "conditions-0-amount": "500",
            "conditions-0-due_date": (today() + dt.timedelta(weeks=4)).isoformat(),
        },
    )
    assert response.status_code == 200
    assert "not the ones authorised" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == Case.Status.AUTHORISED
    assert not case.conditions.exists()


def test_the_officer_in_charge_cannot_send_back_their_own_case():
    sergeant = make_user(Role.AUTHORISING_OFFICER)
    case = AwaitingAuthorisationCaseFactory(officer=sergeant)
    response = signed_in(sergeant).post(
        reverse("cautions:authorise", args=[case.pk]),
        {"expected_version": case.version, "decision": "send_back", "reason": "Change it"},
    )
    assert response.status_code == 200
    assert ConditionProposal.objects.get(case=case).status == "proposed"
