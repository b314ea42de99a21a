"""Report-mask triggers: the database keeps each case's condition_types_mask and
assessed_pathways_mask (see cautions.report_masks for what they are and docs/adr) whenever a
condition or need row is inserted, deleted, or moves to another case or type; then every
existing case's masks are worked out once.

A migration carries its own SQL: this file imports nothing of the project, so a later change
to the live code (cautions.report_masks) cannot change what migrating a database does. The
statements are, character for character, those the live module generated up to commit
677e402 (the first version, b3014a3, differed only by a pair of parentheses around each bit,
to the same effect). To change the triggers, write a new migration that drops and creates
them.
PostgreSQL: statement-level triggers with transition tables (a COPY of many rows is one
UPDATE). Any other database gets SQLite's row-level triggers, as before.
"""

from django.db import migrations

POSTGRESQL_INSTALL = [
    (
        'CREATE FUNCTION cautions_condition_mask() RETURNS trigger LANGUAGE plpgsql AS $$ '
        'BEGIN '
        "IF TG_OP = 'INSERT' THEN "
        'UPDATE cautions_case SET condition_types_mask = '
        'COALESCE((SELECT BIT_OR((CAST(1 AS BIGINT) << CAST(r.report_bit AS INTEGER))) '
        'FROM cautions_condition x '
        'JOIN hub_conditiontype r ON r.id = x.condition_type_id '
        'WHERE x.case_id = cautions_case.id), 0) '
        'WHERE id IN (SELECT case_id FROM new_rows); '
        "ELSIF TG_OP = 'DELETE' THEN "
        'UPDATE cautions_case SET condition_types_mask = '
        'COALESCE((SELECT BIT_OR((CAST(1 AS BIGINT) << CAST(r.report_bit AS INTEGER))) '
        'FROM cautions_condition x '
        'JOIN hub_conditiontype r ON r.id = x.condition_type_id '
        'WHERE x.case_id = cautions_case.id), 0) '
        'WHERE id IN (SELECT case_id FROM old_rows); '
        'ELSE '
        'UPDATE cautions_case SET condition_types_mask = '
        'COALESCE((SELECT BIT_OR((CAST(1 AS BIGINT) << CAST(r.report_bit AS INTEGER))) '
        'FROM cautions_condition x '
        'JOIN hub_conditiontype r ON r.id = x.condition_type_id '
        'WHERE x.case_id = cautions_case.id), 0) '
        'WHERE id IN (SELECT n.case_id FROM new_rows n '
        'JOIN old_rows o ON o.id = n.id '
        'WHERE n.case_id <> o.case_id OR n.condition_type_id <> o.condition_type_id '
        'UNION SELECT o.case_id FROM new_rows n '
        'JOIN old_rows o ON o.id = n.id '
        'WHERE n.case_id <> o.case_id OR n.condition_type_id <> o.condition_type_id); '
        'END IF; RETURN NULL; END $$'
    ),
    (
        'CREATE TRIGGER cautions_condition_mask_insert AFTER INSERT ON cautions_condition '
        'REFERENCING NEW TABLE AS new_rows '
        'FOR EACH STATEMENT '
        'EXECUTE FUNCTION cautions_condition_mask()'
    ),
    (
        'CREATE TRIGGER cautions_condition_mask_update AFTER UPDATE ON cautions_condition '
        'REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows '
        'FOR EACH STATEMENT '
        'EXECUTE FUNCTION cautions_condition_mask()'
    ),
    (
        'CREATE TRIGGER cautions_condition_mask_delete AFTER DELETE ON cautions_condition '
        'REFERENCING OLD TABLE AS old_rows '
        'FOR EACH STATEMENT '
        'EXECUTE FUNCTION cautions_condition_mask()'
    ),
    (
        'CREATE FUNCTION cautions_needassessment_mask() RETURNS trigger LANGUAGE plpgsql AS $$ '
        'BEGIN '
        "IF TG_OP = 'INSERT' THEN "
        'UPDATE cautions_case SET assessed_pathways_mask = '
        'COALESCE((SELECT BIT_OR((CAST(1 AS BIGINT) << CAST(r.report_bit AS INTEGER))) '
        'FROM cautions_needassessment x '
        'JOIN hub_needpathway r ON r.id = x.pathway_id '
        'WHERE x.case_id = cautions_case.id), 0) '
        'WHERE id IN (SELECT case_id FROM new_rows); '
        "ELSIF TG_OP = 'DELETE' THEN "
        'UPDATE cautions_case SET assessed_pathways_mask = '
        'COALESCE((SELECT BIT_OR((CAST(1 AS BIGINT) << CAST(r.report_bit AS INTEGER))) '
        'FROM cautions_needassessment x '
        'JOIN hub_needpathway r ON r.id = x.pathway_id '
        'WHERE x.case_id = cautions_case.id), 0) '
        'WHERE id IN (SELECT case_id FROM old_rows); '
        'ELSE '
        'UPDATE cautions_case SET assessed_pathways_mask = '
        'COALESCE((SELECT BIT_OR((CAST(1 AS BIGINT) << CAST(r.report_bit AS INTEGER))) '
        'FROM cautions_needassessment x '
        'JOIN hub_needpathway r ON r.id = x.pathway_id '
        'WHERE x.case_id = cautions_case.id), 0) '
        'WHERE id IN (SELECT n.case_id FROM new_rows n '
        'JOIN old_rows o ON o.id = n.id '
        'WHERE n.case_id <> o.case_id OR n.pathway_id <> o.pathway_id '
        'UNION SELECT o.case_id FROM new_rows n '
        'JOIN old_rows o ON o.id = n.id '
        'WHERE n.case_id <> o.case_id OR n.pathway_id <> o.pathway_id); '
        'END IF; RETURN NULL; END $$'
    ),
    (
        'CREATE TRIGGER cautions_needassessment_mask_insert AFTER INSERT ON '
        'cautions_needassessment '
        'REFERENCING NEW TABLE AS new_rows '
        'FOR EACH STATEMENT '
        'EXECUTE FUNCTION cautions_needassessment_mask()'
    ),
    (
        'CREATE TRIGGER cautions_needassessment_mask_update AFTER UPDATE ON '
        'cautions_needassessment '
        'REFERENCING NEW TABLE AS new_rows OLD TABLE AS old_rows '
        'FOR EACH STATEMENT '
        'EXECUTE FUNCTION cautions_needassessment_mask()'
    ),
    (
        'CREATE TRIGGER cautions_needassessment_mask_delete AFTER DELETE ON '
        'cautions_needassessment '
        'REFERENCING OLD TABLE AS old_rows '
        'FOR EACH STATEMENT '
        'EXECUTE FUNCTION cautions_needassessment_mask()'
    ),
]

