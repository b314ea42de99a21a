"""The case page and the variation, addition, extension and payment pages as a user sees them,
refusals included."""

import datetime as dt

import pytest
from django.urls import reverse

from cautions import services
from tests.cautions import factories as f
from tests.cautions.helpers import today

pytestmark = pytest.mark.django_db


def test_a_condition_completed_or_ended_is_not_shown_as_varied(as_user, officer):
    case = f.ActiveCaseFactory(officer=officer, conditions=2)
    first, _ = case.conditions.all()
    services.condition_mark_complied(
        condition=first, actor=officer, complied_on=today(), evidence="Seen"
    )
    first.refresh_from_db()
    assert first.version == 2  # the lock version moved, the content did not
    page = as_user(officer).get(reverse("cautions:case_detail", args=[case.pk]))
    assert b"Varied" not in page.content


def test_a_varied_condition_shows_its_content_version(as_user, officer):
    case = f.ActiveCaseFactory(officer=officer)
    condition = case.conditions.get()
    services.condition_vary(
        condition=condition,
        actor=officer,
        reason="Provider rescheduled",
        consent_given=True,
        due_date=condition.due_date + dt.timedelta(days=1),
        description=condition.description,
    )
    page = as_user(officer).get(reverse("cautions:case_detail", args=[case.pk]))
    assert b"Varied (version 2)" in page.content
