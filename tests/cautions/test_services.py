"""Every transition, its event row, and its refusals: wrong state (parametrised over the
invalid source states), wrong role, stale version, and each limit at and past its boundary."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError
from django.db.models import ProtectedError

from cautions import services
from cautions.models import Breach, Case, CaseEvent, Condition, RuleSettings
from hub.lib.dates import add_months
from hub.models import ConditionType, OffenceCategory
from tests.cautions import factories as f
from tests.cautions.helpers import ELIGIBLE_ANSWERS, administer_kwargs, spec, today
from tests.factories import OffenceFactory, OrganisationFactory, PersonFactory

pytestmark = pytest.mark.django_db
S = Case.Status

STATE_FACTORIES = {
    S.ASSESSMENT: f.CaseFactory,
    S.NOT_ELIGIBLE: f.NotEligibleCaseFactory,
    S.AWAITING_AUTHORISATION: f.AwaitingAuthorisationCaseFactory,
    S.DECLINED: f.DeclinedCaseFactory,
    S.AUTHORISED: f.AuthorisedCaseFactory,
    S.ACTIVE: f.ActiveCaseFactory,
    S.BREACH: f.BreachCaseFactory,
    S.COMPLIED: f.CompliedCaseFactory,
    S.FAILED_NO_FURTHER_ACTION: f.FailedNoFurtherActionCaseFactory,
    S.PROSECUTION_RESUMED: f.ProsecutionResumedCaseFactory,
    S.WITHDRAWN: f.WithdrawnCaseFactory,
}


def _others(*allowed):
    return [s for s in STATE_FACTORIES if s not in allowed]


def last_event(case):
    return CaseEvent.objects.filter(case=case).order_by("-id").first()


# --------------------------------------------------------------------------- wrong state


TRANSITIONS = {
    "eligibility_assess": (
        (S.ASSESSMENT,),
        lambda case, u, s: services.eligibility_assess(
            case=case, actor=u, planned_caution_date=today(), answers=ELIGIBLE_ANSWERS
        ),
    ),
    "needs_record": (
        (S.ASSESSMENT, S.AWAITING_AUTHORISATION),
        lambda case, u, s: services.needs_record(case=case, actor=u, needs=[]),
    ),
    "victim_views_record": (
        (S.ASSESSMENT, S.AWAITING_AUTHORISATION, S.AUTHORISED),
        lambda case, u, s: services.victim_views_record(case=case, actor=u, kind="no_victim"),
    ),
    "submit": (
        (S.ASSESSMENT,),
        lambda case, u, s: services.case_submit_for_authorisation(case=case, actor=u),
    ),
    "authorise": (
        (S.AWAITING_AUTHORISATION,),
        lambda case, u, s: services.case_authorise(case=case, actor=s),
    ),
    "decline": (
        (S.AWAITING_AUTHORISATION,),
        lambda case, u, s: services.case_decline(case=case, actor=s, reason="No"),
    ),
    "administer": (
        (S.AUTHORISED,),
        lambda case, u, s: services.caution_administer(case=case, actor=u, **administer_kwargs()),
    ),
    "breach_record": (
        (S.ACTIVE,),
        lambda case, u, s: services.breach_record(
            case=case,
            actor=u,
            condition=case.conditions.first() or f.ConditionFactory(case=f.ActiveCaseFactory()),
            failure_details="x",
        ),
    ),
    "court_outcome": (
        (S.PROSECUTION_RESUMED,),
        lambda case, u, s: services.prosecution_record_court_outcome(
            case=case, actor=u, kind="convicted", details="Fined", court_outcome_date=today()
        ),
    ),
    "withdraw": (
        (S.ASSESSMENT, S.AWAITING_AUTHORISATION, S.AUTHORISED, S.ACTIVE, S.BREACH),
        lambda case, u, s: services.case_withdraw(case=case, actor=u, kind="other", reason="x"),
    ),
}

WRONG_STATE_CASES = [
    pytest.param(name, status, id=f"{name}-from-{status}")
    for name, (allowed, _call) in TRANSITIONS.items()
    for status in _others(*allowed)
]


@pytest.mark.parametrize(("transition", "status"), WRONG_STATE_CASES)
def test_transition_refused_from_wrong_state(transition, status, officer, sergeant):
    case = STATE_FACTORIES[status](officer=officer)
    events = CaseEvent.objects.count()
    with pytest.raises(services.InvalidTransition) as error:
        TRANSITIONS[transition][1](case, officer, sergeant)
    assert services.status_phrase(status) in error.value.message
    assert Case.objects.get(pk=case.pk).status == status
    assert CaseEvent.objects.count() == events


@pytest.mark.parametrize(
    ("service", "status"),
    [
        pytest.param(name, status, id=f"{name}-from-{status}")
        for name in ("complied", "not_complied", "vary", "end")
        for status in (S.COMPLIED, S.FAILED_NO_FURTHER_ACTION, S.PROSECUTION_RESUMED)
    ],
)
def test_condition_transitions_refused_on_closed_cases(service, status, officer):
    case = STATE_FACTORIES[status]()
    condition = case.conditions.first()
    calls = {
        "complied": lambda: services.condition_mark_complied(
            condition=condition, actor=officer, complied_on=today(), evidence=""
        ),
        "not_complied": lambda: services.condition_mark_not_complied(
            condition=condition, actor=officer, details="x"
        ),
        "vary": lambda: services.condition_vary(
            condition=condition,
            actor=officer,
            reason="r",
            consent_given=True,
            due_date=today(),
            description="d",
        ),
        "end": lambda: services.condition_end(condition=condition, actor=officer, reason="r"),
    }
    with pytest.raises(services.InvalidTransition, match="this case is"):
        calls[service]()


# --------------------------------------------------------------------------- start and assess


def test_case_start_writes_event_and_refuses_a_second_case(officer):
    offence = OffenceFactory()
    case = services.case_start(offence=offence, actor=officer)
    assert case.status == S.ASSESSMENT
    assert case.officer == officer
    event = last_event(case)
    assert (event.kind, event.actor, event.to_status) == ("case_started", officer, "assessment")
    with pytest.raises(services.InvalidTransition, match="already has a case"):
        services.case_start(offence=offence, actor=officer)


def test_eligibility_not_eligible_closes_the_case_with_its_reason(officer):
    case = f.CaseFactory(officer=officer, offence__gravity_score=4)
    assessment = services.eligibility_assess(
        case=case, actor=officer, planned_caution_date=today(), answers=ELIGIBLE_ANSWERS
    )
    case.refresh_from_db()
    assert assessment.result == "not_eligible"
    assert case.status == S.NOT_ELIGIBLE
    assert "Gravity score 4" in case.closure_reason
    assert case.outcome_date == today()
    assert case.retention_review_date == add_months(today(), 12 * 6)
    event = last_event(case)
    assert (event.from_status, event.to_status) == ("assessment", "not_eligible")


def test_eligibility_snapshot_survives_a_rule_change(officer):
    case = f.CaseFactory(officer=officer)
    assessment = services.eligibility_assess(
        case=case,
        actor=officer,
        planned_caution_date=today(),
        answers={**ELIGIBLE_ANSWERS, "previous_history_count": 2},
    )
    rules = RuleSettings.load()
    rules.max_previous_history = 0
    rules.save()
    assessment.refresh_from_db()
    assert assessment.result == "eligible"
    assert assessment.snapshot["thresholds"]["max_previous_history"] == 2


def test_under_18_on_planned_date_is_not_eligible(officer):
    planned = today() + dt.timedelta(days=1)
    person = PersonFactory(
        date_of_birth=planned.replace(year=planned.year - 18) + dt.timedelta(days=1)
    )
    case = f.CaseFactory(officer=officer, offence__person=person, person=person)
    a = services.eligibility_assess(
        case=case, actor=officer, planned_caution_date=planned, answers=ELIGIBLE_ANSWERS
    )
    assert a.result == "not_eligible"


def test_needs_and_victim_views_recorded(officer):
    from hub.models import NeedPathway

    case = f.CaseFactory(officer=officer)
    housing = NeedPathway.objects.get(key="accommodation")
    services.needs_record(
        case=case, actor=officer, needs=[{"pathway": housing, "severity": "high", "notes": "n"}]
    )
    assert case.needs.get().severity == "high"
    services.needs_record(case=case, actor=officer, needs=[])
    assert not case.needs.exists()
    assert last_event(case).reason == "No needs identified"
    with pytest.raises(services.RuleViolation, match="Enter the victim's views"):
        services.victim_views_record(case=case, actor=officer, kind="views_obtained")
    with pytest.raises(services.RuleViolation, match="efforts"):
        services.victim_views_record(case=case, actor=officer, kind="not_obtained")
    record = services.victim_views_record(
        case=case, actor=officer, kind="not_obtained", efforts="Called twice"
    )
    assert record.efforts == "Called twice"
    assert last_event(case).kind == "victim_views_recorded"


def test_no_victim_refused_when_the_offence_has_one(officer):
    case = f.CaseFactory(officer=officer, offence__victim_present=True)
    with pytest.raises(services.RuleViolation, match="identifiable victim"):
        services.victim_views_record(case=case, actor=officer, kind="no_victim")


def test_submit_needs_every_step(officer):
    case = f.CaseFactory(officer=officer)
    with pytest.raises(services.RuleViolation, match="eligibility assessment"):
        services.case_submit_for_authorisation(case=case, actor=officer)
    f.EligibilityAssessmentFactory(case=case)
    with pytest.raises(services.RuleViolation, match="needs assessment"):
        services.case_submit_for_authorisation(case=case, actor=officer)


# --------------------------------------------------------------------------- authorisation


def test_authorise_records_who_and_event(sergeant):
    case = f.AwaitingAuthorisationCaseFactory()
    services.case_authorise(case=case, actor=sergeant, reason="Fine")
    case.refresh_from_db()
    assert (case.status, case.authorised_by) == (S.AUTHORISED, sergeant)
    event = last_event(case)
    assert (event.kind, event.actor, event.from_status) == (
        "authorised",
        sergeant,
        "awaiting_authorisation",
    )


def test_officer_cannot_authorise_or_decline(officer):
    case = f.AwaitingAuthorisationCaseFactory()
    with pytest.raises(services.NotAllowed):
        services.case_authorise(case=case, actor=officer)
    with pytest.raises(services.NotAllowed):
        services.case_decline(case=case, actor=officer, reason="x")


def test_assessor_cannot_authorise_own_case(sergeant):
    case = f.AwaitingAuthorisationCaseFactory(officer=sergeant)
    with pytest.raises(services.NotAllowed, match="another authorising officer"):
        services.case_authorise(case=case, actor=sergeant)


def test_database_refuses_authoriser_who_is_the_officer(sergeant):
    case = f.AwaitingAuthorisationCaseFactory(officer=sergeant)
    case.authorised_by = sergeant
    case.status = S.AUTHORISED
    with pytest.raises(IntegrityError):
        case.save()


def test_gravity_3_needs_the_authorisers_reason(officer, sergeant):
    case = f.AwaitingAuthorisationCaseFactory(officer=officer)
    a = case.eligibility_assessments.get()
    a.snapshot = {
        "rules": [{"key": "gravity", "result": "needs_authority", "reason": "", "label": ""}]
    }
    a.save()
    with pytest.raises(services.RuleViolation, match="gravity score is 3"):
        services.case_authorise(case=case, actor=sergeant)
    services.case_authorise(case=case, actor=sergeant, reason="First offence, full admission")
    assert Case.objects.get(pk=case.pk).authorisation_reason == "First offence, full admission"


@pytest.mark.parametrize("key", ["domestic_abuse_hate_crime", "indictable_only"])
def test_prosecutor_authority_needed(key, officer, sergeant):
    case = f.AwaitingAuthorisationCaseFactory(officer=officer)
    a = case.eligibility_assessments.get()
    a.snapshot = {"rules": [{"key": key, "result": "needs_authority", "reason": "", "label": ""}]}
    a.save()
    with pytest.raises(services.RuleViolation, match="prosecutor's authority"):
        services.case_authorise(case=case, actor=sergeant)
    services.case_authorise(case=case, actor=sergeant, prosecutor_authority_ref="CPS-77")
    assert Case.objects.get(pk=case.pk).prosecutor_authority_ref == "CPS-77"


def test_decline_closes_with_reason(sergeant):
    case = f.AwaitingAuthorisationCaseFactory()
    with pytest.raises(services.RuleViolation):
        services.case_decline(case=case, actor=sergeant, reason=" ")
    services.case_decline(case=case, actor=sergeant, reason="History")
    case.refresh_from_db()
    assert (case.status, case.closure_reason, case.outcome_date) == (S.DECLINED, "History", today())
    assert case.retention_review_date is not None


def test_stale_version_is_refused(sergeant):
    case = f.AwaitingAuthorisationCaseFactory()
    with pytest.raises(services.StaleVersion, match="changed since you opened it"):
        services.case_authorise(case=case, actor=sergeant, expected_version=case.version + 1)
    assert Case.objects.get(pk=case.pk).status == S.AWAITING_AUTHORISATION


# --------------------------------------------------------------------------- administration


def administer(case, officer, **overrides):
    """Give the caution with the conditions given, authorised as they are (the limits at the
    giving step are what these tests check)."""
    kwargs = administer_kwargs(**overrides)
    f.authorise_set(case, kwargs["conditions"])
    return services.caution_administer(case=case, actor=officer, **kwargs)


def test_administer_sets_everything(officer):
    case = f.AuthorisedCaseFactory(officer=officer)
    administer(case, officer)
    case.refresh_from_db()
    assert case.status == S.ACTIVE
    assert case.caution_date == today()
    assert case.compliance_period_weeks == 16
    assert case.compliance_deadline == today() + dt.timedelta(weeks=16)
    assert case.prosecution_status == "deferred"
    assert case.age_at_caution is not None
    assert case.administration.signed_place == "Parkside Police Station"
    assert last_event(case).kind == "caution_administered"


@pytest.mark.parametrize(
    "missing",
    ["admitted", "effect_explained", "warned_of_prosecution", "consented", "document_signed"],
)
def test_administer_needs_the_five_requirements(missing, officer):
    case = f.AuthorisedCaseFactory(officer=officer)
    with pytest.raises(services.RuleViolation, match="five legal requirements"):
        administer(case, officer, **{missing: False})


def test_administer_needs_a_condition(officer):
    case = f.AuthorisedCaseFactory(officer=officer)
    with pytest.raises(services.RuleViolation, match="at least one condition"):
        administer(case, officer, conditions=[])


def test_administer_refuses_under_18_on_the_caution_date(officer):
    person = PersonFactory(
        date_of_birth=today().replace(year=today().year - 18) + dt.timedelta(days=1)
    )
    case = f.AuthorisedCaseFactory(officer=officer, offence__person=person, person=person)
    with pytest.raises(services.RuleViolation, match="adults only"):
        administer(case, officer)


@pytest.mark.parametrize(
    ("weeks", "reason", "ok"),
    [
        (16, "", True),
        (17, "", False),
        (17, "Long course", True),
        (20, "Long course", True),
        (21, "Long course", False),
    ],
)
def test_compliance_period_limits(weeks, reason, ok, officer):
    case = f.AuthorisedCaseFactory(officer=officer)
    kwargs = {"compliance_period_weeks": weeks, "compliance_extension_reason": reason}
    if ok:
        administer(case, officer, **kwargs)
        assert Case.objects.get(pk=case.pk).compliance_period_weeks == weeks
    else:
        with pytest.raises(services.RuleViolation, match="compliance period"):
            administer(case, officer, **kwargs)


def test_due_date_within_the_compliance_period(officer):
    case = f.AuthorisedCaseFactory(officer=officer)
    deadline = today() + dt.timedelta(weeks=16)
    with pytest.raises(services.RuleViolation, match="after the end of the compliance period"):
        administer(case, officer, conditions=[spec(due_date=deadline + dt.timedelta(days=1))])
    administer(case, officer, conditions=[spec(due_date=deadline)])


@pytest.mark.parametrize(("hours", "ok"), [(Decimal(20), True), (Decimal("20.5"), False)])
def test_punitive_hours_cap(hours, ok, officer):
    case = f.AuthorisedCaseFactory(officer=officer)
    half = hours / 2
    conditions = [spec("unpaid_work", hours=half), spec("unpaid_work", hours=half)]
    if ok:
        administer(case, officer, conditions=conditions)
    else:
        with pytest.raises(services.RuleViolation, match="at most 20"):
            administer(case, officer, conditions=conditions)


@pytest.mark.parametrize(
    ("category", "cap"), [("public_order", 50), ("shoplifting", 100), ("robbery", 150)]
)
@pytest.mark.parametrize("over", [0, Decimal("0.01")])
def test_financial_penalty_cap_by_mode_of_trial(category, cap, over, officer):
    cat = OffenceCategory.objects.get(key=category)
    case = f.AuthorisedCaseFactory(
        officer=officer, offence__category=cat, offence__mode_of_trial=cat.mode_of_trial
    )
    conditions = [spec("financial_penalty", amount=Decimal(cap) + over)]
    if over:
        with pytest.raises(services.RuleViolation, match=f"at most £{cap}"):
            administer(case, officer, conditions=conditions, time_limit_acknowledged=True)
    else:
        administer(case, officer, conditions=conditions, time_limit_acknowledged=True)


def test_restrictive_only_alongside_rehabilitative_or_reparative(officer):
    case = f.AuthorisedCaseFactory(officer=officer)
    with pytest.raises(services.RuleViolation, match="restrictive"):
        administer(case, officer, conditions=[spec("no_contact")])
    with pytest.raises(services.RuleViolation, match="restrictive"):
        administer(case, officer, conditions=[spec("no_contact"), spec("unpaid_work", hours=5)])
    administer(case, officer, conditions=[spec("no_contact"), spec("apology_letter")])


def test_provider_required_and_must_be_a_provider(officer):
    case = f.AuthorisedCaseFactory(officer=officer)
    with pytest.raises(services.RuleViolation, match="support provider"):
        administer(case, officer, conditions=[spec("housing")])
    from tests.factories import police_force

    with pytest.raises(services.RuleViolation, match="not an active support provider"):
        administer(case, officer, conditions=[spec("housing", provider=police_force())])
    administer(case, officer, conditions=[spec("housing", provider=OrganisationFactory())])


def test_restorative_justice_needs_victim_consent(officer):
    case = f.AuthorisedCaseFactory(officer=officer)
    rj = [spec("restorative_justice", provider=OrganisationFactory())]
    with pytest.raises(services.RuleViolation, match="victim's consent"):
        administer(case, officer, conditions=rj)
    views = case.victim_views
    views.kind, views.views, views.restorative_justice_consent = "views_obtained", "Yes", True
    views.save()
    administer(case, officer, conditions=rj)


def test_retired_condition_type_refused(officer):
    ConditionType.objects.filter(key="apology_letter").update(retired=True)
    case = f.AuthorisedCaseFactory(officer=officer)
    with pytest.raises(services.RuleViolation, match="retired"):
        administer(case, officer)


def test_condition_type_in_use_cannot_be_deleted():
    condition = f.ConditionFactory()
    with pytest.raises(ProtectedError):
        condition.condition_type.delete()


def test_summary_only_time_limit_warning_at_and_past_the_boundary(officer):
    margin = RuleSettings.load().breach_decision_margin_days
    cat = OffenceCategory.objects.get(key="public_order")
    offence = OffenceFactory(
        category=cat, mode_of_trial="summary", offence_date=today() - dt.timedelta(days=60)
    )

    six_months = add_months(offence.offence_date, 6)
    # Weeks chosen so that the deadline + margin lands exactly on, then a day past, the limit.
    caution_exact = six_months - dt.timedelta(days=margin) - dt.timedelta(weeks=16)
    assert services.time_limit_warning(offence, caution_exact, 16) == ""
    warning = services.time_limit_warning(offence, caution_exact + dt.timedelta(days=1), 16)
    assert "summary-only" in warning
    case = f.AuthorisedCaseFactory(officer=officer, offence=offence, person=offence.person)
    with pytest.raises(services.RuleViolation, match="summary-only"):
        administer(case, officer)
    administer(case, officer, time_limit_acknowledged=True)
    assert "summary-only" in Case.objects.get(pk=case.pk).administration.time_limit_warning


# --------------------------------------------------------------------------- conditions


def test_mark_complied_completes_only_when_all_complied(officer):
    case = f.ActiveCaseFactory(officer=officer, conditions=2)
    first, second = case.conditions.all()
    services.condition_mark_complied(
        condition=first, actor=officer, complied_on=today(), evidence="e"
    )
    assert Case.objects.get(pk=case.pk).status == S.ACTIVE
    services.condition_mark_complied(
        condition=second,
        actor=officer,
        complied_on=today(),
        evidence="e",
        expected_version=second.version,
    )
    case.refresh_from_db()
    assert case.status == S.COMPLIED
    assert case.outcome_date == today()
    assert case.prosecution_status == "not_pursued"
    assert last_event(case).kind == "caution_completed"


def test_mark_complied_refuses_future_date_and_twice(officer):
    case = f.ActiveCaseFactory(officer=officer, conditions=2)
    c = case.conditions.first()
    with pytest.raises(services.RuleViolation, match="future"):
        services.condition_mark_complied(
            condition=c, actor=officer, complied_on=today() + dt.timedelta(days=1), evidence=""
        )
    services.condition_mark_complied(condition=c, actor=officer, complied_on=today(), evidence="")
    with pytest.raises(services.InvalidTransition, match="complied"):
        services.condition_mark_complied(
            condition=c, actor=officer, complied_on=today(), evidence=""
        )


def test_stale_condition_version_refused(officer):
    c = f.ConditionFactory()
    with pytest.raises(services.StaleVersion):
        services.condition_mark_complied(
            condition=c,
            actor=officer,
            complied_on=today(),
            evidence="",
            expected_version=c.version + 1,
        )


def test_not_complied_opens_a_breach(officer):
    case = f.ActiveCaseFactory(officer=officer)
    c = case.conditions.get()
    breach = services.condition_mark_not_complied(
        condition=c, actor=officer, details="Missed", excuse_given="Ill"
    )
    case.refresh_from_db()
    assert case.status == S.BREACH
    assert breach.excuse_given == "Ill"
    assert Condition.objects.get(pk=c.pk).status == "not_complied"
    assert last_event(case).kind == "breach_recorded"


def test_vary_keeps_the_previous_version(officer):
    case = f.ActiveCaseFactory(officer=officer)
    c = case.conditions.get()
    old_due = c.due_date
    with pytest.raises(services.RuleViolation, match="consent"):
        services.condition_vary(
            condition=c,
            actor=officer,
            reason="r",
            consent_given=False,
            due_date=old_due,
            description="d",
        )
    services.condition_vary(
        condition=c,
        actor=officer,
        reason="Provider rescheduled",
        consent_given=True,
        agreed_on=today(),
        due_date=old_due + dt.timedelta(days=7),
        description="New wording",
    )
    c.refresh_from_db()
    assert c.version == 2
    assert c.description == "New wording"
    assert c.history.count() >= 2
    event = last_event(case)
    assert event.kind == "condition_varied"
    assert event.data["before"]["due_date"] == old_due.isoformat()


def test_end_condition_keeps_one_in_force(officer):
    case = f.ActiveCaseFactory(officer=officer, conditions=2)
    first, second = case.conditions.all()
    services.condition_end(condition=first, actor=officer, reason="Provider closed")
    with pytest.raises(services.RuleViolation, match="only condition"):
        services.condition_end(condition=second, actor=officer, reason="x")


def test_ending_the_last_pending_condition_completes(officer):
    case = f.ActiveCaseFactory(officer=officer, conditions=2)
    first, second = case.conditions.all()
    services.condition_mark_complied(
        condition=first, actor=officer, complied_on=today(), evidence=""
    )
    services.condition_end(condition=second, actor=officer, reason="No longer needed")
    assert Case.objects.get(pk=case.pk).status == S.COMPLIED


# --------------------------------------------------------------------------- breach


def _decide(breach, actor, decision, **kwargs):
    values = {"reasonable_excuse": False, "excuse_assessment": "a", "reason": "r"}
    values.update(kwargs)
    return services.breach_decide(breach=breach, actor=actor, decision=decision, **values)


def test_breach_decision_needs_an_authorising_officer(officer):
    case = f.BreachCaseFactory()
    with pytest.raises(services.NotAllowed):
        _decide(case.breaches.get(), officer, "no_further_action")


def test_breach_vary_returns_to_active(sergeant):
    case = f.BreachCaseFactory()
    breach = case.breaches.get()
    with pytest.raises(services.RuleViolation, match="consent"):
        _decide(breach, sergeant, "vary", new_due_date=today() + dt.timedelta(days=7))
    _decide(
        breach,
        sergeant,
        "vary",
        reasonable_excuse=True,
        new_due_date=today() + dt.timedelta(days=7),
        consent_given=True,
    )
    case.refresh_from_db()
    assert case.status == S.ACTIVE
    condition = breach.condition
    condition.refresh_from_db()
    assert condition.status == "pending"
    assert condition.due_date == today() + dt.timedelta(days=7)
    assert Breach.objects.get(pk=breach.pk).decided_by == sergeant


def test_breach_no_further_action_closes(sergeant):
    case = f.BreachCaseFactory(conditions=2)
    _decide(case.breaches.get(), sergeant, "no_further_action")
    case.refresh_from_db()
    assert case.status == S.FAILED_NO_FURTHER_ACTION
    assert case.outcome_date == today()
    assert case.retention_review_date
    assert case.conditions.filter(status="pending").count() == 0


def test_resume_prosecution(sergeant):
    case = f.BreachCaseFactory()
    breach = case.breaches.get()
    with pytest.raises(services.RuleViolation, match="reasonable excuse"):
        _decide(breach, sergeant, "resume_prosecution", reasonable_excuse=True, charge_date=today())
    with pytest.raises(services.RuleViolation, match="charge date"):
        _decide(breach, sergeant, "resume_prosecution")
    _decide(breach, sergeant, "resume_prosecution", charge_date=today())
    case.refresh_from_db()
    assert case.status == S.PROSECUTION_RESUMED
    assert case.charge_date == today() == case.outcome_date
    assert case.prosecution_status == "resumed"
    event = last_event(case)
    assert (event.kind, event.from_status, event.to_status) == (
        "breach_decided",
        "breach",
        "prosecution_resumed",
    )
    services.prosecution_record_court_outcome(
        case=case,
        actor=sergeant,
        kind="convicted",
        details="Conditional discharge",
        court_outcome_date=today(),
    )
    case = Case.objects.get(pk=case.pk)
    assert (case.court_outcome_kind, case.court_outcome) == ("convicted", "Conditional discharge")


def test_summary_only_resume_refused_after_six_months(sergeant):
    cat = OffenceCategory.objects.get(key="public_order")
    offence = OffenceFactory(
        category=cat, mode_of_trial="summary", offence_date=today() - dt.timedelta(days=200)
    )
    case = f.BreachCaseFactory(
        offence=offence, person=offence.person, caution_date=today() - dt.timedelta(days=150)
    )
    with pytest.raises(services.RuleViolation, match="6 months"):
        _decide(case.breaches.get(), sergeant, "resume_prosecution", charge_date=today())


# --------------------------------------------------------------------------- withdraw


@pytest.mark.parametrize(
    "status", [S.ASSESSMENT, S.AWAITING_AUTHORISATION, S.AUTHORISED, S.ACTIVE, S.BREACH]
)
def test_withdraw_from_any_open_state(status, officer):
    case = STATE_FACTORIES[status](officer=officer)
    services.case_withdraw(case=case, actor=officer, kind="death", reason="Died")
    case.refresh_from_db()
    assert (case.status, case.withdrawal_kind, case.outcome_date) == (S.WITHDRAWN, "death", today())
    assert not case.conditions.filter(status="pending").exists()
    event = last_event(case)
    assert (event.from_status, event.to_status, event.reason) == (status, "withdrawn", "Died")


def test_withdraw_needs_kind_and_reason(officer):
    case = f.CaseFactory(officer=officer)
    with pytest.raises(services.RuleViolation):
        services.case_withdraw(case=case, actor=officer, kind="bogus", reason="x")
    with pytest.raises(services.RuleViolation):
        services.case_withdraw(case=case, actor=officer, kind="error", reason="")
