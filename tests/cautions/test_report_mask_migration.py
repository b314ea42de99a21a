"""Migration cautions 0007 carries its own trigger SQL: it installs, refreshes and removes the
report-mask triggers without the live code (cautions.report_masks)."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from cautions import report_masks
from cautions.models import Case
from tests.cautions.factories import ActiveCaseFactory, ConditionFactory
from tests.cautions.helpers import masks_out_of_step

PROJECT_ROOT = Path(settings.BASE_DIR)


def _project_packages() -> set[str]:
    return {
        path.parent.name
        for path in PROJECT_ROOT.glob("*/__init__.py")
        if not path.parent.name.startswith(".")
    }


def _migration_files() -> list[Path]:
    files = []
    for config in apps.get_app_configs():
        if config.name.split(".")[0] in _project_packages():
            files += sorted((Path(config.path) / "migrations").glob("0*.py"))
    return files


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            # A relative import ("from . import x") is the app's own code.
            roots.add(node.module.split(".")[0] if node.level == 0 and node.module else ".")
    return roots


def test_the_mask_migration_is_found_among_the_migrations_checked():
    names = [p.name for p in _migration_files()]
    assert "0007_case_report_mask_triggers.py" in names
    assert {"hub", "cautions", "referrals", "reporting"} <= _project_packages()


@pytest.mark.parametrize(
    "path", _migration_files(), ids=lambda p: f"{p.parent.parent.name}/{p.stem}"
)
def test_a_migration_imports_nothing_of_the_project(path):
    # A migration that imports the project's code would change what it does to a database
    # when that code changes: history must stay as it was written.
    of_the_project = _imported_roots(path) & (_project_packages() | {"."})
    assert of_the_project == set(), f"{path.name} imports {sorted(of_the_project)}"


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
        # Without the triggers a new condition leaves its case's masks behind...
        ConditionFactory(case=Case.objects.get(pk=case.pk), provider_condition=True)
        assert masks_out_of_step() == [case.reference]
    finally:
        _migrate(MigrationExecutor(connection), leaves)
    # ...and applying the migration again installs them and works every case's masks out.
    assert set(report_masks.TRIGGERS) <= _triggers()
    assert masks_out_of_step() == []
    ConditionFactory(case=Case.objects.get(pk=case.pk))
    assert masks_out_of_step() == []
