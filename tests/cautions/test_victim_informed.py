"""Victims' Code: when and how the victim was told of the outcome and of a breach decision."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cautions import services
from cautions.models import Case, CaseEvent, VictimInformed, VictimViews
from tests.cautions import factories as f

pytestmark = pytest.mark.django_db


def _victim(case):
    """The case's victim gave their views (the factories' default is no victim)."""
    VictimViews.objects.filter(case=case).update(kind="views_obtained", views="Wants an apology")
    return case


def _told(case, actor, subject="outcome", **kwargs):
    return services.victim_informed_record(
        case=case,
        actor=actor,
        subject=subject,
        method=kwargs.pop("method", "phone"),
        informed_at=kwargs.pop("informed_at", timezone.now() - dt.timedelta(hours=1)),
        **kwargs,
    )


def test_the_outcome_told_is_recorded_with_an_event(officer):
    case = _victim(f.ActiveCaseFactory(officer=officer))
    record = _told(case, officer, notes="Happy with the apology")
    assert (record.subject, record.method, record.informed_by) == ("outcome", "phone", officer)
    event = CaseEvent.objects.filter(case=case).latest("id")
    assert (event.kind, event.actor, event.data["method"]) == ("victim_informed", officer, "phone")
    assert Case.objects.get(pk=case.pk).version == case.version + 1


@pytest.mark.parametrize(
    "factory", [f.CaseFactory, f.AwaitingAuthorisationCaseFactory, f.AuthorisedCaseFactory]
)
def test_no_outcome_to_tell_before_the_caution(factory, officer):
    case = _victim(factory(officer=officer))
    with pytest.raises(services.InvalidTransition):
        _told(case, officer)
    assert not VictimInformed.objects.exists()


def test_a_breach_decision_needs_a_decided_breach(officer):
    open_breach = _victim(f.BreachCaseFactory(officer=officer))
    with pytest.raises(services.RuleViolation, match="No breach has been decided"):
        _told(open_breach, officer, subject="breach_decision")
    decided = _victim(f.FailedNoFurtherActionCaseFactory(officer=officer))
    record = _told(decided, officer, subject="breach_decision", method="letter")
    assert record.breach == decided.breaches.get()


def test_refused_with_no_victim_or_a_time_in_the_future(officer):
    case = _victim(f.ActiveCaseFactory(officer=officer))
    with pytest.raises(services.RuleViolation, match="future"):
        _told(case, officer, informed_at=timezone.now() + dt.timedelta(minutes=5))
    VictimViews.objects.filter(case=case).update(kind="no_victim")
    with pytest.raises(services.RuleViolation, match="no identifiable victim"):
        _told(case, officer)
    assert not VictimInformed.objects.exists()


def test_the_case_page_shows_who_told_the_victim_when_and_how(as_user, officer):
    case = _victim(f.ActiveCaseFactory(officer=officer))
    client = as_user(officer)
    page = client.get(reverse("cautions:case_detail", args=[case.pk])).content.decode()
    assert "Record that the victim was told" in page
    now = timezone.localtime()
    response = client.post(
        reverse("cautions:victim_informed", args=[case.pk]),
        {
            "expected_version": case.version,
            "subject": "outcome",
            "method": "letter",
            "informed_on": now.date().isoformat(),
            "informed_time": (now - dt.timedelta(minutes=2)).strftime("%H:%M"),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(reverse("cautions:case_detail", args=[case.pk])).content.decode()
    assert "The outcome of the case: by letter on" in page
