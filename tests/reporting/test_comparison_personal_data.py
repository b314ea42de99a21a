"""The comparison pool is personal data: linked and scrubbed on anonymisation, included in
subject access, disposed of at its review date."""

import datetime as dt

import pytest
from django.core.management import call_command

from hub.models import AccessLog
from hub.services import person_anonymise
from records.subject_access import subject_access_report
from reporting.comparison_retention import comparison_records_dispose
from reporting.models import ComparisonRecord
from tests.factories import PersonFactory
from tests.reporting.test_comparison_import import GOOD, import_comparison, pool_file

pytestmark = pytest.mark.django_db


def test_anonymising_links_and_scrubs_the_persons_pool_records(administrator):
    import_comparison(pool_file(GOOD))
    person = PersonFactory(pnc_id="21/0000001A")
    ComparisonRecord.objects.update(person=None)  # as if the person was recorded after
    person_anonymise(person=person, user=administrator)
    records = ComparisonRecord.objects.filter(person=person)
    assert records.count() == 2
    assert set(records.values_list("person_ref", "date_of_birth")) == {(None, None)}
    assert set(records.values_list("age_at_disposal", flat=True)) == {33}
    # Other people's records are untouched.
    assert ComparisonRecord.objects.filter(person_ref="21/0000002B").count() == 1


def test_subject_access_includes_pool_records_by_link_or_pnc_id(administrator):
    import_comparison(pool_file(GOOD))
    person = PersonFactory(pnc_id="21/0000001A")
    ComparisonRecord.objects.filter(offence_category__key="theft").update(person=person)
    report = subject_access_report(person)
    assert [row["offence_category"] for row in report["comparison_pool"]] == [
        "Theft",
        "Public order",
    ]
    assert report["comparison_pool"][0]["disposal"] == "charged"
    stranger = PersonFactory(pnc_id="21/0000009Z")
    assert subject_access_report(stranger)["comparison_pool"] == []


def test_records_are_disposed_of_from_their_review_date():
    import_comparison(pool_file(GOOD))
    # Review dates: 2029-03-01, 2029-02-02, 2029-05-01, 2029-06-10.
    assert comparison_records_dispose(on=dt.date(2029, 2, 1)) == 0
    assert comparison_records_dispose(on=dt.date(2029, 3, 1)) == 2
    assert ComparisonRecord.objects.count() == 2
    entry = AccessLog.objects.get(action=AccessLog.Action.ERASURE)
    assert "2 comparison pool records disposed of" in entry.description


def test_retention_command(capsys):
    import_comparison(pool_file(GOOD))
    call_command("comparison_retention", "--on", "2029-06-10", "--dry-run")
    assert "4 comparison pool records due" in capsys.readouterr().out
    assert ComparisonRecord.objects.count() == 4
    call_command("comparison_retention", "--on", "2029-06-10")
    assert "4 comparison pool records disposed of" in capsys.readouterr().out
    assert not ComparisonRecord.objects.exists()


def test_the_scheduler_disposes_of_due_pool_records_once_a_day():
    from notifications import schedule

    import_comparison(pool_file(GOOD))
    assert "comparison_retention" in {entry.name for entry in schedule.registered()}
    # 2029-03-01 10:00 UK: the two records reviewed by then go; a second pass that day runs
    # nothing (daily job), the next day's pass runs again.
    first = dt.datetime(2029, 3, 1, 10, tzinfo=dt.UTC)
    assert schedule.run_pass(now=first)["comparison_retention"].startswith("2 comparison")
    assert "comparison_retention" not in schedule.run_pass(now=first + dt.timedelta(hours=1))
    assert ComparisonRecord.objects.count() == 2
