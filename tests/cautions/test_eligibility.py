"""The eligibility rules one by one, each at and just past its boundary."""

import dataclasses
import datetime as dt

import pytest

from cautions import eligibility as e

TODAY = dt.date(2025, 6, 15)

BASE = e.EligibilityInput(
    assessed_on=TODAY,
    planned_caution_date=TODAY,
    date_of_birth=dt.date(1990, 1, 1),
    offence_date=TODAY - dt.timedelta(days=10),
    offence_category="Shoplifting",
    category_excluded=False,
    mode_of_trial="either_way",
    gravity_score=2,
    domestic_abuse=False,
    hate_crime=False,
    admitted=True,
    admission_method="interview",
    sufficient_evidence=True,
    public_interest=True,
    thresholds={"max_offence_age_months": 3, "max_previous_history": 2},
)


def run(rule, **changes):
    return rule(dataclasses.replace(BASE, **changes))


def test_every_rule_passes_for_a_clean_case():
    snapshot = e.assess(BASE)
    assert snapshot["result"] == "eligible"
    assert {r["result"] for r in snapshot["rules"]} == {"pass"}
    assert snapshot["thresholds"]["max_previous_history"] == 2
    assert snapshot["inputs"]["planned_caution_date"] == TODAY.isoformat()


@pytest.mark.parametrize(
    ("dob", "result"),
    [(dt.date(2007, 6, 15), "pass"), (dt.date(2007, 6, 16), "fail"), (None, "fail")],
)
def test_adult_on_the_planned_caution_date(dob, result):
    outcome = run(e.rule_adult, date_of_birth=dob)
    assert outcome.result == result
    if dob == dt.date(2007, 6, 16):
        assert "Aged 17" in outcome.reason


def test_admission():
    assert run(e.rule_admitted).result == "pass"
    assert "in interview" in run(e.rule_admitted).reason
    assert "written statement" in run(e.rule_admitted, admission_method="written").reason
    assert run(e.rule_admitted, admitted=False).result == "fail"


def test_evidence_and_public_interest():
    assert run(e.rule_evidence, sufficient_evidence=False).result == "fail"
    assert run(e.rule_public_interest, public_interest=False).result == "fail"


@pytest.mark.parametrize(
    ("gravity", "result"), [(1, "pass"), (2, "pass"), (3, "needs_authority"), (4, "fail")]
)
def test_gravity(gravity, result):
    assert run(e.rule_gravity, gravity_score=gravity).result == result


def test_excluded_category():
    outcome = run(e.rule_excluded_category, category_excluded=True, offence_category="Robbery")
    assert outcome.result == "fail"
    assert "Robbery" in outcome.reason


@pytest.mark.parametrize("flag", ["domestic_abuse", "hate_crime"])
def test_domestic_abuse_and_hate_crime_need_a_prosecutor(flag):
    assert run(e.rule_domestic_abuse_or_hate, **{flag: True}).result == "needs_authority"
    with_ref = run(e.rule_domestic_abuse_or_hate, **{flag: True}, prosecutor_authority_ref="CPS/1")
    assert with_ref.result == "pass"
    assert "CPS/1" in with_ref.reason


def test_indictable_only_needs_a_prosecutor():
    assert run(e.rule_indictable_only, mode_of_trial="indictable_only").result == "needs_authority"
    assert run(e.rule_indictable_only, mode_of_trial="summary").result == "pass"


def test_offence_age_boundary():
    # 3 calendar months: 15 March -> 15 June is exactly at the limit.
    assert run(e.rule_offence_age, offence_date=dt.date(2025, 3, 15)).result == "pass"
    assert run(e.rule_offence_age, offence_date=dt.date(2025, 3, 14)).result == "fail"
    six = {"max_offence_age_months": 6}
    assert (
        run(e.rule_offence_age, offence_date=dt.date(2025, 3, 14), thresholds=six).result == "pass"
    )


def test_previous_history_threshold():
    assert run(e.rule_previous_history, previous_history_count=2).result == "pass"
    outcome = run(e.rule_previous_history, previous_history_count=3)
    assert outcome.result == "fail"
    assert "limit of 2" in outcome.reason


@pytest.mark.parametrize(
    ("rule", "attr"),
    [
        (e.rule_court_order, "current_court_order"),
        (e.rule_co_accused, "co_accused"),
        (e.rule_possible_defence, "possible_defence"),
        (e.rule_on_bail, "on_bail"),
        (e.rule_recall, "liable_to_recall"),
        (e.rule_response_on_arrest, "poor_response_on_arrest"),
        (e.rule_previous_response, "poor_response_to_previous"),
        (e.rule_risk, "risk_not_reduced"),
    ],
)
def test_not_suitable_reasons(rule, attr):
    assert run(rule).result == "pass"
    failed = run(rule, **{attr: True})
    assert failed.result == "fail"
    assert failed.reason


def test_overall_is_the_worst_result():
    assert e.assess(dataclasses.replace(BASE, gravity_score=3))["result"] == "needs_authority"
    both = dataclasses.replace(BASE, gravity_score=3, on_bail=True)
    snapshot = e.assess(both)
    assert snapshot["result"] == "not_eligible"
    assert e.failure_reasons(snapshot) == ["The offence was committed while on bail."]
    assert e.needs_authority_keys(snapshot) == {"gravity"}
