"""Builders for reporting tests: cautions and reoffence records with exactly the dates a
test needs (the cautions workflow is not involved: reports count any case with a caution)."""

import datetime as dt
import itertools

from cautions.models import Case, Condition, NeedAssessment
from hub.models import (
    ConditionType,
    District,
    ImportBatch,
    NeedPathway,
    OffenceCategory,
    ReoffenceRecord,
)
from tests.factories import OffenceFactory, PersonFactory

_refs = itertools.count(1)
FAR_FUTURE = dt.date(2030, 1, 1)


def d(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def person(**kwargs):
    return PersonFactory(**kwargs)


def caution(
    who,
    caution_date,
    *,
    status: str = "complied",
    district: str = "Peterborough",
    category: str = "shoplifting",
    condition_types=("apology_letter",),
    needs=(),
    age: int | None = 30,
):
    caution_date = d(caution_date) if isinstance(caution_date, str) else caution_date
    offence = OffenceFactory(
        person=who,
        offence_date=caution_date - dt.timedelta(days=3),
        district=District.objects.get(name=district),
        category=OffenceCategory.objects.get(key=category),
    )
    closed = status in Case.CLOSED
    case = Case.objects.create(
        reference=f"T-{next(_refs)}",
        person=who,
        offence=offence,
        status=status,
        caution_date=caution_date,
        age_at_caution=age,
        outcome_date=caution_date + dt.timedelta(days=60) if closed else None,
        charge_date=caution_date + dt.timedelta(days=70)
        if status == "prosecution_resumed"
        else None,
    )
    for key in condition_types:
        Condition.objects.create(
            case=case,
            condition_type=ConditionType.objects.get(key=key),
            description="Test condition",
            due_date=caution_date + dt.timedelta(days=90),
        )
    for key in needs:
        NeedAssessment.objects.create(
            case=case, pathway=NeedPathway.objects.get(key=key), severity="medium"
        )
    return case


def batch():
    return ImportBatch.objects.get_or_create(
        file_name="test-extract.csv",
        defaults={
            "kind": ImportBatch.Kind.REOFFENCES,
            "via": ImportBatch.Via.COMMAND,
            "rows_in_file": 0,
            "rows_created": 0,
        },
    )[0]


def reoffence(who, offence_date, proven_date, *, category="theft", link=True):
    return ReoffenceRecord.objects.create(
        person_ref=who.pnc_id,
        person=who if link else None,
        offence_date=d(offence_date),
        proven_date=d(proven_date),
        offence_category=category,
        disposal="conviction",
        batch=batch(),
    )
