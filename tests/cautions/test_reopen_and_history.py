"""Eligibility is not a dead end (issue 16 point 9): a sergeant reopens a not-eligible
assessment with a reason; previous history is prefilled and cross-checked from the hub's
records; an active or recent conditional caution is flagged; the offence-age rule is checked
again on the day the caution is given."""

import datetime as dt

import pytest
from django.urls import reverse

from cautions import eligibility, services
from cautions.history import recorded_history
from cautions.models import Case, CaseEvent
from hub.lib.dates import add_months
from hub.models import Rank
from tests.cautions import factories as f
from tests.cautions.helpers import ELIGIBLE_ANSWERS, administer_kwargs, today
from tests.factories import OffenceFactory
from tests.reporting.builders import batch

pytestmark = pytest.mark.django_db
S = Case.Status


def not_eligible_case(officer):
    case = f.CaseFactory(officer=officer, offence__gravity_score=4)
    services.eligibility_assess(
        case=case, actor=officer, planned_caution_date=today(), answers=ELIGIBLE_ANSWERS
    )
    case.refresh_from_db()
    assert case.status == S.NOT_ELIGIBLE
    return case


# --------------------------------------------------------------------------- reopening


def test_sergeant_reopens_a_not_eligible_assessment_with_a_reason(officer, sergeant):
    case = not_eligible_case(officer)
    closure = case.closure_reason
    services.assessment_reopen(
        case=case,
        actor=sergeant,
        reason="Gravity score entered wrongly",
        expected_version=case.version,
    )
    case.refresh_from_db()
    assert case.status == S.ASSESSMENT
    assert (case.outcome_date, case.retention_review_date, case.closure_reason) == (None, None, "")
    event = CaseEvent.objects.filter(case=case).latest("at", "id")
    assert (event.kind, event.from_status, event.to_status) == (
        "assessment_reopened",
        "not_eligible",
        "assessment",
    )
    assert event.actor == sergeant
    assert event.reason == "Gravity score entered wrongly"
    assert event.data == {"closure_reason": closure}
    # The not-eligible check stays; the offence keeps its one case.
    assert case.eligibility_assessments.get().result == "not_eligible"
    assert Case.objects.filter(offence=case.offence).count() == 1


def _refused(case, actor, reason="x", error=services.CautionError):
    before = (Case.objects.get(pk=case.pk).status, CaseEvent.objects.filter(case=case).count())
    with pytest.raises(error) as raised:
        services.assessment_reopen(case=case, actor=actor, reason=reason)
    after = (Case.objects.get(pk=case.pk).status, CaseEvent.objects.filter(case=case).count())
    assert before == after
    return raised.value


def test_reopening_is_refused_to_an_officer(officer):
    error = _refused(not_eligible_case(officer), officer, error=services.NotAllowed)
    assert "authorising officer" in error.message


def test_reopening_needs_a_recorded_rank_of_sergeant_or_above(officer, sergeant):
    sergeant.profile.rank = Rank.CONSTABLE
    sergeant.profile.save()
    error = _refused(not_eligible_case(officer), sergeant, error=services.NotAllowed)
    assert error.message == "Only a sergeant or above can reopen a not-eligible assessment."
    sergeant.profile.rank = Rank.INSPECTOR
    sergeant.profile.save()
    services.assessment_reopen(case=not_eligible_case(officer), actor=sergeant, reason="x")


def test_reopening_needs_a_reason(officer, sergeant):
    error = _refused(
        not_eligible_case(officer), sergeant, reason="  ", error=services.RuleViolation
    )
    assert error.field == "reason"


@pytest.mark.parametrize(
    "factory",
    [f.CaseFactory, f.DeclinedCaseFactory, f.ActiveCaseFactory, f.CompliedCaseFactory],
)
def test_only_a_not_eligible_case_is_reopened(factory, sergeant):
    _refused(factory(), sergeant, error=services.InvalidTransition)


