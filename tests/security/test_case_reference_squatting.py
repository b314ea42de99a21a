"""Issue 17 point 2: an import cannot take the references the workflow gives to new cases.

An analyst's historic file holding `CC-2026-000390` used to make "Start a case" fail with a
500 (IntegrityError) on every try. Imports now refuse the workflow's pattern, and the workflow
skips a reference already taken (a bounded number of tries, then a clear refusal).
"""

import io

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from cautions.models import Case
from cautions.services import assessment
from reporting.services import ImportRejected, import_cases
from tests.cautions.factories import CaseFactory
from tests.factories import OffenceFactory
from tests.reporting.test_imports import CASE_HEADER, GOOD_CASES

pytestmark = pytest.mark.django_db


def _next_pk() -> int:
    """The id the next case will get (sequences on PostgreSQL, AUTOINCREMENT on SQLite)."""
    probe = CaseFactory()
    pk = probe.pk
    probe.delete()
    return pk + 1


def _squat(reference: str) -> Case:
    return CaseFactory(reference=reference, source=Case.Source.IMPORT)


@pytest.mark.parametrize(
    "case_ref", ["CC-2026-000390", "cc-2031-1", "CC-2026-000390-2", "new-17", "NEW-abc"]
)
def test_an_import_refuses_the_workflows_reference_pattern(case_ref):
    row = GOOD_CASES[0].replace("H-1,", f"{case_ref},", 1)
    with pytest.raises(ImportRejected) as rejected:
        import_cases(
            source=io.BytesIO(f"{CASE_HEADER}\n{GOOD_CASES[1]}\n{row}\n".encode()),
            file_name="squat.csv",
        )
    [error] = rejected.value.errors
    assert error.startswith("line 3: case_ref ")
    assert "reserved for cases started in the hub" in error
    assert not Case.objects.exists()


@pytest.mark.parametrize("case_ref", ["CC-TEST-1", "XCC-2026-000001", "CC2026-000001", "H-1"])
def test_other_references_are_imported(case_ref):
    row = GOOD_CASES[0].replace("H-1,", f"{case_ref},", 1)
    import_cases(source=io.BytesIO(f"{CASE_HEADER}\n{row}\n".encode()), file_name="ok.csv")
    assert Case.objects.filter(reference=case_ref).exists()


def test_starting_a_case_skips_a_reference_already_taken(officer, as_user):
    year = timezone.localdate().year
    target = _next_pk() + 3  # the three squatting cases take the ids before it
    base = f"CC-{year}-{target:06d}"
    # Held before imports refused the pattern: the next reference, a suffixed one, the one after.
    for reference in (base, f"{base}-2", f"CC-{year}-{target + 1:06d}"):
        _squat(reference)
    offence = OffenceFactory()
    response = as_user(officer).post(reverse("cautions:start"), {"offence": offence.pk})
    assert response.status_code == 302
    case = Case.objects.get(offence=offence)
    assert case.pk == target
    assert case.reference == f"{base}-3"
    assert case.status == Case.Status.ASSESSMENT


def test_every_try_taken_is_a_clear_refusal_never_a_500(officer, as_user, monkeypatch):
    monkeypatch.setattr(assessment, "REFERENCE_ATTEMPTS", 2)
    year = timezone.localdate().year
    target = _next_pk() + 2
    base = f"CC-{year}-{target:06d}"
    _squat(base)
    _squat(f"{base}-2")
    offence = OffenceFactory()
    response = as_user(officer).post(reverse("cautions:start"), {"offence": offence.pk})
    assert response.status_code == 302
    shown = [str(message) for message in get_messages(response.wsgi_request)]
    assert any("could not be given a reference" in message for message in shown)
    assert not Case.objects.filter(offence=offence).exists()
