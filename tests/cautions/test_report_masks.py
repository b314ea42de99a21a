"""The cases' report masks (cautions.report_masks): kept by the database on every write."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from cautions import report_masks, services
from cautions.models import Case, Condition, NeedAssessment
from hub.models import ConditionType, NeedPathway
from hub.models.reference import REPORT_BITS
from tests.cautions.factories import (
    ActiveCaseFactory,
    CaseFactory,
    ConditionFactory,
    NeedAssessmentFactory,
)
from tests.cautions.helpers import masks_out_of_step

pytestmark = pytest.mark.django_db


def bits(*rows) -> int:
    return sum(1 << row.report_bit for row in rows)


def stored(case) -> tuple[int, int]:
    return Case.objects.values_list("condition_types_mask", "assessed_pathways_mask").get(
        pk=case.pk
    )


def kind(key: str) -> ConditionType:
    return ConditionType.objects.get(key=key)


def pathway(key: str) -> NeedPathway:
    return NeedPathway.objects.get(key=key)


def test_a_case_without_conditions_or_needs_has_empty_masks():
    case = CaseFactory()
    assert stored(case) == (0, 0)


def test_conditions_and_needs_set_the_masks_each_type_once():
    case = ActiveCaseFactory(conditions=0)
    ConditionFactory(case=case)
    ConditionFactory(case=case)  # a second letter of apology: the same bit
    ConditionFactory(case=case, provider_condition=True)
    NeedAssessmentFactory(case=case, pathway=pathway("accommodation"))
    NeedAssessmentFactory(case=case, pathway=pathway("finance_benefit_debt"))
    assert stored(case) == (
        bits(kind("apology_letter"), kind("housing")),
        bits(pathway("accommodation"), pathway("finance_benefit_debt")),
    )


def test_changing_deleting_or_moving_a_row_updates_the_cases_it_left_and_joined():
    first, second = ActiveCaseFactory(conditions=0), ActiveCaseFactory(conditions=0)
    letter = ConditionFactory(case=first)
    ConditionFactory(case=first, provider_condition=True)
    need = NeedAssessmentFactory(case=first, pathway=pathway("accommodation"))

    Condition.objects.filter(pk=letter.pk).update(condition_type=kind("compensation"))
    assert stored(first)[0] == bits(kind("compensation"), kind("housing"))

    Condition.objects.filter(pk=letter.pk).update(case=second)
    NeedAssessment.objects.filter(pk=need.pk).update(case=second)
    assert stored(first) == (bits(kind("housing")), 0)
    assert stored(second) == (bits(kind("compensation")), bits(pathway("accommodation")))

    Condition.objects.filter(case=second).delete()
    NeedAssessment.objects.filter(case=second).delete()
    assert stored(second) == (0, 0)
    assert masks_out_of_step() == []


def test_updates_that_keep_the_case_and_type_leave_the_masks_as_they_are():
    case = ActiveCaseFactory(conditions=2)
    before = stored(case)
    Condition.objects.filter(case=case).update(description="Varied wording")
    assert stored(case) == before != (0, 0)


def test_a_case_saved_from_a_copy_read_before_its_conditions_keeps_its_masks():
    case = ActiveCaseFactory(conditions=0)
    stale = Case.objects.get(pk=case.pk)
    ConditionFactory(case=case)
    stale.closure_reason = "Saved from an old copy"
    stale.save()
    assert stored(case) == (bits(kind("apology_letter")), 0)
    assert Case.objects.get(pk=case.pk).closure_reason == "Saved from an old copy"


def test_recording_needs_again_replaces_the_pathways_mask(officer):
    case = CaseFactory(officer=officer)
    high = NeedAssessment.Severity.HIGH
    services.needs_record(
        case=case,
        actor=officer,
        needs=[
            {"pathway": pathway("accommodation"), "severity": high},
            {"pathway": pathway("drugs_alcohol"), "severity": high},
        ],
    )
    assert stored(case)[1] == bits(pathway("accommodation"), pathway("drugs_alcohol"))
    services.needs_record(
        case=Case.objects.get(pk=case.pk),
        actor=officer,
        needs=[{"pathway": pathway("drugs_alcohol"), "severity": high}],
    )
    assert stored(case)[1] == bits(pathway("drugs_alcohol"))


def test_refresh_puts_right_masks_written_by_hand():
    case = ActiveCaseFactory(conditions=1)
    Case.objects.filter(pk=case.pk).update(condition_types_mask=0, assessed_pathways_mask=5)
    assert masks_out_of_step() == [case.reference]
    report_masks.refresh()
    assert masks_out_of_step() == []


def test_a_new_reference_row_takes_the_lowest_free_bit_and_keeps_it():
    used = set(ConditionType.objects.values_list("report_bit", flat=True))
    assert used == set(range(len(used)))  # given in id order by the migration
    added = ConditionType.objects.create(key="curfew_test", label="Curfew", object="restrictive")
    assert added.report_bit == len(used)
    freed = ConditionType.objects.get(report_bit=3)
    freed.delete()  # possible only while no condition uses it (PROTECT)
    again = ConditionType.objects.create(key="another", label="Another", object="reparation")
    assert again.report_bit == 3
    again.label = "Renamed"
    again.save()
    again.refresh_from_db()
    assert again.report_bit == 3


def test_no_more_reference_rows_than_bits():
    for number in range(REPORT_BITS - NeedPathway.objects.count()):
        NeedPathway.objects.create(key=f"extra-{number}", label=f"Extra {number}", is_extra=True)
    with pytest.raises(ValidationError, match="No more than 63 need pathways"):
        NeedPathway.objects.create(key="one-too-many", label="One too many")


def test_the_admin_refuses_a_64th_pathway_on_its_form(client, django_user_model):
    for number in range(REPORT_BITS - NeedPathway.objects.count()):
        NeedPathway.objects.create(key=f"extra-{number}", label=f"Extra {number}", is_extra=True)
    client.force_login(django_user_model.objects.create_superuser("root", password="x" * 20))
    response = client.post(
        "/admin/hub/needpathway/add/",
        {"key": "one-too-many", "label": "One too many", "sort_order": 0, "active": "on"},
    )
    assert response.status_code == 200
    assert "retire one that is no longer used" in response.content.decode()
    assert not NeedPathway.objects.filter(key="one-too-many").exists()


def test_the_database_refuses_a_bit_outside_the_mask_or_given_twice():
    with pytest.raises(IntegrityError), transaction.atomic():
        ConditionType.objects.filter(key="housing").update(report_bit=REPORT_BITS)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConditionType.objects.filter(key="housing").update(
            report_bit=kind("apology_letter").report_bit
        )