POSTGRESQL_REFRESH = (
    'UPDATE cautions_case SET condition_types_mask = '
    'COALESCE((SELECT BIT_OR((CAST(1 AS BIGINT) << CAST(r.report_bit AS INTEGER))) '
    'FROM cautions_condition x '
    'JOIN hub_conditiontype r ON r.id = x.condition_type_id '
    'WHERE x.case_id = cautions_case.id), 0), assessed_pathways_mask = '
    'COALESCE((SELECT BIT_OR((CAST(1 AS BIGINT) << CAST(r.report_bit AS INTEGER))) '
    'FROM cautions_needassessment x '
    'JOIN hub_needpathway r ON r.id = x.pathway_id '
    'WHERE x.case_id = cautions_case.id), 0)'
)

POSTGRESQL_DROP = [
    'DROP TRIGGER IF EXISTS cautions_condition_mask_insert ON cautions_condition',
    'DROP TRIGGER IF EXISTS cautions_condition_mask_update ON cautions_condition',
    'DROP TRIGGER IF EXISTS cautions_condition_mask_delete ON cautions_condition',
    'DROP FUNCTION IF EXISTS cautions_condition_mask()',
    'DROP TRIGGER IF EXISTS cautions_needassessment_mask_insert ON cautions_needassessment',
    'DROP TRIGGER IF EXISTS cautions_needassessment_mask_update ON cautions_needassessment',
    'DROP TRIGGER IF EXISTS cautions_needassessment_mask_delete ON cautions_needassessment',
    'DROP FUNCTION IF EXISTS cautions_needassessment_mask()',
]

