"""Migration cautions 0007 carries its own trigger SQL: it installs, refreshes and removes the
report-mask triggers without the live code (cautions.report_masks)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cautions import report_masks
from cautions.models import Case
from hub.models import ConditionType
from tests.cautions.factories import ActiveCaseFactory, ConditionFactory
from tests.cautions.helpers import masks_out_of_step


def _triggers() -> set[tuple[str, str]]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal"
            )
        else:
            cursor.execute("SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'")
        return {(table, name) for table, name in cursor.fetchall()}


@pytest.mark.django_db
def test_the_triggers_the_live_code_switches_are_the_ones_migrated():
    # report_masks.set_triggers_enabled (the bulk seed) names them; a rename would fail there.
    assert set(report_masks.TRIGGERS) <= _triggers()
    assert len(report_masks.TRIGGERS) == 6


def _migrate(executor: MigrationExecutor, targets) -> None:
    executor.loader.build_graph()
    executor.migrate(targets)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_reversing_and_reapplying_the_migration_removes_then_restores_the_triggers():
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    case = ActiveCaseFactory(conditions=1)
    try:
        _migrate(executor, [("cautions", "0006_case_report_masks")])
        assert not set(report_masks.TRIGGERS) & _triggers()
        # Without the triggers a new condition leaves its case's masks behind... (written
        # with the model as it was at 0006: later migrations' columns are not there).
        old = executor.loader.project_state([("cautions", "0006_case_report_masks")]).apps
        old.get_model("cautions", "Condition").objects.create(
            case_id=case.pk,
            condition_type_id=ConditionType.objects.get(key="housing").pk,
            description="Attend housing support sessions.",
            due_date=case.compliance_deadline,
        )
        assert masks_out_of_step() == [case.reference]
    finally:
        _migrate(MigrationExecutor(connection), leaves)
    # ...and applying the migration again installs them and works every case's masks out.
    assert set(report_masks.TRIGGERS) <= _triggers()
    assert masks_out_of_step() == []
    ConditionFactory(case=Case.objects.get(pk=case.pk))
    assert masks_out_of_step() == []