def test_a_reopened_case_needs_a_new_eligibility_check_before_authorisation(
    as_user, officer, sergeant
):
    case = not_eligible_case(officer)
    services.assessment_reopen(case=case, actor=sergeant, reason="Wrong answer")
    f.NeedAssessmentFactory(case=case)
    case.needs_recorded_at = case.created_at
    case.save(update_fields=["needs_recorded_at"])
    f.VictimViewsFactory(case=case)
    page = as_user(officer).get(reverse("cautions:case_detail", args=[case.pk])).content.decode()
    assert "Check eligibility again: the assessment was reopened" in page
    assert "Send for authorisation" not in page
    with pytest.raises(services.RuleViolation, match="the eligibility assessment"):
        services.case_submit_for_authorisation(case=Case.objects.get(pk=case.pk), actor=officer)
    case.offence.gravity_score = 2
    case.offence.save()
    services.eligibility_assess(
        case=Case.objects.get(pk=case.pk),
        actor=officer,
        planned_caution_date=today(),
        answers=ELIGIBLE_ANSWERS,
    )
    f.propose(Case.objects.get(pk=case.pk))  # conditions proposed for the sergeant (point 5)
    services.case_submit_for_authorisation(case=Case.objects.get(pk=case.pk), actor=officer)
    assert Case.objects.get(pk=case.pk).status == S.AWAITING_AUTHORISATION
    assert case.eligibility_assessments.count() == 2


def test_reopen_page_for_sergeants_only(as_user, officer, sergeant):
    case = not_eligible_case(officer)
    page = as_user(officer).get(reverse("cautions:case_detail", args=[case.pk]))
    assert b"Reopen the assessment" not in page.content
    assert as_user(officer).get(reverse("cautions:reopen", args=[case.pk])).status_code == 403
    client = as_user(sergeant)
    page = client.get(reverse("cautions:case_detail", args=[case.pk]))
    assert b"Reopen the assessment" in page.content
    url = reverse("cautions:reopen", args=[case.pk])
    response = client.post(url, {"expected_version": case.version, "reason": ""})
    assert response.status_code == 200
    assert "Enter the reason for reopening the assessment" in response.content.decode()
    response = client.post(url, {"expected_version": case.version, "reason": "Wrong score"})
    assert response.status_code == 302
    history = client.get(reverse("cautions:case_history", args=[case.pk])).content.decode()
    assert "Assessment reopened" in history
    assert "Wrong score" in history


# --------------------------------------------------------------------------- previous history


def conviction(person, proven_date, disposal="conviction"):
    from hub.models import ReoffenceRecord

    return ReoffenceRecord.objects.create(
        person_ref=person.pnc_id,
        person=person,
        offence_date=proven_date - dt.timedelta(days=30),
        proven_date=proven_date,
        offence_category="theft",
        disposal=disposal,
        batch=batch(),
    )


def test_recorded_history_counts_the_last_2_years_each_side():
    case = f.CaseFactory()
    person = case.person
    conviction(person, add_months(today(), -24))  # the first day counted
    conviction(person, add_months(today(), -24) - dt.timedelta(days=1))  # a day too old
    old = f.CompliedCaseFactory(offence=OffenceFactory(person=person), person=person)
    found = recorded_history(person.pk, on=today(), exclude_case_id=case.pk)
    assert (found.cautions, found.convictions, found.national_cautions) == (1, 1, 0)
    assert found.count == 2
    # A national caution on the day the hub gave one is that caution, counted once.
    conviction(person, old.caution_date, disposal="caution")
    assert recorded_history(person.pk, on=today(), exclude_case_id=case.pk).count == 2


@pytest.mark.parametrize(
    ("months_ago", "extra_day", "flag"),
    [(12, False, "recent"), (12, True, "")],
)
def test_a_caution_in_the_last_12_months_is_recent(months_ago, extra_day, flag):
    case = f.CaseFactory()
    given = add_months(today(), -months_ago) - dt.timedelta(days=1 if extra_day else 0)
    f.CompliedCaseFactory(
        offence=OffenceFactory(person=case.person, offence_date=given - dt.timedelta(days=5)),
        person=case.person,
        caution_date=given,
        outcome_date=given,
    )
    assert (
        recorded_history(case.person_id, on=today(), exclude_case_id=case.pk).recent_caution == flag
    )


