"""Synthetic histories at force scale: `manage.py seed_demo --people N [--seed S]`.

Generates realistic, reproducible (same seed and same day: same data) histories for N people:
an offence per case with category, gravity and mode of trial; eligibility outcomes (about one
case in ten refused, with the failing rule and its reason); cautions in every state; needs;
conditions with due dates; referrals to support providers with sessions, attendance, progress
reports and end-of-support outcomes; compliance near the published 84% for closed cautions; and
imported reoffence records giving close to the 25% one-year proven reoffending baseline (higher
after a failed caution and for younger people, so that the breakdowns have something to show).

How it is fast (100,000 people, about 3 million rows, in about 90 s on two shared cores):
- ids are assigned here (max id + 1 onwards) so that rows can reference each other without
  reading anything back, and the sequences are moved past them at the end;
- rows are written in chunks of 20,000 by the bulk writer (hub.bulk): on PostgreSQL `COPY`,
  by a writer thread while the next chunk is built; on other databases `executemany` inserts
  of the same rows, converted by each model field; both are far cheaper than bulk_create,
  which builds a model instance per row;
- on PostgreSQL the foreign keys of the tables written are dropped for the load and added back
  at the end, which checks every row in one pass instead of one trigger per row; the load is
  one transaction, so a failure leaves nothing behind;
- each case's report masks are written with its row (cautions.report_masks.report_mask) and
  the masks' triggers are off for the load;
- `VACUUM (ANALYZE)` afterwards on PostgreSQL: the planner sees the new sizes at once, and the
  visibility map is set so that counts and list pages can use index-only scans straight away,
  as they would once autovacuum had visited a table loaded row by row over months.

Deliberately not written: django-simple-history rows (the history tables record changes made
through the application; a synthetic load is not a change anyone made, and would double the
rows) and access-log rows. Everything else goes through the database's own constraints.

Synthetic staff (officers, sergeants, caseworkers) are created so that caseloads look real;
the demo users (`officer`, `caseworker`...) carry an ordinary share of the work.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections.abc import Iterable

from django.db import connection, transaction
from django.utils import timezone

from cautions import report_masks
from cautions.models import (
    Administration,
    Breach,
    Case,
    CaseEvent,
    Condition,
    EligibilityAssessment,
    NeedAssessment,
    VictimViews,
)
from demo.synthetic.histories import Builder
from demo.synthetic.loader import ForeignKeysDeferred, Loader
from demo.synthetic.reference import IMPORTED_BEFORE, START
from demo.synthetic.staff import ensure_staff
from hub.models import ImportBatch, Offence, Person, ReoffenceRecord
from referrals.models import (
    PathwayOutcome,
    ProgressReport,
    Referral,
    ReferralEvent,
    SupportSession,
)

__all__ = ["IMPORTED_BEFORE", "START", "generate", "summary"]


def generate(
    *,
    people: int,
    seed: int = 1,
    today: dt.date | None = None,
    users: dict | None = None,
    log=None,
) -> dict[str, int]:
    """Write `people` synthetic people with full histories; returns rows written per model."""
    started = time.perf_counter()
    today = today or timezone.localdate()
    rng = random.Random(seed)
    staff = ensure_staff(
        users or {}, officers=max(5, people // 400), sergeants=max(2, people // 2500)
    )
    loader = Loader()
    tables = [
        Person, Offence, Case, EligibilityAssessment, NeedAssessment, VictimViews,
        Administration, Condition, Breach, CaseEvent, Referral, Referral.pathways.through,
        SupportSession, ProgressReport, PathwayOutcome, ReferralEvent, ReoffenceRecord,
    ]  # fmt: skip
    timings = {}
    with transaction.atomic():
        fks = ForeignKeysDeferred([m._meta.db_table for m in tables])
        with fks:
            batch = ImportBatch.objects.create(
                kind=ImportBatch.Kind.REOFFENCES,
                via=ImportBatch.Via.COMMAND,
                file_name=f"synthetic-pnc-extract-seed-{seed}.csv",
                operator="seed_demo",
                rows_in_file=0,
                rows_created=0,
            )
            builder = Builder(loader, rng, today, staff, batch.pk)
            # The builder writes each case's report masks with its row: the triggers would
            # only work them out again (and miss conditions sent before their case).
            report_masks.set_triggers_enabled(False)
            try:
                builder.run(people)
                written = loader.finish()
            finally:
                loader.stop()
            report_masks.set_triggers_enabled(True)
            timings["generate and copy"] = time.perf_counter() - started
            reoffences = written.get("hub.ReoffenceRecord", 0)
            imported = builder.imported_cases
            ImportBatch.objects.filter(pk=batch.pk).update(
                rows_in_file=reoffences, rows_created=reoffences
            )
            ImportBatch.objects.create(
                kind=ImportBatch.Kind.CASES,
                via=ImportBatch.Via.COMMAND,
                file_name=f"synthetic-historic-cases-seed-{seed}.csv",
                operator="seed_demo",
                rows_in_file=imported,
                rows_created=imported,
            )
        timings["foreign keys checked, commit"] = (
            time.perf_counter() - started - sum(timings.values())
        )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in tables:
                table = connection.ops.quote_name(model._meta.db_table)
                # VACUUM cannot run in a transaction (a test, or a caller's atomic block).
                command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
                cursor.execute(f"{command} {table}")
        timings["vacuum and analyze"] = time.perf_counter() - started - sum(timings.values())
    if log:
        phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in timings.items())
        log(f"{sum(written.values()):,} rows in {time.perf_counter() - started:.1f} s ({phases})")
    return written


def summary(written: dict[str, int]) -> Iterable[str]:
    for label, count in sorted(written.items()):
        yield f"  {label:<40} {count:>10,}"
