"""Benchmark: imports of 100,000 cases and 150,000 reoffences, then the full report.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/oh_bench .venv/bin/python bench/report_bench.py

The database named in DATABASE_URL is dropped and created afresh (PostgreSQL), migrated, and
filled through the real import services from generated CSV files (so the import timings are
the ones an operator would see). Then the report (headline, breakdowns, Kaplan-Meier) and the
dashboard's report (the same plus quarterly cohorts) are timed. Prints figures; not a test.
Options: --cases N --reoffences N --seed N --keep (reuse the database, skip the imports).
"""

import argparse
import csv
import datetime as dt
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")

from bench.run import recreate_database  # noqa: E402 (needs ROOT on the path)

DISTRICTS = [
    "Cambridge",
    "East Cambridgeshire",
    "Fenland",
    "Huntingdonshire",
    "South Cambridgeshire",
    "Peterborough",
]
CATEGORIES = ["theft", "shoplifting", "criminal_damage", "public_order", "drunk_disorderly"]
CONDITIONS = ["housing", "drugs_alcohol", "debt", "apology_letter", "compensation", "unpaid_work"]
ETHNICITIES = ["W1", "W1", "W1", "W2", "W9", "M1", "A1", "A2", "B1", "B2", "O9", "NS"]
SEXES = ["male", "male", "male", "female", "not_stated"]


def generate(n_cases: int, n_reoffences: int, seed: int) -> tuple[io.BytesIO, io.BytesIO]:
    # The import's own column lists (needs django.setup(), done before this runs).
    from reporting.services import CASE_COLUMNS, REOFFENCE_COLUMNS

    rng = random.Random(seed)
    n_people = int(n_cases * 0.7)
    people = []
    for i in range(n_people):
        dob = dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 365 * 45))
        people.append(
            (f"{16 + i % 8:02d}/{i:07d}A", dob, rng.choice(SEXES), rng.choice(ETHNICITIES))
        )
    start = dt.date(2016, 1, 1)
    cases = io.StringIO()
    writer = csv.writer(cases)
    writer.writerow(CASE_COLUMNS)
    index_dates: dict[str, dt.date] = {}
    for i in range(n_cases):
        # Every person has a case; the rest go to people picked at random (several cautions).
        ref, dob, sex, eth = people[i] if i < n_people else rng.choice(people)
        caution = start + dt.timedelta(days=rng.randrange(0, 365 * 6))
        if (caution - dob).days < 18 * 366:
            caution = dob + dt.timedelta(days=19 * 366)
        offence = caution - dt.timedelta(days=rng.randrange(0, 60))
        index_dates[ref] = min(index_dates.get(ref, caution), caution)
        roll = rng.random()
        if caution > dt.date(2021, 9, 1) and roll < 0.5:
            outcome, outcome_date = "in_progress", ""
        elif roll < 0.82:
            outcome, outcome_date = "complied", caution + dt.timedelta(days=rng.randrange(30, 112))
        elif roll < 0.97:
            outcome, outcome_date = "failed", caution + dt.timedelta(days=rng.randrange(30, 140))
        else:
            outcome, outcome_date = "withdrawn", caution + dt.timedelta(days=rng.randrange(1, 30))
        writer.writerow(
            [
                f"BENCH-{i:07d}",
                ref,
                dob,
                sex,
                eth,
                rng.choice(DISTRICTS),
                rng.choice(CATEGORIES),
                offence,
                rng.choice([1, 2, 2, 3]),
                caution,
                ";".join(rng.sample(CONDITIONS, rng.choice([1, 2, 2, 3]))),
                outcome,
                outcome_date,
            ]
        )
    reoffences = io.StringIO()
    writer = csv.writer(reoffences)
    writer.writerow(REOFFENCE_COLUMNS)
    refs = list(index_dates)
    seen = set()
    while len(seen) < n_reoffences:
        if rng.random() < 0.85:
            ref = rng.choice(refs)
            offence = index_dates[ref] + dt.timedelta(days=rng.randrange(-200, 900))
        else:  # people in the national records who never had a hub caution
            ref = f"99/{rng.randrange(0, 10**7):07d}Z"
            offence = start + dt.timedelta(days=rng.randrange(0, 365 * 7))
        proven = offence + dt.timedelta(days=rng.randrange(0, 300))
        if proven > dt.date(2024, 6, 30):
            continue
        key = (ref, offence, proven, rng.choice(CATEGORIES))
        if key in seen:
            continue
        seen.add(key)
        writer.writerow([*key, rng.choice(["conviction", "caution"])])
    return io.BytesIO(cases.getvalue().encode()), io.BytesIO(reoffences.getvalue().encode())


