"""A condition's content version, bumped only by a variation ("Varied (version N)" was shown
from its lock version, which completing or ending a condition also bumps).

The column is added by plain ALTER TABLE: Django's SQLite backend would rebuild the table for a
NOT NULL column, which drops the report-mask triggers on it (cautions 0007).

Existing conditions: 1 plus the variations recorded in the case timeline (events
`condition_varied` and breach decisions that varied it, whose data names the condition).
"""

from collections import Counter

from django.db import migrations, models

COLUMN = {
    "postgresql": "integer NOT NULL DEFAULT 1 CHECK (content_version >= 0)",
    "sqlite": "integer unsigned NOT NULL DEFAULT 1 CHECK (content_version >= 0)",
}


def add_column(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(
        f"ALTER TABLE cautions_condition ADD COLUMN content_version {COLUMN[vendor]}"
    )


def drop_column(apps, schema_editor):
    schema_editor.execute("ALTER TABLE cautions_condition DROP COLUMN content_version")


def count_variations(apps, schema_editor):
    CaseEvent = apps.get_model("cautions", "CaseEvent")
    Condition = apps.get_model("cautions", "Condition")
    varied = Counter()
    events = CaseEvent.objects.filter(kind__in=["condition_varied", "breach_decided"])
    for data in events.values_list("data", flat=True).iterator():
        if isinstance(data, dict) and "before" in data and data.get("condition"):
            varied[data["condition"]] += 1
    for condition_id, count in varied.items():
        Condition.objects.filter(pk=condition_id).update(content_version=1 + count)


class Migration(migrations.Migration):
    dependencies = [
        ("cautions", "0015_caution_signature"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="condition",
                    name="content_version",
                    field=models.PositiveIntegerField(db_default=1, default=1),
                ),
            ],
            database_operations=[migrations.RunPython(add_column, drop_column)],
        ),
        migrations.AddField(
            model_name="historicalcondition",
            name="content_version",
            field=models.PositiveIntegerField(db_default=1, default=1),
        ),
        migrations.RunPython(count_variations, migrations.RunPython.noop),
    ]
