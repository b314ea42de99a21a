"""Outcomes (issue 16 point 12): the structured court outcome, the Home Office crime outcome
(3 when the caution is given, 1 if the prosecution resumes) and the case list CSV export."""

import csv
import io

import pytest
from django.urls import reverse

from cautions import services
from cautions.models import Case, CaseEvent
from hub.models import AccessLog
from tests.cautions import factories as f
from tests.cautions.helpers import administer_kwargs, today

pytestmark = pytest.mark.django_db


def test_giving_the_caution_records_outcome_3(officer):
    case = f.AuthorisedCaseFactory(officer=officer)
    assert case.crime_outcome is None
    services.caution_administer(case=case, actor=officer, **administer_kwargs())
    assert Case.objects.get(pk=case.pk).crime_outcome == 3


def test_a_resumed_prosecution_moves_the_crime_to_outcome_1(sergeant):
    case = f.BreachCaseFactory()
    assert case.crime_outcome == 3
    services.breach_decide(
        breach=case.breaches.get(),
        actor=sergeant,
        decision="resume_prosecution",
        reasonable_excuse=False,
        excuse_assessment="None given",
        reason="No excuse",
        charge_date=today(),
    )
    case.refresh_from_db()
    assert case.crime_outcome == 1
    event = CaseEvent.objects.filter(case=case).latest("at", "id")
    assert event.data["crime_outcome"] == {"from": 3, "to": 1}


def test_no_further_action_keeps_outcome_3(sergeant):
    case = f.BreachCaseFactory()
    services.breach_decide(
        breach=case.breaches.get(),
        actor=sergeant,
        decision="no_further_action",
        reasonable_excuse=True,
        excuse_assessment="In hospital",
        reason="Reasonable excuse",
    )
    assert Case.objects.get(pk=case.pk).crime_outcome == 3


def test_the_case_page_shows_the_crime_outcome(as_user, officer):
    case = f.ProsecutionResumedCaseFactory(officer=officer)
    page = as_user(officer).get(reverse("cautions:case_detail", args=[case.pk])).content.decode()
    assert "Home Office crime outcome" in page
    assert "Outcome 1: charged or summonsed" in page


@pytest.mark.parametrize(
    ("kind", "details", "error_field"),
    [
        ("convicted", "", "details"),
        ("convicted", "Fined £100", None),
        ("acquitted", "", None),
        ("discontinued", "", None),
        ("other", "", "details"),
        ("other", "Bound over", None),
        ("guilty", "x", "kind"),
    ],
)
def test_court_outcome_is_structured(officer, kind, details, error_field):
    case = f.ProsecutionResumedCaseFactory(officer=officer)
    record = lambda: services.prosecution_record_court_outcome(  # noqa: E731
        case=case, actor=officer, kind=kind, details=details, court_outcome_date=today()
    )
    if error_field:
        with pytest.raises(services.RuleViolation) as raised:
            record()
        assert raised.value.field == error_field
        assert Case.objects.get(pk=case.pk).court_outcome_kind == ""
        return
    record()
    case.refresh_from_db()
    assert (case.court_outcome_kind, case.court_outcome) == (kind, details)


def test_court_outcome_form_shows_the_kinds_and_the_sentence(as_user, officer):
    case = f.ProsecutionResumedCaseFactory(officer=officer)
    client = as_user(officer)
    url = reverse("cautions:court_outcome", args=[case.pk])
    response = client.post(
        url,
        {
            "expected_version": case.version,
            "kind": "convicted",
            "details": "",
            "court_outcome_date": today().isoformat(),
        },
    )
    assert response.status_code == 200
    assert "Enter the sentence" in response.content.decode()
    response = client.post(
        url,
        {
            "expected_version": case.version,
            "kind": "convicted",
            "details": "Community order",
            "court_outcome_date": today().isoformat(),
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = client.get(reverse("cautions:case_detail", args=[case.pk])).content.decode()
    assert "Court outcome: Convicted: Community order" in page


def test_the_migration_keeps_free_text_as_other():
    from importlib import import_module

    migration = import_module("cautions.migrations.0011_case_court_outcome_kind")
    case = f.ProsecutionResumedCaseFactory()
    Case.objects.filter(pk=case.pk).update(court_outcome="Fined £80", court_outcome_kind="")
    untouched = f.ProsecutionResumedCaseFactory()
    from django.apps import apps

    migration.existing_text_is_other(apps, None)
    assert Case.objects.get(pk=case.pk).court_outcome_kind == "other"
    assert Case.objects.get(pk=untouched.pk).court_outcome_kind == ""


# --------------------------------------------------------------------------- CSV export


def download(client, params="", **data):
    url = reverse("cautions:case_list_export") + (f"?{params}" if params else "")
    return client.post(url, {"justification": "Monthly crime outcomes return", **data})


def rows_of(response) -> list[dict]:
    text = response.content.decode()
    return list(csv.DictReader(io.StringIO(text)))


def test_export_follows_the_filters_and_carries_the_outcome_code(as_user, officer):
    active = f.ActiveCaseFactory(officer=officer)
    resumed = f.ProsecutionResumedCaseFactory(officer=officer)
    Case.objects.filter(pk=resumed.pk).update(court_outcome_kind="acquitted")
    f.CaseFactory(officer=officer)
    client = as_user(officer)
    response = download(client, "status=active")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = rows_of(response)
    assert [r["reference"] for r in rows] == [active.reference]
    assert rows[0]["home_office_outcome"] == "3"
    assert rows[0]["person"] == active.person.full_name
    rows = rows_of(download(client, "status=prosecution_resumed"))
    assert [(r["home_office_outcome"], r["court_outcome"]) for r in rows] == [("1", "Acquitted")]
    assert len(rows_of(download(client))) == 3


def test_export_is_logged_as_a_disclosure_with_its_reason(as_user, officer):
    f.ActiveCaseFactory(officer=officer)
    client = as_user(officer)
    rows_of(download(client, "status=active", recipient="Crime registrar"))
    entry = AccessLog.objects.filter(action="disclosure").get()
    assert entry.justification == "Monthly crime outcomes return"
    assert entry.recipient == "Crime registrar"
    assert "status=active" in entry.description


def test_export_needs_a_reason_and_writes_nothing_without_it(as_user, officer):
    f.ActiveCaseFactory(officer=officer)
    response = download(as_user(officer), justification="   ")
    assert response.status_code == 200
    assert "Enter why you need this download" in response.content.decode()
    assert not AccessLog.objects.filter(action="disclosure").exists()


def test_export_is_refused_to_caseworkers_and_analysts(as_user, caseworker, analyst):
    for user in (caseworker, analyst):
        assert download(as_user(user)).status_code == 403


def test_export_cells_cannot_run_as_formulas(as_user, officer):
    case = f.ActiveCaseFactory(officer=officer)
    case.person.last_name = "=HYPERLINK(1)"
    case.person.save()
    rows = rows_of(download(as_user(officer)))
    assert rows[0]["person"].startswith(("'", case.person.first_name))
    assert "=HYPERLINK" not in rows[0]["person"].split(" ")[0]
