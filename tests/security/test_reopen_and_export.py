"""Attacks on reopening a not-eligible assessment and on the case list download (issue 16),
each withstood."""

import pytest
from django.urls import reverse

from cautions.models import Case, CaseEvent
from hub.models import AccessLog, Rank
from tests.cautions import factories as f

pytestmark = pytest.mark.django_db


def test_an_officer_cannot_reopen_by_posting_directly(as_user, officer):
    case = f.NotEligibleCaseFactory(officer=officer)
    response = as_user(officer).post(
        reverse("cautions:reopen", args=[case.pk]),
        {"expected_version": case.version, "reason": "Let me in"},
    )
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).status == "not_eligible"
    assert not CaseEvent.objects.filter(case=case, kind="assessment_reopened").exists()


def test_group_membership_without_a_sergeants_rank_cannot_reopen(as_user, officer, sergeant):
    sergeant.profile.rank = Rank.CONSTABLE
    sergeant.profile.save()
    case = f.NotEligibleCaseFactory(officer=officer)
    response = as_user(sergeant).post(
        reverse("cautions:reopen", args=[case.pk]),
        {"expected_version": case.version, "reason": "Acting up"},
    )
    assert response.status_code == 200
    assert "Only a sergeant or above can reopen" in response.content.decode()
    assert Case.objects.get(pk=case.pk).status == "not_eligible"


def test_a_stale_reopen_is_refused(as_user, officer, sergeant):
    case = f.NotEligibleCaseFactory(officer=officer)
    response = as_user(sergeant).post(
        reverse("cautions:reopen", args=[case.pk]),
        {"expected_version": case.version + 1, "reason": "Twice"},
    )
    assert response.status_code == 200
    assert Case.objects.get(pk=case.pk).status == "not_eligible"


@pytest.mark.parametrize(
    "query",
    ["status=active'%20OR%201=1--", "officer=999999", "district=abc", "q=%00%00", "page=-1"],
)
def test_crafted_filters_on_the_download_never_error(as_user, officer, query):
    f.ActiveCaseFactory(officer=officer)
    url = reverse("cautions:case_list_export") + "?" + query
    response = as_user(officer).post(url, {"justification": "Test"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith(("text/csv", "text/html"))


def test_a_get_never_downloads_or_logs_a_disclosure(as_user, officer):
    f.ActiveCaseFactory(officer=officer)
    response = as_user(officer).get(
        reverse("cautions:case_list_export"), {"justification": "In the address"}
    )
    assert response["Content-Type"].startswith("text/html")
    assert not AccessLog.objects.filter(action="disclosure").exists()
