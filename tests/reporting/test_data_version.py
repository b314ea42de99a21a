"""The report's data version, kept on write by the database (reporting.data_version, ADR 0007).

It must move on every kind of write the report depends on (the workflow's services, both
imports, people's records, reference labels, SQL by hand) and stay put on writes the report
does not read (referrals, sessions, the access log, signing in); a table the report reads
without a counting trigger, or with it switched off, must fail loudly."""

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cautions import services as caution_services
from cautions.models import EligibilityAssessment
from hub import services as hub_services
from hub.models import (
    ConditionType,
    District,
    ImportBatch,
    NeedPathway,
    OffenceCategory,
    Person,
)
from referrals import services as referral_services
from reporting import data_version as dv
from reporting.models import DataChange
from reporting.report_sql import ReportFilters, report_statement
from reporting.selectors import data_version, last_reoffence_import, quarter_windows
from reporting.services import import_cases, import_reoffences
from tests.cautions import factories as f
from tests.referrals import factories as rf
from tests.reporting.test_imports import CASE_HEADER, GOOD_CASES, REOFFENCE_HEADER

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _checked_afresh():
    # Each test sees the check of the triggers run again (it runs once per process).
    dv._checked.clear()
    yield
    dv._checked.clear()


def _csv(header, rows):
    return io.BytesIO(("\n".join([header, *rows]) + "\n").encode())


# ---------------------------------------------------------------------------- what it follows


def test_every_table_the_report_reads_is_a_source():
    """A table added to the report's SQL without a counting trigger would leave the
    dashboard showing figures older than the data: this fails first."""
    today = dt.date(2026, 12, 3)
    window = (dt.date(2016, 1, 1), today)
    statement, _params = report_statement(
        [window, *quarter_windows(*window)],
        today,
        ReportFilters(district_id=1, category_id=1, condition_type_id=1),
        connection.vendor,
    )
    tables = set(connection.introspection.table_names())
    read = {name for name in re.findall(r"\b(?:FROM|JOIN)\s+(\w+)", statement) if name in tables}
    assert read  # the statement was parsed
    assert read <= set(dv.SOURCES), read - set(dv.SOURCES)
    # Read besides the statement: the groups' labels, the last import, "nearly eligible".
    for model in (ConditionType, NeedPathway, OffenceCategory, District):
        assert model._meta.db_table in dv.SOURCES
    assert ImportBatch._meta.db_table in dv.SOURCES
    assert EligibilityAssessment._meta.db_table in dv.SOURCES


def test_every_source_has_its_trigger():
    assert dv.missing_triggers(connection) == []


def test_the_version_is_one_query_of_the_counters():
    data_version()  # the check of the triggers, once per process
    with CaptureQueriesContext(connection) as queries:
        data_version()
    assert len(queries) == 1
    assert "reporting_datachange" in queries[0]["sql"]


# ---------------------------------------------------------------------------- writes it follows


def _administered_case():
    return f.ActiveCaseFactory()


def _case_service(case):
    caution_services.case_withdraw(
        case=case, actor=case.officer, kind="other", reason="New evidence."
    )


def _condition_service(case):
    condition = case.conditions.first()
    caution_services.condition_mark_complied(
        condition=condition,
        actor=case.officer,
        complied_on=timezone.localdate(),
        evidence="Letter received.",
    )


def _needs_service(case):
    pathway = NeedPathway.objects.exclude(
        pk__in=case.needs.values_list("pathway_id", flat=True)
    ).first()
    case.needs.create(pathway=pathway, severity="low", notes="Found at review.")


def _person_service(case):
    hub_services.person_update(user=case.officer, person=case.person, data={"sex": "female"})


def _offence_edit(case):
    offence = case.offence
    offence.offence_date -= dt.timedelta(days=1)
    offence.save(update_fields=["offence_date"])


def _eligibility(case):
    f.EligibilityAssessmentFactory(case=case)


def _case_import(case):
    import_cases(source=_csv(CASE_HEADER, GOOD_CASES), file_name="cases.csv")


def _reoffence_import(case):
    import_reoffences(
        source=_csv(
            REOFFENCE_HEADER, [f"{case.person.pnc_id},2026-01-01,2026-02-01,theft,caution"]
        ),
        file_name="pnc.csv",
    )


def _label_renamed(case):
    District.objects.filter(pk=case.offence.district_id).update(name="Renamed district")


def _sql_by_hand(case):
    with connection.cursor() as cursor:
        cursor.execute("UPDATE cautions_case SET age_at_caution = 40 WHERE id = %s", [case.pk])


def _person_deleted(case):
    Person.objects.create(
        first_name="Short", last_name="Lived", date_of_birth="1990-01-01"
    ).delete()


def _comparison_pool_imported(case):
    from reporting.comparison_import import import_comparison
    from tests.reporting.test_comparison_import import GOOD, pool_file

    import_comparison(pool_file(GOOD))


