"""The matched comparison at scale (issue 19): 100,000 treated people and a comparison pool of
1,000,000 on PostgreSQL; the comparison report must take under 30 s and 2 GB of memory.

    createdb -h 127.0.0.1 -U postgres oh_bench_comparison
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/oh_bench_comparison \\
        .venv/bin/python bench/comparison_bench.py [--treated 100000] [--pool 1000000]

Migrates, seeds the synthetic data of demo.comparison_synthetic (hub.bulk: COPY) unless the
database already holds it, then runs comparison_report twice, each in a fresh process, and
prints the wall time and the process's peak resident memory (ru_maxrss, Django included).
"""

import argparse
import datetime as dt
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")

WINDOW = (dt.date(2023, 1, 1), dt.date(2023, 12, 31))
AS_OF = dt.date(2025, 12, 31)


def _setup():
    import django

    django.setup()


def seed(treated: int, pool: int) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction

    from demo.comparison_synthetic import build_comparison_data
    from reporting.models import ComparisonRecord

    call_command("migrate", verbosity=0)
    held = ComparisonRecord.objects.count()
    if held == pool:
        print(f"seed: {held:,} pool records already held")
        return
    if held:
        sys.exit("the database holds another seed: use a new database")
    started = time.perf_counter()
    with transaction.atomic():
        build_comparison_data(
            treated=treated,
            pool=pool,
            date_from=WINDOW[0],
            date_to=WINDOW[1],
            progress=lambda m: print(f"  {m} ({time.perf_counter() - started:.0f} s)", flush=True),
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(f"seed: {treated:,} treated, {pool:,} pool in {time.perf_counter() - started:.0f} s")


def measure() -> None:
    """One comparison report, in this process: JSON with seconds and peak memory."""
    from reporting.comparison import comparison_report

    started = time.perf_counter()
    report = comparison_report(date_from=WINDOW[0], date_to=WINDOW[1], as_of=AS_OF)
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": round(seconds, 2),
                # The machine is shared: its load says how much of the 2 cores the run had.
                "load_average_1min": round(os.getloadavg()[0], 1),
                "peak_mib": round(peak_kib / 1024),
                "treated": report["treated"],
                "comparison_pool": report["comparison_pool"],
                "rate": report["rate"],
                "unadjusted": report["unadjusted"],
                "balance_ok": report["balance_ok"],
                "max_abs_smd_after": max(abs(r["smd_after"]) for r in report["balance"]),
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--treated", type=int, default=100_000)
    parser.add_argument("--pool", type=int, default=1_000_000)
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    _setup()
    if args.measure:
        measure()
        return
    seed(args.treated, args.pool)
    for run in (1, 2):
        out = subprocess.run(
            [sys.executable, __file__, "--measure"], check=True, capture_output=True, text=True
        ).stdout
        result = json.loads(out.strip().splitlines()[-1])
        print(f"run {run}: {json.dumps(result)}")
        ok = result["seconds"] < 30 and result["peak_mib"] < 2048
        print(f"  under 30 s and 2 GB: {'yes' if ok else 'NO'}")


if __name__ == "__main__":
    main()
