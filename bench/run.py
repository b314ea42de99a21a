"""bench/run: Offender Hub at force scale, measured.

1. Creates a fresh PostgreSQL database (BENCH_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/oh_bench_scale; it is DROPPED first), migrates it and
   seeds it with `manage.py seed_demo --people N` (timed).
2. The reoffending report (cohort figures, breakdowns, Kaplan-Meier; reporting.selectors) in
   ms, next to the same figures computed by a straightforward pandas script over the same rows
   already loaded in memory (the analyst's alternative; the loading is timed separately), and
   next to a bare count(*) over cautions joined to reoffences (the floor). The report and pandas
   are timed in turns (the machine's speed drifts), the medians of each compared. The pandas figures
   are checked against the report's, so the comparison is between equal answers.
3. Page latency under load: gunicorn (2 sync workers, DEBUG=False, static files collected
   into a temporary directory) and wrk with 20 connections for DURATION seconds per page: the
   officer's worklist, a case page (its overview, and its assessment, support and history
   sections), the caseworker's inbox and the OPCC dashboard, each signed
   in as the demo user whose page it is (20 sessions per user, created directly in the session
   table), and two reference views on the same server: /bench/trivial (signed in, does nothing:
   the framework's ceiling with session and sign-in middleware; routed only with
   BENCH_TRIVIAL_VIEW=1) and /healthz (anonymous, one SELECT 1).

For the load test, two-factor authentication is off (OTP_REQUIRED=false: the sessions are
created without an OTP device) and HTTPS redirects are off (loopback HTTP). Everything else is
the production configuration. Traffic is loopback only and every wrk run is bounded in time.

Prints a table and a JSON document and writes the JSON to bench/results.json (--json); the
figures and their reading are kept in bench/RESULTS.md by hand.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import re
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/oh_bench_scale"
TARGETS = {"report_ms": 1000, "p95_ms": 150, "case_vs_trivial": 0.2}


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def server_env(args, static_root: str) -> dict:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=args.database_url,
        DEBUG="False",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="False",
        OTP_REQUIRED="false",
        BENCH_TRIVIAL_VIEW="1",
        STATIC_ROOT=static_root,
        WEB_CONCURRENCY=str(args.workers),
        GUNICORN_BIND=f"127.0.0.1:{args.port}",
        LOG_LEVEL="WARNING",
        CONN_MAX_AGE="600",
        # The partner API's per-token throttle (600/min by default) would cap the load test.
        API_THROTTLE_RATE="100000000/min",
    )
    return env


# ---------------------------------------------------------------------------- database


def recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    if not re.fullmatch(r"[A-Za-z0-9_]+", name):
        sys.exit(f"Unexpected database name {name!r}")
    conn = psycopg.connect(
        host=parsed.hostname,
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password,
        dbname="postgres",
    )
    conn.autocommit = True
    with conn.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        cursor.execute(f'CREATE DATABASE "{name}"')
    conn.close()


def manage(env: dict, *command: str) -> str:
    result = subprocess.run(
        [PYTHON, "manage.py", *command],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode:
        sys.stderr.write(result.stdout + result.stderr)
        sys.exit(f"manage.py {' '.join(command)} failed")
    return result.stdout


def seed(args, env: dict) -> dict:
    log(f"recreating {urlparse(args.database_url).path.lstrip('/')} and migrating")
    recreate_database(args.database_url)
    manage(env, "migrate", "--noinput", "-v0")
    log(f"seeding {args.people:,} people (seed {args.seed})")
    started = time.perf_counter()
    out = manage(
        dict(env, DEBUG="True"),
        "seed_demo",
        "--people",
        str(args.people),
        "--seed",
        str(args.seed),
    )
    total = time.perf_counter() - started
    match = re.search(r"([\d,]+) rows in ([\d.]+) s \((.*)\)", out)
    figures = {"command_s": round(total, 1)}
    if match:
        figures.update(
            rows=int(match.group(1).replace(",", "")),
            bulk_load_s=float(match.group(2)),
            phases=match.group(3),
        )
    log(f"seeded: {figures}")
    return figures


# ---------------------------------------------------------------------------- report


def timed(fn, repeat: int) -> tuple[object, list[float]]:
    result, times = None, []
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - started) * 1000)
    return result, times


def report_figures(args) -> dict:
    from django.db import connection
    from django.utils import timezone

    from bench import pandas_report
    from demo.synthetic import START
    from reporting.selectors import cached_reoffending_report, reoffending_report

    today = timezone.localdate()
    window = {"date_from": START, "date_to": today, "as_of": today}

    log("loading the same rows into pandas (not part of the timing)")
    started = time.perf_counter()
    frames = pandas_report.load(connection)
    load_ms = (time.perf_counter() - started) * 1000

    log("timing the reoffending report (SQL, reporting.selectors) and pandas, in turns")
    reoffending_report(**window)  # warm the cache of the database
    pandas_report.report(frames, **window)
    # In turns, so that both meet the same machine: its speed drifts by 10-30% over minutes.
    sql_times, pandas_times = [], []
    for _ in range(args.repeat):
        report, [sql_ms] = timed(lambda: reoffending_report(**window), 1)
        pandas_result, [pandas_ms] = timed(lambda: pandas_report.report(frames, **window), 1)
        sql_times.append(sql_ms)
        pandas_times.append(pandas_ms)
    agreement = pandas_report.compare(report, pandas_result)
    _, dashboard_times = timed(lambda: reoffending_report(**window, quarters=True), args.repeat)
    # What the dashboard pays once the report is cached (reporting.selectors): the data
    # version query and a cache read (the process's memory, the default CACHE_URL).
    cached_reoffending_report(**window, quarters=True)
    _, cached_times = timed(lambda: cached_reoffending_report(**window, quarters=True), args.repeat)

    floor_sql = (
        "SELECT count(*) FROM cautions_case c "
        "JOIN reporting_reoffencerecord r ON r.person_id = c.person_id "
        "WHERE c.caution_date BETWEEN %s AND %s"
    )

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(floor_sql, [START, today])
            return cursor.fetchone()[0]

    floor()
    floor_rows, floor_times = timed(floor, args.repeat)

    sql_ms = statistics.median(sql_times)
    pandas_ms = statistics.median(pandas_times)
    floor_ms = statistics.median(floor_times)
    return {
        "window": {k: v.isoformat() for k, v in window.items()},
        "report_ms": round(sql_ms, 1),
        "report_with_quarters_ms": round(statistics.median(dashboard_times), 1),
        "report_cached_ms": round(statistics.median(cached_times), 2),
        "pandas_ms": round(pandas_ms, 1),
        "pandas_load_ms": round(load_ms, 1),
        "floor_count_ms": round(floor_ms, 1),
        "floor_rows": floor_rows,
        "report_vs_pandas": round(sql_ms / pandas_ms, 2),
        "report_vs_floor": round(sql_ms / floor_ms, 1),
        "pandas_agrees": agreement,
        "headline": {
            k: report[k]
            for k in (
                "people",
                "cohort_size",
                "pending_follow_up",
                "reoffenders",
                "reoffences",
                "binary_rate",
                "cautions_given",
            )
        }
        | {
            "compliance_rate": report["compliance"]["rate"],
            "km_median_days": report["time_to_first_reoffence"]["median_days"],
        },
        "runs": args.repeat,
    }


# ---------------------------------------------------------------------------- load


def make_sessions(per_user: int) -> dict[str, list[str]]:
    """Session keys for the demo users, made as django.contrib.auth.login would make them."""
    from django.conf import settings
    from django.contrib.auth import (
        BACKEND_SESSION_KEY,
        HASH_SESSION_KEY,
        SESSION_KEY,
        get_user_model,
    )
    from django.contrib.sessions.backends.db import SessionStore

    keys = {}
    for username in ("officer", "caseworker", "analyst"):
        user = get_user_model().objects.get(username=username)
        keys[username] = []
        for _ in range(per_user):
            session = SessionStore()
            session[SESSION_KEY] = str(user.pk)
            session[BACKEND_SESSION_KEY] = "hub.auth_backend.HubModelBackend"
            session[HASH_SESSION_KEY] = user.get_session_auth_hash()
            session.set_expiry(settings.SESSION_COOKIE_AGE)
            session.create()
            keys[username].append(session.session_key)
    # The partner API authenticates by bearer token: the caseworker's provider's case system.
    from api.tokens import token_create

    caseworker = get_user_model().objects.get(username="caseworker")
    keys["caseworker-api"] = [
        token_create(user=caseworker, name=f"bench {i}", days=1)[1] for i in range(per_user)
    ]
    return keys


def pages() -> list[tuple[str, str, str]]:
    """(name, path, user) of the pages measured."""
    from cautions.models import Case

    case = (
        Case.objects.filter(officer__username="officer", status="active")
        .order_by("-caution_date", "pk")
        .first()
    ) or Case.objects.filter(officer__username="officer").order_by("pk").first()
    return [
        ("trivial view (/bench/trivial)", "/bench/trivial", "officer"),
        ("healthz (anonymous, SELECT 1)", "/healthz", ""),
        ("officer worklist", "/cases/worklist/", "officer"),
        (f"case page ({case.reference})", f"/cases/{case.pk}/", "officer"),
        # The case page's other sections (sub-navigation): measured, not part of a target
        # but the p95 one.
        *(
            (f"  case page: {section}", f"/cases/{case.pk}/{section}/", "officer")
            for section in ("assessment", "support", "history")
        ),
        ("caseworker inbox", "/referrals/", "caseworker"),
        # Issue 21: a closed tab (its total) and the case list (its count) grew with history.
        ("  caseworker inbox: completed tab", "/referrals/?status=completed", "caseworker"),
        ("  case list", "/cases/", "officer"),
        # Issue 14's target: a provider's token listing 50 referrals a page.
        ("partner API: referrals, 50 a page", "/api/v1/referrals/?page_size=50", "caseworker-api"),
        ("OPCC dashboard", "/reporting/", "analyst"),
    ]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    sys.exit(f"The server did not answer {url} within {seconds} s")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check_page(base: str, path: str, cookie: str, bearer: str = "") -> tuple[int, float]:
    """One request: status and time (a redirect to sign-in would make the figures meaningless)."""
    opener = urllib.request.build_opener(_NoRedirect)
    headers = {"Cookie": cookie} if cookie else {}
    if bearer:
        headers["Authorization"] = f"Bearer {bearer}"
    request = urllib.request.Request(base + path, headers=headers)
    started = time.perf_counter()
    try:
        with opener.open(request, timeout=60) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, (time.perf_counter() - started) * 1000


def wrk(base: str, path: str, cookie_name: str, keys: list[str], args, duration: int) -> dict:
    command = [
        "wrk",
        f"-t{min(2, args.connections)}",
        f"-c{args.connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(ROOT / "bench" / "wrk_session.lua"),
        base + path,
        "--",
        cookie_name,
        *keys,
    ]
    out = subprocess.run(
        command, capture_output=True, text=True, check=True, timeout=duration + 60
    ).stdout
    data = json.loads(out.split("WRK_JSON ", 1)[1].splitlines()[0])
    seconds = data["duration_us"] / 1e6
    return {
        "requests": data["requests"],
        "rps": round(data["requests"] / seconds, 1),
        "p50_ms": round(data["p50_us"] / 1000, 1),
        "p95_ms": round(data["p95_us"] / 1000, 1),
        "p99_ms": round(data["p99_us"] / 1000, 1),
        "max_ms": round(data["max_us"] / 1000, 1),
        "errors": data["non_2xx_3xx"] + data["socket_errors"],
    }


def load_test(args, env: dict) -> dict:
    from django.conf import settings

    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install -y wrk)")
    log("collecting static files")
    manage(env, "collectstatic", "--noinput", "-v0", "--ignore", "fetch.sh", "--ignore", "VERSIONS")
    sessions = make_sessions(args.connections)
    cookie_name = settings.SESSION_COOKIE_NAME
    targets = [
        page
        for i, page in enumerate(pages())
        if i == 0 or not args.pages or any(part in page[0] for part in args.pages.split(","))
    ]
    base = f"http://127.0.0.1:{args.port}"
    server_log = open(Path(env["STATIC_ROOT"]).parent / "gunicorn.log", "w")  # noqa: SIM115
    log(f"starting gunicorn ({args.workers} workers) on {base}")
    server = subprocess.Popen(
        [str(Path(PYTHON).parent / "gunicorn"), "--config", "hub/gunicorn.conf.py"],
        cwd=ROOT,
        env=env,
        stdout=server_log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    results = []
    try:
        wait_for(base + "/healthz")
        for name, path, user in targets:
            keys = sessions.get(user, [])
            # A token user's requests carry `Authorization: Bearer` (wrk_session.lua, "Bearer").
            header_name = "Bearer" if user.endswith("-api") else cookie_name
            cookie = f"{cookie_name}={keys[0]}" if keys and header_name != "Bearer" else ""
            bearer = keys[0] if header_name == "Bearer" else ""
            status, first_ms = check_page(base, path, cookie, bearer)
            if status != 200:
                raise SystemExit(f"{path} as {user or 'anonymous'} answered {status}, not 200")
            if path.startswith("/reporting/"):
                # The first view queued the dashboard's snapshot (ADR 0006); no worker runs
                # here, so compute it now: the load test measures the page with its figures.
                manage(env, "refresh_report_snapshots")
            # Warm up long enough that every worker has filled its caches (the dashboard's report
            # takes seconds to compute once per worker with the default per-process cache): the
            # figures are the steady state; the first request's time is kept as first_ms.
            wrk(base, path, header_name, keys, args, 5)
            figures = wrk(base, path, header_name, keys, args, args.duration)
            figures.update(page=name, path=path, user=user or "anonymous", first_ms=first_ms)
            log(
                f"{name}: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms, "
                f"{figures['rps']} req/s"
            )
            results.append(figures)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        server_log.close()
    trivial = results[0]["rps"]
    for row in results:
        row["vs_trivial"] = round(row["rps"] / trivial, 3) if trivial else None
    return {
        "server": f"gunicorn, {args.workers} sync workers, DEBUG=False",
        "load": f"wrk, {args.connections} connections, {args.duration} s per page",
        "pages": results,
    }


# ---------------------------------------------------------------------------- output


def machine() -> dict:
    memory = ""
    with open("/proc/meminfo") as meminfo:
        for line in meminfo:
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        pg = cursor.fetchone()[0]
    cpu = ""
    with open("/proc/cpuinfo") as cpuinfo:
        for line in cpuinfo:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory": memory,
        "postgresql": pg,
        "python": platform.python_version(),
        "load_average_at_start": os.getloadavg()[0],
    }


def verdicts(result: dict) -> dict:
    out = {}
    report = result.get("report")
    if report:
        out["report under 1 s"] = report["report_ms"] < TARGETS["report_ms"]
        out["report no slower than pandas"] = report["report_ms"] <= report["pandas_ms"]
    load = result.get("load")
    if load:
        measured = [p for p in load["pages"] if not p["path"].startswith(("/bench", "/healthz"))]
        out["p95 under 150 ms on every page"] = all(
            p["p95_ms"] < TARGETS["p95_ms"] for p in measured
        )
        case = next((p for p in measured if p["page"].startswith("case page (")), None)
        if case:
            out["case page at least 1/5 of trivial throughput"] = (
                case["vs_trivial"] >= TARGETS["case_vs_trivial"]
            )
    return out


def table(result: dict) -> str:
    lines = []
    report = result.get("report")
    if report:
        lines += [
            "Reoffending report (median of {runs} runs, {people:,} people)".format(
                runs=report["runs"], people=result["people"]
            ),
            f"  {'what':<44} {'ms':>9} {'ratio':>8}",
            f"  {'report (SQL: figures, breakdowns, KM)':<44} {report['report_ms']:>9.1f} {'1.00':>8}",
            f"  {'report + quarterly cohorts (dashboard)':<44} "
            f"{report['report_with_quarters_ms']:>9.1f}",
            f"  {'  the same from the cache (data version + read)':<44} "
            f"{report.get('report_cached_ms', 0):>9.2f}",
            f"  {'pandas over rows already in memory':<44} {report['pandas_ms']:>9.1f} "
            f"{report['pandas_ms'] / report['report_ms']:>8.2f}",
            f"  {'  (loading those rows into pandas)':<44} {report['pandas_load_ms']:>9.1f}",
            f"  {'floor: count(*) cautions x reoffences':<44} {report['floor_count_ms']:>9.1f} "
            f"{report['floor_count_ms'] / report['report_ms']:>8.2f}",
            f"  pandas figures agree with the report: {report['pandas_agrees']}",
            "",
        ]
    load = result.get("load")
    if load:
        lines += [
            f"Pages under load ({load['load']}; {load['server']})",
            f"  {'page':<34} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>8} "
            f"{'x trivial':>10} {'errors':>7}",
        ]
        for p in load["pages"]:
            lines.append(
                f"  {p['page'][:34]:<34} {p['p50_ms']:>8.1f} {p['p95_ms']:>8.1f} "
                f"{p['p99_ms']:>8.1f} {p['rps']:>8.1f} {p['vs_trivial']:>10.3f} {p['errors']:>7}"
            )
        lines.append("")
    for name, ok in result.get("targets", {}).items():
        lines.append(f"  target: {name:<48} {'met' if ok else 'MISSED'}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(
        prog="bench/run", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL))
    parser.add_argument("--reuse", action="store_true", help="keep the database, do not seed")
    parser.add_argument("--duration", type=int, default=10, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8791)
    parser.add_argument("--repeat", type=int, default=5, help="runs of each report timing")
    parser.add_argument("--skip-report", action="store_true")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument(
        "--pages",
        default="",
        help="load-test only the pages whose names contain one of these comma-separated words "
        "(and the trivial view, for the ratio): for comparing changes, not for the figures",
    )
    parser.add_argument("--json", default=str(ROOT / "bench" / "results.json"))
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("bench/run needs PostgreSQL (BENCH_DATABASE_URL=postgres://...)")

    workdir = tempfile.mkdtemp(prefix="oh-bench-")
    env = server_env(args, str(Path(workdir) / "static"))
    result: dict = {
        "people": args.people,
        "seed": args.seed,
        "started": dt.datetime.now().isoformat(timespec="seconds"),
    }
    result["machine_load_before"] = os.getloadavg()[0]
    if not args.reuse:
        result["seed_figures"] = seed(args, env)

    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    result["machine"] = machine()
    if not args.skip_report:
        result["report"] = report_figures(args)
    if not args.skip_load:
        result["load"] = load_test(args, env)
    result["targets"] = verdicts(result)
    shutil.rmtree(workdir, ignore_errors=True)

    print()
    print(table(result))
    print()
    print(json.dumps(result, indent=2, default=str))
    Path(args.json).write_text(json.dumps(result, indent=2, default=str) + "\n")
    log(f"JSON written to {args.json}")


if __name__ == "__main__":
    main()
