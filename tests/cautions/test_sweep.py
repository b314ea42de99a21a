import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from cautions.models import Case, CaseEvent, Condition
from tests.cautions import factories as f
from tests.cautions.helpers import today

pytestmark = pytest.mark.django_db


def test_sweep_marks_overdue_once_and_is_idempotent():
    case = f.ActiveCaseFactory(conditions=0)
    overdue = f.ConditionFactory(case=case, due_date=today() - dt.timedelta(days=1))
    due_today = f.ConditionFactory(case=case, due_date=today())
    closed = f.CompliedCaseFactory()
    Condition.objects.filter(case=closed).update(due_date=today() - dt.timedelta(days=5))
    out = StringIO()
    call_command("sweep_compliance", stdout=out)
    assert "1 condition newly marked overdue" in out.getvalue()
    overdue.refresh_from_db()
    due_today.refresh_from_db()
    assert overdue.overdue_since == today()
    assert due_today.overdue_since is None
    events = CaseEvent.objects.filter(case=case, kind="condition_overdue")
    assert events.count() == 1
    assert events.get().actor is None
    out = StringIO()
    call_command("sweep_compliance", stdout=out)
    assert "0 conditions newly marked overdue" in out.getvalue()
    assert events.count() == 1
    # The sweep does not change the case, so an officer's open form stays valid.
    assert Case.objects.get(pk=case.pk).version == case.version
