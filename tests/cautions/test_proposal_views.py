"""The proposal page and the authorising officer's page: what each shows and records."""

import datetime as dt

import pytest
from django.urls import reverse

from cautions.models import Case, ConditionProposal
from hub.models import ConditionType
from tests.cautions import factories as f
from tests.cautions.helpers import today

pytestmark = pytest.mark.django_db

FORMSET = {
    "conditions-TOTAL_FORMS": "4",
    "conditions-INITIAL_FORMS": "0",
    "conditions-MIN_NUM_FORMS": "4",
    "conditions-MAX_NUM_FORMS": "8",
}


def _assessed(officer, requested_action="Compensation for the broken window"):
    case = f.CaseFactory(officer=officer, needs_recorded_at="2026-12-01T10:00Z")
    f.EligibilityAssessmentFactory(case=case)
    f.VictimViewsFactory(
        case=case, kind="views_obtained", views="Upset", requested_action=requested_action
    )
    return case


def _post(client, case, conditions, **proposal):
    data = {"proposal-expected_version": Case.objects.get(pk=case.pk).version, **FORMSET}
    for index, row in enumerate(conditions):
        data |= {f"conditions-{index}-{k}": v for k, v in row.items()}
    data |= {f"proposal-{k}": v for k, v in proposal.items()}
    return client.post(reverse("cautions:propose", args=[case.pk]), data)


def _apology():
    return {
        "condition_type": ConditionType.objects.get(key="apology_letter").pk,
        "description": "Write to the owner",
        "due_date": (today() + dt.timedelta(weeks=4)).isoformat(),
    }


def test_the_victims_request_is_shown_and_pre_filled(as_user, officer):
    case = _assessed(officer)
    page = as_user(officer).get(reverse("cautions:propose", args=[case.pk]))
    body = page.content.decode()
    assert "Compensation for the broken window" in body
    assert "request is pre-filled as: Compensation" in body
    first = page.context["formset"].forms[0]
    assert first.initial["condition_type"] == ConditionType.objects.get(key="compensation").pk
    assert "As the victim asked" in first.initial["description"]


def test_leaving_the_victims_request_out_needs_a_reason(as_user, officer):
    case = _assessed(officer)
    client = as_user(officer)
    response = _post(client, case, [_apology()])
    assert response.status_code == 200
    assert "record why it is not appropriate" in response.content.decode()
    assert not ConditionProposal.objects.filter(case=case).exists()
    response = _post(
        client,
        case,
        [_apology()],
        victim_action_omitted_reason="The person has no income; an apology instead",
    )
    assert response.status_code == 302
    proposal = ConditionProposal.objects.get(case=case)
    assert proposal.victim_action_omitted_reason.startswith("The person has no income")


def test_no_request_no_question(as_user, officer):
    case = _assessed(officer, requested_action="")
    client = as_user(officer)
    page = client.get(reverse("cautions:propose", args=[case.pk]))
    assert "Why the victim" not in page.content.decode()
    assert _post(client, case, [_apology()]).status_code == 302


def test_the_sergeant_sees_the_set_the_request_and_the_officer_the_changes_asked(
    as_user, officer, sergeant
):
    case = _assessed(officer)
    client = as_user(officer)
    _post(client, case, [_apology()], victim_action_omitted_reason="No means to pay")
    client.post(
        reverse("cautions:submit", args=[case.pk]),
        {"expected_version": Case.objects.get(pk=case.pk).version},
    )
    sergeant_client = as_user(sergeant)
    page = sergeant_client.get(reverse("cautions:authorise", args=[case.pk])).content.decode()
    for shown in ("Write to the owner", "Compensation for the broken window", "No means to pay"):
        assert shown in page
    response = sergeant_client.post(
        reverse("cautions:authorise", args=[case.pk]),
        {
            "expected_version": Case.objects.get(pk=case.pk).version,
            "decision": "send_back",
            "reason": "Add £20 compensation",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("cautions:case_detail", args=[case.pk])).content.decode()
    assert "Changes asked for by Sgt" in page
    assert "Add £20 compensation" in page
    assert "Change the proposed conditions as the authorising officer asked" in page
