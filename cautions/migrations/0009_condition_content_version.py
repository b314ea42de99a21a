"""A condition's content version, bumped only by a variation ("Varied (version N)" was shown
from its lock version, which completing or ending a condition also bumps).

Existing conditions: 1 plus the variations recorded in the case timeline (events
`condition_varied` and breach decisions that varied it, whose data names the condition).
"""

from collections import Counter

from django.db import migrations, models


def forwards(apps, schema_editor):
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
        ("cautions", "0008_retention_decision_from_hub"),
    ]

    operations = [
        migrations.AddField(
            model_name="condition",
            name="content_version",
            field=models.PositiveIntegerField(db_default=1, default=1),
        ),
        migrations.AddField(
            model_name="historicalcondition",
            name="content_version",
            field=models.PositiveIntegerField(db_default=1, default=1),
        ),
        migrations.RunPython(forwards, migrations.RunPython.noop),
    ]
