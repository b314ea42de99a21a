"""Shared inputs for the cautions tests: a complete, valid set of answers for each step."""

import datetime as dt

from django.utils import timezone

from cautions import services
from cautions.models import Case, Condition, NeedAssessment
from hub.models import ConditionType

ELIGIBLE_ANSWERS = {
    "admitted": True,
    "admission_method": "interview",
    "sufficient_evidence": True,
    "public_interest": True,
    "prosecutor_authority_ref": "",
    "previous_history_count": 0,
    "current_court_order": False,
    "co_accused": False,
    "possible_defence": False,
    "on_bail": False,
    "liable_to_recall": False,
    "poor_response_on_arrest": False,
    "poor_response_to_previous": False,
    "risk_not_reduced": False,
}


def today() -> dt.date:
    return timezone.localdate()


def spec(key="apology_letter", due_in_days=28, **kwargs) -> services.ConditionSpec:
    return services.ConditionSpec(
        condition_type=ConditionType.objects.get(key=key),
        description=kwargs.pop("description", "Do the thing"),
        due_date=kwargs.pop("due_date", today() + dt.timedelta(days=due_in_days)),
        **kwargs,
    )


def administer_kwargs(**overrides) -> dict:
    caution_date = overrides.pop("caution_date", today())
    values = {
        "caution_date": caution_date,
        "signed_at": timezone.make_aware(dt.datetime.combine(caution_date, dt.time(10, 0))),
        "signed_place": "Parkside Police Station",
        "admission_method": "interview",
        "admitted": True,
        "effect_explained": True,
        "warned_of_prosecution": True,
        "consented": True,
        "document_signed": True,
        "conditions": [spec()],
    }
    values.update(overrides)
    return values


def masks_out_of_step() -> list[str]:
    """References of the cases whose stored masks differ from their rows, worked out here
    (in Python, from the ORM) rather than by the SQL under test."""
    expected: dict[int, list[int]] = {
        pk: [0, 0] for pk in Case.objects.values_list("pk", flat=True)
    }
    for case_id, bit in Condition.objects.values_list("case_id", "condition_type__report_bit"):
        expected[case_id][0] |= 1 << bit
    for case_id, bit in NeedAssessment.objects.values_list("case_id", "pathway__report_bit"):
        expected[case_id][1] |= 1 << bit
    return [
        reference
        for pk, reference, types, pathways in Case.objects.values_list(
            "pk", "reference", "condition_types_mask", "assessed_pathways_mask"
        )
        if [types, pathways] != expected[pk]
    ]
