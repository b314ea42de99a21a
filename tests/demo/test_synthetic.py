"""The bulk generator behind `seed_demo --people N`: realistic, reproducible, valid."""

import datetime as dt

import pytest
from django.core.management import call_command

from cautions.models import Case, CaseStatus, Condition
from demo import synthetic
from hub.models import Person, ReoffenceRecord
from referrals.models import Referral, SupportSession
from tests.cautions.helpers import masks_out_of_step

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 30)


def snapshot(people):
    return [
        (p.first_name, p.last_name, p.date_of_birth, p.sex, p.ethnicity, p.district_id)
        for p in people
    ]


def test_generates_full_histories_in_every_state():
    written = synthetic.generate(people=400, seed=7, today=TODAY)

    assert Person.objects.count() == written["hub.Person"] == 400
    statuses = set(Case.objects.values_list("status", flat=True))
    # Every state a case can be in, except transient ones a small sample may miss.
    assert {
        CaseStatus.NOT_ELIGIBLE,
        CaseStatus.ACTIVE,
        CaseStatus.BREACH,
        CaseStatus.COMPLIED,
        CaseStatus.PROSECUTION_RESUMED,
        CaseStatus.FAILED,
        CaseStatus.WITHDRAWN,
    } <= statuses
    assert Condition.objects.filter(status="pending", due_date__gte=TODAY).exists()
    assert Referral.objects.filter(status="completed").exists()
    assert SupportSession.objects.filter(attendance="did_not_attend").exists()
    assert ReoffenceRecord.objects.exists()
    # The report masks, written by the builder with each case (the triggers off on PostgreSQL).
    assert Case.objects.exclude(condition_types_mask=0).exists()
    assert masks_out_of_step() == []
    # Compliance near the published 84% (a small sample: wide bounds).
    closed = Case.objects.filter(caution_date__lt=TODAY - dt.timedelta(weeks=21))
    complied = closed.filter(status=CaseStatus.COMPLIED).count()
    failed = closed.filter(status__in=["failed", "failed_nfa", "prosecution_resumed"]).count()
    assert 0.75 < complied / (complied + failed) < 0.92
    # Ids were assigned by the generator: the sequences moved past them.
    assert Person.objects.create(first_name="A", last_name="B", date_of_birth=TODAY).pk > max(
        Person.objects.exclude(first_name="A").values_list("pk", flat=True)
    )


def test_same_seed_same_day_same_people():
    synthetic.generate(people=30, seed=11, today=TODAY)
    first = snapshot(Person.objects.order_by("pk"))
    synthetic.generate(people=30, seed=11, today=TODAY)
    second = snapshot(Person.objects.order_by("pk")[30:])
    assert first == second
    synthetic.generate(people=30, seed=12, today=TODAY)
    assert snapshot(Person.objects.order_by("pk")[60:]) != first


def test_seed_demo_takes_people_and_seed(capsys):
    call_command("seed_demo", people=25, seed=5, allow_production=True)
    # Synthetic people's PNC serials start at 5,000,000 (the demo people's do not).
    assert Person.objects.filter(pnc_id__regex=r"^\d\d/5\d{6}[A-Z]$").count() == 25
    assert "25 synthetic people" in capsys.readouterr().out
