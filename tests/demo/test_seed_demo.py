"""`manage.py seed_demo`: the demo data of every layer, safe to run again, never on a live
system."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from cautions.models import Case, CaseEvent
from hub.models import Offence, Person

pytestmark = pytest.mark.django_db


def test_seed_demo_has_a_case_in_every_workflow_status(settings):
    settings.DEBUG = True
    call_command("seed_demo", stdout=StringIO())
    counts = Case.objects.count(), CaseEvent.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert (Case.objects.count(), CaseEvent.objects.count()) == counts
    statuses = set(
        Case.objects.filter(reference__startswith="DEMO-").values_list("status", flat=True)
    )
    assert statuses >= set(Case.Status.values) - {Case.Status.FAILED}


def test_seed_demo_is_idempotent(settings):
    settings.DEBUG = True  # the test runner turns DEBUG off
    call_command("seed_demo")
    counts = (get_user_model().objects.count(), Person.objects.count(), Offence.objects.count())
    call_command("seed_demo")
    assert counts == (
        get_user_model().objects.count(),
        Person.objects.count(),
        Offence.objects.count(),
    )
    assert set(get_user_model().objects.values_list("username", flat=True)) >= {
        "officer",
        "sergeant",
        "caseworker",
        "caseworker2",
        "analyst",
        "admin",
    }


def test_seed_demo_refuses_production(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="production"):
        call_command("seed_demo")