def _comparison_pool_disposed_of(case):
    from reporting.models import ComparisonRecord

    _comparison_pool_imported(case)
    before = data_version()
    ComparisonRecord.objects.all().delete()  # as retention disposes of the pool
    assert data_version() != before


WRITES = {
    "case transition": _case_service,
    "condition complied": _condition_service,
    "needs assessed": _needs_service,
    "person edited": _person_service,
    "offence corrected": _offence_edit,
    "eligibility checked": _eligibility,
    "historic cases imported": _case_import,
    "reoffences imported": _reoffence_import,
    "reference label renamed": _label_renamed,
    "SQL by hand": _sql_by_hand,
    "person deleted": _person_deleted,
    "comparison pool imported": _comparison_pool_imported,
    "comparison pool disposed of": _comparison_pool_disposed_of,
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_every_kind_of_write_the_report_reads_moves_the_version(write):
    case = _administered_case()
    before = data_version()
    write(case)
    assert data_version() != before


def test_an_import_moves_the_version_and_the_last_import_date():
    before = data_version()
    import_reoffences(
        source=_csv(REOFFENCE_HEADER, ["16/1A,2017-01-01,2017-02-01,theft,conviction"]),
        file_name="pnc.csv",
    )
    after = dict((table, changes) for table, changes, _ in data_version())
    assert after["reporting_importbatch"] > dict((t, c) for t, c, _ in before).get(
        "reporting_importbatch", 0
    )
    assert last_reoffence_import() is not None


def test_a_version_never_comes_back_once_the_counters_are_emptied():
    """A test database's flush empties the counters: the next count starts a new row, so the
    version differs from every earlier one even at the same number of changes."""
    case = _administered_case()
    _sql_by_hand(case)
    seen = data_version()
    DataChange.objects.all().delete()
    _sql_by_hand(case)
    assert data_version() != seen


# ---------------------------------------------------------------------------- writes it ignores


def _referral_work():
    referral = rf.new_referral()
    caseworker = rf.caseworker_of(referral.provider)
    return referral, caseworker


UNRELATED = {
    "referral accepted": lambda r, c: referral_services.referral_accept(
        referral=r, actor=c, assignee=c
    ),
    "referral returned": lambda r, c: referral_services.referral_return(
        referral=r, actor=c, reason="Our caseload is full."
    ),
    "signed in": lambda r, c: c.__class__.objects.filter(pk=c.pk).update(last_login=timezone.now()),
}


@pytest.mark.parametrize("write", UNRELATED.values(), ids=UNRELATED.keys())
def test_writes_the_report_does_not_read_leave_the_version(write):
    referral, caseworker = _referral_work()
    before = data_version()
    write(referral, caseworker)
    assert data_version() == before


def test_a_session_and_a_page_view_leave_the_version(as_user, officer):
    referral = rf.accepted_referral()
    caseworker = referral.assigned_to
    before = data_version()
    referral_services.session_record(referral=referral, actor=caseworker, data=rf.session_data())
    as_user(officer).get(f"/cases/{referral.case_id}/")  # the access log
    assert data_version() == before


# ---------------------------------------------------------------------------- misuse


def test_a_missing_trigger_fails_loudly():
    name = (
        dv.trigger_name("hub_person")
        if connection.vendor == "postgresql"
        else dv.trigger_name("hub_person", "update")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"DROP TRIGGER {name} ON hub_person"
            if connection.vendor == "postgresql"
            else f"DROP TRIGGER {name}"
        )
    with pytest.raises(ImproperlyConfigured, match="hub_person"):
        data_version()
    dv.install(connection)  # what every migrate does
    dv._checked.clear()
    assert data_version() is not None


@pytest.mark.skipif("connection.vendor != 'postgresql'")
def test_a_trigger_switched_off_fails_loudly():
    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER TABLE cautions_case DISABLE TRIGGER {dv.trigger_name('cautions_case')}"
        )
    with pytest.raises(ImproperlyConfigured, match="cautions_case"):
        data_version()


# ---------------------------------------------------------------------------- concurrency


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_long_transaction_does_not_make_other_writers_wait():
    """An import holding its counter row until it commits: an officer's save takes another
    row at once, and both changes are counted once each is committed."""
    district = District.objects.first()

    def changes():
        return dict((t, c) for t, c, _ in data_version()).get("hub_district", 0)

    before = changes()
    # The long transaction, on a connection of its own (as another server process would be).
    long_running = connections.create_connection("default")
    try:
        with long_running.cursor() as other:
            other.execute("BEGIN")
            other.execute("UPDATE hub_district SET name = name WHERE id = %s", [district.pk])
            with connection.cursor() as cursor:
                cursor.execute("SET lock_timeout = '2s'")
                cursor.execute("UPDATE hub_district SET name = name WHERE id <> %s", [district.pk])
                cursor.execute("SET lock_timeout = 0")
            assert changes() == before + 1  # the other transaction's is not committed yet
            other.execute("COMMIT")
    finally:
        long_running.close()
    assert changes() == before + 2
