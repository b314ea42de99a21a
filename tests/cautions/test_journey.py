"""The whole journey through the services, start to complied, with the event trail."""

import pytest

from cautions import services
from cautions.models import Case, CaseEvent
from tests.cautions.helpers import ELIGIBLE_ANSWERS, administer_kwargs, today
from tests.factories import OffenceFactory

pytestmark = pytest.mark.django_db


def test_start_to_complied(officer, sergeant):
    offence = OffenceFactory()
    case = services.case_start(offence=offence, actor=officer)
    assert case.reference.startswith("CC-")
    services.eligibility_assess(
        case=case, actor=officer, planned_caution_date=today(), answers=ELIGIBLE_ANSWERS
    )
    services.needs_record(case=case, actor=officer, needs=[])
    services.victim_views_record(case=case, actor=officer, kind="no_victim")
    given = administer_kwargs()
    services.conditions_propose(case=case, actor=officer, conditions=given["conditions"])
    services.case_submit_for_authorisation(case=case, actor=officer)
    services.case_authorise(case=case, actor=sergeant)
    services.caution_administer(case=case, actor=officer, **given)
    case.refresh_from_db()
    assert case.status == Case.Status.ACTIVE
    assert case.prosecution_status == "deferred"
    assert case.age_at_caution >= 18
    condition = case.conditions.get()
    services.condition_mark_complied(
        condition=condition, actor=officer, complied_on=today(), evidence="Letter seen"
    )
    case.refresh_from_db()
    assert case.status == Case.Status.COMPLIED
    assert case.outcome_date == today()
    assert case.retention_review_date.year == today().year + 6
    kinds = list(CaseEvent.objects.filter(case=case).order_by("id").values_list("kind", flat=True))
    assert kinds == [
        "case_started",
        "eligibility_assessed",
        "needs_recorded",
        "victim_views_recorded",
        "conditions_proposed",
        "submitted_for_authorisation",
        "authorised",
        "caution_administered",
        "condition_complied",
        "caution_completed",
    ]