SQLITE_INSTALL = [
    (
        'CREATE TRIGGER cautions_condition_mask_insert AFTER INSERT '
        'ON cautions_condition '
        'FOR EACH ROW '
        'BEGIN '
        'UPDATE cautions_case SET condition_types_mask = '
        'COALESCE((SELECT SUM(DISTINCT (CAST(1 AS BIGINT) << CAST(r.report_bit AS INTEGER))) '
        'FROM cautions_condition x '
        'JOIN hub_conditiontype r ON r.id = x.condition_type_id '
        'WHERE x.case_id = cautions_case.id), 0) '
        'WHERE id = NEW.case_id; END'
    ),
    (
        'CREATE TRIGGER cautions_condition_mask_update AFTER UPDATE OF case_id, '
        'condition_type_id '
        'ON cautions_condition '
        'FOR EACH ROW '
        'BEGIN '
        'UPDATE cautions_case SET condition_types_mask = '
        'COALESCE((SELECT SUM(DISTINCT (CAST(1 AS BIGINT) << CAST(r.report_bit AS INTEGER))) '
        'FROM cautions_condition x '
        'JOIN hub_conditiontype r ON r.id = x.condition_type_id '
        'WHERE x.case_id = cautions_case.id), 0) '
        'WHERE id IN (OLD.case_id, NEW.case_id); END'
    ),
    (
        'CREATE TRIGGER cautions_condition_mask_delete AFTER DELETE '
        'ON cautions_condition '
        'FOR EACH ROW '
        'BEGIN '
        'UPDATE cautions_case SET condition_types_mask = '
        'COALESCE((SELECT SUM(DISTINCT (CAST(1 AS BIGINT) << CAST(r.report_bit AS INTEGER))) '
        'FROM cautions_condition x '
        'JOIN hub_conditiontype r ON r.id = x.condition_type_id '
        'WHERE x.case_id = cautions_case.id), 0) '
        'WHERE id = OLD.case_id; END'
    ),
    (
        'CREATE TRIGGER cautions_needassessment_mask_insert AFTER INSERT '
        'ON cautions_needassessment '
        'FOR EACH ROW '
        'BEGIN '
        'UPDATE cautions_case SET assessed_pathways_mask = '
        'COALESCE((SELECT SUM(DISTINCT (CAST(1 AS BIGINT) << CAST(r.report_bit AS INTEGER))) '
        'FROM cautions_needassessment x '
        'JOIN hub_needpathway r ON r.id = x.pathway_id '
        'WHERE x.case_id = cautions_case.id), 0) '
        'WHERE id = NEW.case_id; END'
    ),
    (
        'CREATE TRIGGER cautions_needassessment_mask_update AFTER UPDATE OF case_id, pathway_id '
        'ON cautions_needassessment '
        'FOR EACH ROW '
        'BEGIN '
        'UPDATE cautions_case SET assessed_pathways_mask = '
        'COALESCE((SELECT SUM(DISTINCT (CAST(1 AS BIGINT) << CAST(r.report_bit AS INTEGER))) '
        'FROM cautions_needassessment x '
        'JOIN hub_needpathway r ON r.id = x.pathway_id '
        'WHERE x.case_id = cautions_case.id), 0) '
        'WHERE id IN (OLD.case_id, NEW.case_id); END'
    ),
    (
        'CREATE TRIGGER cautions_needassessment_mask_delete AFTER DELETE '
        'ON cautions_needassessment '
        'FOR EACH ROW '
        'BEGIN '
        'UPDATE cautions_case SET assessed_pathways_mask = '
        'COALESCE((SELECT SUM(DISTINCT (CAST(1 AS BIGINT) << CAST(r.report_bit AS INTEGER))) '
        'FROM cautions_needassessment x '
        'JOIN hub_needpathway r ON r.id = x.pathway_id '
        'WHERE x.case_id = cautions_case.id), 0) '
        'WHERE id = OLD.case_id; END'
    ),
]

SQLITE_REFRESH = (
    'UPDATE cautions_case SET condition_types_mask = '
    'COALESCE((SELECT SUM(DISTINCT (CAST(1 AS BIGINT) << CAST(r.report_bit AS INTEGER))) '
    'FROM cautions_condition x '
    'JOIN hub_conditiontype r ON r.id = x.condition_type_id '
    'WHERE x.case_id = cautions_case.id), 0), assessed_pathways_mask = '
    'COALESCE((SELECT SUM(DISTINCT (CAST(1 AS BIGINT) << CAST(r.report_bit AS INTEGER))) '
    'FROM cautions_needassessment x '
    'JOIN hub_needpathway r ON r.id = x.pathway_id '
    'WHERE x.case_id = cautions_case.id), 0)'
)

SQLITE_DROP = [
    'DROP TRIGGER IF EXISTS cautions_condition_mask_insert',
    'DROP TRIGGER IF EXISTS cautions_condition_mask_update',
    'DROP TRIGGER IF EXISTS cautions_condition_mask_delete',
    'DROP TRIGGER IF EXISTS cautions_needassessment_mask_insert',
    'DROP TRIGGER IF EXISTS cautions_needassessment_mask_update',
    'DROP TRIGGER IF EXISTS cautions_needassessment_mask_delete',
]


def install(apps, schema_editor):
    connection = schema_editor.connection
    postgresql = connection.vendor == "postgresql"
    for statement in POSTGRESQL_INSTALL if postgresql else SQLITE_INSTALL:
        schema_editor.execute(statement, params=None)
    # Every existing case's masks, in one statement.
    with connection.cursor() as cursor:
        cursor.execute(POSTGRESQL_REFRESH if postgresql else SQLITE_REFRESH)


def uninstall(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for statement in POSTGRESQL_DROP if postgresql else SQLITE_DROP:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("cautions", "0006_case_report_masks"),
        ("hub", "0006_reference_report_bits"),
    ]

    operations = [migrations.RunPython(install, uninstall)]
