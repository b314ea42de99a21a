"""Case factories, one per state. Other apps' tests import these.

They write the rows directly (fast, no services), in states the database constraints accept
and that the services would have produced: `ActiveCaseFactory()` is an administered caution
with one pending condition; `ActiveCaseFactory(conditions=3)` has three;
`ActiveCaseFactory(conditions=0)` none (then add `ConditionFactory(case=...)`).
"""

import datetime as dt

import factory
from django.conf import settings
from django.utils import timezone

from cautions.models import (
    Administration,
    Breach,
    Case,
    CaseEvent,
    Condition,
    ConditionProposal,
    CrimeOutcome,
    EligibilityAssessment,
    NeedAssessment,
    ProsecutionStatus,
    VictimViews,
)
from hub.lib.dates import add_months, age_on
from hub.models import ConditionType, NeedPathway
from hub.roles import Role
from tests.factories import OffenceFactory, OrganisationFactory, make_user


def _today() -> dt.date:
    return timezone.localdate()


def _officer():
    return make_user(Role.OFFICER)


def _sergeant():
    return make_user(Role.AUTHORISING_OFFICER)


def _retention(outcome_date: dt.date) -> dt.date:
    return add_months(outcome_date, 12 * settings.RETENTION_YEARS)


class CaseFactory(factory.django.DjangoModelFactory):
    """A case just started: status assessment, nothing recorded yet."""

    class Meta:
        model = Case
        skip_postgeneration_save = True

    reference = factory.Sequence(lambda n: f"CC-TEST-{n:06d}")
    offence = factory.SubFactory(OffenceFactory)
    person = factory.LazyAttribute(lambda o: o.offence.person)
    officer = factory.LazyFunction(_officer)
    status = Case.Status.ASSESSMENT


AssessmentCaseFactory = CaseFactory


class EligibilityAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EligibilityAssessment

    case = factory.SubFactory(CaseFactory)
    assessed_by = factory.LazyAttribute(lambda o: o.case.officer)
    planned_caution_date = factory.LazyFunction(_today)
    admission_method = EligibilityAssessment.AdmissionMethod.INTERVIEW
    result = EligibilityAssessment.Result.ELIGIBLE
    snapshot = factory.LazyFunction(lambda: {"result": "eligible", "rules": []})


class VictimViewsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = VictimViews

    case = factory.SubFactory(CaseFactory)
    kind = VictimViews.Kind.NO_VICTIM
    recorded_by = factory.LazyAttribute(lambda o: o.case.officer)


class NeedAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NeedAssessment

    case = factory.SubFactory(CaseFactory)
    pathway = factory.LazyFunction(lambda: NeedPathway.objects.get(key="accommodation"))
    severity = NeedAssessment.Severity.MEDIUM
    assessed_by = factory.LazyAttribute(lambda o: o.case.officer)


class _AssessedCaseFactory(CaseFactory):
    """Eligibility, needs and victim's views recorded."""

    needs_recorded_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def assessed(self, create, extracted, **kwargs):
        if create:
            EligibilityAssessmentFactory(case=self)
            VictimViewsFactory(case=self)


def default_condition_set() -> list[dict]:
    """The set proposed by the factories: one letter of apology due in 4 weeks, as
    tests.cautions.helpers.spec() and administer_kwargs() give it."""
    from cautions.services import ConditionSpec, spec_snapshot

    return [
        spec_snapshot(
            ConditionSpec(
                condition_type=ConditionType.objects.get(key="apology_letter"),
                description="Do the thing",
                due_date=_today() + dt.timedelta(days=28),
            )
        )
    ]


def propose(case: Case, status: str = ConditionProposal.Status.PROPOSED, conditions=None):
    """Give the case a current proposal of `conditions` (default_condition_set), decided by the
    case's authoriser when it is authorised."""
    decided = status == ConditionProposal.Status.AUTHORISED
    proposal = ConditionProposal.objects.create(
        case=case,
        number=case.proposals.count() + 1,
        conditions=default_condition_set() if conditions is None else conditions,
        status=status,
        proposed_by=case.officer,
        proposed_at=timezone.now(),
        decided_by=case.authorised_by if decided else None,
        decided_at=case.authorised_at if decided else None,
        decided_by_rank="sergeant" if decided else "",
    )
    return proposal


