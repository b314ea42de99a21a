"""The caution document printed for signature first, then the signature recorded."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from cautions import services
from cautions.models import Case, CaseEvent, CautionSignature
from hub.models import AccessLog
from tests.cautions import factories as f
from tests.cautions.helpers import administer_kwargs, spec, today

pytestmark = pytest.mark.django_db


def _signed(case, officer, **kwargs):
    return services.caution_signature_record(
        case=case,
        actor=officer,
        signed_at=kwargs.pop("signed_at", timezone.now() - dt.timedelta(minutes=5)),
        signed_place=kwargs.pop("signed_place", "Parkside Police Station"),
        **kwargs,
    )


def test_the_document_for_signature_is_printed_before_the_caution(as_user, officer):
    provider = f.OrganisationFactory(contact_details="2 Bridge Street, Peterborough, 01733 000000")
    case = f.AuthorisedCaseFactory(officer=officer)  # shoplifting
    f.authorise_set(
        case,
        [
            spec("compensation", amount=Decimal(40), description="Pay the store £40"),
            spec("housing", provider=provider, description="Attend housing support"),
        ],
    )
    page = as_user(officer).get(reverse("cautions:print", args=[case.pk]))
    body = page.content.decode()
    for shown in (
        "Theft from a shop, contrary to sections 1 and 7 of the Theft Act 1968",
        "Pay the store £40",
        "2 Bridge Street, Peterborough, 01733 000000",  # the provider's contact details
        "How to pay",
        "section 24)",  # prosecution for the original offence
        "arrested without warrant (section 24A)",
        "may be disclosed",
        "becomes spent 3 months after the day it is given",
        "Signature of the person: ____",
    ):
        assert shown in body, shown
    assert "Signed " not in body  # nothing pre-filled: it is signed by hand
    entry = AccessLog.objects.get(action="disclosure", object_id=str(case.pk))
    assert "for signature" in entry.recipient


@pytest.mark.parametrize("factory", [f.CaseFactory, f.AwaitingAuthorisationCaseFactory])
def test_no_document_before_the_conditions_are_authorised(as_user, officer, factory):
    case = factory(officer=officer)
    response = as_user(officer).get(reverse("cautions:print", args=[case.pk]))
    assert response.status_code == 302
    assert not AccessLog.objects.filter(action="disclosure").exists()


def test_the_signature_is_recorded_then_the_caution_given_with_it(officer):
    case = f.AuthorisedCaseFactory(officer=officer)
    kwargs = administer_kwargs()
    del kwargs["signed_at"], kwargs["signed_place"]
    with pytest.raises(services.RuleViolation, match="record that the person signed"):
        services.caution_administer(case=case, actor=officer, **kwargs)
    signature = _signed(case, officer)
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert (event.kind, event.actor) == ("document_signed", officer)
    assert signature.proposal.status == "authorised"
    services.caution_administer(case=case, actor=officer, **kwargs)
    case.refresh_from_db()
    assert case.status == Case.Status.ACTIVE
    assert case.administration.signed_at == signature.signed_at
    assert case.administration.signed_place == "Parkside Police Station"


def test_signature_refusals(officer):
    case = f.AuthorisedCaseFactory(officer=officer)
    with pytest.raises(services.RuleViolation, match="future"):
        _signed(case, officer, signed_at=timezone.now() + dt.timedelta(minutes=5))
    with pytest.raises(services.RuleViolation, match="where the document was signed"):
        _signed(case, officer, signed_place=" ")
    with pytest.raises(services.InvalidTransition):
        _signed(f.AwaitingAuthorisationCaseFactory(officer=officer), officer)
    assert not CautionSignature.objects.exists()


def test_a_reprint_after_a_variation_shows_it(as_user, officer):
    case = f.ActiveCaseFactory(officer=officer)
    condition = case.conditions.get()
    services.condition_vary(
        condition=condition,
        actor=officer,
        reason="Wrong address for the letter",
        consent_given=True,
        agreed_on=today(),
        due_date=today() + dt.timedelta(days=40),
        description="Write to the new owner",
    )
    body = as_user(officer).get(reverse("cautions:print", args=[case.pk])).content.decode()
    assert "This document shows the conditions as varied" in body
    assert "Write to the new owner" in body
    assert "(Wrong address for the letter). Was:" in body
    assert "Signature of the person: ____" in body
    _signed(case, officer)  # the reprint signed while the caution runs


def test_signing_a_reprint_after_a_variation_clears_needs_signing(officer):
    from cautions.variation_selectors import document_state

    case = f.ActiveCaseFactory(officer=officer, conditions=1)
    condition = case.conditions.get()
    services.condition_vary(
        condition=condition,
        actor=officer,
        reason="Wrong date typed",
        consent_given=True,
        agreed_on=today(),
        due_date=condition.due_date + dt.timedelta(days=1),
        description=condition.description,
        provider=condition.provider,
    )
    assert document_state(Case.objects.get(pk=case.pk)).needs_signing
    services.caution_signature_record(
        case=Case.objects.get(pk=case.pk),
        actor=officer,
        signed_at=timezone.now(),
        signed_place="Thorpe Wood police station",
    )
    assert not document_state(Case.objects.get(pk=case.pk)).needs_signing
