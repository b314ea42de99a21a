"""One of everything, for tests that walk every page: the URL matrix, isolation, analyst PII.

Built from the apps' own test factories; each object is the one a URL's kwargs point at.
"""

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from tests.factories import PersonFactory


@dataclass
class World:
    users: dict
    person: object
    case: object
    condition: object
    awaiting_case: object
    breach_case: object
    breach: object
    referral: object
    session: object
    flag: object
    due_case: object
    authorised_case: object
    new_referral: object
    extra: dict = field(default_factory=dict)

    def people(self):
        """Every seeded person (to search pages for their identifiers)."""
        from hub.models import Person

        return list(Person.objects.filter(anonymised_at__isnull=True))


def build_world(users: dict) -> World:
    from hub.models import ConditionType
    from referrals.models import ProgressReport
    from tests.cautions.factories import (
        AuthorisedCaseFactory,
        AwaitingAuthorisationCaseFactory,
        BreachCaseFactory,
        CompliedCaseFactory,
        ConditionFactory,
    )
    from tests.referrals.factories import in_progress_referral, new_referral, started_appointment

    caseworker = users["caseworker"]
    provider = caseworker.profile.organisation
    referral = in_progress_referral(provider, caseworker=caseworker, sessions=1)
    case = referral.case
    breach_case = BreachCaseFactory()
    flag = ProgressReport.objects.create(
        referral=referral,
        kind="not_engaging",
        details="Missed two sessions",
        reported_by=caseworker,
    )
    due_case = CompliedCaseFactory(
        offence__person=PersonFactory(),
        retention_review_date=timezone.localdate() - dt.timedelta(days=1),
    )
    condition = case.conditions.first()
    # A compensation condition, for the payments page (due last: `condition` stays the first).
    amount_condition = ConditionFactory(
        case=case,
        condition_type=ConditionType.objects.get(key="compensation"),
        description="Pay for the damage",
        amount=Decimal("50"),
        due_date=case.compliance_deadline,
    )
    return World(
        users=users,
        person=case.person,
        case=case,
        condition=condition,
        extra={
            "amount_condition": amount_condition,
            # Booked, started two hours ago: it can be moved, cancelled or its attendance
            # recorded.
            "appointment": started_appointment(referral),
        },
        awaiting_case=AwaitingAuthorisationCaseFactory(),
        breach_case=breach_case,
        breach=breach_case.breaches.first(),
        referral=referral,
        session=referral.sessions.first(),
        flag=flag,
        due_case=due_case,
        authorised_case=AuthorisedCaseFactory(),
        new_referral=new_referral(provider),
    )
