"""Checks over every template: markup written once, and no workflow rule in a template."""

import re
from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def _templates_containing(pattern: str) -> list[str]:
    found = re.compile(pattern)
    return sorted(
        str(path.relative_to(TEMPLATES))
        for path in TEMPLATES.rglob("*.html")
        if found.search(path.read_text())
    )


def test_summary_rows_are_written_by_the_tag_only():
    assert _templates_containing(r"govuk-summary-list__(row|key|value)") == []


def test_templates_read_what_may_be_done_and_never_compare_a_status():
    # The rules are in each app's actions.py and selectors (can_*, actions, show_*).
    assert _templates_containing(r"status\s*(==|!=)|status\s+(not\s+)?in\b") == []
