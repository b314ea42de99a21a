"""Every migration carries what it does: none imports the project's code, so that a later
change of the code cannot change what an old migration does to a database."""

import ast
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

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