def authorise_set(case: Case, specs) -> None:
    """Make `specs` the authorised set of an authorised case (tests of the giving step's
    limits, which need a set authorised as it is given)."""
    from cautions.services import spec_snapshot

    ConditionProposal.objects.filter(case=case).update(conditions=[spec_snapshot(s) for s in specs])


class AwaitingAuthorisationCaseFactory(_AssessedCaseFactory):
    status = Case.Status.AWAITING_AUTHORISATION

    @factory.post_generation
    def proposal(self, create, extracted, **kwargs):
        if create:
            propose(self, conditions=extracted)


class AuthorisedCaseFactory(_AssessedCaseFactory):
    """Authorised with the set `proposal` (snapshot dicts; default_condition_set())."""

    status = Case.Status.AUTHORISED
    authorised_by = factory.LazyFunction(_sergeant)
    authorised_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def proposal(self, create, extracted, **kwargs):
        if create:
            propose(self, ConditionProposal.Status.AUTHORISED, conditions=extracted)


class NotEligibleCaseFactory(CaseFactory):
    status = Case.Status.NOT_ELIGIBLE
    outcome_date = factory.LazyFunction(_today)
    closure_reason = "Gravity score 4: not eligible for a conditional caution."
    retention_review_date = factory.LazyAttribute(lambda o: _retention(o.outcome_date))


class DeclinedCaseFactory(_AssessedCaseFactory):
    status = Case.Status.DECLINED
    outcome_date = factory.LazyFunction(_today)
    closure_reason = "Declined: the offending history makes a caution unsuitable."
    retention_review_date = factory.LazyAttribute(lambda o: _retention(o.outcome_date))


def _condition_type(key: str) -> ConditionType:
    return ConditionType.objects.get(key=key)


class ActiveCaseFactory(AuthorisedCaseFactory):
    """Caution given 14 days ago, 16-week compliance period, prosecution deferred.

    `conditions` (default 1): how many pending conditions (letters of apology) to add."""

    status = Case.Status.ACTIVE
    caution_date = factory.LazyFunction(lambda: _today() - dt.timedelta(days=14))
    administered_by = factory.LazyAttribute(lambda o: o.officer)
    age_at_caution = factory.LazyAttribute(lambda o: age_on(o.person.date_of_birth, o.caution_date))
    compliance_period_weeks = 16
    compliance_deadline = factory.LazyAttribute(
        lambda o: o.caution_date + dt.timedelta(weeks=o.compliance_period_weeks)
    )
    prosecution_status = ProsecutionStatus.DEFERRED
    crime_outcome = CrimeOutcome.CAUTION

    @factory.post_generation
    def administration(self, create, extracted, **kwargs):
        if create:
            Administration.objects.create(
                case=self,
                admission_method="interview",
                admitted=True,
                effect_explained=True,
                warned_of_prosecution=True,
                consented=True,
                document_signed=True,
                signed_at=timezone.now() - dt.timedelta(days=14),
                signed_place="Parkside Police Station",
                administered_by=self.administered_by,
            )

    @factory.post_generation
    def conditions(self, create, extracted, **kwargs):
        if not create:
            return
        count = 1 if extracted is None else extracted
        for _ in range(count):
            ConditionFactory(case=self, **kwargs)


