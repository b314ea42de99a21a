"""Each referral transition refused from every state it does not start from: the refusal names
the state, and nothing changed (the referral row, its sessions, reports, outcomes and events).

Like tests/cautions/test_services.py: the referrals in each state come from the state factories
(tests/referrals/factories.py), built through the services."""

import pytest
from django.forms.models import model_to_dict

from referrals import services
from referrals.models import PathwayOutcome, ProgressReport, Referral, ReferralEvent, SupportSession
from tests.referrals.factories import REFERRAL_STATE_FACTORIES, caseworker_of, session_data

pytestmark = pytest.mark.django_db
R = Referral.Status


def _accept(referral, worker):
    return services.referral_accept(referral=referral, actor=worker, assignee=worker)


def _return(referral, worker):
    return services.referral_return(referral=referral, actor=worker, reason="Full caseload")


def _record_session(referral, worker):
    return services.session_record(referral=referral, actor=worker, data=session_data())


def _report_progress(referral, worker):
    return services.progress_report(
        referral=referral, actor=worker, kind="not_engaging", details="Missed two sessions."
    )


def _close(referral, worker):
    return services.referral_close(
        referral=referral, actor=worker, outcomes={}, closing_note="Support finished."
    )


# transition: (the states it starts from, the call)
TRANSITIONS = {
    "accept": ((R.NEW, R.ACCEPTED, R.IN_PROGRESS), _accept),
    "return": ((R.NEW, R.ACCEPTED), _return),
    "session_record": ((R.ACCEPTED, R.IN_PROGRESS), _record_session),
    "progress_report": ((R.ACCEPTED, R.IN_PROGRESS), _report_progress),
    # From withdrawn only when the provider had accepted it (the factory's never was).
    "close": ((R.ACCEPTED, R.IN_PROGRESS), _close),
}

WRONG_STATE_CASES = [
    pytest.param(name, status, id=f"{name}-from-{status}")
    for name, (allowed, _call) in TRANSITIONS.items()
    for status in REFERRAL_STATE_FACTORIES
    if status not in allowed
]


def _everything(referral) -> dict:
    return {
        "referral": model_to_dict(Referral.objects.get(pk=referral.pk)),
        "updated_at": Referral.objects.get(pk=referral.pk).updated_at,
        "events": list(ReferralEvent.objects.values_list("pk", flat=True)),
        "sessions": SupportSession.objects.count(),
        "reports": ProgressReport.objects.count(),
        "outcomes": PathwayOutcome.objects.count(),
    }


@pytest.mark.parametrize(("status", "factory"), REFERRAL_STATE_FACTORIES.items())
def test_each_state_factory_builds_its_state_through_the_services(status, factory):
    referral = factory()
    referral.refresh_from_db()
    assert referral.status == status
    referral.full_clean()
    last = referral.events.order_by("-id").first()
    assert last.to_status == status


@pytest.mark.parametrize(("transition", "status"), WRONG_STATE_CASES)
def test_transition_refused_from_wrong_state(transition, status):
    referral = REFERRAL_STATE_FACTORIES[status]()
    worker = referral.assigned_to or caseworker_of(referral.provider)
    before = _everything(referral)
    with pytest.raises(services.InvalidTransition) as error:
        TRANSITIONS[transition][1](referral, worker)
    if (transition, status) == ("close", R.WITHDRAWN):
        assert "closed this referral before it was accepted" in error.value.message
    else:
        label = Referral.Status(status).label.lower()
        assert error.value.message.endswith(f": the referral is {label}.")
    assert _everything(referral) == before
