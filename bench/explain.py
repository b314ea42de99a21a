"""bench/explain.py: every query of the busiest pages, EXPLAIN (ANALYZE, BUFFERS), on a seeded
database. What a page reads in proportion to the history behind it shows up here as a plan
that reads thousands of rows (or buffers) to show a few.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/oh_bench_scale \\
        .venv/bin/python bench/explain.py [--pages worklist,inbox] [--plans] [--json out.json]

Each page is requested once in process (Django's test client, signed in as the demo user whose
page it is; the API with a bearer token) to warm the caches, then again with every query
recorded. Each recorded SELECT is then run again under EXPLAIN (ANALYZE, BUFFERS) with its own
parameters; writes (the access log, the session) are listed but not run again. The data
version of the dashboard is explained on its own (reporting.selectors.data_version), since the
dashboard's report takes seconds to compute cold at this size.

Prints, per query: execution time, rows returned, shared buffers touched (hit + read), and the
plan's most expensive node. Read-only but for the access-log rows and the one API token the
page views create.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    os.environ.setdefault("DEBUG", "True")
    os.environ["OTP_REQUIRED"] = "false"
    os.environ.setdefault("API_THROTTLE_RATE", "100000000/min")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    import django

    django.setup()


class Recorder:
    """A connection.execute_wrapper that keeps (sql, params) of every query."""

    def __init__(self):
        self.queries: list[tuple[str, object]] = []

    def __call__(self, execute, sql, params, many, context):
        self.queries.append((sql, params))
        return execute(sql, params, many, context)


def _walk(node, found):
    found.append(node)
    for child in node.get("Plans", []):
        _walk(child, found)


def explain(sql: str, params) -> dict:
    from django.db import connection

    with connection.cursor() as cursor:
        # The text plan first: it also warms the caches, so that the figures kept (from the
        # second run) are those of a page served often, as the load test's are.
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql, params)
        text = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql, params)
        plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
    top = plan[0]["Plan"]
    nodes: list[dict] = []
    _walk(top, nodes)
    # The node that read the most rows (its rows times loops): where history shows.
    widest = max(nodes, key=lambda n: n.get("Actual Rows", 0) * n.get("Actual Loops", 1))
    return {
        "ms": round(plan[0]["Execution Time"], 2),
        "rows": top.get("Actual Rows", 0),
        "buffers": top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0),
        "widest": (
            f"{widest['Node Type']}"
            + (f" on {widest['Relation Name']}" if "Relation Name" in widest else "")
            + (f" using {widest['Index Name']}" if "Index Name" in widest else "")
            + f": {widest.get('Actual Rows', 0) * widest.get('Actual Loops', 1):,} rows"
        ),
        "plan": text,
    }


def targets() -> list[tuple[str, str, str]]:
    from cautions.models import Case

    case = (
        Case.objects.filter(officer__username="officer", status="active")
        .order_by("-caution_date", "pk")
        .first()
    ) or Case.objects.filter(officer__username="officer").order_by("pk").first()
    return [
        ("officer worklist", "/cases/worklist/", "officer"),
        ("case page", f"/cases/{case.pk}/", "officer"),
        ("case page: assessment", f"/cases/{case.pk}/assessment/", "officer"),
        ("case page: support", f"/cases/{case.pk}/support/", "officer"),
        ("case page: history", f"/cases/{case.pk}/history/", "officer"),
        ("case list", "/cases/", "officer"),
        ("caseworker inbox", "/referrals/", "caseworker"),
        ("caseworker inbox: completed tab", "/referrals/?status=completed", "caseworker"),
        ("partner API: referrals, 50 a page", "/api/v1/referrals/?page_size=50", "api"),
    ]


def client_for(username: str):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from api.tokens import token_create

    user = get_user_model().objects.get(username="caseworker" if username == "api" else username)
    if username == "api":
        token = token_create(user=user, name="bench explain", days=1)[1]
        return Client(HTTP_AUTHORIZATION=f"Bearer {token}")
    client = Client()
    client.force_login(user)
    return client


def page_queries(path: str, username: str) -> list[tuple[str, object]]:
    from django.db import connection

    client = client_for(username)
    response = client.get(path)  # warm the caches (permissions, prepared queries)
    if response.status_code != 200:
        sys.exit(f"{path} as {username} answered {response.status_code}")
    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        client.get(path)
    return recorder.queries


def data_version_queries() -> list[tuple[str, object]]:
    from django.db import connection

    from reporting.selectors import data_version

    recorder = Recorder()
    with connection.execute_wrapper(recorder):
        data_version()
    return recorder.queries


def report(name: str, queries, show_plans: bool) -> dict:
    print(f"\n## {name}: {len(queries)} queries")
    rows = []
    for n, (sql, params) in enumerate(queries, start=1):
        short = re.sub(r"\s+", " ", sql)[:110]
        if not sql.lstrip().upper().startswith("SELECT"):
            print(f"{n:>3}. (not run again) {short}")
            rows.append({"sql": sql, "run": False})
            continue
        figures = explain(sql, params)
        print(
            f"{n:>3}. {figures['ms']:>8.2f} ms {figures['rows']:>6} rows "
            f"{figures['buffers']:>7} buffers  {figures['widest']}\n     {short}"
        )
        if show_plans:
            print("     " + figures["plan"].replace("\n", "\n     "))
        rows.append({"sql": sql, "run": True, **figures})
    return {"page": name, "queries": rows}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", default="", help="comma-separated words of page names")
    parser.add_argument("--plans", action="store_true", help="print every plan")
    parser.add_argument("--json", default="")
    args = parser.parse_args()
    setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("EXPLAIN (ANALYZE, BUFFERS) needs PostgreSQL: set DATABASE_URL")
    wanted = [w for w in args.pages.split(",") if w]
    results = []
    for name, path, username in targets():
        if wanted and not any(w in name for w in wanted):
            continue
        results.append(report(f"{name} ({path})", page_queries(path, username), args.plans))
    if not wanted or any(w in "dashboard data version" for w in wanted):
        results.append(report("dashboard data version", data_version_queries(), args.plans))
    if args.json:
        Path(args.json).write_text(json.dumps(results, indent=1, default=str))


if __name__ == "__main__":
    main()