def test_an_active_caution_is_flagged_whatever_its_age():
    case = f.CaseFactory()
    other = f.ActiveCaseFactory(offence=OffenceFactory(person=case.person), person=case.person)
    found = recorded_history(case.person_id, on=today(), exclude_case_id=case.pk)
    assert (found.recent_caution, found.recent_reference) == ("active", other.reference)


def test_eligibility_cross_checks_the_officers_count_against_the_hubs(officer):
    case = f.CaseFactory(officer=officer)
    for months in (3, 6, 9):
        conviction(case.person, add_months(today(), -months))
    assessment = services.eligibility_assess(
        case=case, actor=officer, planned_caution_date=today(), answers=ELIGIBLE_ANSWERS
    )
    rule = next(r for r in assessment.rules if r["key"] == "previous_history")
    assert rule["result"] == "fail"
    assert "The officer recorded 0; the hub's records show 3." in rule["reason"]
    assert assessment.single_failed_rule == "previous_history"
    assert assessment.snapshot["inputs"]["recorded_history_count"] == 3


def test_eligibility_flags_an_active_caution_for_the_authoriser(officer, sergeant):
    case = f.CaseFactory(officer=officer)
    f.ActiveCaseFactory(offence=OffenceFactory(person=case.person), person=case.person)
    assessment = services.eligibility_assess(
        case=case, actor=officer, planned_caution_date=today(), answers=ELIGIBLE_ANSWERS
    )
    assert assessment.result == "needs_authority"
    # The same result on a case waiting for authorisation (the latest check is the one read).
    awaiting = f.AwaitingAuthorisationCaseFactory(officer=officer)
    f.EligibilityAssessmentFactory(
        case=awaiting, result=assessment.result, snapshot=assessment.snapshot
    )
    with pytest.raises(services.RuleViolation, match="active or recent conditional caution"):
        services.case_authorise(case=awaiting, actor=sergeant, reason="")
    services.case_authorise(case=awaiting, actor=sergeant, reason="Different offence, new needs")


def test_eligibility_form_is_prefilled_from_the_hubs_records(as_user, officer):
    case = f.CaseFactory(officer=officer)
    conviction(case.person, add_months(today(), -2))
    f.ActiveCaseFactory(offence=OffenceFactory(person=case.person), person=case.person)
    response = as_user(officer).get(reverse("cautions:eligibility", args=[case.pk]))
    assert response.context["form"].initial["previous_history_count"] == 2
    page = response.content.decode()
    assert "The person has a conditional caution in progress" in page


def test_single_failed_rule_only_when_exactly_one_rule_fails():
    def snap(*results):
        return {"rules": [{"key": f"r{n}", "result": r} for n, r in enumerate(results)]}

    assert eligibility.single_failed_rule(snap("pass", "fail", "needs_authority")) == "r1"
    assert eligibility.single_failed_rule(snap("fail", "fail")) == ""
    assert eligibility.single_failed_rule(snap("pass")) == ""


# --------------------------------------------------------------------------- offence age again


@pytest.mark.parametrize(("extra_days", "ok"), [(0, True), (1, False)])
def test_offence_age_is_checked_again_on_the_caution_date(officer, extra_days, ok):
    offence_date = add_months(today(), -3) - dt.timedelta(days=extra_days)
    case = f.AuthorisedCaseFactory(officer=officer, offence__offence_date=offence_date)
    if ok:
        services.caution_administer(case=case, actor=officer, **administer_kwargs())
        assert Case.objects.get(pk=case.pk).status == S.ACTIVE
        return
    with pytest.raises(services.RuleViolation, match="more than 3 months old") as raised:
        services.caution_administer(case=case, actor=officer, **administer_kwargs())
    assert raised.value.field == "caution_date"
    assert Case.objects.get(pk=case.pk).status == S.AUTHORISED
