"""Retention review: cases due, retain with a reason, dispose = anonymise (reports unchanged)."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cautions.models import Case, CaseEvent, RetentionDecision
from cautions.retention import (
    RetentionError,
    cases_due,
    retention_dispose,
    retention_retain,
)
from cautions.rules import retention_review_date
from hub.models import AccessLog, Person
from tests.cautions.factories import CompliedCaseFactory, NotEligibleCaseFactory
from tests.factories import OffenceFactory, PersonFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 11, 23)
LIST = "/retention/"


def adult(**kwargs) -> Person:
    """Someone who was an adult in 2017, when the test cautions were given."""
    return PersonFactory(date_of_birth=dt.date(1985, 2, 3), **kwargs)


def due_case(person=None, *, review=None, **kwargs) -> Case:
    """A complied caution given in 2017, closed in 2017 and due for review."""
    person = person or PersonFactory(date_of_birth=dt.date(1990, 5, 17))
    return CompliedCaseFactory(
        offence=OffenceFactory(person=person, offence_date=dt.date(2017, 1, 3)),
        caution_date=dt.date(2017, 1, 10),
        outcome_date=dt.date(2017, 4, 10),
        retention_review_date=review or timezone.localdate() - dt.timedelta(days=1),
        **kwargs,
    )


def test_cases_due_lists_closed_cases_on_or_before_the_date():
    due = due_case()
    later = due_case(review=timezone.localdate() + dt.timedelta(days=30))
    open_case = NotEligibleCaseFactory()
    Case.objects.filter(pk=open_case.pk).update(retention_review_date=None)
    assert list(cases_due()) == [due]
    assert set(cases_due(on=timezone.localdate() + dt.timedelta(days=30))) == {due, later}


def test_retention_review_command_lists_due_cases_without_names():
    case = due_case(PersonFactory(date_of_birth=dt.date(1990, 5, 17), last_name="Named-Nowhere"))
    out = io.StringIO()
    call_command("retention_review", stdout=out)
    text = out.getvalue()
    assert "1 cases due for retention review" in text
    assert case.reference in text
    assert case.person.last_name not in text


def test_retention_review_command_refuses_a_bad_date():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("retention_review", "--date", "tomorrow")


def test_retain_records_the_decision_and_the_next_review(administrator):
    case = due_case()
    next_review = timezone.localdate() + dt.timedelta(days=365)
    decision = retention_retain(
        user=administrator,
        case_id=case.pk,
        reason="Linked to an ongoing investigation",
        next_review_date=next_review,
    )
    case.refresh_from_db()
    assert case.retention_review_date == next_review
    assert decision.decision == "retain"
    assert decision.decided_by == administrator
    assert decision.reason == "Linked to an ongoing investigation"
    assert CaseEvent.objects.filter(case=case, kind="retention_retained").exists()
    assert list(cases_due()) == []


@pytest.mark.parametrize(
    ("reason", "days", "message"),
    [("", 30, "reason"), ("Kept", 0, "future"), ("Kept", -3, "future")],
)
def test_retain_refuses_bad_input(administrator, reason, days, message):
    case = due_case()
    with pytest.raises(RetentionError, match=message):
        retention_retain(
            user=administrator,
            case_id=case.pk,
            reason=reason,
            next_review_date=timezone.localdate() + dt.timedelta(days=days),
        )
    assert not RetentionDecision.objects.exists()


def test_dispose_anonymises_the_person_and_keeps_what_reports_need(administrator):
    person = PersonFactory(
        first_name="Zebedee",
        last_name="Quartermaine",
        pnc_id="17/123456Z",
        date_of_birth=dt.date(1990, 5, 17),
        address="1 Long Lane",
        phone="01234 567890",
        email="zq@example.com",
        sex="female",
        ethnicity="A2",
    )
    first = due_case(person)
    second = due_case(person)
    district, age = person.district_id, first.age_at_caution
    retention_dispose(user=administrator, case_id=first.pk, reason="Six-year review: no link")
    person.refresh_from_db()
    assert person.anonymised_at is not None
    assert (person.first_name, person.last_name) == ("Anonymised", "Anonymised")
    assert person.full_name == f"Anonymised person {person.pk}"
    assert (person.pnc_id, person.date_of_birth) == (None, None)
    assert (person.address, person.phone, person.email) == ("", "", "")
    assert (person.sex, person.ethnicity, person.district_id) == ("female", "A2", district)
    first.refresh_from_db()
    assert first.age_at_caution == age
    # A decision per case, an erasure log entry, and no review left to do.
    assert RetentionDecision.objects.filter(decision="dispose").count() == 2
    assert set(RetentionDecision.objects.values_list("case", flat=True)) == {first.pk, second.pk}
    erasure = AccessLog.objects.get(action="erasure")
    assert (erasure.user, erasure.person) == (administrator, person)
    assert erasure.justification == "Six-year review: no link"
    assert list(cases_due()) == []
    # The names do not survive in the person's history rows either.
    history = Person.history.filter(id=person.pk)
    assert history.count() >= 2
    assert not history.filter(last_name="Quartermaine").exists()
    assert not history.filter(pnc_id__isnull=False).exists()


def test_dispose_refused_while_another_case_is_open_or_not_due(administrator):
    person = adult()
    case = due_case(person)
    later = due_case(person, review=timezone.localdate() + dt.timedelta(days=100))
    with pytest.raises(RetentionError, match=f"Case {later.reference} is not due"):
        retention_dispose(user=administrator, case_id=case.pk, reason="Review")
    OffenceFactory(person=person)
    Case.objects.filter(pk=later.pk).update(retention_review_date=timezone.localdate())
    with pytest.raises(RetentionError, match="has no case"):
        retention_dispose(user=administrator, case_id=case.pk, reason="Review")
    person.refresh_from_db()
    assert person.anonymised_at is None
    assert not RetentionDecision.objects.exists()
    assert not AccessLog.objects.filter(action="erasure").exists()


def test_dispose_blanks_the_pnc_id_on_reoffence_records(administrator):
    from hub.models import ImportBatch, ReoffenceRecord

    case = due_case()
    batch = ImportBatch.objects.create(
        kind="reoffences", via="command", file_name="pnc.csv", rows_in_file=1, rows_created=1
    )
    record = ReoffenceRecord.objects.create(
        person_ref=case.person.pnc_id,
        person=case.person,
        offence_date=dt.date(2017, 3, 1),
        proven_date=dt.date(2017, 5, 1),
        offence_category="theft",
        disposal="conviction",
        batch=batch,
    )
    retention_dispose(user=administrator, case_id=case.pk, reason="Review")
    record.refresh_from_db()
    assert record.person_ref is None
    assert record.person_id == case.person_id


def test_reoffending_report_is_identical_before_and_after_disposal(administrator):
    from hub.models import ImportBatch, ReoffenceRecord
    from reporting.selectors import reoffending_report

    batch = ImportBatch.objects.create(
        kind="reoffences", via="command", file_name="pnc.csv", rows_in_file=3, rows_created=3
    )
    cases = [due_case() for _ in range(3)]
    for case, offence_date in zip(cases, [dt.date(2017, 3, 1), dt.date(2017, 6, 1)], strict=False):
        ReoffenceRecord.objects.create(
            person_ref=case.person.pnc_id,
            person=case.person,
            offence_date=offence_date,
            proven_date=offence_date + dt.timedelta(days=40),
            offence_category="theft",
            disposal="conviction",
            batch=batch,
        )

    def report():
        return reoffending_report(
            date_from=dt.date(2017, 1, 1),
            date_to=dt.date(2017, 3, 31),
            as_of=TODAY,
            quarters=True,
            all_groups=True,
        )

    before = report()
    assert before["cohort_size"] == 3
    for case in cases[:2]:
        retention_dispose(user=administrator, case_id=case.pk, reason="Six-year review")
    assert Person.objects.filter(anonymised_at__isnull=False).count() == 2
    after = report()
    before.pop("data_as_of", None)
    after.pop("data_as_of", None)
    assert after == before


def test_review_pages_for_administrators(as_user, administrator, officer):
    case = due_case()
    client = as_user(administrator)
    page = client.get(LIST)
    assert page.status_code == 200
    assert case.reference in page.content.decode()
    review_url = reverse("security:retention_review", args=[case.pk])
    review = client.get(review_url)
    assert review.status_code == 200
    assert AccessLog.objects.filter(action="consultation", person=case.person).exists()
    # Retain without a date: the form says what is missing and keeps what was typed.
    refused = client.post(review_url, {"decision": "retain", "reason": "Ongoing inquiry"})
    assert "Enter the date of the next review" in refused.content.decode()
    assert "Ongoing inquiry" in refused.content.decode()
    done = client.post(review_url, {"decision": "dispose", "reason": "Six-year review"})
    assert done.status_code == 302
    case.person.refresh_from_db()
    assert case.person.anonymised_at is not None
    # Not due any more: the review page is gone.
    assert client.get(review_url).status_code == 404
    assert as_user(officer).get(LIST).status_code == 403


def test_review_page_proposes_the_next_review_retention_years_ahead(
    as_user, administrator, settings
):
    settings.RETENTION_YEARS = 4
    case = due_case()
    today = timezone.localdate()
    response = as_user(administrator).get(reverse("security:retention_review", args=[case.pk]))
    proposed = response.context["form"].initial["next_review_date"]
    assert proposed == retention_review_date(today)
    assert (proposed.year - today.year, proposed.month) == (4, today.month)


def test_review_page_shows_a_domain_refusal_on_the_form(as_user, administrator):
    person = adult()
    case = due_case(person)
    due_case(person, review=timezone.localdate() + dt.timedelta(days=100))
    response = as_user(administrator).post(
        reverse("security:retention_review", args=[case.pk]),
        {"decision": "dispose", "reason": "Six-year review"},
    )
    assert response.status_code == 200
    assert "cannot be anonymised yet" in response.content.decode()
    assert response.content.decode().count("<title>Error: ") == 1


@pytest.mark.parametrize("rows", [1, 20])
def test_retention_list_query_count(as_user, administrator, django_assert_max_num_queries, rows):
    for _ in range(rows):
        due_case()
    client = as_user(administrator)
    with django_assert_max_num_queries(12):
        response = client.get(LIST)
    assert response.context["page_obj"].paginator.count == rows
