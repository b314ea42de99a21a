"""The reporting read replica: chosen only when REPORTING_DATABASE_URL configured it."""

import types

import pytest

from hub.db_router import ReportingRouter, reporting_database, reporting_reads
from hub.models import ImportBatch, Person, ReoffenceRecord

# Only the router reads the override; no query runs against the second alias.
pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")

REPORTING_MODEL = types.SimpleNamespace(_meta=types.SimpleNamespace(app_label="reporting"))


@pytest.fixture
def with_replica(settings):
    databases = dict(settings.DATABASES)
    databases["reporting"] = {**databases["default"], "TEST": {"MIRROR": "default"}}
    settings.DATABASES = databases


def test_without_a_replica_everything_uses_the_primary():
    router = ReportingRouter()
    assert router.db_for_read(REPORTING_MODEL) is None
    with reporting_reads():
        assert router.db_for_read(Person) is None
        assert Person.objects.all().db == "default"
    assert reporting_database() == "default"


def test_with_a_replica_reporting_models_are_read_from_it(with_replica):
    router = ReportingRouter()
    assert router.db_for_read(REPORTING_MODEL) == "reporting"
    assert router.db_for_read(Person) is None
    assert Person.objects.all().db == "default"
    assert reporting_database() == "reporting"


def test_with_a_replica_national_records_are_read_from_it(with_replica):
    # Reporting's own until issue 15 moved them to hub: still read from the replica.
    router = ReportingRouter()
    assert router.db_for_read(ImportBatch) == "reporting"
    assert router.db_for_read(ReoffenceRecord) == "reporting"
    assert ReoffenceRecord.objects.all().db == "reporting"
    assert router.db_for_write(ReoffenceRecord) == "default"


def test_with_a_replica_reads_inside_reporting_reads_go_to_it(with_replica):
    with reporting_reads():
        assert Person.objects.all().db == "reporting"
    assert Person.objects.all().db == "default"

    @reporting_reads()
    def report():
        return Person.objects.all().db

    assert report() == "reporting"
    assert Person.objects.all().db == "default"


def test_writes_and_migrations_stay_on_the_primary(with_replica):
    router = ReportingRouter()
    with reporting_reads():
        assert router.db_for_write(REPORTING_MODEL) == "default"
        assert router.db_for_write(Person) == "default"
    assert router.allow_migrate("default", "reporting") is True
    assert router.allow_migrate("reporting", "reporting") is False
    assert router.allow_migrate("reporting", "hub") is False
