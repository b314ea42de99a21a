"""Each case's report masks: the OR of the report bits (hub.models.reference.ReportBit) of
its conditions' types (Case.condition_types_mask) and of its assessed need pathways
(Case.assessed_pathways_mask).

They let the reoffending report (reporting.report_sql) group 100,000 cautions by their
condition types and pathways without gathering 300,000 condition and need rows each time:
that gathering was a fifth of the report's time (bench/RESULTS.md).

The database keeps them, so that every writer (the services, the historic import's COPY,
the demo, the admin, the tests' factories) leaves them right without having to remember:
triggers on cautions_condition and cautions_needassessment recompute the masks of the cases
whose rows were inserted, deleted, or moved to another case or type. On PostgreSQL one
statement-level trigger per event (set-based, so a COPY of 160,000 conditions is one UPDATE);
on SQLite, row-level triggers. The triggers' SQL is written out in migration cautions 0007,
not built here: a migration must not change when this module does. Changing what the
triggers compute (or mask_sql below, which must compute the same) takes a new migration that
replaces them. `refresh` does for every case what the triggers do for one, to repair masks
written by hand. The synthetic seed (demo.synthetic) writes each case's masks with its row, by `report_mask`,
and loads with the triggers off (set_triggers_enabled). docs/adr/0003-report-masks.md says
what the masks buy and how to take them out.
"""

from collections.abc import Iterable

from django.db import connection as default_connection

MASKS = {
    # case column: (child table, its reference column, the reference table)
    "condition_types_mask": ("cautions_condition", "condition_type_id", "hub_conditiontype"),
    "assessed_pathways_mask": ("cautions_needassessment", "pathway_id", "hub_needpathway"),
}
MASK_FIELDS = tuple(MASKS)


def report_mask(report_bits: Iterable[int]) -> int:
    """The mask of a case whose conditions' types (or assessed pathways) have these report
    bits: what mask_sql computes in the database (the OR of report_bit_sql), for a writer that
    works the masks out itself with the triggers off."""
    mask = 0
    for bit in report_bits:
        mask |= 1 << bit
    return mask


def report_bit_sql(alias: str) -> str:
    """The bit of the reference row `alias` (a condition type or need pathway), as a mask."""
    return f"(CAST(1 AS BIGINT) << CAST({alias}.report_bit AS INTEGER))"


def bit_or_sql(vendor: str, expression: str) -> str:
    """The OR of report bits (report_bit_sql), as an aggregate."""
    if vendor == "postgresql":
        return f"BIT_OR({expression})"
    # SQLite has no BIT_OR. Each reference row has its own bit, so the sum of the distinct
    # bits is their OR.
    return f"SUM(DISTINCT {expression})"


def mask_sql(vendor: str, column: str) -> str:
    """The mask `column` of the cautions_case row being updated, from its child rows."""
    child, reference_column, reference = MASKS[column]
    return (
        f"COALESCE((SELECT {bit_or_sql(vendor, report_bit_sql('r'))} FROM {child} x "
        f"JOIN {reference} r ON r.id = x.{reference_column} "
        "WHERE x.case_id = cautions_case.id), 0)"
    )


def refresh(*, connection=default_connection) -> None:
    """Recompute every case's masks, in one statement."""
    sets = ", ".join(f"{column} = {mask_sql(connection.vendor, column)}" for column in MASKS)
    sql = f"UPDATE cautions_case SET {sets}"
    with connection.cursor() as cursor:
        cursor.execute(sql)


# (table, trigger) as migration cautions 0007 names them.
TRIGGERS = tuple(
    (child, f"{child}_mask_{event}")
    for child, _reference_column, _reference in MASKS.values()
    for event in ("insert", "update", "delete")
)


def set_triggers_enabled(enabled: bool) -> None:
    """PostgreSQL: switch the mask triggers off for a bulk load that writes the masks
    itself, and on again. ALTER TABLE is transactional: a load that fails leaves them on."""
    if default_connection.vendor != "postgresql":
        return
    action = "ENABLE" if enabled else "DISABLE"
    with default_connection.cursor() as cursor:
        for child, name in TRIGGERS:
            cursor.execute(f"ALTER TABLE {child} {action} TRIGGER {name}")
