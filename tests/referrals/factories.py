"""Referrals in each state, built on the cautions factories and the referrals services (so
each state is one the services produce, with its event rows).

One function per state, like the cases' state factories: `new_referral`, `accepted_referral`,
`in_progress_referral`, `returned_referral`, `completed_referral`, `withdrawn_referral`;
`REFERRAL_STATE_FACTORIES` maps each status to its function (for tests parametrised over
states). Each takes the provider (default: a new one) and returns the referral as stored."""

import datetime as dt

from django.utils import timezone

from cautions import services as caution_services
from cautions.models import Case, Condition, NeedAssessment
from hub.models import ConditionType, NeedPathway
from hub.roles import Role
from referrals import services
from referrals.models import PathwayOutcome, Referral
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
            # One a day, none before the caution (14 days ago): sessions may not predate it.
            data=session_data(
                occurred_at=timezone.now() - dt.timedelta(days=min(sessions - i, 13), minutes=-i)
            ),
        )
    referral.refresh_from_db()
    return referral


def returned_referral(provider=None, *, reason="Our caseload is full until next month.", **kwargs):
    """A new referral the provider returned (it cannot take the person on)."""
    referral = new_referral(provider, **kwargs)
    return services.referral_return(
        referral=referral, actor=caseworker_of(referral.provider), reason=reason
    )


def completed_referral(provider=None, *, caseworker=None, **kwargs) -> Referral:
    """Support given and closed with the end-of-support summary (one session, one pathway)."""
    referral = in_progress_referral(provider, caseworker=caseworker, **kwargs)
    outcomes = {
        pathway.pk: PathwayOutcome.Outcome.IMPROVED
        for pathway in services.pathways_worked_on(referral)
    }
    services.referral_close(
        referral=referral,
        actor=referral.assigned_to,
        outcomes=outcomes,
        closing_note="Tenancy secured; rent arrears on a payment plan.",
    )
    referral.refresh_from_db()
    return referral


def withdrawn_referral(provider=None, **kwargs) -> Referral:
    """A new referral closed by police because the case was withdrawn (through the cautions
    service, whose case_changed signal closes the case's referrals)."""
    referral = new_referral(provider, **kwargs)
    case = Case.objects.get(pk=referral.case_id)
    caution_services.case_withdraw(
        case=case, actor=case.officer, kind="error", reason="Recorded against the wrong person."
    )
    referral.refresh_from_db()
    return referral


REFERRAL_STATE_FACTORIES = {
    Referral.Status.NEW: new_referral,
    Referral.Status.ACCEPTED: accepted_referral,
    Referral.Status.IN_PROGRESS: in_progress_referral,
    Referral.Status.RETURNED: returned_referral,
    Referral.Status.COMPLETED: completed_referral,
    Referral.Status.WITHDRAWN: withdrawn_referral,
}


def appointment_details(**overrides) -> dict:
    """What a caseworker enters to book an appointment: tomorrow at 10:00, an hour, in person."""
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    data = {
        "starts_at": timezone.make_aware(dt.datetime.combine(tomorrow, dt.time(10, 0))),
        "duration_minutes": 60,
        "mode": "in_person",
        "place": "Outside Links, 12 Bridge Street, Peterborough",
        "with_whom": None,
        "pathway": NeedPathway.objects.get(key="accommodation"),
    }
    data.update(overrides)
    return data


def booked_appointment(referral=None, **overrides):
    """A booked appointment (tomorrow at 10:00 unless `starts_at` says otherwise) on an accepted
    referral. A past `starts_at` is booked as if from the day before it, with the referral
    made a fortnight earlier (as when the caution was given)."""
    from referrals.models import Appointment

    referral = referral or accepted_referral()
    details = appointment_details(**overrides)
    now = timezone.now()
    if details["starts_at"] <= now:
        earlier = min(details["starts_at"], now) - dt.timedelta(days=14)
        Referral.objects.filter(pk=referral.pk, created_at__gt=earlier).update(created_at=earlier)
        referral.refresh_from_db()
        now = details["starts_at"] - dt.timedelta(days=1)
    appointment = services.appointment_book(
        referral=referral, actor=referral.assigned_to, details=details, now=now
    )
    return Appointment.objects.get(pk=appointment.pk)


def started_appointment(referral=None, *, hours_ago=2, **overrides):
    """A booked appointment that started `hours_ago` hours ago (attendance can be recorded)."""
    return booked_appointment(
        referral, starts_at=timezone.now() - dt.timedelta(hours=hours_ago), **overrides
    )
