"""Referrals in each state, built on the cautions factories and the referrals services (so
each state is one the services produce, with its event rows)."""

import datetime as dt

from django.utils import timezone

from cautions.models import Condition, NeedAssessment
from hub.models import ConditionType, NeedPathway
from hub.roles import Role
from referrals import services
from referrals.models import Referral
from tests.cautions.factories import ActiveCaseFactory, ConditionFactory
from tests.factories import OrganisationFactory, make_user


def caseworker_of(provider, **kwargs):
    return make_user(Role.CASEWORKER, organisation=provider, **kwargs)


def provider_condition(case, provider, *, key="housing", due_in_days=28, **kwargs) -> Condition:
    return ConditionFactory(
        case=case,
        provider=provider,
        condition_type=ConditionType.objects.get(key=key),
        description=f"Attend {key.replace('_', ' ')} support sessions.",
        due_date=timezone.localdate() + dt.timedelta(days=due_in_days),
        **kwargs,
    )


def new_referral(provider=None, *, case=None, key="housing", needs=True, **case_kwargs) -> Referral:
    """An administered caution with one condition for `provider`, synced into a new referral."""
    provider = provider or OrganisationFactory()
    case = case or ActiveCaseFactory(conditions=0, **case_kwargs)
    condition = provider_condition(case, provider, key=key)
    if needs:
        NeedAssessment.objects.get_or_create(
            case=case,
            pathway=condition.condition_type.pathway,
            defaults={"severity": "high", "notes": "Sofa-surfing since March."},
        )
    services.referrals_sync_for_case(case=case, actor=case.officer)
    return Referral.objects.get(case=case, provider=provider)


def accepted_referral(provider=None, *, caseworker=None, **kwargs) -> Referral:
    referral = new_referral(provider, **kwargs)
    caseworker = caseworker or caseworker_of(referral.provider)
    return services.referral_accept(referral=referral, actor=caseworker, assignee=caseworker)


def session_data(**overrides) -> dict:
    data = {
        "occurred_at": timezone.now() - dt.timedelta(days=1),
        "duration_minutes": 50,
        "kind": "one_to_one",
        "attendance": "attended",
        "absence_reason_accepted": False,
        "notes": "Talked about the rent arrears and the eviction letter.",
        "next_steps": "Bring the tenancy agreement next time.",
        "pathways": [NeedPathway.objects.get(key="accommodation")],
    }
    data.update(overrides)
    if data["attendance"] not in ("attended", "late"):
        data["duration_minutes"] = None
    return data


def in_progress_referral(provider=None, *, caseworker=None, sessions=1, **kwargs) -> Referral:
    referral = accepted_referral(provider, caseworker=caseworker, **kwargs)
    for i in range(sessions):
        services.session_record(
            referral=referral,
            actor=referral.assigned_to,
            data=session_data(occurred_at=timezone.now() - dt.timedelta(days=sessions - i)),
        )
    referral.refresh_from_db()
    return referral
