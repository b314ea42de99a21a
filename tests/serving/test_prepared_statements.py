"""PostgreSQL connections keep the plans of page queries (hub/settings.py, README
"Performance settings")."""

import pytest
from django.db import connection

from cautions.models import Case

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only"),
]


def test_page_queries_are_planned_once_for_any_parameters():
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone()[0] == "force_generic_plan"
    assert connection.settings_dict["OPTIONS"]["server_side_binding"] is True


def test_a_query_run_often_is_prepared_and_still_answers_right():
    threshold = connection.settings_dict["OPTIONS"]["prepare_threshold"]
    for pk in range(threshold + 2):
        assert list(Case.objects.filter(pk=pk + 10**9)) == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] >= 1
