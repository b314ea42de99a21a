"""Issue 17 point 17: odd input gets a clear error at the field (or the line), never a 500 or
a PostgreSQL error: a session dated 1900, a 2.4 MB offence description, NUL bytes in form text
and in imports. (Odd characters in names are tested with the person form.)"""

import datetime as dt
import importlib
import inspect
import io

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from hub.forms import TEXT_MAX_LENGTH, OffenceForm, PersonCreateForm, PersonForm
from hub.models import District, ImportBatch, Offence, OffenceCategory
from reporting.services import ImportRejected, import_cases, import_reoffences
from tests.factories import PersonFactory
from tests.referrals.factories import accepted_referral, caseworker_of
from tests.reporting.test_imports import CASE_HEADER, GOOD_CASES, REOFFENCE_HEADER

pytestmark = pytest.mark.django_db

FORM_MODULES = ("forms", "retention_forms", "filters")


def _project_forms():
    for app in apps.get_app_configs():
        if not app.path.startswith(str(settings.BASE_DIR)) or ".venv" in app.path:
            continue
        for name in FORM_MODULES:
            try:
                module = importlib.import_module(f"{app.name}.{name}")
            except ModuleNotFoundError:
                continue
            for _, cls in inspect.getmembers(module, inspect.isclass):
                if issubclass(cls, forms.BaseForm) and cls.__module__ == module.__name__:
                    yield cls


def test_every_text_field_of_every_form_has_a_length_cap():
    found = list(_project_forms())
    assert len(found) > 20
    uncapped = [
        f"{cls.__module__}.{cls.__name__}.{name}"
        for cls in found
        for name, field in cls.base_fields.items()
        if isinstance(field, forms.CharField)
        and not isinstance(field, forms.EmailField)
        and field.max_length is None
        and not issubclass(cls, OffenceForm | PersonForm)  # capped when made: checked below
    ]
    assert uncapped == []
    for form in (OffenceForm(), PersonForm(), PersonCreateForm()):
        for name, field in form.fields.items():
            if isinstance(field, forms.CharField) and not isinstance(field, forms.EmailField):
                assert field.max_length is not None, name


def _offence(description: str) -> dict:
    return {
        "category": OffenceCategory.objects.get(key="shoplifting").pk,
        "description": description,
        "offence_date": (timezone.localdate() - dt.timedelta(days=3)).isoformat(),
        "district": District.objects.get(name="Cambridge").pk,
        "gravity_score": "2",
        "gravity_rationale": "",
        "mode_of_trial": "",
    }


def test_a_huge_offence_description_is_a_field_error(as_user, officer):
    person = PersonFactory()
    url = reverse("hub:offence_create", args=[person.pk])
    client = as_user(officer)
    response = client.post(url, _offence("x" * 2_400_000))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: " in page
    assert f"Description must be {TEXT_MAX_LENGTH} characters or fewer" in page
    assert not Offence.objects.filter(person=person).exists()
    # At the cap it is accepted.
    assert client.post(url, _offence("x" * TEXT_MAX_LENGTH)).status_code == 302
    assert len(Offence.objects.get(person=person).description) == TEXT_MAX_LENGTH


def test_a_nul_byte_in_form_text_is_a_field_error(as_user, officer):
    person = PersonFactory()
    response = as_user(officer).post(
        reverse("hub:offence_create", args=[person.pk]), _offence("took\x00 a bike")
    )
    assert response.status_code == 200
    assert "Null characters are not allowed" in response.content.decode()
    assert not Offence.objects.filter(person=person).exists()


def test_nul_bytes_in_an_import_are_line_errors():
    bad = GOOD_CASES[1].replace("Fenland", "Fen\x00land")
    with pytest.raises(ImportRejected) as rejected:
        import_cases(
            source=io.BytesIO(f"{CASE_HEADER}\n{GOOD_CASES[0]}\n{bad}\n".encode()),
            file_name="nul.csv",
        )
    assert rejected.value.errors == ["line 3: contains a NUL character (\\x00)"]
    with pytest.raises(ImportRejected) as rejected:
        import_reoffences(
            source=io.BytesIO(
                f"{REOFFENCE_HEADER}\n16/1A,2017-01-01,2017-02-01,the\x00ft,conviction\n".encode()
            ),
            file_name="nul.csv",
        )
    assert rejected.value.errors == ["line 2: contains a NUL character (\\x00)"]
    assert ImportBatch.objects.count() == 0


def _session(client, referral, day: dt.date):
    return client.post(
        reverse("referrals:session_create", args=[referral.pk]),
        {
            "session_date": day.isoformat(),
            "session_time": "10:30",
            "kind": "one_to_one",
            "attendance": "did_not_attend",
            "notes": "",
            "next_steps": "",
        },
    )


@pytest.mark.parametrize("days_before", [1, 40_000])
def test_a_session_before_the_caution_is_a_field_error(as_user, days_before):
    referral = accepted_referral()
    caution_date = referral.case.caution_date
    worker = caseworker_of(referral.provider)
    client = as_user(worker)
    response = _session(client, referral, caution_date - dt.timedelta(days=days_before))
    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: " in page
    assert f"on or after the caution was given ({caution_date:%-d %B %Y})" in page
    assert not referral.sessions.exists()
    assert _session(client, referral, caution_date).status_code == 302


def test_a_session_dated_1900_is_a_field_error(as_user):
    referral = accepted_referral()
    response = _session(as_user(caseworker_of(referral.provider)), referral, dt.date(1900, 1, 1))
    assert response.status_code == 200
    assert "<title>Error: " in response.content.decode()
    assert not referral.sessions.exists()