class ConditionFactory(factory.django.DjangoModelFactory):
    """A pending letter of apology due in 4 weeks; `ConditionFactory(provider_condition=True)`
    gives a housing support condition with a provider."""

    class Meta:
        model = Condition

    class Params:
        provider_condition = factory.Trait(
            condition_type=factory.LazyFunction(lambda: _condition_type("housing")),
            provider=factory.SubFactory(OrganisationFactory),
            description="Attend housing support sessions with the provider.",
        )

    case = factory.SubFactory(ActiveCaseFactory, conditions=0)
    condition_type = factory.LazyFunction(lambda: _condition_type("apology_letter"))
    description = "Write a letter of apology to the shop manager."
    due_date = factory.LazyAttribute(
        lambda o: min(_today() + dt.timedelta(weeks=4), o.case.compliance_deadline)
    )


class BreachCaseFactory(ActiveCaseFactory):
    """A caution in breach: its condition was not complied with and a decision is awaited."""

    status = Case.Status.BREACH

    @factory.post_generation
    def breach(self, create, extracted, **kwargs):
        if not create:
            return
        condition = self.conditions.first() or ConditionFactory(case=self)
        condition.status = Condition.Status.NOT_COMPLIED
        condition.marked_by = self.officer
        condition.marked_at = timezone.now()
        condition.save()
        Breach.objects.create(
            case=self,
            condition=condition,
            recorded_by=self.officer,
            failure_details="Did not send the letter by the due date.",
        )


class CompliedCaseFactory(ActiveCaseFactory):
    """Every condition complied: the caution completed with no further action."""

    status = Case.Status.COMPLIED
    caution_date = factory.LazyFunction(lambda: _today() - dt.timedelta(days=120))
    outcome_date = factory.LazyFunction(lambda: _today() - dt.timedelta(days=10))
    retention_review_date = factory.LazyAttribute(lambda o: _retention(o.outcome_date))
    prosecution_status = ProsecutionStatus.NOT_PURSUED

    @factory.post_generation
    def complied(self, create, extracted, **kwargs):
        if create:
            self.conditions.update(
                status=Condition.Status.COMPLIED,
                complied_on=self.outcome_date,
                due_date=self.outcome_date,
                evidence="Letter received",
                marked_by=self.officer,
                marked_at=timezone.now(),
            )


class FailedNoFurtherActionCaseFactory(BreachCaseFactory):
    status = Case.Status.FAILED_NO_FURTHER_ACTION
    outcome_date = factory.LazyFunction(_today)
    retention_review_date = factory.LazyAttribute(lambda o: _retention(o.outcome_date))
    prosecution_status = ProsecutionStatus.NOT_PURSUED

    @factory.post_generation
    def decided(self, create, extracted, **kwargs):
        if create:
            self.breaches.update(
                decision=Breach.Decision.NO_FURTHER_ACTION,
                decided_by=_sergeant(),
                decided_at=timezone.now(),
                decision_reason="Not in the public interest to prosecute.",
            )


class ProsecutionResumedCaseFactory(BreachCaseFactory):
    status = Case.Status.PROSECUTION_RESUMED
    outcome_date = factory.LazyFunction(_today)
    charge_date = factory.LazyFunction(_today)
    retention_review_date = factory.LazyAttribute(lambda o: _retention(o.outcome_date))
    prosecution_status = ProsecutionStatus.RESUMED
    crime_outcome = CrimeOutcome.CHARGED

    @factory.post_generation
    def decided(self, create, extracted, **kwargs):
        if create:
            self.breaches.update(
                decision=Breach.Decision.RESUME_PROSECUTION,
                reasonable_excuse=False,
                decided_by=_sergeant(),
                decided_at=timezone.now(),
                decision_reason="No reasonable excuse.",
            )


class WithdrawnCaseFactory(CaseFactory):
    status = Case.Status.WITHDRAWN
    outcome_date = factory.LazyFunction(_today)
    closure_reason = "Recorded in error."
    withdrawal_kind = "error"
    retention_review_date = factory.LazyAttribute(lambda o: _retention(o.outcome_date))


class CaseEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseEvent

    case = factory.SubFactory(CaseFactory)
    actor = factory.LazyAttribute(lambda o: o.case.officer)
    kind = "case_started"
    to_status = "assessment"
