"""Query budgets for the pages no other test bounds, and the main pages at two data sizes.

The apps' own tests bound each page at 1 and 20 rows of its main list. Here:
- the caution document (print) and the import page, at 1 and 20 rows;
- the officer's worklist, a case page, the caseworker's inbox and the dashboard over whole
  synthetic histories (demo/synthetic: every related table filled the way real use fills
  it) at two sizes: the number of queries must be the same at both.
"""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cautions.models import Case
from demo import core as demo
from demo import synthetic
from hub.models import ImportBatch
from tests.cautions import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("rows", [1, 20])
def test_caution_document_query_count_is_bounded(
    as_user, officer, django_assert_max_num_queries, rows
):
    case = f.ActiveCaseFactory(conditions=rows, officer=officer)
    client = as_user(officer)
    # session, user, permissions (2), header profile, case (access), access log (savepoint
    # and insert), document: case with joins, conditions, victim views; session save.
    with django_assert_max_num_queries(18):
        response = client.get(reverse("cautions:print", args=[case.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [1, 20])
def test_import_page_query_count_is_bounded(
    as_user, administrator, django_assert_max_num_queries, rows
):
    ImportBatch.objects.bulk_create(
        ImportBatch(
            kind="reoffences",
            via="command",
            file_name=f"extract-{n}.csv",
            operator="ops",
            rows_in_file=1,
            rows_created=1,
        )
        for n in range(rows)
    )
    client = as_user(administrator)
    # session, user, permissions (2), header profile, batches with who imported them,
    # session save.
    with django_assert_max_num_queries(12):
        response = client.get(reverse("reporting:import"))
    assert response.status_code == 200
    assert f"extract-{rows - 1}.csv" in response.content.decode()


TODAY = dt.date.today()


def count_queries(client, url, params=None) -> int:
    client.get(url, params)  # warm the session and permission caches
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200, url
    if url == reverse("reporting:dashboard"):
        assert response.context["report"]["people"] > 0  # the report ran over the data
    return len(queries)


def page_query_counts(client_for, people: int, seed: int, case=None) -> tuple[dict, object]:
    """Grow the synthetic data by `people`, then count each page's queries (the case page of
    the same case each time: what a case holds, such as a referral that has ended, adds a
    documented query whatever the size of the data)."""
    from django.contrib.auth import get_user_model

    users = {u.username: u for u in get_user_model().objects.filter(username__in=DEMO)}
    synthetic.generate(people=people, seed=seed, users=users)
    officer = users["officer"]
    case = case or (
        Case.objects.filter(officer=officer, status="active").order_by("pk").first()
        or Case.objects.filter(officer=officer).order_by("pk").first()
    )
    window = {"date_from": "2016-09-01", "date_to": TODAY.isoformat()}
    counts = {
        "worklist": count_queries(client_for("officer"), reverse("cautions:worklist")),
        "case page": count_queries(
            client_for("officer"), reverse("cautions:case_detail", args=[case.pk])
        ),
        **{
            f"case {section}": count_queries(
                client_for("officer"), reverse(f"cautions:case_{section}", args=[case.pk])
            )
            for section in ("assessment", "support", "history")
        },
        "inbox": count_queries(client_for("caseworker"), reverse("referrals:inbox")),
        "dashboard": count_queries(client_for("analyst"), reverse("reporting:dashboard"), window),
    }
    return counts, case


DEMO = ("officer", "sergeant", "caseworker", "analyst")


def test_main_pages_make_as_many_queries_at_two_data_sizes(client, settings, immediate_tasks):
    # immediate_tasks: the dashboard's snapshot is computed when the first request queues it
    # (the worker's part), so the request counted reads it fresh.
    ctx = demo.seed(demo.DemoContext())
    assert set(DEMO) <= set(ctx.users)

    def client_for(username):
        client.force_login(ctx.users[username])
        return client

    small, case = page_query_counts(client_for, people=30, seed=1)
    large, _ = page_query_counts(client_for, people=150, seed=2, case=case)
    assert small == large