def timed(fn, repeat: int = 1):
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return result, times


def backend_cpu_seconds() -> float | None:
    """CPU time used so far by this connection's PostgreSQL backend (same host only).

    Wall time on a shared 2-core machine depends on what else runs; CPU time does not.
    """
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_with_cpu(fn, repeat: int):
    """(result, wall times, server CPU seconds per run, client CPU seconds per run)."""
    backend_before = backend_cpu_seconds()
    client_before = time.process_time()
    result, times = timed(fn, repeat)
    backend_after = backend_cpu_seconds()
    client = (time.process_time() - client_before) / repeat
    server = (backend_after - backend_before) / repeat if backend_before is not None else None
    return result, times, server, client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--reoffences", type=int, default=150_000)
    parser.add_argument("--seed", type=int, default=2016)
    parser.add_argument("--keep", action="store_true", help="reuse the data already loaded")
    args = parser.parse_args()

    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("Set DATABASE_URL to a PostgreSQL database (it is dropped and re-created).")
    if not args.keep:
        recreate_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from reporting.selectors import reoffending_report
    from reporting.services import import_cases, import_reoffences

    if not args.keep:
        call_command("migrate", verbosity=0)
        print(f"Generating {args.cases:,} cases and {args.reoffences:,} reoffence records...")
        cases_csv, reoffences_csv = generate(args.cases, args.reoffences, args.seed)
        started = time.perf_counter()

        def progress(message: str) -> None:
            print(f"    {message} ({time.perf_counter() - started:.1f} s)")

        result, (seconds,) = timed(
            lambda: import_cases(source=cases_csv, file_name="bench-cases.csv", progress=progress)
        )
        print(f"import_cases:      {seconds:6.1f} s  ({result.summary()})")
        result, (seconds,) = timed(
            lambda: import_reoffences(source=reoffences_csv, file_name="bench-reoffences.csv")
        )
        print(f"import_reoffences: {seconds:6.1f} s  ({result.summary()})")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")

    as_of = dt.date(2024, 6, 30)
    window = {"date_from": dt.date(2016, 1, 1), "date_to": dt.date(2021, 12, 31), "as_of": as_of}
    print(f"load average before the report: {os.getloadavg()[0]:.2f} ({os.cpu_count()} CPUs)")
    for label, kwargs in (
        ("full report (6-year window, breakdowns, KM)", {}),
        ("dashboard report (+ 24 quarterly cohorts)", {"quarters": True}),
    ):
        report, times, server, client = timed_with_cpu(
            lambda kwargs=kwargs: reoffending_report(**window, **kwargs), repeat=5
        )
        cpu = f"server CPU {server:.3f} s, " if server is not None else ""
        print(
            f"{label}: wall median {statistics.median(times):.3f} s, best {min(times):.3f} s; "
            f"{cpu}client CPU {client:.3f} s per run"
        )
    report = reoffending_report(**window)
    print(
        f"figures: cautions given {report['cautions_given']:,}, people "
        f"{report['people']:,}, measured cohort {report['cohort_size']:,}, pending "
        f"{report['pending_follow_up']:,}, reoffenders {report['reoffenders']:,}, reoffences "
        f"{report['reoffences']:,}, binary rate {report['binary_rate']:.4f} "
        f"(95% CI {report['binary_rate_ci95'][0]:.4f}-{report['binary_rate_ci95'][1]:.4f}), "
        f"compliance {report['compliance']['rate']:.4f}, KM median "
        f"{report['time_to_first_reoffence']['median_days']} days"
    )


if __name__ == "__main__":
    main()
