"""A 1,000,000-line reoffence extract imported as a job by the worker (issue 18's benchmark).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/oh_bench \\
        .venv/bin/python bench/import_job_bench.py [--lines 1000000] [--folder /tmp/import_job]

Writes the extract (new PNC IDs each run, so every line is a new record), stores it as an
upload would (reporting.import_jobs.create_job: copied to the private import directory and
queued), then runs `manage.py db_worker --batch` as a separate process and times it from its
start to its exit. The worker's peak memory is its maximum resident set size
(resource.getrusage(RUSAGE_CHILDREN) once it has exited: the largest of the waited-for
children, and the worker is the only one). Targets: under 2 minutes, under 500 MB.
"""

import argparse
import csv
import datetime as dt
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CATEGORIES = ["shoplifting", "theft", "criminal_damage", "burglary", "assault"]
TARGET_SECONDS, TARGET_MB = 120, 500


def write_extract(path: Path, lines: int, prefix: str) -> None:
    rng = random.Random(lines)
    start = dt.date(2012, 1, 1)
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(
            ["person_ref", "offence_date", "proven_date", "offence_category", "disposal"]
        )
        for n in range(lines):
            offence = start + dt.timedelta(days=rng.randrange(4000))
            writer.writerow(
                [
                    f"{prefix}/{n // 3:07d}Z",  # three records per person
                    offence,
                    offence + dt.timedelta(days=rng.randrange(1, 200)),
                    rng.choice(CATEGORIES),
                    rng.choice(["conviction", "caution"]),
                ]
            )


def queue_job(path: Path):
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hub.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files import File

    from reporting.import_jobs import create_job

    user, _ = get_user_model().objects.get_or_create(username="bench-importer")
    with path.open("rb") as source:
        return create_job(kind="reoffences", upload=File(source, name=path.name), user=user)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--lines", type=int, default=1_000_000)
    parser.add_argument("--folder", default="/tmp/import_job_bench")
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="run the worker at this CPU niceness (README: the worker beside web servers)",
    )
    args = parser.parse_args()
    folder = Path(args.folder)
    folder.mkdir(parents=True, exist_ok=True)
    prefix = f"J{int(time.time()) % 100000:05d}"
    path = folder / f"reoffences-{prefix}.csv"
    started = time.perf_counter()
    write_extract(path, args.lines, prefix)
    print(
        f"wrote {args.lines:,} lines ({path.stat().st_size / 1e6:.0f} MB) "
        f"in {time.perf_counter() - started:.1f} s"
    )
    job = queue_job(path)
    print(f"queued job {job.pk}")
    started = time.perf_counter()
    subprocess.run(
        [
            *(["nice", "-n", str(args.nice)] if args.nice else []),
            sys.executable,
            "manage.py",
            "db_worker",
            "--batch",
            "--no-reload",
            "--no-startup-delay",
            "--verbosity",
            "0",
        ],
        cwd=ROOT,
        check=True,
    )
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # KB on Linux
    job.refresh_from_db()
    print(f"job {job.pk}: {job.status}; {job.summary}")
    print(
        f"worker: {seconds:.1f} s (target < {TARGET_SECONDS} s), "
        f"peak RSS {peak_mb:.0f} MB (target < {TARGET_MB} MB)"
    )
    path.unlink(missing_ok=True)
    ok = job.status == "succeeded" and seconds < TARGET_SECONDS and peak_mb < TARGET_MB
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
