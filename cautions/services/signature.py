"""The caution document signed, recorded after it was printed for signature.

authorised: the person signed the document showing the authorised conditions (before the
caution is given, which then takes the time and place from here); active: they signed a
document reprinted after a variation. The case is locked; a case event is written.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from cautions.models import Case, CautionSignature, DocumentSignature
from cautions.services.base import RuleViolation, S, _lock_case, _save
from cautions.services.proposals import P, lock_current_proposal
from cautions.variation_selectors import document_version, signed_document_version

SIGNATURE_STATES = (S.AUTHORISED, S.ACTIVE)


@transaction.atomic
def caution_signature_record(
    *, case: Case, actor, signed_at: dt.datetime, signed_place: str, expected_version=None
) -> CautionSignature:
    """Record that the person signed the printed document, who saw it, when and where.
    Before the caution is given the document is the authorised set's; a time in the future,
    or no place, is refused."""
    case = _lock_case(case, expected_version, SIGNATURE_STATES, "record the signature")
    proposal = None
    if case.status == S.AUTHORISED:
        proposal = lock_current_proposal(case)
        if proposal is None or proposal.status != P.AUTHORISED:
            raise RuleViolation("No set of conditions is authorised on this case.")
    if signed_at > timezone.now():
        raise RuleViolation("The time it was signed cannot be in the future", field="signed_time")
    if not signed_place.strip():
        raise RuleViolation("Enter where the document was signed", field="signed_place")
    signature = CautionSignature.objects.create(
        case=case,
        proposal=proposal,
        signed_at=signed_at,
        signed_place=signed_place.strip(),
        witnessed_by=actor,
    )
    if case.status == S.ACTIVE and document_version(case) > signed_document_version(case):
        # A reprint after variations was signed: that version is the one in force now (the
        # overview's "Needs signing" clears; cautions.variation_selectors).
        DocumentSignature.objects.create(
            case=case,
            document_version=document_version(case),
            signed_at=signed_at,
            recorded_by=actor,
        )
    _save(
        case,
        actor,
        "document_signed",
        [],
        reason=f"Signed at {signature.signed_place}",
        data={
            "signed_at": signed_at.isoformat(),
            "proposal": proposal.number if proposal else None,
        },
    )
    return signature


def signature_for_giving(case: Case) -> CautionSignature | None:
    """The latest signature of the case's authorised set (the caution is given with it)."""
    proposal = getattr(case, "current_proposal", None) or lock_current_proposal(case)
    if proposal is None:
        return None
    return CautionSignature.objects.filter(case=case, proposal=proposal).first()
